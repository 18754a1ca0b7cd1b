/**
 * The subscribers of bench/subscribers.ts, in a process of their own (forked with IPC): each of
 * N clients streams `COPY (SUBSCRIBE view WITH (SNAPSHOT = false)) TO STDOUT` and counts the rows
 * it receives. Kept out of the writer's process so that parsing two million rows a second does
 * not delay the writer's UPDATEs and lower the rate the view changes at.
 *
 * Messages: sends {ready: true} once all are streaming; answers 'count' with {received};
 * on 'stop' closes the clients and exits.
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const [url, count, view] = process.argv.slice(2) as [string, string, string];
const clients: pg.Client[] = [];
let received = 0;
let stopping = false;

for (let i = 0; i < Number(count); i++) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  const stream = c.query(copyTo(`COPY (SUBSCRIBE ${view} WITH (SNAPSHOT = false)) TO STDOUT`));
  stream.on('data', (chunk: Buffer) => {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) received++;
  });
  stream.on('error', (err) => stopping || console.error(`subscriber ${i}: ${err.message}`));
}
process.send!({ ready: true });

process.on('message', (m) => {
  if (m === 'count') process.send!({ received });
  if (m === 'stop') {
    stopping = true;
    void Promise.all(clients.map((c) => c.end().catch(() => {}))).then(() => process.exit(0));
  }
});
