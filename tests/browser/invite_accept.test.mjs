// Real-browser end-to-end test against `portico demo`: a company administrator invites a new
// person, who accepts, sets a password and enrols TOTP; a staff administrator invites the same
// person to a second company, and the person, still signed in, accepts that as an existing login.
//
//   node tests/browser/invite_accept.test.mjs
//
// Env: PORTICO_BIN (default build/src/app/portico relative to the repo root),
//      CHROMIUM (default /usr/bin/chromium), HEADED=1 to watch.
//
// The pages are in the language of the signed-in user (anna@acme.example reads Swedish), so the
// test looks labels up in i18n/*.json by the page's <html lang>.
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  Harness, Outbox, alertsOf, base32Decode, clickAndWait, expectPath, freePort, freshTotp, step,
  translatorOf,
} from './lib.mjs';

const DEMO_PASSWORD = 'correct horse battery staple';
const ANNA = { email: 'anna@acme.example', first: 'Anna' };
const STAFF = { email: 'staff@northwind.example', first: 'Stella' };
const SVERIGE = 'Acme Sverige AB';
const DEUTSCHLAND = 'Acme Deutschland GmbH';

const INVITEE = {
  email: 'ines.ekberg@acme.example',
  first: 'Ines',
  last: 'Ekberg',
  password: 'amber-lantern-orchard-73',
};
const ROLE_IN_SVERIGE = 'user';
const ROLE_IN_DEUTSCHLAND = 'read_only';

// The TOTP key `portico demo` prints for a demo user.
async function demoTotpKey(h, email) {
  const re = new RegExp(`^\\s*${email.replace(/[.]/g, '\\.')}\\s+TOTP key ([A-Z2-7]+)`, 'm');
  return base32Decode((await h.serverPrinted(re))[1]);
}

// Password, then a TOTP code; ends on the overview ("/").
async function signIn(page, base, { email, password, key, first }) {
  await page.goto(`${base}/login`);
  let t = await translatorOf(page);
  await page.getByLabel(t('field.email'), { exact: true }).fill(email);
  await page.getByLabel(t('field.password'), { exact: true }).fill(password);
  await clickAndWait(page, page.getByRole('button', { name: t('login.submit'), exact: true }));
  await expectPath(page, '/mfa');
  t = await translatorOf(page);
  const { code } = await freshTotp(key);
  await page.getByLabel(t('field.code'), { exact: true }).fill(code);
  await clickAndWait(page, page.getByRole('button', { name: t('mfa.submit'), exact: true }));
  if (new URL(page.url()).pathname !== '/') {
    assert.fail(`TOTP code not accepted for ${email}; on ${page.url()}; alerts: ${JSON.stringify(await alertsOf(page))}`);
  }
  t = await translatorOf(page);
  await page.getByRole('heading', { level: 1, name: `${t('home.greeting')} ${first}` }).waitFor();
  return t;
}

// The "Your companies" section of the overview.
function companiesRegion(page, t) {
  return page.getByRole('region', { name: t('home.companies'), exact: true });
}

// The names of the companies on the overview (the headings of their cards).
async function listedCompanies(page, t) {
  const names = await companiesRegion(page, t).getByRole('heading', { level: 3 }).allInnerTexts();
  return names.map((s) => s.trim());
}

// From the overview, opens a company's page by its link; ends on /companies/{id}.
async function openCompany(page, t, name) {
  await clickAndWait(page, companiesRegion(page, t).getByRole('link', { name, exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/companies\/\d+$/, `not on a company page: ${page.url()}`);
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

// Fills and sends the "Invite a user" form of the open company page; stays on that page, which
// lists the invitation as pending.
async function invite(page, { email, first, last, language, role }) {
  const companyPath = new URL(page.url()).pathname;
  const t = await translatorOf(page);
  await page.getByLabel(t('field.email'), { exact: true }).fill(email);
  await page.getByLabel(t('field.first_name'), { exact: true }).fill(first);
  await page.getByLabel(t('field.last_name'), { exact: true }).fill(last);
  await page.getByLabel(t('field.language'), { exact: true }).selectOption({ label: language });
  await page.getByLabel(t('company.role'), { exact: true }).selectOption({ label: t(`role.${role}`) });
  await clickAndWait(page, page.getByRole('button', { name: t('company.send_invitation'), exact: true }));
  if (new URL(page.url()).pathname !== companyPath || (await alertsOf(page)).length > 0) {
    assert.fail(`invitation not sent; on ${page.url()}; alerts: ${JSON.stringify(await alertsOf(page))}`);
  }
  await page.getByRole('heading', { name: t('company.pending'), exact: true }).waitFor();
  const pending = page.getByRole('listitem').filter({ hasText: email });
  assert.equal(await pending.count(), 1, `the pending invitation of ${email} is not listed once`);
  const text = (await pending.innerText()).trim();
  assert.ok(text.includes(`(${t(`role.${role}`)}`), `pending invitation shows no role ${role}: "${text}"`);
  return text;
}

// The role shown for the signed-in user on the overview card and on the company page.
async function expectRole(page, base, t, company, role) {
  await page.goto(`${base}/`);
  const card = companiesRegion(page, t).getByRole('article')
    .filter({ has: page.getByRole('link', { name: company, exact: true }) });
  assert.equal(await card.count(), 1, `no card for ${company} on the overview`);
  const cardText = (await card.innerText()).replace(/\s+/g, ' ');
  assert.ok(cardText.includes(`${t('home.your_role')}: ${t(`role.${role}`)}`),
    `overview card of ${company} does not show the role ${role}: "${cardText}"`);
  await openCompany(page, t, company);
  const access = page.getByRole('article')
    .filter({ has: page.getByRole('heading', { name: t('company.your_access'), exact: true }) });
  const accessText = (await access.innerText()).replace(/\s+/g, ' ');
  assert.ok(accessText.includes(`${t('home.your_role')}: ${t(`role.${role}`)}.`),
    `company page of ${company} does not show the role ${role}: "${accessText}"`);
}

// ---------- main ----------
async function main(h) {
  const tmp = await h.tempDir();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const mailDir = path.join(tmp, 'mail');
  const outbox = new Outbox(mailDir);
  const invitationLink = `${base}/invitations/accept?token=`;
  step(`temp dir ${tmp}, port ${port}`);

  step('demo: starting `portico demo` with fresh demo data');
  await h.startServer([
    'demo', '--db', path.join(tmp, 'demo.db'), '--listen', `127.0.0.1:${port}`, '--public-url', base,
    '--mail-outbox', mailDir, '--sms-outbox', path.join(tmp, 'sms'), '--no-access-log',
  ], base);
  const annaKey = await demoTotpKey(h, ANNA.email);
  const staffKey = await demoTotpKey(h, STAFF.email);
  step('demo: serving; TOTP keys of anna and staff read from its output');

  await h.launchBrowser();

  // 1. Anna invites a new person to Acme Sverige AB.
  const anna = await h.newPage({ name: 'anna' });
  step(`anna: signing in (password, TOTP) as ${ANNA.email}`);
  const ta = await signIn(anna, base, { ...ANNA, password: DEMO_PASSWORD, key: annaKey });
  step(`anna: on the overview (page language ${await anna.locator('html').getAttribute('lang')}), opening ${SVERIGE}`);
  await openCompany(anna, ta, SVERIGE);
  const sverigePath = new URL(anna.url()).pathname;
  step(`anna: inviting ${INVITEE.email} to ${SVERIGE} as ${ROLE_IN_SVERIGE}`);
  const pending1 = await invite(anna, { ...INVITEE, language: 'English', role: ROLE_IN_SVERIGE });
  step(`anna: the page lists the pending invitation "${pending1}"`);

  const mail1 = await outbox.next({ to: INVITEE.email, linkPrefix: invitationLink });
  step(`mail: invitation to ${INVITEE.email} (${mail1.name}) with link ${mail1.link}`);

  // 2. The invitee accepts: names and password, sign-in, TOTP enrolment, recovery codes.
  const invitee = await h.newPage({ name: 'invitee' });
  step('invitee: opening the invitation link');
  await invitee.goto(mail1.link);
  let ti = await translatorOf(invitee, 'en');
  await invitee.getByRole('heading', { level: 1, name: ti('invitation.title'), exact: true }).waitFor();
  await invitee.getByText(SVERIGE, { exact: true }).waitFor();
  assert.equal(await invitee.getByLabel(ti('field.first_name'), { exact: true }).inputValue(), INVITEE.first);
  assert.equal(await invitee.getByLabel(ti('field.last_name'), { exact: true }).inputValue(), INVITEE.last);
  await invitee.getByLabel(ti('field.password'), { exact: true }).fill(INVITEE.password);
  step('invitee: names prefilled; password set, submitting "Create account"');
  await clickAndWait(invitee, invitee.getByRole('button', { name: ti('signup.submit'), exact: true }));
  if (new URL(invitee.url()).pathname !== '/mfa/enroll') {
    assert.fail(`account not created; on ${invitee.url()}; alerts: ${JSON.stringify(await alertsOf(invitee))}`);
  }
  step('invitee: account created and signed in at once, on to the 2FA set-up');
  await expectPath(invitee, '/mfa/enroll');
  ti = await translatorOf(invitee, 'en');
  await invitee.getByRole('heading', { level: 1, name: ti('mfa_enroll.title'), exact: true }).waitFor();
  // The manual key under the QR code: <code id="secret">, which has no accessible role or label.
  const secret = (await invitee.locator('#secret').innerText()).trim();
  assert.match(secret.replace(/[\s=]/g, ''), /^[A-Z2-7]{16,}$/i, `manual key is not base32: ${secret}`);
  const inviteeKey = base32Decode(secret);
  const enrol = await freshTotp(inviteeKey);
  step(`invitee: 2FA enrolment, manual key ${secret}, entering code ${enrol.code}`);
  await invitee.getByLabel(ti('field.code'), { exact: true }).fill(enrol.code);
  await clickAndWait(invitee, invitee.getByRole('button', { name: ti('mfa_enroll.confirm'), exact: true }));
  await invitee.getByRole('heading', { level: 1, name: ti('recovery_codes.title'), exact: true }).waitFor()
    .catch(async () => {
      throw new Error(`no recovery codes after enrolment; on ${invitee.url()}; alerts: ${JSON.stringify(await alertsOf(invitee))}`);
    });
  const codes = (await invitee.locator('#recovery-codes').getByRole('listitem').allInnerTexts())
    .map((s) => s.trim()).filter(Boolean);
  assert.equal(codes.length, 10, `expected 10 recovery codes, got ${JSON.stringify(codes)}`);
  step('invitee: 10 recovery codes shown, acknowledging them');
  // The template renders this link as <a href="/" role="button">, so its accessible role is "button".
  await clickAndWait(invitee, invitee.getByRole('button', { name: ti('recovery_codes.continue'), exact: true }));
  await expectPath(invitee, '/');
  ti = await translatorOf(invitee, 'en');
  await invitee.getByRole('heading', { level: 1, name: `${ti('home.greeting')} ${INVITEE.first}` }).waitFor();
  assert.deepEqual(await listedCompanies(invitee, ti), [SVERIGE], 'the overview does not list just the first company');
  step(`invitee: signed in; the overview lists ${SVERIGE}`);

  // Anna's company page now lists the invitee as a user, no longer as pending.
  await anna.goto(`${base}${sverigePath}`);
  const member = anna.getByRole('row').filter({ hasText: INVITEE.email });
  assert.equal(await member.count(), 1, `${INVITEE.email} is not among the users of ${SVERIGE}`);
  assert.equal(await anna.getByRole('listitem').filter({ hasText: INVITEE.email }).count(), 0,
    'the accepted invitation is still listed as pending');
  step(`anna: ${SVERIGE} lists ${INVITEE.email} as a user: "${(await member.innerText()).replace(/\s+/g, ' ').trim()}"`);

  // 3. The staff administrator invites the same person to Acme Deutschland GmbH.
  const staff = await h.newPage({ name: 'staff' });
  step(`staff: signing in (password, TOTP) as ${STAFF.email}`);
  const ts = await signIn(staff, base, { ...STAFF, password: DEMO_PASSWORD, key: staffKey });
  const staffCompanies = await listedCompanies(staff, ts);
  assert.ok(staffCompanies.includes(DEUTSCHLAND) && staffCompanies.includes(SVERIGE),
    `staff overview does not list the organization's companies: ${JSON.stringify(staffCompanies)}`);
  step(`staff: the overview lists ${JSON.stringify(staffCompanies)}; opening ${DEUTSCHLAND}`);
  await openCompany(staff, ts, DEUTSCHLAND);
  step(`staff: inviting ${INVITEE.email} to ${DEUTSCHLAND} as ${ROLE_IN_DEUTSCHLAND}`);
  const pending2 = await invite(staff, { ...INVITEE, language: 'English', role: ROLE_IN_DEUTSCHLAND });
  step(`staff: the page lists the pending invitation "${pending2}"`);

  const mail2 = await outbox.next({ to: INVITEE.email, linkPrefix: invitationLink });
  assert.notEqual(mail2.link, mail1.link);
  step(`mail: second invitation to ${INVITEE.email} (${mail2.name})`);

  // 4. The invitee, still signed in, accepts with the existing login.
  step('invitee: opening the second invitation link while signed in');
  await invitee.goto(mail2.link);
  ti = await translatorOf(invitee, 'en');
  await invitee.getByRole('heading', { level: 1, name: ti('invitation.title'), exact: true }).waitFor();
  await invitee.getByText(DEUTSCHLAND, { exact: true }).waitFor();
  assert.equal(await invitee.getByLabel(ti('field.password'), { exact: true }).count(), 0,
    'a signed-in invitee is asked for a password');
  await clickAndWait(invitee, invitee.getByRole('button', { name: ti('signup.accept'), exact: true }));
  if (new URL(invitee.url()).pathname !== '/') {
    assert.fail(`second invitation not accepted; on ${invitee.url()}; alerts: ${JSON.stringify(await alertsOf(invitee))}`);
  }
  const both = await listedCompanies(invitee, ti);
  assert.ok(both.includes(SVERIGE) && both.includes(DEUTSCHLAND),
    `the overview does not list both companies: ${JSON.stringify(both)}`);
  step(`invitee: accepted; the overview lists ${JSON.stringify(both)}`);
  await expectRole(invitee, base, ti, SVERIGE, ROLE_IN_SVERIGE);
  await expectRole(invitee, base, ti, DEUTSCHLAND, ROLE_IN_DEUTSCHLAND);
  step(`invitee: overview and company pages show the roles ${ti(`role.${ROLE_IN_SVERIGE}`)} / ${ti(`role.${ROLE_IN_DEUTSCHLAND}`)}`);

  // 5. Unhappy path: the first link was used; it shows an error, not a form, signed in or not.
  const anonymous = await h.newPage({ name: 'anonymous' });
  for (const [who, page] of [['invitee', invitee], ['a fresh browser', anonymous]]) {
    const response = await page.goto(mail1.link);
    const t = await translatorOf(page, 'en');
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    const alertText = (await alert.innerText()).trim();
    assert.ok(alertText.length > 0, 'the alert is empty');
    assert.equal(response.status(), 404, `used invitation answered ${response.status()}`);
    assert.equal(await page.locator('form[action="/invitations/accept"]').count(), 0,
      'the used invitation still shows the acceptance form');
    assert.equal(await page.getByLabel(t('field.password'), { exact: true }).count(), 0);
    for (const name of [t('signup.submit'), t('signup.accept')]) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `a "${name}" button is shown`);
    }
    step(`unhappy: the used first link, opened by ${who}, shows "${alertText}" and no form`);
  }
}

await new Harness({ timeoutMs: 150_000 }).run(main);
