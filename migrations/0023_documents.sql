-- My pages (src/modules/documents): a company's agreements, orders, quotes and invoices, from the
-- ERP and (orders, quote requests) from the store. Money in integer minor units of the record's
-- currency, never a float; dates as 'YYYY-MM-DD'; times in seconds since 1970.
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('agreement', 'order', 'quote', 'invoice')),
  number TEXT NOT NULL,             -- as printed: the ERP's number
  external_id TEXT,                 -- the ERP's id
  status TEXT NOT NULL,             -- one of the kind's (documents/document.h)
  title TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL,
  subtotal INTEGER NOT NULL,        -- the lines' amounts, excluding VAT
  vat INTEGER NOT NULL,
  total INTEGER NOT NULL,
  paid INTEGER NOT NULL DEFAULT 0,  -- invoices: what has been paid of the total
  doc_date TEXT NOT NULL,           -- the record's date (an agreement's start)
  until_date TEXT,                  -- due date, valid until, delivery date, end date
  site_id INTEGER REFERENCES sites (id) ON DELETE SET NULL,
  delivery_address TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',  -- the customer's own reference
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,  -- who placed or requested it
  language TEXT NOT NULL DEFAULT 'en',
  -- The lines, as a JSON array: always read and written with their record, never alone, so one
  -- row per record (an import of a million invoices writes a million rows, not ten).
  lines TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX documents_external ON documents (org_id, kind, external_id);
CREATE UNIQUE INDEX documents_number ON documents (org_id, kind, number);
-- A customer's lists: newest first within a company, with or without a status.
CREATE INDEX documents_company ON documents (company_id, kind, doc_date, id);
CREATE INDEX documents_company_status ON documents (company_id, kind, status, doc_date, id);
CREATE INDEX documents_site ON documents (site_id, kind, doc_date, id);
-- Staff's lists: the organization's.
CREATE INDEX documents_org ON documents (org_id, kind, doc_date, id);

-- What changed on a record, for its history: its status.
CREATE TABLE document_changes (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,  -- nobody: the ERP
  field TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX document_changes_document ON document_changes (document_id, id);
