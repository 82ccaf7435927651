-- Invitations: one e-mail, one or more companies each with a role or chosen permissions and an
-- optional site scope; a single-use token stored as a hash. And the organizations' licence limit.

CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'en',
  token_hash TEXT NOT NULL,
  invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_org ON invitations (org_id, email);

CREATE TABLE invitation_companies (
  invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  permissions TEXT NOT NULL DEFAULT '',
  sites TEXT NOT NULL DEFAULT '',          -- space-separated site ids; empty: all sites
  PRIMARY KEY (invitation_id, company_id)
);
CREATE INDEX invitation_companies_company ON invitation_companies (company_id);

ALTER TABLE organizations ADD COLUMN login_limit INTEGER;  -- NULL: no limit
