-- Uploaded files (src/files) and the attachments of support cases. Times in seconds since 1970.

-- The bytes of an organization's files, once per content: the same bytes uploaded twice are one
-- row. In the database, so that a backup and every node hold them.
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,             -- hex
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX files_hash ON files (sha256, org_id);

-- A file attached to a case: to the case itself, or to one of its comments. The name is the
-- uploader's, made safe (its extension agrees with the type); the type was decided from the bytes.
CREATE TABLE case_attachments (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  comment_id INTEGER REFERENCES case_comments (id) ON DELETE SET NULL,
  file_id INTEGER NOT NULL REFERENCES files (id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  by_staff INTEGER NOT NULL DEFAULT 0,
  internal INTEGER NOT NULL DEFAULT 0,  -- with an internal note: staff only
  created_at INTEGER NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id, id);
CREATE INDEX case_attachments_file ON case_attachments (file_id);
