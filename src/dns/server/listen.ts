// Starts a stream server (TCP or HTTP/2) listening, and closes it with its open connections.
import type { Server } from 'node:net';
import type { Listening } from './udp.ts';

/** `dropConnections` ends what is still open, so close() never waits on an idle client. */
export function listen(server: Server, host: string, port: number, dropConnections: () => void): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as { address: string; port: number };
      const close = () =>
        new Promise<void>((done) => {
          server.close(() => done());
          dropConnections();
        });
      resolve({ address: a.address, port: a.port, close });
    });
  });
}
