// Captures the first TLS record real clients send (their ClientHello) on a raw TCP server on loopback.
// The framing here is deliberately independent of the reader under test: one record header, then
// as many bytes as it announces.
import net from 'node:net';
import tls from 'node:tls';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

export interface Capture {
  readonly bytes: Uint8Array;
  /** How many reads the bytes arrived in. */
  readonly reads: number;
}

type Stop = () => void | Promise<void>;

/** Starts a server, runs `client` against its port, returns the first record it sends, stops both. */
export async function captureHello(client: (port: number) => Stop | Promise<Stop>): Promise<Capture> {
  const server = net.createServer();
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => sockets.add(s));
  const captured = new Promise<Capture>((resolve, reject) => {
    server.once('connection', (socket) => {
      const chunks: Buffer[] = [];
      let total = 0;
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        total += chunk.length;
        const all = Buffer.concat(chunks);
        if (total >= 5 && total >= 5 + all.readUInt16BE(3)) {
          socket.destroy();
          resolve({ bytes: new Uint8Array(all.subarray(0, 5 + all.readUInt16BE(3))), reads: chunks.length });
        }
      });
      socket.on('close', () => reject(new Error(`client closed after ${total} bytes`)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const stop = client(port);
  try {
    return await captured;
  } finally {
    await (await stop)();
    // Browsers open more than one connection; close whatever is left so that the server can close.
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

export function nodeClient(servername: string, alpn: string[]): (port: number) => Stop {
  return (port) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ALPNProtocols: alpn });
    socket.on('error', () => {});
    return () => void socket.destroy();
  };
}

function processClient(command: string, args: (port: number) => string[]): (port: number) => Stop {
  return (port) => {
    const child = spawn(command, args(port), { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    return async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    };
  };
}

export const opensslClient = (servername: string): ((port: number) => Stop) =>
  processClient('openssl', (port) => ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', servername, '-alpn', 'h2,http/1.1']);

export const curlClient = (servername: string): ((port: number) => Stop) =>
  processClient('curl', (port) => ['-sS', '--max-time', '20', '--resolve', `${servername}:${port}:127.0.0.1`, `https://${servername}:${port}/`]);

/** Chromium (Debian's, through playwright-core): its post-quantum key share makes a hello of about 2 KB. */
export function chromiumClient(servername: string): (port: number) => Promise<Stop> {
  return async (port) => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
        // Only the test name resolves (to loopback); nothing else can reach the internet.
        `--host-resolver-rules=MAP ${servername} 127.0.0.1, MAP * ~NOTFOUND`,
      ],
    });
    const page = await browser.newPage();
    void page.goto(`https://${servername}:${port}/`).catch(() => {});
    return () => browser.close();
  };
}
