-- One throttle for every limit (identity/throttle.h): hits of named buckets ("login-account:…",
-- "invitation-to:…", "export-by:…"), timed in milliseconds so that a delay is never over early.
-- In the database, so that every node serving it counts the same hits.
CREATE TABLE throttle_hits (
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX throttle_hits_bucket ON throttle_hits (bucket, at_ms);
INSERT INTO throttle_hits (bucket, at_ms) SELECT bucket, at * 1000 FROM auth_attempts;
DROP TABLE auth_attempts;
