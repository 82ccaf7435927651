-- Access: departments, companies, sites, memberships with their site scope, integration API keys.
-- (Invitations, contacts, agents and personnel follow in later migrations.)

CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name TEXT NOT NULL
);
CREATE UNIQUE INDEX departments_name ON departments (org_id, name);

CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  external_id TEXT,                       -- the ERP's id, unique per organization
  name TEXT NOT NULL,
  org_number TEXT NOT NULL DEFAULT '',
  department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL,
  managed INTEGER NOT NULL DEFAULT 1,     -- 1: managed by the organization, 0: independent
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX companies_external ON companies (org_id, external_id);
CREATE INDEX companies_org ON companies (org_id, name);

CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  external_id TEXT,
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sites_company ON sites (company_id);

-- A login's access to one company: a role preset, or role 'custom' with chosen permissions
-- (space-separated names), and a site scope (all_sites, or the rows of membership_sites).
CREATE TABLE memberships (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  permissions TEXT NOT NULL DEFAULT '',
  all_sites INTEGER NOT NULL DEFAULT 1,
  invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX memberships_user_company ON memberships (user_id, company_id);
CREATE INDEX memberships_company ON memberships (company_id);

CREATE TABLE membership_sites (
  membership_id INTEGER NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
  site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  PRIMARY KEY (membership_id, site_id)
);

-- Integration API keys: only a hash is stored; the key is shown once.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
