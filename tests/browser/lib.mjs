// Shared helpers of the real-browser tests: TOTP, a free port, the portico server, chromium,
// the mail outbox, the translations, and a runner with a total time limit and clean-up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const BIN = path.resolve(repoRoot, process.env.PORTICO_BIN || 'build/src/app/portico');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const t0 = Date.now();
export function step(msg) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

// ---------- RFC 4648 base32 + RFC 6238 TOTP ----------
export function base32Decode(s) {
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

export function totp(key, stepIndex) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(stepIndex));
  const h = createHmac('sha1', key).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

// RFC 6238 appendix B test vector sanity check (SHA-1, T=59 -> 94287082 -> 287082).
assert.equal(totp(Buffer.from('12345678901234567890'), Math.floor(59 / 30)), '287082');
assert.equal(totp(Buffer.from('12345678901234567890'), Math.floor(1111111109 / 30)), '081804');

// A code that is not about to expire, from a step later than `after` (the server accepts no
// code twice, so a second sign-in of the same user waits for the next 30-second step).
export async function freshTotp(key, { after = -Infinity } = {}) {
  const waitMs = (after + 1) * 30_000 - Date.now();
  if (waitMs > 0) {
    step(`totp: waiting ${(waitMs / 1000).toFixed(1)} s for the next 30-second step (no code may be used twice)`);
    await sleep(waitMs + 250);
  }
  // Avoid submitting in the last seconds of a step so the code cannot expire in flight.
  if (30 - ((Date.now() / 1000) % 30) < 2) await sleep(2500);
  const stepIndex = currentStep();
  assert.ok(stepIndex > after);
  return { code: totp(key, stepIndex), step: stepIndex };
}

// ---------- processes ----------
export function freePort() {
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

export async function waitHealthy(base, server, timeoutMs = 15_000) {
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

// ---------- pages ----------
export function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

// Waits to be on `expected`, then checks the page (assertPageOk): every page a test reaches is
// checked for its width on a phone and for accessibility.
export async function expectPath(page, expected) {
  await page.waitForURL((u) => u.pathname + u.search === expected, { timeout: 10_000 }).catch(() => {});
  assert.equal(pathOf(page), expected, `expected to be on ${expected}, but on ${page.url()}`);
  await assertPageOk(page);
}

// Clicks and waits for the navigation the click starts (a form post or a link).
export async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

// The texts of the alerts on the page, for failure messages.
export async function alertsOf(page) {
  return page.getByRole('alert').allInnerTexts().catch(() => []);
}

// ---------- page checks: width and accessibility ----------
const axeSource = readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// What is wrong with the page as it is shown now: anything wider than the window (a phone
// must never scroll sideways), and every axe-core violation of WCAG 2.1 A/AA and best practice.
// Returns a list of readable problems, empty when the page is fine.
export async function pageProblems(page) {
  const problems = [];
  const width = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    win: window.innerWidth,
    // The outermost elements that stick out, outside any scrolling region of their own.
    culprits: [...document.querySelectorAll('body *')]
      .filter((e) => {
        if (e.getBoundingClientRect().right <= window.innerWidth + 0.5) return false;
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false;
          if (a.getBoundingClientRect().right > window.innerWidth + 0.5) return false;
        }
        return true;
      })
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''}`),
  }));
  if (width.doc > width.win) {
    problems.push(`document is ${width.doc} px wide in a ${width.win} px window (${width.culprits.join(', ')})`);
  }
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);  // over DevTools: the page's CSP does not apply
  }
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ');
    problems.push(`axe ${v.id} (${v.impact}): ${v.help} — ${where}`);
  }
  return problems;
}

// Fails with every problem of the page at phone width (390 × 844) and at desktop width.
export async function assertPageOk(page, label = pathOf(page)) {
  const size = page.viewportSize();
  const problems = [];
  for (const [w, hgt] of [[390, 844], [1280, 800]]) {
    await page.setViewportSize({ width: w, height: hgt });
    for (const p of await pageProblems(page)) problems.push(`${w} px: ${p}`);
  }
  if (size) await page.setViewportSize(size);
  if (problems.length) throw new Error(`${label}:\n  ${problems.join('\n  ')}`);
}

// ---------- the demo ----------
export const DEMO_PASSWORD = 'correct horse battery staple';

// Starts `portico demo` on a free port with its outboxes in a temporary folder: its base URL and
// the TOTP keys it printed, by e-mail.
export async function startDemo(h, extraArgs = []) {
  const tmp = await h.tempDir();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await h.startServer(['demo', '--db', path.join(tmp, 'demo.db'), '--listen', `127.0.0.1:${port}`,
    '--public-url', base, '--mail-outbox', path.join(tmp, 'mail'), '--sms-outbox',
    path.join(tmp, 'sms'), '--no-access-log', ...extraArgs], base);
  const keys = {};
  for (const m of h.serverOutput.matchAll(/^ {2}(\S+@\S+) {2}TOTP key ([A-Z2-7]+)/gm)) {
    keys[m[1]] = base32Decode(m[2]);
  }
  assert.ok(keys['anna@acme.example'] && keys['staff@northwind.example'], h.serverOutput);
  return { base, keys, tmp };
}

// Signs in through the pages with the password and a TOTP code of `key` (a step after `after`).
// The step used.
export async function signInWithTotp(page, base, email, key, after) {
  await page.goto(`${base}/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/login"] button[type=submit]').click()]);
  const { code, step: used } = await freshTotp(key, { after });
  await page.locator('input[name=code]').fill(code);
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/mfa"] button[type=submit]').click()]);
  assert.ok(!pathOf(page).startsWith('/mfa') && !pathOf(page).startsWith('/login'),
    `${email} is not signed in: on ${page.url()}`);
  return used;
}

// ---------- translations ----------
const catalogs = new Map();
function catalog(lang) {
  if (!catalogs.has(lang)) {
    catalogs.set(lang, JSON.parse(readFileSync(path.join(repoRoot, 'i18n', `${lang}.json`), 'utf8')));
  }
  return catalogs.get(lang);
}

// The text of a translation key ("field.email") in a language.
export function translate(lang, key) {
  let v = catalog(lang);
  for (const part of key.split('.')) v = v?.[part];
  if (typeof v !== 'string') throw new Error(`no translation ${key} in ${lang}`);
  return v;
}

// The page's language (<html lang>), which must be one the portal has; then `t(key)` in it.
export async function translatorOf(page, expectedLang) {
  const lang = await page.locator('html').getAttribute('lang');
  if (expectedLang) assert.equal(lang, expectedLang, `page ${page.url()} is in ${lang}, not ${expectedLang}`);
  return (key) => translate(lang, key);
}

// ---------- mail outbox ----------
// Quoted-printable (RFC 2045): soft line breaks "=\r\n" go, "=XX" are bytes; then UTF-8.
export function decodeQuotedPrintable(raw) {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// The .eml files of an outbox folder; next() hands out each message once.
export class Outbox {
  constructor(dir) {
    this.dir = dir;
    this.seen = new Set();
  }

  async messages() {
    const names = await readdir(this.dir).catch((e) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
    const out = [];
    for (const name of names.filter((n) => n.endsWith('.eml')).sort()) {
      const raw = await readFile(path.join(this.dir, name), 'latin1');
      const to = /^To: (.*)$/m.exec(raw)?.[1].trim();
      out.push({ name, to, raw, text: decodeQuotedPrintable(raw) });
    }
    return out;
  }

  // The next message to `to` that holds a link `linkPrefix` + a token (base64url), and that link.
  async next({ to, linkPrefix, timeoutMs = 10_000 }) {
    const escaped = linkPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const linkRe = new RegExp(`${escaped}[A-Za-z0-9_-]+`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const m of await this.messages()) {
        if (this.seen.has(m.name) || m.to !== to) continue;
        const link = linkRe.exec(m.text)?.[0];
        if (!link) continue;
        this.seen.add(m.name);
        return { ...m, link };
      }
      if (Date.now() > deadline) {
        const all = (await this.messages()).map((m) => `${m.name} to ${m.to}`);
        throw new Error(`no mail to ${to} with a link ${linkPrefix}… within ${timeoutMs} ms; outbox: ${JSON.stringify(all)}`);
      }
      await sleep(100);
    }
  }
}

// ---------- the test runner ----------
// Owns the temp folder, the server and the browser, and cleans them up however the test ends.
export class Harness {
  constructor({ timeoutMs = 120_000 } = {}) {
    this.timeoutMs = timeoutMs;
    this.tmp = null;
    this.server = null;
    this.serverOutput = '';
    this.browser = null;
    this.cleanedUp = false;
  }

  async tempDir() {
    this.tmp = await mkdtemp(path.join(os.tmpdir(), 'portico-browser-'));
    return this.tmp;
  }

  // Spawns `portico args…` and waits until `base`/healthz answers.
  async startServer(args, base) {
    this.server = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.server.stdout.on('data', (d) => { this.serverOutput += d; });
    this.server.stderr.on('data', (d) => { this.serverOutput += d; });
    await waitHealthy(base, this.server);
    return this.server;
  }

  // Waits until the server has printed something that matches `re`; the match.
  async serverPrinted(re, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.serverOutput);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`the server did not print ${re} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async launchBrowser() {
    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: !process.env.HEADED,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return this.browser;
  }

  // A fresh browser context (its own cookies) with one page that logs script errors.
  async newPage({ name = 'page', locale = 'en-US' } = {}) {
    const context = await this.browser.newContext({ locale });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log(`  (${name}: page error: ${e.message})`));
    return page;
  }

  async cleanup() {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    if (this.browser) await this.browser.close().catch(() => {});
    const server = this.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
    if (this.tmp) await rm(this.tmp, { recursive: true, force: true }).catch(() => {});
  }

  // Runs `main(harness)`, prints PASS or FAIL (with the server's output), cleans up and exits.
  async run(main) {
    const guard = setTimeout(() => {
      console.error(`FAIL: total timeout of ${this.timeoutMs / 1000} s exceeded`);
      if (this.serverOutput) console.error(`--- server output ---\n${this.serverOutput.slice(-4000)}`);
      this.cleanup().finally(() => process.exit(2));
    }, this.timeoutMs);
    let failed = false;
    try {
      await main(this);
      step('PASS');
    } catch (e) {
      failed = true;
      console.error(`FAIL: ${e.stack || e}`);
      if (this.serverOutput) console.error(`--- server output ---\n${this.serverOutput.slice(-4000)}`);
    } finally {
      await this.cleanup();
      clearTimeout(guard);
    }
    process.exit(failed ? 1 : 0);
  }
}
