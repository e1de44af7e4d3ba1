// Sends plain-text emails through an SMTP server with nodemailer. A send rejects when the server
// did not accept the message; callers (the unblock use cases) report that, and never undo a decision.
import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailMessage, Notifier } from '../services/ports.ts';
import type { EmailConfig } from './email-config.ts';

export class SmtpNotifier implements Notifier {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(config: EmailConfig) {
    this.#from = config.from;
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: !config.secure && config.requireTls,
      // Without TLS required, do not try STARTTLS either: such a relay is on the same host or network.
      ignoreTLS: !config.secure && !config.requireTls,
      ...(config.user !== undefined ? { auth: { user: config.user, pass: config.password! } } : {}),
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
    });
  }

  async send(message: EmailMessage): Promise<void> {
    await this.#transport.sendMail({ from: this.#from, to: message.to, subject: message.subject, text: message.text });
  }

  close(): void {
    this.#transport.close();
  }
}
