-- Every table of a company's or an organization's data carries company_id or org_id, and each of
-- its unique keys contains it, so that the schema can be distributed by tenant later
-- (docs/scaling.md; checked by scripts/check-tenancy.py).
--
-- Link tables take the tenant of the row they hang from: agent_users and staff_departments the
-- organization of the agent and the department, membership_sites the company of the membership,
-- webhook_deliveries the organization of the endpoint. The tenant column goes last in the keys,
-- so lookups by the first columns keep their index.
--
-- Secrets looked up before the organization is known (API keys, invitation and sign-up tokens)
-- are unique per organization. A hash of 32 random bytes does not repeat, and the index still
-- starts with the hash, so the lookup stays one index probe.
-- Event ids (evt_…) are unique per organization.

-- dialect: sqlite
CREATE TABLE agent_users_new (
  agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, user_id, org_id)
);
INSERT INTO agent_users_new (agent_id, user_id, org_id)
  SELECT au.agent_id, au.user_id, a.org_id FROM agent_users au JOIN agents a ON a.id = au.agent_id;
DROP TABLE agent_users;
ALTER TABLE agent_users_new RENAME TO agent_users;
CREATE INDEX agent_users_user ON agent_users (user_id);
CREATE TRIGGER agent_users_insert AFTER INSERT ON agent_users
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER agent_users_delete AFTER DELETE ON agent_users
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;

CREATE TABLE staff_departments_new (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, department_id, org_id)
);
INSERT INTO staff_departments_new (user_id, department_id, org_id)
  SELECT sd.user_id, sd.department_id, d.org_id FROM staff_departments sd
  JOIN departments d ON d.id = sd.department_id;
DROP TABLE staff_departments;
ALTER TABLE staff_departments_new RENAME TO staff_departments;
CREATE TRIGGER staff_departments_insert AFTER INSERT ON staff_departments
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER staff_departments_delete AFTER DELETE ON staff_departments
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;

CREATE TABLE membership_sites_new (
  membership_id INTEGER NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
  site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  PRIMARY KEY (membership_id, site_id, company_id)
);
INSERT INTO membership_sites_new (membership_id, site_id, company_id)
  SELECT ms.membership_id, ms.site_id, m.company_id FROM membership_sites ms
  JOIN memberships m ON m.id = ms.membership_id;
DROP TABLE membership_sites;
ALTER TABLE membership_sites_new RENAME TO membership_sites;
CREATE TRIGGER membership_sites_insert AFTER INSERT ON membership_sites
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER membership_sites_delete AFTER DELETE ON membership_sites
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;

-- events is referenced by webhook_deliveries. Renaming both first points that reference at the
-- old table, so dropping the old tables deletes nothing from the new ones.
ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_old;
ALTER TABLE events RENAME TO events_old;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  company_id INTEGER,
  company_external_id TEXT,
  subject TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (id, org_id)
);
INSERT INTO events (seq, id, org_id, type, company_id, company_external_id, subject, data,
                    created_at)
  SELECT seq, id, org_id, type, company_id, company_external_id, subject, data, created_at
  FROM events_old;
-- A sequence never goes back, even past events already pruned.
DELETE FROM sqlite_sequence WHERE name = 'events';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'events', seq FROM sqlite_sequence WHERE name = 'events_old';
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  response_code INTEGER,
  last_error TEXT,
  last_attempt_at INTEGER,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL
);
INSERT INTO webhook_deliveries (id, org_id, endpoint_id, event_seq, message_id, status, attempts,
                                response_code, last_error, last_attempt_at, delivered_at,
                                created_at)
  SELECT d.id, w.org_id, d.endpoint_id, d.event_seq, d.message_id, d.status, d.attempts,
         d.response_code, d.last_error, d.last_attempt_at, d.delivered_at, d.created_at
  FROM webhook_deliveries_old d JOIN webhook_endpoints w ON w.id = d.endpoint_id;
DROP TABLE webhook_deliveries_old;
DROP TABLE events_old;
CREATE INDEX events_org_seq ON events (org_id, seq);
CREATE INDEX events_created ON events (created_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_seq);
-- dialect: postgres
ALTER TABLE agent_users ADD COLUMN org_id BIGINT REFERENCES organizations (id) ON DELETE CASCADE;
UPDATE agent_users au SET org_id = a.org_id FROM agents a WHERE a.id = au.agent_id;
ALTER TABLE agent_users ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE agent_users DROP CONSTRAINT agent_users_pkey;
ALTER TABLE agent_users ADD PRIMARY KEY (agent_id, user_id, org_id);

ALTER TABLE staff_departments ADD COLUMN org_id BIGINT
  REFERENCES organizations (id) ON DELETE CASCADE;
UPDATE staff_departments sd SET org_id = d.org_id FROM departments d WHERE d.id = sd.department_id;
ALTER TABLE staff_departments ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE staff_departments DROP CONSTRAINT staff_departments_pkey;
ALTER TABLE staff_departments ADD PRIMARY KEY (user_id, department_id, org_id);

ALTER TABLE membership_sites ADD COLUMN company_id BIGINT
  REFERENCES companies (id) ON DELETE CASCADE;
UPDATE membership_sites ms SET company_id = m.company_id FROM memberships m
  WHERE m.id = ms.membership_id;
ALTER TABLE membership_sites ALTER COLUMN company_id SET NOT NULL;
ALTER TABLE membership_sites DROP CONSTRAINT membership_sites_pkey;
ALTER TABLE membership_sites ADD PRIMARY KEY (membership_id, site_id, company_id);

ALTER TABLE events DROP CONSTRAINT events_id_key;
ALTER TABLE events ADD CONSTRAINT events_id_org UNIQUE (id, org_id);

ALTER TABLE webhook_deliveries ADD COLUMN org_id BIGINT
  REFERENCES organizations (id) ON DELETE CASCADE;
UPDATE webhook_deliveries d SET org_id = w.org_id FROM webhook_endpoints w
  WHERE w.id = d.endpoint_id;
ALTER TABLE webhook_deliveries ALTER COLUMN org_id SET NOT NULL;
-- dialect: all

DROP INDEX api_keys_hash;
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash, org_id);
DROP INDEX invitations_token;
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash, org_id);
DROP INDEX signup_links_token;
CREATE UNIQUE INDEX signup_links_token ON signup_links (token_hash, org_id);
