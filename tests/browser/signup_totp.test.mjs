// Real-browser end-to-end test: sign up via the init link, enrol TOTP, sign in with TOTP.
//
//   node tests/browser/signup_totp.test.mjs
//
// Env: PORTICO_BIN (default build/src/app/portico relative to the repo root),
//      CHROMIUM (default /usr/bin/chromium), HEADED=1 to watch.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  BIN, Harness, base32Decode, currentStep, expectPath, freePort, sleep, step, totp,
} from './lib.mjs';

const execFileP = promisify(execFile);

const EMAIL = 'admin@browser.example';
const PASSWORD = 'violet-harbor-sunrise-42';
const FIRST = 'Ada';
const LAST = 'Lovelace';

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
async function main(h) {
  const tmp = await h.tempDir();
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
  await h.startServer([
    'serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--public-url', base,
    '--mail-outbox', path.join(tmp, 'mail'), '--sms-outbox', path.join(tmp, 'sms'), '--no-access-log',
  ], base);
  step('serve: /healthz answered 200');

  // 3. browser
  step('browser: launching chromium');
  await h.launchBrowser();
  const page = await h.newPage();

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

await new Harness({ timeoutMs: 120_000 }).run(main);
