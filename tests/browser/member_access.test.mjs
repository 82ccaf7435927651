// Managing a member in the web UI, as a Swedish company administrator would: change a member's
// role and sites on their page, and remove their access through the confirmation step (no
// JavaScript needed), each page at phone width and desktop with axe-core, each change said in
// words on the next page.
//
//   node tests/browser/member_access.test.mjs
//
// Env: PORTICO_BIN, CHROMIUM, HEADED=1 (see lib.mjs).
import assert from 'node:assert/strict';
import {
  Harness, assertPageOk, clickAndWait, pathOf, signInWithTotp, startDemo, step, translate,
} from './lib.mjs';

const sv = (key, args = {}) =>
  translate('sv', key).replace(/\{([a-z_]+)\}/g, (_, name) => args[name] ?? `{${name}}`);

async function main(h) {
  const { base, keys } = await startDemo(h);
  await h.launchBrowser();
  const page = await h.newPage({ name: 'anna', locale: 'sv-SE' });
  await page.setViewportSize({ width: 390, height: 844 });
  await signInWithTotp(page, base, 'anna@acme.example', keys['anna@acme.example']);

  // Anna administers Acme Sverige AB; Nora New is a support user there.
  await clickAndWait(page, page.getByRole('link', { name: 'Acme Sverige AB' }).first());
  const company = pathOf(page);
  const nora = page.locator('tr', { hasText: 'new@acme.example' });
  await clickAndWait(page, nora.getByRole('link', { name: `${sv('company.change_access')}: Nora New` }));
  await assertPageOk(page, 'the member page');
  assert.equal(await page.locator('input[name=role][value=support_user]').isChecked(), true);
  // A permission is offered by what it allows, never by its id.
  assert.ok(await page.getByLabel(sv('permission.invoices.view')).count() === 1);

  // Chosen permissions, but none ticked: refused in place, nothing changed.
  await page.getByLabel(sv('role.custom'), { exact: true }).check();
  for (const box of await page.locator('input[type=checkbox][name^="permission."]').all()) {
    await box.uncheck();
  }
  await clickAndWait(page, page.getByRole('button', { name: sv('member.save') }));
  assert.ok((await page.locator('[role=alert]').innerText()).includes(sv('errors.access.choose_permission')));
  await assertPageOk(page, 'the member page with an error');

  // Read-only at every site, seeing only her own cases: saved, and the company page says so.
  await page.getByLabel(sv('role.read_only'), { exact: true }).check();
  await page.getByLabel(sv('member.visibility_own'), { exact: true }).check();
  await clickAndWait(page, page.getByRole('button', { name: sv('member.save') }));
  assert.equal(pathOf(page), company);
  const notice = page.locator('p.notice[role=status]');
  assert.equal((await notice.innerText()).trim(),
    sv('notices.access.changed', { name: 'Nora New', company: 'Acme Sverige AB' }));
  assert.ok((await nora.innerText()).includes(sv('role.read_only')));
  await clickAndWait(page, nora.getByRole('link', { name: `${sv('company.change_access')}: Nora New` }));
  assert.equal(await page.locator('input[name=visibility][value=own]').isChecked(), true);
  await clickAndWait(page, page.getByRole('link', { name: sv('confirm.cancel') }));
  assert.equal(pathOf(page), company);
  step('role and visibility changed through the member page');

  // Removing asks first; "Cancel" leaves everything as it was.
  await clickAndWait(page, nora.getByRole('button', { name: `${sv('company.remove')}: Nora New` }));
  await assertPageOk(page, 'the confirmation page');
  assert.equal(await page.locator('h1').innerText(), sv('confirm.remove_member.heading'));
  assert.ok((await page.locator('main').innerText()).includes(
    sv('confirm.remove_member.question', { name: 'Nora New', company: 'Acme Sverige AB' })));
  await clickAndWait(page, page.getByRole('link', { name: sv('confirm.cancel') }));
  assert.equal(pathOf(page), company);
  assert.equal(await nora.count(), 1);
  assert.equal(await page.locator('p.notice[role=status]').count(), 0);  // said once only

  await clickAndWait(page, nora.getByRole('button', { name: `${sv('company.remove')}: Nora New` }));
  await clickAndWait(page, page.getByRole('button', { name: sv('confirm.remove_member.button') }));
  assert.equal(pathOf(page), company);
  assert.equal((await notice.innerText()).trim(),
    sv('notices.access.removed', { name: 'Nora New', company: 'Acme Sverige AB' }));
  assert.equal(await nora.count(), 0);
  await assertPageOk(page, 'the company page with its notice');
  step('access removed after the confirmation');
}

new Harness({ timeoutMs: 180_000 }).run(main);
