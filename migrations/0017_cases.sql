-- Support cases (src/modules/cases): a company's cases with their conversation, participants and
-- history. Times in seconds since 1970.

-- The categories an organization offers for its cases.
CREATE TABLE case_categories (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX case_categories_name ON case_categories (org_id, name);

-- The last case number an organization handed out (T-1001, T-1002, …).
CREATE TABLE case_numbers (
  org_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  last INTEGER NOT NULL
);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  external_id TEXT,                 -- the ERP's id, when the ERP made or knows it
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'open', 'waiting_customer', 'waiting_third_party', 'resolved',
                      'closed')),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  category_id INTEGER REFERENCES case_categories (id) ON DELETE SET NULL,
  site_id INTEGER REFERENCES sites (id) ON DELETE SET NULL,
  device_id INTEGER,                -- devices come with their own module
  requester_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,  -- a staff member
  follows_case_id INTEGER REFERENCES cases (id) ON DELETE SET NULL,  -- the closed case it reopens
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  closed_at INTEGER
);
CREATE UNIQUE INDEX cases_number ON cases (org_id, number);
CREATE UNIQUE INDEX cases_external ON cases (org_id, external_id);
CREATE INDEX cases_company ON cases (company_id, id);
CREATE INDEX cases_company_status ON cases (company_id, status, id);
CREATE INDEX cases_org ON cases (org_id, id);
CREATE INDEX cases_resolved ON cases (status, resolved_at);

-- The conversation: public replies from either side, and staff's internal notes.
CREATE TABLE case_comments (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  author_name TEXT NOT NULL DEFAULT '',  -- the ERP's author, when the ERP wrote it
  by_staff INTEGER NOT NULL DEFAULT 0,
  internal INTEGER NOT NULL DEFAULT 0,   -- staff only: never shown to the customer
  body TEXT NOT NULL,
  external_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX case_comments_case ON case_comments (case_id, id);
CREATE UNIQUE INDEX case_comments_external ON case_comments (case_id, external_id, company_id);

-- People of the case's company who follow it (the requester follows it without a row here).
CREATE TABLE case_participants (
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  PRIMARY KEY (case_id, user_id, company_id)
);
CREATE INDEX case_participants_user ON case_participants (user_id, case_id);

-- What changed on a case, for its history: status, priority and assignee.
CREATE TABLE case_changes (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  field TEXT NOT NULL,              -- status, priority, assignee
  old_value TEXT,
  new_value TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX case_changes_case ON case_changes (case_id, id);

-- Per membership: the company's records (cases, later orders), or only the member's own (the
-- cases they opened or follow). Set by the company's administrators with the member's rights.
ALTER TABLE memberships ADD COLUMN visibility TEXT NOT NULL DEFAULT 'company'
  CHECK (visibility IN ('company', 'own'));
