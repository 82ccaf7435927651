-- The PDFs of documents (src/modules/documents/document_pdf.h) and what they print: the
-- organization's letterhead and payment details, the customer's invoice address and the payment
-- reference. A PDF is the ERP's own (PUT …/pdf) or the one Portico renders, frozen at its first
-- print once the record is issued or sent: the bytes in files, their SHA-256 here.
ALTER TABLE documents ADD COLUMN billing_address TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN payment_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN pdf_file_id INTEGER REFERENCES files (id);
ALTER TABLE documents ADD COLUMN pdf_sha256 TEXT;
ALTER TABLE documents ADD COLUMN pdf_source TEXT CHECK (pdf_source IN ('erp', 'portal'));

-- One row an organization: what its documents print about it.
CREATE TABLE document_settings (
  org_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  legal_name TEXT NOT NULL DEFAULT '',    -- '' the organization's name
  address TEXT NOT NULL DEFAULT '',
  org_number TEXT NOT NULL DEFAULT '',
  vat_number TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',       -- phone, e-mail, web: one line
  payment_details TEXT NOT NULL DEFAULT '',  -- bank account, IBAN, BIC: how to pay an invoice
  logo_file_id INTEGER REFERENCES files (id),
  updated_at INTEGER NOT NULL
);
