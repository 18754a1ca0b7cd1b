/**
 * The differential suite proper: every query a materialized view in Eddy, checked against the
 * real PostgreSQL after every round of random DML, and run ad hoc in Eddy too.
 */
import { startEddy } from '../support/eddy.js';
import { differentialSuite } from './suite.js';

differentialSuite('differential: Eddy vs PostgreSQL', {
  rounds: 30,
  async connect() {
    const eddy = await startEddy();
    // A query Eddy never answers must fail its case, not hang the run.
    const client = await eddy.client({ query_timeout: 60_000 });
    return {
      subject: { name: 'Eddy', client, viewKeyword: 'MATERIALIZED VIEW', visibilityTimeoutMs: 10_000 },
      close: () => eddy.stop(),
    };
  },
});
