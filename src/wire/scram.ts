/**
 * The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) as PostgreSQL runs it inside
 * AuthenticationSASL: client-first → server-first → client-final → server-final. Only the
 * plain mechanism is offered (no channel binding, which would need TLS's SCRAM-SHA-256-PLUS).
 *
 * Passwords come in clear from the server's configuration, so each connection derives its keys
 * with a fresh salt; the client never learns whether a user exists, because an unknown user runs
 * the same exchange against a random password and fails the same way.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SqlError } from '../errors.js';
import { protocolViolation } from './protocol-error.js';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
/** PostgreSQL's default scram_iterations. */
const ITERATIONS = 4096;
const NONCE_BYTES = 18;

const pbkdf2Async = promisify(pbkdf2);
const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

export function authenticationFailed(user: string): SqlError {
  return new SqlError('28P01', `password authentication failed for user "${user}"`, { severity: 'FATAL' });
}

export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private gs2Header = '';
  private nonce = '';
  private storedKey = Buffer.alloc(0);
  private serverKey = Buffer.alloc(0);

  /** `password` undefined: no such user; the exchange runs and fails at the proof. */
  constructor(private readonly user: string, private readonly password: string | undefined) {}

  /** Takes the client-first message, returns the server-first message. */
  async serverFirstMessage(clientFirst: string): Promise<string> {
    // gs2-header: "n,," (no channel binding) or "y,," (client could bind, thinks we cannot).
    const m = /^([ny]),([^,]*),(.*)$/s.exec(clientFirst);
    if (!m) {
      if (clientFirst.startsWith('p=')) throw protocolViolation('SCRAM channel binding is not supported');
      throw protocolViolation('malformed SCRAM message: invalid GS2 header');
    }
    this.gs2Header = `${m[1]},${m[2]},`;
    this.clientFirstBare = m[3]!;
    const clientNonce = attribute(this.clientFirstBare, 'r');
    this.nonce = clientNonce + randomBytes(NONCE_BYTES).toString('base64');
    const salt = randomBytes(16);
    const password = this.password ?? randomBytes(32).toString('base64');
    // PostgreSQL runs SASLprep on the password; for the ASCII passwords of a configuration file
    // it is the identity, so the password is used as UTF-8 bytes.
    const salted = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, ITERATIONS, 32, 'sha256');
    this.storedKey = sha256(hmac(salted, 'Client Key'));
    this.serverKey = hmac(salted, 'Server Key');
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${ITERATIONS}`;
    return this.serverFirst;
  }

  /** Checks the client-final message's proof; returns the server-final message. Throws 28P01 on a wrong password. */
  serverFinalMessage(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw protocolViolation('malformed SCRAM message: missing proof');
    const withoutProof = clientFinal.slice(0, proofAt);
    if (attribute(withoutProof, 'c') !== Buffer.from(this.gs2Header).toString('base64')) {
      throw protocolViolation('malformed SCRAM message: unexpected channel-binding data');
    }
    if (attribute(withoutProof, 'r') !== this.nonce) throw protocolViolation('malformed SCRAM message: nonce mismatch');
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw authenticationFailed(this.user);
    const clientKey = Buffer.from(proof.map((b, i) => b ^ clientSignature[i]!));
    if (this.password === undefined || !timingSafeEqual(sha256(clientKey), this.storedKey)) {
      throw authenticationFailed(this.user);
    }
    return `v=${hmac(this.serverKey, authMessage).toString('base64')}`;
  }
}

/** The value of `name=` in a comma-separated SCRAM attribute list. */
function attribute(message: string, name: string): string {
  for (const part of message.split(',')) {
    if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  }
  throw protocolViolation(`malformed SCRAM message: missing attribute "${name}"`);
}
