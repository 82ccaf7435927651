-- The store (src/modules/documents/store): the organization's products from the ERP, each with a
-- list price per currency; price lists whose rules give chosen companies (or every customer) their
-- own prices; and each person's cart per company. Money in integer minor units, quantities in
-- thousandths, rates in basis points; dates as 'YYYY-MM-DD'; times in seconds since 1970.

-- What a company buys in; without it, the currency of its first price list (store/product.h).
ALTER TABLE companies ADD COLUMN currency TEXT;

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  sku TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  family TEXT NOT NULL DEFAULT '',   -- products one may upgrade between
  unit TEXT NOT NULL DEFAULT '',
  vat_rate INTEGER NOT NULL DEFAULT 0,
  -- The licence types' information, as a JSON array of {name, description}.
  licences TEXT NOT NULL DEFAULT '[]',
  -- The list prices, as a JSON object of currency to minor units ({"SEK": 129900}).
  list_prices TEXT NOT NULL DEFAULT '{}',
  restricted INTEGER NOT NULL DEFAULT 0,  -- seen only by companies whose price lists name it
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX products_external ON products (org_id, external_id);
-- The catalogue: by name within the organization, or within a category.
CREATE INDEX products_catalogue ON products (org_id, active, name, id);
CREATE INDEX products_category ON products (org_id, active, category, name, id);

CREATE TABLE price_lists (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  all_companies INTEGER NOT NULL DEFAULT 1,  -- 0: only the companies of price_list_companies
  valid_from TEXT,
  valid_until TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  -- The rules, as a JSON array (store/product.h PriceRule); read and written with their list.
  rules TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX price_lists_external ON price_lists (org_id, external_id);
CREATE INDEX price_lists_all ON price_lists (org_id, all_companies, active);

CREATE TABLE price_list_companies (
  price_list_id INTEGER NOT NULL REFERENCES price_lists (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  PRIMARY KEY (price_list_id, company_id)
);
CREATE INDEX price_list_companies_company ON price_list_companies (company_id, price_list_id);

-- A person's cart in one company: products and quantities until they order or ask for a quote.
CREATE TABLE cart_lines (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  quantity INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, company_id, product_id)
);
