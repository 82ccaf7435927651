-- The e-mail history: every mail the portal sends, as its recipient read it (the token of a
-- sign-in link removed), for the recipient's own account, the people who may view a company's
-- mail (emails.view) and the staff console's Deliveries page. Deleted after --keep-emails-months
-- (13 by default). Times in seconds since 1970.
CREATE TABLE emails (
  id INTEGER PRIMARY KEY,
  org_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,  -- NULL: about the login alone
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,        -- NULL: no login yet
  recipient TEXT NOT NULL,
  kind TEXT NOT NULL,              -- the template: 'invitation', 'access_changed', …
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  job_id INTEGER,                  -- its delivery (jobs.id): queued, retried or failed there
  created_at INTEGER NOT NULL,
  sent_at INTEGER                  -- the mail server took it
);
CREATE INDEX emails_user ON emails (user_id, id);
CREATE INDEX emails_recipient ON emails (recipient, id);
CREATE INDEX emails_org ON emails (org_id, id);
CREATE INDEX emails_created ON emails (created_at);
CREATE INDEX emails_job ON emails (job_id);
-- The companies a mail concerns (an invitation may name several).
CREATE TABLE email_companies (
  email_id INTEGER NOT NULL REFERENCES emails(id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  PRIMARY KEY (email_id, company_id)
);
CREATE INDEX email_companies_company ON email_companies (company_id, email_id);
