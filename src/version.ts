/** Eddy's version and the PostgreSQL version it presents to clients (drivers gate features on it). */
export const EDDY_VERSION = '0.1.0';
export const SERVER_VERSION = `15.0 (Eddy ${EDDY_VERSION})`;
export const VERSION_STRING = `PostgreSQL 15.0 (Eddy ${EDDY_VERSION}) on x86_64-pc-linux-gnu, a streaming SQL database, 64-bit`;
