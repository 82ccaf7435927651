-- Devices (src/modules/devices): the items a company has at its sites, from the ERP. Each has a
-- code, printed on its label as a QR code, that opens the device's page when scanned.
CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  site_id INTEGER REFERENCES sites (id) ON DELETE SET NULL,
  external_id TEXT,                 -- the ERP's id
  name TEXT NOT NULL,
  serial TEXT NOT NULL,             -- unique in the organization
  model TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok', 'attention', 'fault', 'offline')),
  -- The ERP's key-value properties as a JSON object of strings, always read with the device.
  properties TEXT NOT NULL DEFAULT '{}',
  last_service TEXT,                -- 'YYYY-MM-DD'
  next_service TEXT,
  -- What a scan opens (/d/{code}): unguessable (2^48 codes), so that it names one device in the
  -- whole deployment although it is unique only per organization (the schema stays distributable
  -- by org_id); a new one at every rotation, and the old one then names nothing.
  code TEXT NOT NULL,
  code_rotated_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX devices_external ON devices (org_id, external_id);
CREATE UNIQUE INDEX devices_serial ON devices (org_id, serial);
CREATE UNIQUE INDEX devices_org_code ON devices (org_id, code);
CREATE INDEX devices_code ON devices (code);
-- A customer's lists, by name, with and without a status, within companies or at sites.
CREATE INDEX devices_company ON devices (company_id, name, id);
CREATE INDEX devices_company_status ON devices (company_id, status, name, id);
CREATE INDEX devices_site ON devices (site_id, name, id);
-- Staff's lists: the organization's.
CREATE INDEX devices_org ON devices (org_id, name, id);
-- A device's cases (cases.device_id names a device from now on).
CREATE INDEX cases_device ON cases (device_id, id);
