#pragma once

#include <memory>

#include "access/policy.h"
#include "identity/guard.h"
#include "modules/documents/document_service.h"
#include "modules/documents/store/store_service.h"
#include "web/views.h"

namespace portico::documents {

// The store's pages (signed-in; StoreService decides what each caller sees and may do), in plain
// forms that work without JavaScript:
//   GET  /store (company_id, category, q, cursor)       the catalogue at the company's prices
//   GET  /store/products/{id} (company_id)               a product, its licence types, its price
//   GET  /store/cart (company_id)                        the cart, priced, and the checkout form
//   POST /store/cart {company_id, product_id, quantity, action: add|set|remove}
//   POST /store/checkout {company_id, delivery: site|address, site_id, address, reference}
//        places the order (the cart's lines) and shows it
//   POST /store/quote {company_id, text}                 asks for a quote of the cart instead
// Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerStorePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                         StoreService& store, DocumentService& documents,
                                         const web::Views& views);

}  // namespace portico::documents
