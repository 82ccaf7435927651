-- Identity: organizations, users, sessions, second factors, one-time tokens, throttling, audit.
-- Portable SQL: INTEGER ids, INTEGER Unix-second timestamps, TEXT everywhere else.

CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  require_mfa INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX organizations_name ON organizations (name);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,                    -- lower-cased
  password_hash TEXT,                     -- Argon2id; NULL until the user sets one
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'en',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
  totp_secret TEXT,                       -- encrypted (secretbox), confirmed
  totp_pending_secret TEXT,               -- encrypted, awaiting the first code
  totp_last_step INTEGER,                 -- last accepted time step: codes never count twice
  sms_phone TEXT,                         -- verified number for SMS codes
  created_at INTEGER NOT NULL,
  password_changed_at INTEGER,
  last_login_at INTEGER
);
CREATE UNIQUE INDEX users_email ON users (email);

-- Staff of an organization (issue 3 adds company memberships beside it).
CREATE TABLE staff_members (
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'department_admin', 'content_creator', 'support',
                                     'personnel')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX staff_members_user ON staff_members (user_id);

CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,               -- SHA-256 of the bearer token or cookie value
  kind TEXT NOT NULL CHECK (kind IN ('web', 'api')),
  mfa_done INTEGER NOT NULL DEFAULT 0,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sms_challenges (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('login', 'enroll')),
  phone TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX sms_challenges_session ON sms_challenges (session_id);
CREATE INDEX sms_challenges_user ON sms_challenges (user_id, created_at);

-- Failed (and, for SMS, sent) attempts per bucket ("login-account:…", "login-ip:…"), for throttling.
CREATE TABLE auth_attempts (
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX auth_attempts_bucket ON auth_attempts (bucket, at);

-- Single-use links that register a login: an organization's first administrator (from
-- `portico init`) and, from issue 3, a company's first administrator.
CREATE TABLE signup_links (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('org_admin', 'company_admin')),
  company_id INTEGER,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX signup_links_token ON signup_links (token_hash);

CREATE TABLE password_resets (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE UNIQUE INDEX password_resets_token ON password_resets (token_hash);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  actor_user_id INTEGER,
  subject_user_id INTEGER,
  org_id INTEGER,
  company_id INTEGER,
  ip TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
CREATE INDEX audit_log_subject ON audit_log (subject_user_id, at);
