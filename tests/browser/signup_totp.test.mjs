// Real-browser end-to-end test: sign up via the init link, enrol TOTP, sign in with TOTP.
//
//   node tests/browser/signup_totp.test.mjs
//
// Env: PORTICO_BIN (default build/src/app/portico relative to the repo root),
//      CHROMIUM (default /usr/bin/chromium), HEADED=1 to watch.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileP = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const BIN = path.resolve(repoRoot, process.env.PORTICO_BIN || 'build/src/app/portico');
const TOTAL_TIMEOUT_MS = 120_000;

const EMAIL = 'admin@browser.example';
const PASSWORD = 'violet-harbor-sunrise-42';
const FIRST = 'Ada';
const LAST = 'Lovelace';

const t0 = Date.now();
function step(msg) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

// ---------- RFC 4648 base32 + RFC 6238 TOTP ----------
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0, value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(key, stepIndex) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(stepIndex));
  const h = createHmac('sha1', key).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / 1000 / 30);

// RFC 6238 appendix B test vector sanity check (SHA-1, T=59 -> 94287082 -> 287082).
assert.equal(totp(Buffer.from('12345678901234567890'), Math.floor(59 / 30)), '287082');
assert.equal(totp(Buffer.from('12345678901234567890'), Math.floor(1111111109 / 30)), '081804');

// ---------- helpers ----------
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base, server, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited early with code ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`server not healthy after ${timeoutMs} ms (${last})`);
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

async function expectPath(page, expected) {
  await page.waitForURL((u) => u.pathname + u.search === expected, { timeout: 10_000 }).catch(() => {});
  assert.equal(pathOf(page), expected, `expected to be on ${expected}, but on ${page.url()}`);
}

async function signIn(page, base) {
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign out' }).click()]);
}

// ---------- main ----------
let tmp, server, browser;
let serverStderr = '';
const guard = setTimeout(() => {
  console.error(`FAIL: total timeout of ${TOTAL_TIMEOUT_MS / 1000} s exceeded`);
  cleanup().finally(() => process.exit(2));
}, TOTAL_TIMEOUT_MS);

let cleanedUp = false;
async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  }
  if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'portico-browser-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const db = path.join(tmp, 'p.db');
  step(`temp dir ${tmp}, port ${port}, binary ${BIN}`);

  // 1. init
  step('init: creating organization and admin invitation');
  const init = await execFileP(BIN, [
    'init', '--db', db, '--org', 'Browser Org', '--admin-email', EMAIL, '--public-url', base,
  ]);
  const lines = init.stdout.trim().split('\n');
  const signupUrl = lines[lines.length - 1].trim();
  assert.match(signupUrl, new RegExp(`^${base.replace(/[.]/g, '\\.')}/signup\\?token=[A-Za-z0-9_-]+$`),
    `unexpected last line of init output: ${signupUrl}`);
  step(`init: signup link ${signupUrl}`);

  // 2. serve
  step('serve: starting server');
  server = spawn(BIN, [
    'serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--public-url', base,
    '--mail-outbox', path.join(tmp, 'mail'), '--sms-outbox', path.join(tmp, 'sms'), '--no-access-log',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverStderr += d; });
  server.stderr.on('data', (d) => { serverStderr += d; });
  await waitHealthy(base, server);
  step('serve: /healthz answered 200');

  // 3. browser
  step('browser: launching chromium');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: !process.env.HEADED,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`  (page error: ${e.message})`));

  // 4. sign up
  step('signup: opening invitation link');
  await page.goto(signupUrl);
  await page.getByLabel('First name').fill(FIRST);
  await page.getByLabel('Last name').fill(LAST);
  await page.getByLabel('Password').fill(PASSWORD);
  step('signup: submitting "Create account"');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create account' }).click()]);
  await expectPath(page, '/login?signed_up=1');
  step('signup: landed on /login?signed_up=1');

  // 5. sign in -> enrolment
  step('login: signing in for the first time');
  await signIn(page, base);
  await expectPath(page, '/mfa/enroll');
  const qr = page.locator('figure.qr svg');
  await qr.waitFor({ state: 'visible' });
  const secret = (await page.locator('#secret').innerText()).trim();
  assert.match(secret.replace(/[\s=]/g, ''), /^[A-Z2-7]{16,}$/i, `manual key is not base32: ${secret}`);
  const key = base32Decode(secret);
  step(`enroll: QR svg visible, key ${secret} (${key.length} bytes)`);

  // 6. confirm TOTP
  // Avoid submitting in the last second of a step so the code cannot expire in flight.
  if (30 - ((Date.now() / 1000) % 30) < 2) await sleep(2500);
  const enrolStep = currentStep();
  const enrolCode = totp(key, enrolStep);
  step(`enroll: entering code ${enrolCode} (step ${enrolStep})`);
  await page.getByLabel('Six-digit code').fill(enrolCode);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Confirm' }).click()]);
  const codes = page.locator('#recovery-codes li');
  await page.locator('#recovery-codes').waitFor({ state: 'visible' }).catch(async () => {
    const alert = await page.getByRole('alert').allInnerTexts().catch(() => []);
    throw new Error(`no recovery codes after enrolment; on ${page.url()}; alerts: ${JSON.stringify(alert)}`);
  });
  const codeTexts = (await codes.allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  assert.equal(codeTexts.length, 10, `expected 10 recovery codes, got ${JSON.stringify(codeTexts)}`);
  assert.equal(new Set(codeTexts).size, 10, 'recovery codes are not distinct');
  step(`enroll: ${codeTexts.length} recovery codes shown`);
  // The template renders this link as <a href="/" role="button">, so its accessible role is "button".
  const cont = page.locator('a').filter({ hasText: 'I have saved them — continue' });
  assert.equal(await cont.count(), 1, 'continue link not found');
  assert.equal(await cont.getAttribute('href'), '/');
  step('enroll: clicking link "I have saved them — continue"');
  await Promise.all([page.waitForNavigation(), cont.click()]);
  await expectPath(page, '/');
  await page.getByRole('heading', { name: `Welcome, ${FIRST}` }).waitFor();
  step('home: "Welcome," shown');

  // 7. sign out, sign in again with a fresh code from the next time step.
  step('logout: signing out');
  await signOut(page);
  step('login: signing in again');
  await signIn(page, base);
  await expectPath(page, '/mfa');
  const waitMs = (enrolStep + 1) * 30_000 - Date.now();
  if (waitMs > 0) {
    step(`mfa: waiting ${(waitMs / 1000).toFixed(1)} s for the next 30-second step (the enrolment code may not be reused)`);
    await sleep(waitMs + 250);
  }
  if (30 - ((Date.now() / 1000) % 30) < 2) await sleep(2500);
  const loginStep = currentStep();
  assert.ok(loginStep > enrolStep);
  const loginCode = totp(key, loginStep);
  step(`mfa: entering fresh code ${loginCode} (step ${loginStep})`);
  await page.getByLabel('Six-digit code').fill(loginCode);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Verify' }).click()]);
  if (new URL(page.url()).pathname !== '/') {
    const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
    assert.fail(`fresh TOTP code not accepted; on ${page.url()}; alerts: ${JSON.stringify(alerts)}`);
  }
  await expectPath(page, '/');
  await page.getByRole('heading', { name: `Welcome, ${FIRST}` }).waitFor();
  step('home: signed in with TOTP, "Welcome," shown');

  // 8. unhappy path: a wrong code on a fresh sign-in.
  step('logout: signing out');
  await signOut(page);
  step('login: signing in again (unhappy path)');
  await signIn(page, base);
  await expectPath(page, '/mfa');
  step('mfa: entering wrong code 000000');
  await page.getByLabel('Six-digit code').fill('000000');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Verify' }).click()]);
  const alert = page.getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  const alertText = (await alert.innerText()).trim();
  assert.ok(alertText.length > 0, 'alert is empty');
  assert.equal(new URL(page.url()).pathname, '/mfa', `left the MFA page after a wrong code: ${page.url()}`);
  await page.getByLabel('Six-digit code').waitFor({ state: 'visible' });
  step(`mfa: wrong code refused with alert "${alertText}", still on /mfa`);
}

let failed = false;
try {
  await main();
  step('PASS');
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e.stack || e}`);
  if (serverStderr) console.error(`--- server output ---\n${serverStderr.slice(-4000)}`);
} finally {
  await cleanup();
  clearTimeout(guard);
}
process.exit(failed ? 1 : 0);
