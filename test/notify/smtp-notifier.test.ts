// Email through a real SMTP conversation with an in-process server on 127.0.0.1, and the settings' checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../src/core/errors.ts';
import { parseEmailConfig } from '../../src/notify/email-config.ts';
import { SmtpNotifier } from '../../src/notify/smtp-notifier.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

test('a plain-text message reaches the SMTP server with its sender, recipient, subject and text', async () => {
  await using sink = await startSmtpSink();
  const notifier = new SmtpNotifier(sink.config);
  try {
    await notifier.send({ to: 'teacher@school.example', subject: 'Unblock request approved: example.org', text: 'Approved — until 15:00.\nComment: fine\n' });
  } finally {
    notifier.close();
  }
  assert.equal(sink.received.length, 1);
  const [mail] = sink.received;
  assert.equal(mail!.from, 'filtering@school.example');
  assert.deepEqual(mail!.to, ['teacher@school.example']);
  assert.equal(mail!.headers.get('subject'), 'Unblock request approved: example.org');
  assert.match(mail!.headers.get('content-type') ?? '', /^text\/plain/);
  assert.equal(mail!.body.trimEnd(), 'Approved — until 15:00.\nComment: fine');
});

test('a send to a server that is not there rejects (the caller reports it)', async () => {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const notifier = new SmtpNotifier(parseEmailConfig({ host: '127.0.0.1', port: 1, requireTls: false, from: 'filtering@school.example' }));
  await assert.rejects(notifier.send({ to: 'teacher@school.example', subject: 'S', text: 'T' }), /ECONNREFUSED|connect/i);
  notifier.close();
});

test('settings: defaults, text from the environment, and errors that never quote the password', () => {
  assert.deepEqual(parseEmailConfig({ host: 'smtp.school.example', from: 'filtering@school.example' }), {
    host: 'smtp.school.example', port: 587, secure: false, requireTls: true, from: 'filtering@school.example', timeoutMs: 10_000,
  });
  const fromEnv = parseEmailConfig({ host: 'smtp.school.example', port: '465', secure: 'true', from: 'Ringfence <f@school.example>', user: 'u', password: 'p' });
  assert.deepEqual([fromEnv.port, fromEnv.secure, fromEnv.user], [465, true, 'u']);
  const invalid = (pattern: RegExp) => (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.NOTIFY_CONFIG_INVALID && pattern.test(e.message) && !e.message.includes('s3cret');
  assert.throws(() => parseEmailConfig({ from: 'f@school.example' }), invalid(/host/));
  assert.throws(() => parseEmailConfig({ host: 'h', port: 70000, from: 'f@school.example' }), invalid(/port/));
  assert.throws(() => parseEmailConfig({ host: 'h', from: 'nobody' }), invalid(/from/));
  assert.throws(() => parseEmailConfig({ host: 'h', from: 'f@school.example', password: 's3cret' }), invalid(/both user and password/));
  assert.throws(() => parseEmailConfig({ host: 'h', from: 'f@school.example', pasword: 's3cret' }), invalid(/pasword|unrecognized/i));
});
