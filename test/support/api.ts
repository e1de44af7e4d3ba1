// A real API server for tests: a migrated database (SQLite by default, or a dialect from
// eachDialect), the control plane on it, one school with the default policy published, listening
// on 127.0.0.1. `signIn(role)` makes an account of that role and signs it in through the API,
// enrolling a TOTP app with real codes where the role needs one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/core/access/roles.ts';
import { buildApi } from '../../src/api/app.ts';
import type { ApiContext } from '../../src/api/context.ts';
import { apiRoutes } from '../../src/api/routes/index.ts';
import { schoolVisible } from '../../src/api/routes/schools.ts';
import type { School } from '../../src/core/org/organisation.ts';
import { createSchool } from '../../src/services/org/organisations.ts';
import { publishFirstVersion } from '../../src/services/policy-change/first-version.ts';
import { apiContext, type NodeHooks } from '../../src/server/api-context.ts';
import { openControlPlane, type ControlPlane } from '../../src/server/control-plane.ts';
import { ClientMap } from '../../src/core/directory/client-map.ts';
import { LiveEnforcement } from '../../src/services/live-enforcement.ts';
import { PolicyEngine } from '../../src/core/policy/engine.ts';
import { loadEnforcement } from '../../src/server/wiring.ts';
import { Argon2Hasher } from '../../src/storage/crypto/argon2-hasher.ts';
import { openDatabase, type Database } from '../../src/storage/sql/database.ts';
import { loadDefaultPack } from '../../src/storage/files/pack-files.ts';
import { consoleFiles } from '../../src/api/console-files.ts';
import type { Notifier } from '../../src/services/ports.ts';
import { runDue, type DueResult } from '../../src/services/unblock/unblock-due.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApi {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly plane: ControlPlane;
  readonly school: School;
  readonly routes: ReturnType<typeof apiRoutes>;
  /** Versions published through onPublished, in order. */
  readonly published: { schoolId: string; version: number }[];
  signIn(role: Role, options?: { username?: string; scope?: string[] }): Promise<ApiClient>;
  /** The server's periodic unblock work (start and expiry) as if run at `at`: lets a test see a period end. */
  runUnblockDue(at: Date): Promise<DueResult>;
  anonymous(): ApiClient;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** fetch with a cookie jar of one cookie and the session's CSRF token sent on unsafe methods. */
export class ApiClient {
  cookie: string | null = null;
  csrf: string | null = null;
  accountId: string | null = null;
  totpSecret: string | null = null;

  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    if (body !== undefined && !('content-type' in h)) h['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { csrfToken?: unknown }).csrfToken === 'string') this.csrf = (parsed as { csrfToken: string }).csrfToken;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string) => this.call<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.call<T>('POST', path, body);
  put = <T = any>(path: string, body?: unknown) => this.call<T>('PUT', path, body);
  delete = <T = any>(path: string) => this.call<T>('DELETE', path);

  /** A TOTP code for this client's enrolled secret, `stepsAhead` steps from now. */
  async code(stepsAhead = 0): Promise<string> {
    return generate({ secret: this.totpSecret!, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
  }
}

let counter = 0;

/** console: serve the web console as `npm start` does, from web/dist (true) or from the folder given. */
/** onBlockPageTextChanged: the node's hook after a school saves its block page words (a running proxy's, say). */
export async function startTestApi(
  options: { database?: Database; dataDir?: string; notifier?: Notifier; console?: boolean | string; onBlockPageTextChanged?: NodeHooks['onBlockPageTextChanged'] } = {},
): Promise<TestApi> {
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ringfence-api-')));
  const database = options.database ?? (await openDatabase({ kind: 'sqlite', file: join(dir, 'ringfence.db') }));
  // Cheap hashes: the tests sign in dozens of accounts; the production cost is tested elsewhere.
  const plane = await openControlPlane(database, dir, { hasher: new Argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), ...(options.notifier ? { notifier: options.notifier } : {}) });
  const school = await createSchool({ repository: plane.organisations, ids: plane.ids, clock: plane.clock }, { name: 'Test primary school', timeZone: 'Europe/London' });
  const published: { schoolId: string; version: number }[] = [];
  // Enforcement as the server runs it: the school's published version against the lists in force,
  // swapped in whenever a version is published.
  // The snapshot is read again on each load, so a list import's new snapshot is picked up.
  const enforcement = new LiveEnforcement(async () => {
    const snapshot = (await loadEnforcement(dir)).snapshot;
    const current = await plane.policy.currentVersion(school.id);
    return { engine: new PolicyEngine(current ? current.document : loadDefaultPack(), snapshot), clients: ClientMap.empty(), version: `v${current?.version ?? 0}`, loadedAt: new Date(), problems: [] };
  });
  const onPublished = async (schoolId: string, version: number) => {
    published.push({ schoolId, version });
    await enforcement.reload();
  };
  await publishFirstVersion({ repository: plane.policy, audit: plane.audit, ids: plane.ids, clock: plane.clock, onPublished }, school.id, loadDefaultPack(), 'the default policy pack, at first start');
  await enforcement.start();
  const health = { report: () => ({ status: 'ok' as const, version: 'test', parts: { api: { status: 'ok' as const } } }) };
  const errors: unknown[] = [];
  const ctx: ApiContext = apiContext(plane, { version: 'test', health, onPublished, onClientsChanged: () => {}, onListsChanged: () => enforcement.reloadAfterChange(), logError: (e) => errors.push(e), enforcement, nodeSchoolId: school.id, ...(options.onBlockPageTextChanged ? { onBlockPageTextChanged: options.onBlockPageTextChanged } : {}) });
  const routes = apiRoutes(ctx);
  const app = await buildApi({ routes, sessions: plane.auth, schoolVisible: (p, id) => schoolVisible(ctx, p.account.scope, id), logError: (e) => errors.push(e), ...(options.console ? { extra: consoleFiles(typeof options.console === 'string' ? options.console : undefined) } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;

  const close = async () => {
    await app.close();
    if (!options.database) await database.close();
    if (!options.dataDir) await rm(dir, { recursive: true, force: true });
  };
  return {
    url,
    app,
    plane,
    school,
    routes,
    published,
    anonymous: () => new ApiClient(url),
    runUnblockDue: (at) => runDue({ ...ctx.unblock, clock: { now: () => at } }),
    async signIn(role, o = {}) {
      const username = o.username ?? `${role}-${++counter}`;
      const account = await plane.auth.createAccount({ username, role, scope: o.scope ?? [school.id], password: TEST_PASSWORD, email: `${username}@school.test` });
      const client = new ApiClient(url);
      client.accountId = account.id;
      const first = await client.post('/api/session', { username, password: TEST_PASSWORD });
      if (first.status !== 201) throw new Error(`sign-in as ${role} failed: ${first.status} ${JSON.stringify(first.body)}`);
      if (first.body.stage === 'mfa-enrolment') {
        const enrolment = await client.post('/api/session/mfa/enrolment');
        client.totpSecret = enrolment.body.secret;
        const done = await client.post('/api/session/mfa/enrolment/confirm', { code: await client.code() });
        if (done.body.stage !== 'full') throw new Error(`MFA enrolment as ${role} failed: ${done.status} ${JSON.stringify(done.body)}`);
      }
      return client;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
