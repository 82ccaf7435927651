// Real-browser end-to-end test of My pages against `portico demo`: a customer finds the overdue
// invoices of her companies, pays one through the demo provider after the step-up prompt (a
// second factor again, asked in place, that then carries on to the checkout), and accepts a quote
// with her typed name after the prompt again; then orders from the store at Acme Sverige AB's own
// prices, delivered straight to one of its sites, without a line of JavaScript. Every page at phone width and on a desktop with
// axe-core (expectPath).
//
//   node tests/browser/my_pages.test.mjs
//
// Env: PORTICO_BIN, CHROMIUM, HEADED=1 (see lib.mjs).
//
// The demo runs with --step-up-seconds 0, so that each action asks for the code (a real session
// would be asked once the sign-in's code is older than 5 minutes). Anna reads Swedish.
import assert from 'node:assert/strict';
import {
  Harness, alertsOf, clickAndWait, expectPath, freshTotp, pathOf, signInWithTotp, startDemo, step,
  translatorOf,
} from './lib.mjs';

const ANNA = { email: 'anna@acme.example', name: 'Anna Lindqvist' };
const QUOTE = 'Q-3104';  // the demo's open quote

function fill(text, args) {
  return text.replace(/\{([a-z_]+)\}/g, (_, name) => args[name] ?? `{${name}}`);
}

async function mainText(page) {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

// Answers the step-up prompt with a code of a step after `after`; the step used.
async function stepUp(page, t, key, after) {
  await page.getByRole('heading', { level: 1, name: t('step_up.title'), exact: true }).waitFor();
  const { code, step: used } = await freshTotp(key, { after });
  await page.getByLabel(t('step_up.code'), { exact: true }).fill(code);
  await clickAndWait(page, page.getByRole('button', { name: t('step_up.submit'), exact: true }));
  return used;
}

async function main(h) {
  const { base, keys } = await startDemo(h, ['--step-up-seconds', '0']);
  step(`demo: serving at ${base}`);
  await h.launchBrowser();
  const anna = await h.newPage({ name: 'anna', locale: 'sv-SE' });
  step(`anna: signing in (password, TOTP) as ${ANNA.email}`);
  let used = await signInWithTotp(anna, base, ANNA.email, keys[ANNA.email]);
  await expectPath(anna, '/');
  const t = await translatorOf(anna, 'sv');

  // 1. The documents menu leads to her invoices; the overdue ones on their own.
  await clickAndWait(anna, anna.getByRole('banner').getByRole('link', { name: t('nav.documents'), exact: true }));
  await expectPath(anna, '/invoices');
  await anna.getByRole('heading', { level: 1, name: t('documents.kinds.invoices'), exact: true }).waitFor();
  await anna.getByLabel(t('documents.only_overdue')).check();
  await clickAndWait(anna, anna.getByRole('button', { name: t('documents.filter'), exact: true }));
  const listed = new URL(anna.url());
  assert.equal(listed.searchParams.get('overdue'), '1');
  await expectPath(anna, pathOf(anna));
  const rows = anna.getByRole('table').getByRole('row');
  const overdueRows = (await rows.allInnerTexts()).slice(1);
  assert.ok(overdueRows.length >= 2, `few overdue invoices listed: ${JSON.stringify(overdueRows)}`);
  for (const r of overdueRows) {
    assert.ok(r.includes(t('documents.overdue')), `a row of the overdue filter is not overdue: ${r}`);
  }
  step(`anna: ${overdueRows.length} overdue invoices listed`);

  // 2. She opens the first and pays it: the step-up prompt, then the test checkout.
  const firstLink = anna.getByRole('table').getByRole('link').first();
  const title = (await firstLink.innerText()).trim();
  await clickAndWait(anna, firstLink);
  const invoicePath = pathOf(anna);
  assert.match(invoicePath, /^\/invoices\/\d+$/);
  await expectPath(anna, invoicePath);
  const pay = anna.getByRole('button', { name: new RegExp(`^${t('payments.pay')} `) });
  const amount = (await pay.innerText()).replace(t('payments.pay'), '').trim();
  step(`anna: paying "${title}" (${amount}) at ${invoicePath}`);
  await clickAndWait(anna, pay);
  await expectPath(anna, invoicePath.replace(/\d+$/, (id) => `${id}/pay`));
  used = await stepUp(anna, t, keys[ANNA.email], used);
  const checkout = pathOf(anna);
  assert.match(checkout, /^\/pay\/demo\/[A-Za-z0-9_-]+$/, `not at the test checkout: ${anna.url()} ${JSON.stringify(await alertsOf(anna))}`);
  await expectPath(anna, checkout);
  assert.ok((await mainText(anna)).includes(t('payments.demo.banner')), 'the checkout does not say it is a test');
  await clickAndWait(anna, anna.getByRole('button', { name: t('payments.demo.pay'), exact: true }));
  await expectPath(anna, invoicePath);
  assert.equal((await anna.getByRole('status').innerText()).trim(), fill(t('notices.payments.paid'), { amount }));
  let text = await mainText(anna);
  assert.ok(text.includes(t('documents.status.invoice.paid')), `the invoice does not show as paid: ${text}`);
  assert.equal(await anna.getByRole('button', { name: new RegExp(`^${t('payments.pay')} `) }).count(), 0);
  step('anna: the invoice is paid');

  // 3. The open quote: accepted with her typed name and the terms, after the prompt again.
  await anna.goto(`${base}/quotes?status=sent`);
  await expectPath(anna, '/quotes?status=sent');
  await clickAndWait(anna, anna.getByRole('row').filter({ hasText: QUOTE }).getByRole('link'));
  const quotePath = pathOf(anna);
  await expectPath(anna, quotePath);
  const signer = anna.getByLabel(t('documents.decision.signer'), { exact: true });
  assert.equal(await signer.inputValue(), ANNA.name);
  await anna.getByLabel(t('documents.decision.terms')).check();
  await clickAndWait(anna, anna.getByRole('button', { name: t('documents.decision.accept'), exact: true }));
  used = await stepUp(anna, t, keys[ANNA.email], used);
  await expectPath(anna, quotePath);
  assert.equal((await anna.getByRole('status').innerText()).trim(),
    fill(t('notices.documents.quote_accepted'), { number: QUOTE }));
  text = await mainText(anna);
  assert.ok(text.includes(t('documents.status.quote.accepted')), `the quote does not show as accepted: ${text}`);
  assert.ok(text.includes(`${ANNA.name} ${t('documents.decision.accepted').split('{name} ')[1].split(' {time}')[0]}`),
    `the quote does not say who accepted it: ${text}`);
  step(`anna: quote ${QUOTE} accepted`);

  // 4. The store, at Acme Sverige AB's prices (its framework agreement: 41 900 SEK for the
  //    AquaPure 500, whose list price shows struck through), into the cart and ordered to a site.
  await clickAndWait(anna, anna.getByRole('banner').getByRole('link', { name: t('nav.store'), exact: true }));
  await expectPath(anna, '/store');
  await anna.getByLabel(t('documents.company'), { exact: true }).selectOption({ label: 'Acme Sverige AB' });
  await anna.getByLabel(t('store.search'), { exact: true }).fill('AquaPure 500');
  await clickAndWait(anna, anna.getByRole('button', { name: t('store.find'), exact: true }));
  await expectPath(anna, pathOf(anna));
  const row = anna.getByRole('row').filter({ hasText: 'AquaPure 500 vattenrenare' });
  const priced = (await row.innerText()).replace(/\s+/g, ' ');
  assert.match(priced, /41 900,00 SEK/, `not the company's price: ${priced}`);
  assert.match(priced, /48 900,00 SEK/, `no list price beside it: ${priced}`);
  await row.getByLabel(new RegExp(`^${t('store.quantity')}`)).fill('2');
  await clickAndWait(anna, row.getByRole('button', { name: new RegExp(`^${t('store.cart.add')}`) }));
  await expectPath(anna, pathOf(anna));
  assert.ok(pathOf(anna).startsWith('/store/cart?company_id='), `not in the cart: ${anna.url()}`);
  assert.equal((await anna.getByRole('status').innerText()).trim(), t('notices.store.added'));
  text = await mainText(anna);
  assert.match(text, /83 800,00 SEK/, `the cart's sum is not 2 × 41 900: ${text}`);
  await anna.getByLabel(t('store.checkout.to_site')).check();
  const sites = anna.getByLabel(t('store.checkout.site'), { exact: true });
  await sites.selectOption(await sites.locator('option', { hasText: 'Lager Göteborg' }).getAttribute('value'));
  await anna.getByLabel(t('store.checkout.reference'), { exact: true }).fill('IO-2026-118');
  await clickAndWait(anna, anna.getByRole('button', { name: t('store.checkout.place'), exact: true }));
  const orderPath = pathOf(anna);
  assert.ok(orderPath.startsWith('/orders/'), `not on the order: ${anna.url()} ${await alertsOf(anna)}`);
  await expectPath(anna, orderPath);
  const notice = (await anna.getByRole('status').innerText()).trim();
  const number = notice.match(/W-\d+/)?.[0];
  assert.equal(notice, fill(t('notices.store.ordered'), { number }));
  text = await mainText(anna);
  for (const expected of ['Lager Göteborg', 'Lindholmspiren 3', 'IO-2026-118', '104 750,00 SEK']) {
    assert.ok(text.includes(expected), `the order does not show ${expected}: ${text}`);
  }
  step(`anna: order ${number} placed, to Lager Göteborg`);
}

await new Harness({ timeoutMs: 180_000 }).run(main);
