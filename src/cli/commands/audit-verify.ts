// `ringfence audit verify`: checks the audit log's hash chain, seals and checkpoint.
// Exit 0 when intact, 3 when tampering is found, 2 for bad input (no key, bad DATABASE_URL).
// The database code loads only when this command runs, so long-running commands (dns, proxy) do
// not carry it.
import type { Command } from '../command.ts';

export const EXIT_TAMPERED = 3;

export const auditVerifyCommand: Command = {
  usage: '[--key FILE] [--data DIR]   (PostgreSQL when DATABASE_URL is set)',
  options: { key: { type: 'string' } },
  async run(args, ctx) {
    const { runAuditVerify } = await import('./audit-verify-run.ts');
    return runAuditVerify(args, ctx);
  },
};
