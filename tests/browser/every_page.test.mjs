// Every page, at phone width and on a desktop: nothing wider than the window, no axe-core
// violation. Signs in as each kind of demo user (a customer administrator in Swedish, a member in
// German, the organization's staff administrator, an agent's person) and visits every same-site
// page their links lead to, and the public pages before sign-in.
//
//   node tests/browser/every_page.test.mjs
//
// Env: PORTICO_BIN, CHROMIUM, HEADED=1 (see lib.mjs); MAX_PAGES per user (default 60).
import {
  Harness, assertPageOk, pathOf, signInWithTotp, startDemo, step,
} from './lib.mjs';

const MAX_PAGES = Number(process.env.MAX_PAGES || 60);

// Links that change something, sign out, or lead away from the pages.
function worthVisiting(href) {
  return href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/static/') &&
    !href.startsWith('/api/') && !href.includes('token=') && !href.startsWith('/logout') &&
    !href.split('?')[0].endsWith('.csv') && !href.startsWith('/d/');
}

// Visits every page reachable from `start` by same-site links, checking each.
async function crawl(page, base, start, label, seen = new Set()) {
  const queue = [start];
  let failures = [];
  const limit = seen.size + MAX_PAGES;
  while (queue.length && seen.size < limit) {
    const target = queue.shift();
    if (seen.has(target)) continue;
    seen.add(target);
    const response = await page.goto(base + target);
    const status = response ? response.status() : 0;
    if (pathOf(page) !== target && seen.has(pathOf(page))) continue;  // redirected to a known page
    try {
      await assertPageOk(page, `${label} ${target} (${status})`);
    } catch (e) {
      failures.push(e.message);
    }
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      const clean = href.split('#')[0];
      if (clean && worthVisiting(clean) && !seen.has(clean)) queue.push(clean);
    }
  }
  step(`${label}: ${seen.size} pages checked`);
  return failures;
}

async function main(h) {
  const { base, keys } = await startDemo(h);
  await h.launchBrowser();

  const failures = [];
  const anonymous = await h.newPage({ name: 'anonymous' });
  for (const p of ['/login', '/forgot', '/password-reset?token=x', '/signup?token=x',
    '/invitations/accept?token=x', '/no/such/page']) {
    await anonymous.goto(base + p);
    try {
      await assertPageOk(anonymous, `anonymous ${p}`);
    } catch (e) {
      failures.push(e.message);
    }
  }

  for (const email of ['anna@acme.example', 'max@acme.example', 'staff@northwind.example',
    'fiona@facility.example']) {
    const page = await h.newPage({ name: email });
    await signInWithTotp(page, base, email, keys[email]);
    const seen = new Set();
    failures.push(...await crawl(page, base, '/', email, seen));
    if (email.startsWith('staff')) failures.push(...await crawl(page, base, '/staff', email, seen));
  }
  if (failures.length) throw new Error(`${failures.length} page(s) with problems:\n${failures.join('\n')}`);
}

new Harness({ timeoutMs: 600_000 }).run(main);
