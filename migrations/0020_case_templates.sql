-- Templates of the support inbox (src/modules/cases/template_*): canned replies and case
-- templates that the organization's support staff write, use and share. Customers never see them.
CREATE TABLE case_templates (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('reply', 'case')),
  name TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',  -- a case template's subject
  body TEXT NOT NULL,                -- the reply, or the case's description
  priority TEXT CHECK (priority IN ('low', 'normal', 'high', 'urgent')),  -- case templates
  category_id INTEGER REFERENCES case_categories (id) ON DELETE SET NULL,  -- case templates
  shared INTEGER NOT NULL DEFAULT 1,  -- 0: only its owner sees and uses it
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX case_templates_org ON case_templates (org_id, kind, name);
