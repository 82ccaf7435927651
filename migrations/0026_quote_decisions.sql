-- A customer's decision on a quote (src/modules/documents): accepted with the signer's typed name
-- and "I accept the terms", or declined with a reason; who, when, from which address and browser,
-- and the SHA-256 of the frozen PDF that was accepted. One a quote.
CREATE TABLE quote_decisions (
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'declined')),
  signer_name TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL DEFAULT '',
  pdf_sha256 TEXT NOT NULL DEFAULT '',
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (document_id, company_id)
);

-- A customer's request for a new quote: free text and/or products, for the ERP (quote.requested).
CREATE TABLE quote_requests (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  text TEXT NOT NULL,
  lines TEXT NOT NULL DEFAULT '[]',  -- [{product_id, quantity}] as JSON
  created_at INTEGER NOT NULL
);
CREATE INDEX quote_requests_company ON quote_requests (company_id, id);
