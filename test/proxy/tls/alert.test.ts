// The fatal alert a refused tunnel sends: real TLS clients (node:tls, curl) fail at once and say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { TlsAlert, tlsAlert, type TlsAlertDescription } from '../../../src/proxy/tls/alert.ts';
import { readClientHello } from '../../../src/proxy/tls/client-hello.ts';
import { run } from '../../support/dns-clients.ts';

/** A server that reads a whole ClientHello, then answers with the alert and closes. */
async function refusing(description: TlsAlertDescription): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    let buf = new Uint8Array(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Uint8Array) => {
      const next = new Uint8Array(buf.length + chunk.length);
      next.set(buf);
      next.set(chunk, buf.length);
      buf = next;
      if (readClientHello(buf).kind !== 'need-more') socket.end(tlsAlert(description));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function nodeHandshakeError(port: number): Promise<Error & { code?: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'blocked.example.test' });
    socket.once('secureConnect', () => reject(new Error('handshake should fail')));
    socket.once('error', resolve);
  });
}

test('the bytes of a fatal alert record', () => {
  assert.deepEqual([...tlsAlert(TlsAlert.unrecognizedName)], [0x15, 3, 3, 0, 2, 2, 112]);
  assert.deepEqual([...tlsAlert(TlsAlert.accessDenied)], [0x15, 3, 3, 0, 2, 2, 49]);
});

test('node:tls reports the alert sent', async () => {
  for (const [description, code] of [
    [TlsAlert.unrecognizedName, 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME'],
    [TlsAlert.accessDenied, 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED'],
  ] as const) {
    const server = await refusing(description);
    const e = await nodeHandshakeError(server.port);
    assert.equal(e.code, code, e.message);
    await server.close();
  }
});

test('curl fails the handshake and names the alert', async () => {
  const server = await refusing(TlsAlert.unrecognizedName);
  const r = await run('curl', ['-sS', '--max-time', '10', '--resolve', `blocked.example.test:${server.port}:127.0.0.1`, `https://blocked.example.test:${server.port}/`]);
  await server.close();
  assert.equal(r.code, 35, r.stderr); // CURLE_SSL_CONNECT_ERROR
  assert.match(r.stderr, /unrecognized name/i);
});
