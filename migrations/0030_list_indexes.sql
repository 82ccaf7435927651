-- A customer's lists and their totals from the indexes alone: the columns that a list's filters
-- (status, overdue) and its totals per currency read come after the ordering ones, so that the
-- totals over a few thousand records never visit their rows (which hold the lines).
DROP INDEX documents_company;
DROP INDEX documents_company_status;
DROP INDEX documents_site;
CREATE INDEX documents_company ON documents
  (company_id, kind, doc_date, id, status, currency, total, paid, until_date);
CREATE INDEX documents_company_status ON documents
  (company_id, kind, status, doc_date, id, currency, total, paid, until_date);
CREATE INDEX documents_site ON documents
  (site_id, kind, doc_date, id, status, currency, total, paid, until_date);

-- The store's version per organization: one more at every change of its products or price lists
-- (in the change's transaction), so that what a company's prices are made of may be kept between
-- requests and is read again once the version moves (StoreService).
CREATE TABLE store_versions (
  org_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  version INTEGER NOT NULL
);
