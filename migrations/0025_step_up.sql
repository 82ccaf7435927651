-- Step-up (identity::IdentityService::requireStepUp): paying, accepting a quote, revealing a
-- credential and changing someone's rights need a second factor entered in the last 5 minutes.
-- The time of the session's last second factor (at sign-in, or a step-up since); 0 none.
ALTER TABLE sessions ADD COLUMN step_up_at INTEGER NOT NULL DEFAULT 0;
-- Whether the organization asks for it (on by default).
ALTER TABLE organizations ADD COLUMN step_up INTEGER NOT NULL DEFAULT 1;
