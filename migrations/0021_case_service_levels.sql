-- Service levels of support cases (src/modules/cases/service_level.h): the organization's
-- working calendar and targets per priority, and each case's clock. And the requester's rating
-- of a resolved case.

-- One row an organization; without one, Monday to Friday 08:00–17:00 UTC and no targets.
CREATE TABLE support_settings (
  org_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  work_days INTEGER NOT NULL DEFAULT 31,  -- bit 0 Monday … bit 6 Sunday
  day_start INTEGER NOT NULL DEFAULT 480,  -- minutes after local midnight
  day_end INTEGER NOT NULL DEFAULT 1020,
  support_email TEXT NOT NULL DEFAULT '',  -- where new cases are announced; '' none
  updated_at INTEGER NOT NULL
);
CREATE TABLE support_holidays (
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  day TEXT NOT NULL,  -- YYYY-MM-DD, local
  name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (org_id, day)
);
-- Working minutes to the first response and to the resolution, per priority; NULL: no target.
CREATE TABLE support_targets (
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  first_response_minutes INTEGER,
  resolution_minutes INTEGER,
  PRIMARY KEY (org_id, priority)
);

-- The clock runs while a case is new or open, stands while it waits, stops once it is resolved.
ALTER TABLE cases ADD COLUMN sla_elapsed INTEGER NOT NULL DEFAULT 0;  -- working s before sla_since
ALTER TABLE cases ADD COLUMN sla_since INTEGER;  -- when it last started; NULL while it stands
ALTER TABLE cases ADD COLUMN first_response_at INTEGER;  -- the first public reply of staff
ALTER TABLE cases ADD COLUMN first_response_due_at INTEGER;
ALTER TABLE cases ADD COLUMN first_response_breached_at INTEGER;
ALTER TABLE cases ADD COLUMN resolution_due_at INTEGER;
ALTER TABLE cases ADD COLUMN resolution_breached_at INTEGER;
ALTER TABLE cases ADD COLUMN sla_next_due INTEGER;  -- the earliest due time still pending
-- The inbox's sort by due time (the expression of the case list's ORDER BY: no due time last).
CREATE INDEX cases_org_due ON cases (org_id, (COALESCE(sla_next_due, 9223372036854775807)), id);

-- The requester's rating once the case is resolved: once, 1 to 5 with an optional comment.
ALTER TABLE cases ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE cases ADD COLUMN rating_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN rated_at INTEGER;

-- The lists' scopes and filters: the cases at a site (a member limited to sites) and the
-- organization's cases by status (the inbox's status filter and its counts).
CREATE INDEX cases_site ON cases (site_id, id);
CREATE INDEX cases_org_status ON cases (org_id, status, id);
