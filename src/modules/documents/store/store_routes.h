#pragma once

#include "core/json_writer.h"
#include "http/message.h"
#include "identity/guard.h"
#include "modules/documents/document_service.h"
#include "modules/documents/store/store_service.h"

namespace portico::documents {

// The catalogue's filters of a request, the same for the API and the pages:
// ?category=&q=&limit= (≤ 200)&cursor=. InvalidInput naming the one at fault.
core::Result<ProductFilter> parseProductFilter(const http::Request& r);

// A product as the store answers it: {id, external_id, sku, name, description, category,
// family, unit, vat_rate, licences: [{name, description}], price: {amount, currency} or null
// (no price: ask for a quote), and where a rule made the price list_price and price_rule}.
void writePricedProduct(core::JsonWriter& w, const PricedProduct& p);

// The store's API, each a signed-in route whose service asks the policy:
//   GET  /api/v1/store/products?company_id= (category, q, limit, cursor): {items, next_cursor,
//        currency, categories} (StoreService::catalogue)
//   GET  /api/v1/store/products/{id}?company_id= (quantity): the product at the company's price
//   POST /api/v1/orders {company_id, lines: [{product_id, quantity}], delivery: {site_id} or
//        {address}, reference?}: 201 the order as GET /api/v1/orders/{id} answers it
void registerStoreRoutes(identity::GuardedRoutes& routes, StoreService& store,
                         DocumentService& documents);

}  // namespace portico::documents
