// Run by lifecycle.test.ts in its own process: uses a forwarder every way it can hold handles
// (UDP pool, socket rotation, TCP, a pending query, the sweep timer), closes it, and prints what
// is still open. The process must then exit by itself.
import { Forwarder } from '../../../src/dns/upstream/forwarder.ts';
import { startDnsFixture } from '../../support/dns-fixture.ts';

const silent = await startDnsFixture({ behaviour: 'drop' });
const live = await startDnsFixture();
const f = new Forwarder({
  upstreams: [{ host: live.address, port: live.port }, { host: silent.address, port: silent.port }],
  localAddress: '127.0.0.1',
  socketMaxQueries: 3,
});
for (let i = 0; i < 10; i++) await f.resolve(`n${i}.life.test`, 1, 1, false);
await f.resolve('big.large.test', 16, 1, false);
live.setBehaviour('drop');
const pending = f.resolve('pending.life.test', 1, 1, false).then(
  () => 'answered',
  (e: Error & { reason?: string }) => e.reason,
);
await new Promise((r) => setTimeout(r, 20));
await f.close();
const outcome = await pending;
await Promise.all([silent.close(), live.close()]);
// Handles finish closing on a later loop turn; anything still open after that is a leak (and
// would keep this process alive, which the parent notices too).
setTimeout(() => setImmediate(() => {
  const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');
  console.log(JSON.stringify({ outcome, open }));
}), 50);
