-- The integration framework (src/integration/): records of the ERP are named by their
-- external_id, unique per organization and kind; and the first answers of Idempotency-Keys.

-- Sites and contacts carry their organization, so that (org_id, external_id) can be unique.
ALTER TABLE sites ADD COLUMN org_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE;
UPDATE sites SET org_id = (SELECT c.org_id FROM companies c WHERE c.id = sites.company_id);
-- Nothing wrote a site's external_id before this; should two share one, the older keeps it.
UPDATE sites SET external_id = NULL
  WHERE external_id IS NOT NULL AND id NOT IN (
    SELECT MIN(id) FROM sites WHERE external_id IS NOT NULL GROUP BY org_id, external_id);
CREATE UNIQUE INDEX sites_external ON sites (org_id, external_id);

ALTER TABLE contacts ADD COLUMN org_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE;
ALTER TABLE contacts ADD COLUMN external_id TEXT;
UPDATE contacts SET org_id = (SELECT c.org_id FROM companies c WHERE c.id = contacts.company_id);
CREATE UNIQUE INDEX contacts_external ON contacts (org_id, external_id);

-- An Idempotency-Key of an organization: the request it was first used for (method, path and
-- the SHA-256 of its body) and, once answered, the answer (status NULL while the first request
-- runs). Kept 24 hours from created_at (seconds since 1970).
CREATE TABLE idempotency_keys (
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  status INTEGER,
  answer TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
