-- Payments of invoices (src/modules/documents/payments): one a checkout through the configured
-- provider. At most one open payment an invoice (a partial unique index); a provider's event is
-- processed once (payment_events), so a replayed one changes nothing.
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,           -- manual, demo, stripe
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'failed', 'cancelled')),
  amount INTEGER NOT NULL,          -- minor units of currency
  currency TEXT NOT NULL,
  provider_ref TEXT,                -- the provider's id of the checkout
  checkout_url TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  paid_at INTEGER
);
CREATE UNIQUE INDEX payments_open ON payments (document_id, company_id) WHERE status = 'open';
CREATE UNIQUE INDEX payments_provider_ref ON payments (provider, provider_ref, org_id);
CREATE INDEX payments_document ON payments (document_id, id);

CREATE TABLE payment_events (
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at INTEGER NOT NULL,
  PRIMARY KEY (provider, event_id, org_id)
);
