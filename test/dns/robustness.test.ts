// Malformed packets and fuzz against the running server: dropped or FORMERR, and the server keeps
// answering. Bounded in count and time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import type { DnsService } from '../../src/server/dns-service.ts';
import { startTestDns, type TestDns } from '../support/dns-service.ts';
import { dig, status } from '../support/dns-clients.ts';
import { MALFORMED } from './wire/malformed-corpus.ts';

let dns: TestDns;
let service: DnsService;
let port: number;

before(async () => {
  dns = await startTestDns();
  service = dns.service;
  port = service.udp.port;
});

after(async () => {
  await dns?.stop();
});

/** Sends one datagram and waits briefly for an answer (null when none comes). */
function exchange(bytes: Uint8Array, waitMs = 300): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => (socket.close(), resolve(null)), waitMs);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.send(bytes, port, '127.0.0.1');
  });
}

/** One length-prefixed message over TCP; the answer, or null when the server sends none. */
function exchangeTcp(bytes: Uint8Array): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      const frame = Buffer.alloc(2 + bytes.length);
      frame.writeUInt16BE(bytes.length, 0);
      frame.set(bytes, 2);
      s.write(frame);
    });
    let got = Buffer.alloc(0);
    const done = (v: Buffer | null) => (s.destroy(), resolve(v));
    const timer = setTimeout(() => done(null), 1000);
    s.on('data', (c) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        clearTimeout(timer);
        done(got.subarray(2, 2 + got.readUInt16BE(0)));
      }
    });
    s.on('error', () => (clearTimeout(timer), done(null)));
  });
}

async function stillServing(): Promise<void> {
  const r = await dig(port, 'alive.example.test');
  assert.equal(status(r.stdout), 'NOERROR', 'the server still answers');
}

test('every case of the malformed corpus is dropped or answered FORMERR', async () => {
  assert.ok(MALFORMED.length >= 25);
  for (const c of MALFORMED) {
    // Bigger than one IPv4 datagram can carry (65,507 bytes): such a message can only come over TCP.
    const answer = c.bytes.length > 65_507 ? await exchangeTcp(c.bytes) : await exchange(c.bytes, c.expect === 'drop' ? 150 : 1000);
    if (c.expect === 'drop') assert.equal(answer, null, `${c.name}: dropped`);
    else {
      assert.ok(answer, `${c.name}: answered`);
      assert.equal(answer[3]! & 0x0f, 1, `${c.name}: RCODE FORMERR`);
      assert.ok(answer[2]! & 0x80, `${c.name}: QR set`);
    }
  }
  await stillServing();
});

test('fuzz: random bytes and mutated queries over UDP never stop the server', async () => {
  const valid = dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'fuzz.example.test' }] });
  const mutated = fc.tuple(fc.array(fc.nat({ max: valid.length - 1 }), { maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }), fc.nat({ max: valid.length })).map(([at, values, cut]) => {
    const b = Uint8Array.from(valid);
    at.forEach((i, k) => (b[i] = values[k] ?? 0));
    return b.subarray(0, Math.max(1, cut));
  });
  const random = fc.uint8Array({ minLength: 0, maxLength: 600 });
  const samples = fc.sample(fc.oneof(mutated, random), { numRuns: 1500, seed: 42 });
  const socket = createSocket('udp4');
  for (let i = 0; i < samples.length; i++) {
    socket.send(samples[i]!, port, '127.0.0.1');
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 200));
  socket.close();
  await stillServing();
  assert.ok(service.pipeline.stats.dropped + service.pipeline.stats.formerr > 100, 'the fuzz reached the parser');
});

test('TCP: garbage frames, a truncated frame and an abrupt close leave the server serving', async () => {
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(Buffer.from([0x00, 0x05, 1, 2, 3, 4, 5, 0x00, 0x30, 9, 9]));
      s.destroy();
      resolve();
    });
    s.on('error', () => resolve());
  });
  const r = await dig(port, 'alive.example.test', 'A', ['+tcp']);
  assert.equal(status(r.stdout), 'NOERROR');
});
