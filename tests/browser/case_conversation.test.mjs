// Real-browser end-to-end test of a support case against `portico demo`: a customer opens a case
// with an attachment through the form; staff find it in the support inbox, write a canned reply,
// answer with it and add an internal note; the customer sees the reply with its variables filled
// in and not the note, and the mail about the reply holds the reply, not the note, and a link to
// the case. Every page at phone width and on a desktop with axe-core (expectPath).
//
//   node tests/browser/case_conversation.test.mjs
//
// Env: PORTICO_BIN, CHROMIUM, HEADED=1 (see lib.mjs).
//
// The pages are in the language of the signed-in user (anna@acme.example reads Swedish, Stella of
// the staff English), so labels come from i18n/*.json by the page's <html lang>.
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  Harness, Outbox, alertsOf, clickAndWait, expectPath, pathOf, signInWithTotp, sleep, startDemo,
  step, translate, translatorOf,
} from './lib.mjs';

const ANNA = { email: 'anna@acme.example', first: 'Anna', name: 'Anna Lindqvist' };
const STAFF = { email: 'staff@northwind.example', name: 'Stella Staff' };
const COMPANY = 'Acme Sverige AB';

const CASE = {
  subject: 'Dörren till lagret går inte att låsa',
  description: 'Låset på lagerdörren fastnar sedan i fredags.\nNyckeln går inte att vrida om.',
  priority: 'high',
  file: 'lasfel.png',
};
// A 1 × 1 PNG: the portal types an upload by its bytes, so it has to be a real one.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64');

const TEMPLATE = {
  name: 'We are on it',
  body: 'Hello {requester_first_name}, we are on it. Case {case_number}.',
};
const NOTE = 'Internal only: the lock is the same batch as the recall, order part 7731-Q.';

// A translation with its {variables} filled in.
function fill(text, args) {
  return text.replace(/\{([a-z_]+)\}/g, (_, name) => args[name] ?? `{${name}}`);
}

// A header as it was sent: RFC 2047 encoded words ("=?UTF-8?B?…?=") decoded.
function decodeHeader(value) {
  return value.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/gi,
    (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

// The header link of the top menu ("Support").
function menuLink(page, name) {
  return page.getByRole('banner').getByRole('link', { name, exact: true });
}

// The text of <main>, with runs of white space as one space.
async function mainText(page) {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

// The page's notice (role=status) after a redirect, which must be `expected`.
async function expectNotice(page, expected) {
  const notice = page.getByRole('status');
  await notice.waitFor().catch(async () => {
    throw new Error(`no notice on ${page.url()}; alerts: ${JSON.stringify(await alertsOf(page))}`);
  });
  assert.equal((await notice.innerText()).trim(), expected);
}

// The case's comments in the conversation, as their texts.
async function commentsOf(page) {
  return (await page.getByRole('main').getByRole('article').allInnerTexts())
    .map((s) => s.replace(/\s+/g, ' ').trim());
}

// ---------- main ----------
async function main(h) {
  const { base, keys, tmp } = await startDemo(h);
  const outbox = new Outbox(path.join(tmp, 'mail'));
  step(`demo: serving at ${base}`);
  await h.launchBrowser();

  // 1. Anna opens a case with an attachment, through the form.
  const anna = await h.newPage({ name: 'anna', locale: 'sv-SE' });
  step(`anna: signing in (password, TOTP) as ${ANNA.email}`);
  await signInWithTotp(anna, base, ANNA.email, keys[ANNA.email]);
  await expectPath(anna, '/');
  const ta = await translatorOf(anna, 'sv');
  await clickAndWait(anna, menuLink(anna, ta('nav.support')));
  await expectPath(anna, '/cases');
  await anna.getByRole('heading', { level: 1, name: ta('cases.title'), exact: true }).waitFor();
  // The template renders this link as <a href="/cases/new" role="button">.
  await clickAndWait(anna, anna.getByRole('button', { name: ta('cases.open_case'), exact: true }));
  await expectPath(anna, '/cases/new');
  await anna.getByRole('heading', { level: 1, name: ta('cases.open_case'), exact: true }).waitFor();
  // Anna is in two companies (and chooses), or the form names the one company.
  const company = anna.getByLabel(ta('cases.company'), { exact: true });
  if (await company.count()) {
    await company.selectOption({ label: COMPANY });
  } else {
    await anna.getByText(COMPANY, { exact: true }).waitFor();
  }
  await anna.getByLabel(ta('cases.subject'), { exact: true }).fill(CASE.subject);
  await anna.getByLabel(ta('cases.description'), { exact: true }).fill(CASE.description);
  await anna.getByLabel(ta('cases.priority_heading'), { exact: true })
    .selectOption({ label: ta(`cases.priority.${CASE.priority}`) });
  await anna.getByLabel(ta('cases.attach_files'), { exact: true })
    .setInputFiles({ name: CASE.file, mimeType: 'image/png', buffer: PNG });
  step(`anna: sending the form "${ta('cases.open_case')}" with ${CASE.file} (${PNG.length} bytes)`);
  await clickAndWait(anna, anna.getByRole('button', { name: ta('cases.submit'), exact: true }));
  const casePath = pathOf(anna);
  if (!/^\/cases\/\d+$/.test(casePath)) {
    assert.fail(`the case was not opened; on ${anna.url()}; alerts: ${JSON.stringify(await alertsOf(anna))}`);
  }
  await expectPath(anna, casePath);
  const heading = (await anna.getByRole('heading', { level: 1 }).innerText()).trim();
  const number = /^(T-\d+) · /.exec(heading)?.[1];
  assert.ok(number, `the case page's heading shows no case number: "${heading}"`);
  assert.equal(heading, `${number} · ${CASE.subject}`);
  await expectNotice(anna, fill(ta('notices.cases.opened'), { number }));
  let text = await mainText(anna);
  for (const want of [ta(`cases.priority.${CASE.priority}`), COMPANY, ANNA.name, ta('cases.no_comments'),
    ta('cases.nobody')]) {
    assert.ok(text.includes(want), `the new case's page does not show "${want}": ${text}`);
  }
  // The description: the first <div class="case-text">, which has no role or label of its own.
  const caseText = (await anna.locator('.case-text').first().innerText()).trim();
  assert.equal(caseText, CASE.description, 'the description is not shown as written');
  const files = anna.getByRole('list', { name: ta('cases.files'), exact: true });
  const fileLink = files.getByRole('link', { name: CASE.file, exact: true });
  assert.equal(await fileLink.count(), 1, `the case page does not list the attachment ${CASE.file}`);
  const fileHref = await fileLink.getAttribute('href');
  assert.match(fileHref, new RegExp(`^${casePath}/attachments/\\d+$`));
  const download = await anna.request.get(base + fileHref);
  assert.equal(download.status(), 200, `the attachment answered ${download.status()}`);
  assert.ok(Buffer.from(await download.body()).equals(PNG), 'the attachment does not hold the bytes sent');
  assert.match(download.headers()['content-disposition'] || '', /^attachment/);
  step(`anna: case ${number} is open at ${casePath}, with ${CASE.file} (downloads as sent)`);

  // 2. Staff find the case in the inbox, write a canned reply, answer with it, add a note.
  const staff = await h.newPage({ name: 'staff' });
  step(`staff: signing in (password, TOTP) as ${STAFF.email}`);
  await signInWithTotp(staff, base, STAFF.email, keys[STAFF.email]);
  await expectPath(staff, '/');
  const ts = await translatorOf(staff, 'en');
  await clickAndWait(staff, menuLink(staff, ts('nav.support')));
  await expectPath(staff, '/cases');
  const row = staff.getByRole('row')
    .filter({ has: staff.getByRole('cell', { name: number, exact: true }) });
  assert.equal(await row.count(), 1, `the support inbox does not list ${number} once`);
  const rowText = (await row.innerText()).replace(/\s+/g, ' ');
  for (const want of [CASE.subject, COMPANY, ts('cases.status.new'), ts(`cases.priority.${CASE.priority}`)]) {
    assert.ok(rowText.includes(want), `the inbox row of ${number} does not show "${want}": ${rowText}`);
  }
  step(`staff: the inbox lists "${rowText.trim()}"`);
  // Found by its number through the search form too.
  await staff.getByRole('searchbox', { name: ts('cases.search'), exact: true }).fill(number);
  await clickAndWait(staff, staff.getByRole('button', { name: ts('cases.filter'), exact: true }));
  // The form sends its other fields too (the order, an empty status): only the words matter.
  const searched = new URL(staff.url());
  assert.equal(searched.pathname, '/cases');
  assert.equal(searched.searchParams.get('q'), number);
  await expectPath(staff, pathOf(staff));
  assert.equal(await row.count(), 1, `searching the inbox for ${number} does not find it`);

  step('staff: writing a canned reply on the templates page');
  await clickAndWait(staff, staff.getByRole('link', { name: ts('case_templates.title'), exact: true }));
  await expectPath(staff, '/cases/templates');
  await clickAndWait(staff, staff.getByRole('button', { name: ts('case_templates.new_reply'), exact: true }));
  await expectPath(staff, '/cases/templates/new?kind=reply');
  await staff.getByRole('heading', { level: 1, name: ts('case_templates.new_reply'), exact: true }).waitFor();
  await staff.getByLabel(ts('case_templates.name'), { exact: true }).fill(TEMPLATE.name);
  await staff.getByLabel(ts('case_templates.reply_text'), { exact: true }).fill(TEMPLATE.body);
  await clickAndWait(staff, staff.getByRole('button', { name: ts('case_templates.save'), exact: true }));
  if (pathOf(staff) !== '/cases/templates') {
    assert.fail(`the template was not saved; on ${staff.url()}; alerts: ${JSON.stringify(await alertsOf(staff))}`);
  }
  await expectPath(staff, '/cases/templates');
  await expectNotice(staff, fill(ts('notices.case_templates.saved'), { name: TEMPLATE.name }));
  const templateLink = staff.getByRole('list', { name: ts('case_templates.replies'), exact: true })
    .getByRole('link', { name: TEMPLATE.name, exact: true });
  assert.equal(await templateLink.count(), 1, `the canned replies do not list "${TEMPLATE.name}"`);
  const templateId = /^\/cases\/templates\/(\d+)$/.exec(await templateLink.getAttribute('href'))?.[1];
  assert.ok(templateId, 'the template link has no id');
  step(`staff: canned reply "${TEMPLATE.name}" saved (template ${templateId})`);

  // Back to the case through the breadcrumb and the inbox.
  await clickAndWait(staff, staff.getByRole('navigation', { name: 'breadcrumb' })
    .getByRole('link', { name: ts('cases.title'), exact: true }));
  await expectPath(staff, '/cases');
  await clickAndWait(staff, row.getByRole('link', { name: CASE.subject, exact: true }));
  await expectPath(staff, casePath);
  // Staff see the attachment too.
  assert.equal(await staff.getByRole('list', { name: ts('cases.files'), exact: true })
    .getByRole('link', { name: CASE.file, exact: true }).count(), 1, 'staff do not see the attachment');

  const picker = staff.getByRole('form', { name: ts('case_templates.insert'), exact: true });
  await picker.getByLabel(ts('case_templates.insert'), { exact: true }).selectOption({ label: TEMPLATE.name });
  await clickAndWait(staff, picker.getByRole('button', { name: ts('case_templates.use'), exact: true }));
  await expectPath(staff, `${casePath}?template=${templateId}`);
  const filled = fill(TEMPLATE.body, { requester_first_name: ANNA.first, case_number: number });
  const reply = staff.getByLabel(ts('cases.reply'), { exact: true });
  assert.equal(await reply.inputValue(), filled, 'the canned reply is not filled in for the case');
  step(`staff: the picker filled the reply with "${filled}"; sending it`);
  await clickAndWait(staff, staff.getByRole('button', { name: ts('cases.send'), exact: true }));
  await expectPath(staff, casePath);
  await expectNotice(staff, ts('notices.cases.replied'));
  assert.equal(await reply.inputValue(), '', 'the reply box is not empty after sending');

  step('staff: adding an internal note');
  await reply.fill(NOTE);
  await staff.getByLabel(ts('cases.as_internal_note'), { exact: true }).check();
  await clickAndWait(staff, staff.getByRole('button', { name: ts('cases.send'), exact: true }));
  await expectPath(staff, casePath);
  await expectNotice(staff, ts('notices.cases.noted'));
  const staffComments = await commentsOf(staff);
  const replyItem = staffComments.find((s) => s.includes(filled));
  const noteItem = staffComments.find((s) => s.includes(NOTE));
  assert.ok(replyItem && !replyItem.includes(ts('cases.internal_note')),
    `staff do not see the reply as a public one: ${JSON.stringify(staffComments)}`);
  assert.ok(noteItem && noteItem.includes(ts('cases.internal_note')),
    `staff do not see the note marked as internal: ${JSON.stringify(staffComments)}`);
  text = await mainText(staff);
  assert.ok(text.includes(ts('cases.status.open')), `staff's answer did not put the case in progress: ${text}`);
  step(`staff: the conversation shows the reply and the note (${staffComments.length} comments)`);

  // 3. Anna reads the reply; the note is nowhere on her page.
  await anna.reload();
  await expectPath(anna, casePath);
  const annaComments = await commentsOf(anna);
  assert.equal(annaComments.length, 1, `anna should see just the reply: ${JSON.stringify(annaComments)}`);
  assert.ok(annaComments[0].includes(filled), `anna does not see the reply: ${annaComments[0]}`);
  assert.ok(annaComments[0].includes(`${STAFF.name} · ${ta('cases.from_vendor')}`),
    `the reply is not shown as the vendor's: ${annaComments[0]}`);
  assert.ok(!(await anna.content()).includes(NOTE), 'the internal note is in the HTML of the customer\'s page');
  assert.ok(!(await mainText(anna)).includes(ta('cases.internal_note')), 'the customer\'s page mentions an internal note');
  assert.ok((await mainText(anna)).includes(ta('cases.status.open')), 'the case is not in progress for anna');
  // The attachment is still hers to see on the page.
  assert.equal(await fileLink.count(), 1, 'the attachment is gone from the customer\'s page');
  step('anna: the case page shows the filled-in reply and no internal note');

  // The mail about the reply, in Swedish, with a link to the case.
  const caseLink = `${base}${casePath}`;
  const mail = await outbox.next({ to: ANNA.email, linkPrefix: `${base}/cases/` });
  assert.equal(mail.link, caseLink, `the mail links to ${mail.link}, not to the case`);
  const subject = decodeHeader(/^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '');
  assert.equal(subject, fill(translate('sv', 'mail.case_update.subject'), { number, subject: CASE.subject }));
  const body = mail.text.replace(/\r\n/g, '\n');
  for (const want of [`${translate('sv', 'mail.hello')} ${ANNA.first},`,
    `${STAFF.name} ${translate('sv', 'mail.case_update.commented')}`, filled]) {
    assert.ok(body.includes(want), `the mail about the reply does not say "${want}":\n${body}`);
  }
  assert.ok(!body.includes(NOTE), `the mail about the reply holds the internal note:\n${body}`);
  step(`mail: "${subject}" to ${ANNA.email} (${mail.name}) with the reply and the link ${mail.link}`);

  // No mail at all carries the note: a note mails nobody. The notes' mail would come after the
  // reply's through the same queue; give the queue's workers a moment more to be sure.
  await sleep(1000);
  const caseMails = (await outbox.messages()).filter((m) => m.text.includes(caseLink));
  for (const m of await outbox.messages()) {
    assert.ok(!m.text.includes(NOTE), `the internal note was mailed to ${m.to} (${m.name})`);
  }
  // The new case is announced to the support address of the demo's support settings; then the
  // case mails its followers (the requester) and its assignee: it has no assignee, and the one
  // who acts gets no mail about it, so staff's reply mailed Anna alone.
  assert.deepEqual(caseMails.map((m) => m.to), ['support@northwind.example', ANNA.email],
    `the case's mails: ${JSON.stringify(caseMails.map((m) => `${m.name} to ${m.to}`))}`);
  step('mail: the new case went to the support address, the reply to Anna; the note to nobody');
}

await new Harness({ timeoutMs: 150_000 }).run(main);
