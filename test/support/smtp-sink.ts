// An SMTP server in this process on 127.0.0.1 (a free port) that keeps every message it is given:
// a real SMTP conversation for tests of sending email, never leaving the machine.
import { SMTPServer } from 'smtp-server';
import type { EmailConfig } from '../../src/notify/email-config.ts';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** Header names lower-case; folded lines joined. */
  readonly headers: ReadonlyMap<string, string>;
  /** The body with CRLFs as LFs and quoted-printable soft breaks undone. */
  readonly body: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Settings for SmtpNotifier that send here. */
  readonly config: EmailConfig;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function parse(raw: string, from: string, to: string[]): ReceivedMail {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = new Map<string, string>();
  for (const line of text.slice(0, split).replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = text.slice(split + 2);
  if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')) {
    body = Buffer.from(body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return { from, to, headers, body };
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        received.push(parse(Buffer.concat(chunks).toString('utf8'), from, session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const config: EmailConfig = { host: '127.0.0.1', port, secure: false, requireTls: false, from: 'Ringfence <filtering@school.example>', timeoutMs: 10_000 };
  return { port, received, config, close, [Symbol.asyncDispose]: close };
}
