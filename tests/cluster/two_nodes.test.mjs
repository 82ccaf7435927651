// Two `portico serve` nodes on one PostgreSQL database, with nginx in front (upstream round-robin,
// --trusted-proxy): nothing a request needs lives in one node. A session begun on one node works
// on the other; signing out on one is refused on the other at once; removed access is refused on
// the other at its next request; failed passwords count across nodes; and with a job worker on
// each node, every mail is delivered exactly once.
//   PORTICO_BIN=build/src/app/portico PORTICO_TEST_POSTGRES_CLUSTER=DIR node tests/cluster/two_nodes.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, Outbox, base32Decode, freePort, freshTotp, sleep, step, waitHealthy } from '../browser/lib.mjs';

const cluster = process.env.PORTICO_TEST_POSTGRES_CLUSTER;
if (!cluster) {
  console.error('set PORTICO_TEST_POSTGRES_CLUSTER (tests/support/pg_cluster.sh start DIR)');
  process.exit(2);
}
const adminUrl = readFileSync(path.join(cluster, 'url'), 'utf8').trim();
const database = `portico_nodes_${randomBytes(4).toString('hex')}`;
const dbUrl = adminUrl.slice(0, adminUrl.lastIndexOf('/') + 1) + database;
const children = [];
let tmp;
let output = '';

function spawnLogged(name, cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.log = '';
  const keep = (d) => { child.log += d; output += `[${name}] ${d}`; };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.push(child);
  return child;
}

async function call(base, method, p, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch(base + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

// Signs in `email` on node `first` and completes TOTP enrolment on node `second`: the token.
async function signInAndEnrol(first, second, email, password) {
  const login = await call(first, 'POST', '/api/v1/auth/login', { body: { email, password } });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.mfa, 'enroll');
  const token = login.json.token;
  const enrol = await call(first, 'POST', '/api/v1/auth/totp/enroll', { token });
  assert.equal(enrol.status, 200, enrol.text);
  const { code } = await freshTotp(base32Decode(enrol.json.secret));
  const confirm = await call(second, 'POST', '/api/v1/auth/totp/confirm', { token, body: { code } });
  assert.equal(confirm.status, 200, `the pending session of node 1 is known to node 2: ${confirm.text}`);
  return token;
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'portico-nodes-'));
  chmodSync(tmp, 0o755);
  execFileSync('psql', [adminUrl, '-qc', `CREATE DATABASE ${database}`]);
  const keyFile = path.join(tmp, 'portico.key');
  const [portA, portB, portLb] = [await freePort(), await freePort(), await freePort()];
  const lb = `http://127.0.0.1:${portLb}`;
  const init = execFileSync(BIN, ['init', '--db', dbUrl, '--key-file', keyFile, '--org', 'Vendor',
    '--admin-email', 'admin@vendor.example', '--public-url', lb]).toString().trim().split('\n');
  const signupToken = new URL(init[init.length - 1]).searchParams.get('token');
  const apiKey = execFileSync(BIN, ['api-key', 'create', '--db', dbUrl, '--key-file', keyFile,
    '--org', 'Vendor', '--name', 'ERP']).toString().trim().split('\n').pop();
  step('init and api-key create on PostgreSQL');

  const nodes = [];
  for (const [name, port] of [['a', portA], ['b', portB]]) {
    const base = `http://127.0.0.1:${port}`;
    const child = spawnLogged(name, BIN, ['serve', '--db', dbUrl, '--key-file', keyFile,
      '--listen', `127.0.0.1:${port}`, '--public-url', lb, '--trusted-proxy', '127.0.0.1',
      '--mail-outbox', path.join(tmp, `mail-${name}`), '--sms-outbox', path.join(tmp, `sms-${name}`),
      '--job-workers', '1']);
    await waitHealthy(base, child);
    assert.equal((await call(base, 'GET', '/readyz')).status, 200);
    nodes.push({ base, child, outbox: new Outbox(path.join(tmp, `mail-${name}`)) });
  }
  const [A, B] = nodes.map((n) => n.base);
  step(`two nodes on one database: ${A}, ${B}`);

  mkdirSync(path.join(tmp, 'nginx'), { recursive: true });
  writeFileSync(path.join(tmp, 'nginx', 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${tmp}/nginx/nginx.pid;
error_log ${tmp}/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${tmp}/nginx/body;
  proxy_temp_path ${tmp}/nginx/proxy;
  fastcgi_temp_path ${tmp}/nginx/fastcgi;
  uwsgi_temp_path ${tmp}/nginx/uwsgi;
  scgi_temp_path ${tmp}/nginx/scgi;
  upstream portico { server 127.0.0.1:${portA}; server 127.0.0.1:${portB}; }
  server {
    listen 127.0.0.1:${portLb};
    location / {
      proxy_pass http://portico;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream off;
    }
  }
}
`);
  const nginx = spawnLogged('nginx', '/usr/sbin/nginx', ['-p', path.join(tmp, 'nginx'), '-c', path.join(tmp, 'nginx', 'nginx.conf')]);
  await waitHealthy(lb, nginx);
  step(`nginx in front: ${lb}`);

  // The organization's administrator signs up through the balancer, signs in on A, enrols on B.
  const password = 'a long and unusual passphrase';
  const signup = await call(lb, 'POST', '/api/v1/signup', {
    body: { token: signupToken, first_name: 'Ada', last_name: 'Admin', password } });
  assert.equal(signup.status, 201, signup.text);
  const admin = await signInAndEnrol(A, B, 'admin@vendor.example', password);
  for (const base of [A, B]) assert.equal((await call(base, 'GET', '/api/v1/me', { token: admin })).status, 200);
  step('a session begun on node A works on node B');

  // A company from the ERP, and a member invited on A, whose mail a worker of either node sends.
  const company = await call(B, 'POST', '/api/v1/integration/companies', {
    headers: { Authorization: `Bearer ${apiKey}` }, body: { external_id: 'C-1', name: 'Acme AB' } });
  assert.equal(company.status, 201, company.text);
  const companyId = company.json.id;
  const invite = async (email) => {
    const r = await call(A, 'POST', '/api/v1/invitations', { token: admin, body: {
      email, first_name: 'Mia', last_name: 'Member', language: 'en', companies: [{ company_id: companyId, role: 'user' }] } });
    assert.equal(r.status, 201, r.text);
  };
  await invite('mia@acme.example');
  const nextMail = async (to) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      for (const n of nodes) {
        try { return await n.outbox.next({ to, linkPrefix: `${lb}/invitations/accept?token=`, timeoutMs: 0 }); } catch { /* not there yet */ }
      }
      if (Date.now() > deadline) throw new Error(`no invitation mail to ${to} from either node`);
      await sleep(100);
    }
  };
  const mail = await nextMail('mia@acme.example');
  const accept = await call(B, 'POST', '/api/v1/invitations/accept', { body: {
    token: new URL(mail.link).searchParams.get('token'), first_name: 'Mia', last_name: 'Member', password } });
  assert.equal(accept.status, 201, accept.text);
  const mia = await signInAndEnrol(A, A, 'mia@acme.example', password);
  const miaId = (await call(A, 'GET', '/api/v1/me', { token: mia })).json.user.id;
  assert.equal((await call(B, 'GET', `/api/v1/companies/${companyId}`, { token: mia })).status, 200);
  step('an invitation made on A was mailed once and accepted on B');

  // Round-robin: requests through nginx reach both nodes, each answering the same.
  const before = nodes.map((n) => (n.child.log.match(/"path":"\/api\/v1\/me"/g) || []).length);
  for (let i = 0; i < 6; i++) assert.equal((await call(lb, 'GET', '/api/v1/me', { token: mia })).status, 200);
  const after = nodes.map((n) => (n.child.log.match(/"path":"\/api\/v1\/me"/g) || []).length);
  assert.ok(after[0] > before[0] && after[1] > before[1], `both nodes answered through nginx: ${before} -> ${after}`);
  step('nginx spreads the requests over both nodes');

  // Access removed on A is refused on B at its very next request (B had it cached).
  const removed = await call(A, 'DELETE', `/api/v1/companies/${companyId}/users/${miaId}`, { token: admin });
  assert.equal(removed.status, 204, removed.text);
  assert.equal((await call(B, 'GET', `/api/v1/companies/${companyId}`, { token: mia })).status, 404);
  step('access removed on A is refused on B at once');

  // Failed passwords count across nodes: five wrong ones, alternating, and the next waits.
  for (let i = 0; i < 5; i++) {
    const r = await call(i % 2 ? B : A, 'POST', '/api/v1/auth/login', { body: { email: 'mia@acme.example', password: `wrong ${i}` } });
    assert.equal(r.status, 401, r.text);
  }
  const delayed = await call(B, 'POST', '/api/v1/auth/login', { body: { email: 'mia@acme.example', password } });
  assert.equal(delayed.status, 429, `the sixth attempt, on B, after failures on both: ${delayed.text}`);
  step('failed passwords on both nodes count together');

  // Jobs: twelve invitations; the workers of both nodes deliver each mail exactly once.
  const people = Array.from({ length: 12 }, (_, i) => `p${i}@acme.example`);
  for (const email of people) await invite(email);
  for (const email of people) await nextMail(email);
  await sleep(3000);  // time for a second delivery, if there were one
  const all = (await Promise.all(nodes.map((n) => n.outbox.messages()))).flat();
  for (const email of people) {
    assert.equal(all.filter((m) => m.to === email).length, 1, `one mail to ${email}`);
  }
  const byNode = await Promise.all(nodes.map(async (n) => (await n.outbox.messages()).length));
  step(`each of 12 mails delivered once (node A sent ${byNode[0]}, node B ${byNode[1]})`);

  // Signing out on B is refused on A at once.
  assert.equal((await call(B, 'POST', '/api/v1/auth/logout', { token: admin })).status, 204);
  assert.equal((await call(A, 'GET', '/api/v1/me', { token: admin })).status, 401);
  step('a session ended on B is refused on A at once');
}

async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await sleep(300);
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  try { execFileSync('psql', [adminUrl, '-qc', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]); } catch { /* the cluster goes anyway */ }
  if (tmp) await rm(tmp, { recursive: true, force: true });
}

const guard = setTimeout(() => { console.error('FAIL: timeout'); console.error(output.slice(-4000)); cleanup().finally(() => process.exit(2)); }, 150_000);
try {
  await main();
  step('PASS');
  await cleanup();
  clearTimeout(guard);
} catch (e) {
  console.error(`FAIL: ${e.stack || e}`);
  console.error(`--- output ---\n${output.slice(-6000)}`);
  await cleanup();
  process.exit(1);
}
