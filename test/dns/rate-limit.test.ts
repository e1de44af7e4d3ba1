// The per-address rate limit on the live server: one flooding address is cut to its rate, another
// address (another pupil behind another NAT) is not affected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { DnsService } from '../../src/server/dns-service.ts';
import { startTestDns, type TestDns } from '../support/dns-service.ts';
import { dig, status } from '../support/dns-clients.ts';

let dns: TestDns;
let service: DnsService;

before(async () => {
  dns = await startTestDns({ 'rate-limit': '10/20' });
  service = dns.service;
});

after(async () => {
  await dns?.stop();
});

test('a flood from one address is cut to its burst; other addresses are still answered', async () => {
  const socket = createSocket('udp4');
  let answered = 0;
  socket.on('message', () => answered++);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.9', () => r()));
  for (let i = 0; i < 200; i++) socket.send(dnsPacket.encode({ type: 'query', id: i, questions: [{ type: 'A', name: 'www.bet365.com' }] }), service.udp.port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 300));
  socket.close();
  assert.ok(answered >= 20 && answered <= 30, `answered ${answered} of 200 (burst 20, 10/s)`);
  const other = await dig(service.udp.port, 'www.bet365.com', 'A', ['-b', '127.0.0.10']);
  assert.equal(status(other.stdout), 'NOERROR', 'another address has its own bucket');
});
