-- Service jobs (src/modules/service_jobs): visits at a company's site, from the ERP, assigned to
-- one of the organization's personnel, optionally for devices and a case. ("jobs" is the
-- delivery queue's table.)
CREATE TABLE service_jobs (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  site_id INTEGER REFERENCES sites (id) ON DELETE SET NULL,
  external_id TEXT NOT NULL,        -- the ERP's id
  number TEXT NOT NULL,             -- as the ERP prints it
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'en_route', 'on_site', 'done', 'cancelled')),
  window_start INTEGER NOT NULL,    -- when the visit may begin and must end, seconds since 1970
  window_end INTEGER NOT NULL,
  personnel_id INTEGER REFERENCES personnel (id) ON DELETE SET NULL,
  case_id INTEGER REFERENCES cases (id) ON DELETE SET NULL,
  notes TEXT NOT NULL DEFAULT '',
  minutes_spent INTEGER NOT NULL DEFAULT 0,
  -- The parts used, as a JSON array of {description, quantity}: always read with the job.
  parts TEXT NOT NULL DEFAULT '[]',
  signed_by TEXT,                   -- the customer's typed name on completion
  signed_at INTEGER,
  -- One more at every change: the job's ETag, so that a change made on stale data is refused.
  revision INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX service_jobs_external ON service_jobs (org_id, external_id);
CREATE UNIQUE INDEX service_jobs_number ON service_jobs (org_id, number);
-- A customer's lists (newest visit first) within companies or at sites; staff's; a technician's.
CREATE INDEX service_jobs_company ON service_jobs (company_id, window_start, id);
CREATE INDEX service_jobs_site ON service_jobs (site_id, window_start, id);
CREATE INDEX service_jobs_org ON service_jobs (org_id, window_start, id);
CREATE INDEX service_jobs_personnel ON service_jobs (personnel_id, window_start, id);

-- The devices a job is for.
CREATE TABLE service_job_devices (
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  job_id INTEGER NOT NULL REFERENCES service_jobs (id) ON DELETE CASCADE,
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  PRIMARY KEY (company_id, job_id, device_id)
);
CREATE INDEX service_job_devices_device ON service_job_devices (device_id, job_id);
CREATE INDEX service_job_devices_job ON service_job_devices (job_id);
