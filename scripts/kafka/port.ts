// Whether a local TCP port can be listened on: checked before launching a service, so that a
// port held by some other program is reported as such instead of as a crashed JVM's stack trace.
import { createServer } from 'node:net';

export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
