// `ringfence explain`: one decision in words or JSON, or a JSONL batch of them.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ErrorCodes, RingfenceError, isRingfenceError } from '../../core/errors.ts';
import type { Decision } from '../../core/policy/decision.ts';
import { Explainer, decisionJson, type ExplainInput } from '../../services/policy/explain.ts';
import { DirectoryFile } from '../../storage/files/directory-file.ts';
import type { Command, CliContext } from '../command.ts';
import { loadEnforcement } from '../../server/wiring.ts';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function describe(d: Decision, url: string, explainer: Explainer): string {
  const policy = explainer.engine.compiled.policy;
  const rule = d.rule && policy.rules.find((r) => r.id === d.rule);
  const title = d.category ? policy.categories[d.category]?.title : undefined;
  return [
    `${d.action.toUpperCase()}  ${url}`,
    `  verdict:  ${d.verdict ?? '-'}${d.alert ? '  (alert raised)' : ''}`,
    `  tier:     ${d.tier}`,
    `  rule:     ${d.rule ?? '-'}${rule ? `  (${rule.name})` : ''}`,
    `  category: ${d.category ?? '-'}${title ? `  (${title})` : ''}`,
    `  list:     ${d.list ?? '-'}`,
    `  reason:   ${d.reason}`,
  ].join('\n');
}

async function runBatch(path: string, explainer: Explainer, ctx: CliContext): Promise<number> {
  const input = path === '-' ? process.stdin : createReadStream(path);
  await new Promise<void>((resolve, reject) => {
    input.once('error', (e: Error) => reject(new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `cannot read batch file ${path}: ${e.message}`, path)));
    input.once('readable', () => resolve());
    input.once('end', () => resolve());
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let out: string[] = [];
  let lineNo = 0;
  let bad = 0;
  let done = 0;
  const flush = () => {
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    out = [];
  };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      let request: ExplainInput;
      try {
        request = JSON.parse(line) as ExplainInput;
      } catch {
        throw new RingfenceError(ErrorCodes.REQUEST_INVALID, 'not a JSON object');
      }
      if (typeof request !== 'object' || request === null) throw new RingfenceError(ErrorCodes.REQUEST_INVALID, 'not a JSON object');
      out.push(decisionJson(explainer.explain(request)));
      done++;
    } catch (e) {
      if (!isRingfenceError(e)) throw e;
      bad++;
      out.push(JSON.stringify({ line: lineNo, error: { code: e.code, message: e.message } }));
      if (bad <= 5) ctx.err(`line ${lineNo}: ${e.message} [${e.code}]`);
    }
    if (out.length >= 4096) flush();
  }
  flush();
  ctx.err(`explained ${done} requests${bad ? `; ${bad} bad line${bad > 1 ? 's' : ''} answered with an error object` : ''}`);
  return bad > 0 ? 2 : 0;
}

export const explainCommand: Command = {
  usage: '(--user U | --group G) [--ip A] --url X [--at ISO-8601] [--json]\n       ringfence explain --batch FILE.jsonl   (one {"user","group","ip","url","at"} per line; "-" reads stdin)',
  options: {
    user: { type: 'string' },
    group: { type: 'string' },
    ip: { type: 'string' },
    url: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
    batch: { type: 'string' },
  },
  async run({ values }, ctx) {
    const { engine } = await loadEnforcement(ctx.dataDir, ctx.progress);
    const explainer = new Explainer(engine, new DirectoryFile(ctx.dataDir).read(), () => ctx.clock.now());
    for (const w of engine.warnings) if (process.env.RINGFENCE_VERBOSE) ctx.err(`warning: ${w}`);
    const batch = str(values.batch);
    if (batch !== undefined) return runBatch(batch, explainer, ctx);
    const url = str(values.url);
    if (!url) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'give the site to test with --url (a host name or a URL)');
    const decision = explainer.explain({ user: str(values.user), group: str(values.group), ip: str(values.ip), url, at: str(values.at) });
    ctx.out(values.json ? decisionJson(decision) : describe(decision, url, explainer));
    return 0;
  },
};
