// Signing in through the API: the cookie's attributes, the same answer for an unknown user and a
// wrong password, MFA before anything else, CSRF on every change, only JSON bodies, sign-in
// limits with Retry-After, sign-out, and the OpenAPI document naming every route.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { routesOf } from '../../src/api/app.ts';
import { openApiPath } from '../../src/api/openapi.ts';
import { ApiClient, startTestApi, TEST_PASSWORD, type TestApi } from '../support/api.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

test('the session cookie is httpOnly, SameSite=Strict, path /; the token is never in the body', async () => {
  await api.plane.auth.createAccount({ username: 'cookie-teacher', role: 'teacher', scope: [api.school.id], password: TEST_PASSWORD });
  const res = await fetch(`${api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cookie-teacher', password: TEST_PASSWORD }) });
  assert.equal(res.status, 201);
  const cookie = res.headers.get('set-cookie')!;
  assert.match(cookie, /^ringfence_session=[^;]{40,};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Path=\//);
  const body = (await res.json()) as Record<string, unknown>;
  assert.ok(!JSON.stringify(body).includes(cookie.split(';')[0]!.split('=')[1]!), 'the token is not in the body');
  assert.equal(body.stage, 'full');
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('an unknown user and a wrong password get the same answer', async () => {
  await api.plane.auth.createAccount({ username: 'same-answer', role: 'teacher', scope: [api.school.id], password: TEST_PASSWORD });
  const wrong = await api.anonymous().post('/api/session', { username: 'same-answer', password: 'not the password at all' });
  const unknown = await api.anonymous().post('/api/session', { username: 'nobody-here', password: 'not the password at all' });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
});

test('a DSL must give a code before anything else works; a wrong code is refused', async () => {
  const dsl = await api.signIn('dsl');
  const again = new ApiClient(api.url);
  const first = await again.post('/api/session', { username: (await dsl.get('/api/session')).body.account.username, password: TEST_PASSWORD });
  assert.equal(first.status, 201);
  assert.equal(first.body.stage, 'mfa-code');
  assert.deepEqual(first.body.permissions, []);
  const blocked = await again.get(`/api/schools/${api.school.id}/devices`);
  assert.equal(blocked.status, 401);
  assert.equal(blocked.body.error.code, 'RF_NOT_SIGNED_IN');
  const wrong = await again.post('/api/session/mfa', { code: '000000' });
  assert.equal(wrong.status, 401);
  const code = await generate({ secret: dsl.totpSecret!, epoch: Math.floor(Date.now() / 1000) + 30 });
  const done = await again.post('/api/session/mfa', { code });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.stage, 'full');
  assert.ok(done.body.permissions.includes('activity:read'));
  assert.equal((await again.get(`/api/schools/${api.school.id}/devices`)).status, 200);
});

test('changes need the CSRF token and the same origin; only JSON bodies are read', async () => {
  const nm = await api.signIn('network-manager');
  const body = { cidr: '10.20.0.0/16', site: 'main', defaultGroup: 'pupils-ks2' };
  const path = `/api/schools/${api.school.id}/networks`;
  const noToken = await nm.call('POST', path, body, { 'x-csrf-token': '' });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.body.error.code, 'RF_CSRF_REJECTED');
  const otherSite = await nm.call('POST', path, body, { origin: 'https://attacker.example' });
  assert.equal(otherSite.status, 403);
  const crossSite = await nm.call('POST', path, body, { 'sec-fetch-site': 'cross-site' });
  assert.equal(crossSite.status, 403);
  const form = await nm.call('POST', path, 'cidr=10.20.0.0%2F16', { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(form.status, 415);
  const text = await nm.call('POST', path, JSON.stringify(body), { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  const ok = await nm.post(path, body);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.cidr, '10.20.0.0/16');
});

test('bad input is named field by field; unknown routes are 404 in the same error shape', async () => {
  const nm = await api.signIn('network-manager');
  const bad = await nm.post(`/api/schools/${api.school.id}/devices`, { classId: 7, label: '' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'RF_REQUEST_INVALID');
  assert.match(bad.body.error.message, /classId/);
  const broken = await nm.call('POST', `/api/schools/${api.school.id}/devices`, '{"classId":', { 'content-type': 'application/json' });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'RF_REQUEST_INVALID');
  const missing = await nm.get('/api/no-such-thing');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'RF_NOT_FOUND');
});

test('repeated wrong passwords are throttled with Retry-After', async () => {
  await api.plane.auth.createAccount({ username: 'throttled', role: 'teacher', scope: [api.school.id], password: TEST_PASSWORD });
  const client = api.anonymous();
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 6; i++) {
    last = await client.post('/api/session', { username: 'throttled', password: `wrong password ${i}` });
    statuses.push(last.status);
  }
  assert.ok(statuses.includes(429), statuses.join(','));
  assert.ok(Number(last!.headers.get('retry-after')) > 0);
  // Even the right password waits until the lock-out ends.
  assert.equal((await client.post('/api/session', { username: 'throttled', password: TEST_PASSWORD })).status, 429);
});

test('sign-out ends the session on the server', async () => {
  const teacher = await api.signIn('teacher');
  const cookie = teacher.cookie;
  assert.equal((await teacher.delete('/api/session')).status, 200);
  const reuse = new ApiClient(api.url);
  reuse.cookie = cookie;
  assert.equal((await reuse.get('/api/session')).status, 401);
});

test('the OpenAPI document describes every route with its access rule', async () => {
  const res = await api.anonymous().get('/api/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.0.3');
  for (const r of routesOf(api.app).filter((x) => x.method !== 'HEAD')) {
    const op = res.body.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.url} missing from the document`);
    assert.equal(op['x-access'], r.access);
  }
  const submit = res.body.paths['/api/schools/{schoolId}/policy/draft/submit'].post;
  assert.deepEqual(submit.requestBody.content['application/json'].schema.required, ['reason']);
});
