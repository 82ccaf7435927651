-- The durable job queue (src/jobs/): every side effect (a mail, a text message, later a webhook
-- delivery) is a row written in the transaction of the change that causes it, so that the change
-- and its side effects commit or vanish together. Workers claim due rows with a lease; a row whose
-- lease ran out (its worker died) is due again, so a job runs once normally and at most once more
-- after a crash. Times in milliseconds since 1970.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                     -- 'mail', 'sms', 'password_reset', …
  payload TEXT NOT NULL,                  -- the handler's input (sealed where it holds secrets)
  state TEXT NOT NULL DEFAULT 'queued',   -- queued | running | done | failed
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at INTEGER NOT NULL,                -- due from then
  give_up_at INTEGER NOT NULL,            -- no retry is scheduled after this
  lease_until INTEGER,                    -- while running: the claim's end
  lease_owner TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX jobs_due ON jobs (state, run_at);
