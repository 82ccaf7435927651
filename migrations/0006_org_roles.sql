-- Role presets an organization defines on top of the built-in ones (administrator, user, ...).
-- A membership with such a role stores the role's key and a copy of its permissions; changing
-- the role's permissions rewrites those copies (and so moves the access version).
CREATE TABLE org_roles (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  permissions TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX org_roles_key ON org_roles (org_id, key);
