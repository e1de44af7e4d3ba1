// Generated from the router: every role (and no session at all) against every route and method.
// A role without the route's permission gets 403 RF_PERMISSION_DENIED; a role with it never gets
// 401 or 403; no session gets 401 everywhere but public routes. Any route registered without an
// access rule fails here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { roleHas, type Permission } from '../../src/core/access/permissions.ts';
import { ROLES, type Role } from '../../src/core/access/roles.ts';
import { routesOf } from '../../src/api/app.ts';
import { startTestApi, type ApiClient, type TestApi } from '../support/api.ts';

let api: TestApi;
const clients = new Map<Role, ApiClient>();

before(async () => {
  api = await startTestApi();
  for (const role of ROLES) clients.set(role, await api.signIn(role));
});
after(() => api.close());

function allowed(access: string, role: Role): boolean {
  if (access === 'public' || access === 'session' || access === 'signed-in') return true;
  return roleHas(role, access as Permission);
}

function pathFor(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => (name === 'schoolId' ? api.school.id : randomUUID()));
}

// Signing out ends the session the rest of the walk needs: it goes last.
const last = (r: { method: string; url: string }) => (r.method === 'DELETE' && r.url === '/api/session' ? 1 : 0);

test('every route in the router has an access rule, and the route list is what the router holds', () => {
  const registered = routesOf(api.app).filter((r) => r.method !== 'HEAD');
  assert.ok(registered.length >= 30, `only ${registered.length} routes`);
  for (const r of registered) assert.equal(typeof r.access, 'string', `${r.method} ${r.url} has no access rule`);
  const listed = new Set(api.routes.map((r) => `${r.method} ${r.url}`));
  for (const r of registered) assert.ok(listed.has(`${r.method} ${r.url}`), `${r.method} ${r.url} is not in the route list`);
  assert.equal(registered.length, listed.size);
});

test('every role × route × method: allowed roles pass authorisation, others get 403, no session gets 401', async () => {
  const registered = routesOf(api.app).filter((r) => r.method !== 'HEAD').sort((a, b) => last(a) - last(b));
  const anonymous = api.anonymous();
  let checked = 0;
  for (const r of registered) {
    const path = pathFor(r.url);
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
    if (r.access !== 'public') {
      const res = await anonymous.call(r.method, path, body);
      assert.equal(res.status, 401, `no session: ${r.method} ${r.url} answered ${res.status}`);
      checked++;
    }
    for (const role of ROLES) {
      const res = await clients.get(role)!.call(r.method, path, body);
      if (allowed(r.access!, role)) {
        assert.ok(res.status !== 401 && res.status !== 403, `${role}: ${r.method} ${r.url} answered ${res.status} ${JSON.stringify(res.body)}`);
      } else {
        assert.equal(res.status, 403, `${role}: ${r.method} ${r.url} answered ${res.status}, expected 403`);
        assert.equal(res.body.error.code, 'RF_PERMISSION_DENIED');
      }
      checked++;
    }
  }
  assert.ok(checked > registered.length * ROLES.length);
});

test('a school outside the account’s scope is answered as if it did not exist', async () => {
  const other = await api.plane.organisations.listSchools();
  assert.equal(other.length, 1);
  const headteacher = await api.signIn('headteacher', { scope: [api.school.id] });
  const res = await headteacher.get(`/api/schools/${randomUUID()}/devices`);
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'RF_NOT_FOUND');
});
