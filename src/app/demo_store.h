#pragma once

#include <cstdint>

#include "core/ids.h"
#include "modules/documents/store/store_service.h"

namespace portico::app {

// The demo's store: a vendor's catalogue of water purifiers, filters, lamps, licences and service
// (list prices in SEK and EUR, licence types for the licences), a December campaign for every
// customer, and Acme Sverige AB's framework agreement (C-1001), which makes its prices differ from
// the list: 12 % off everything, its own price of the AquaPure 500, a price for ten filters or
// more, and the industrial model that only it may buy. `now` decides the campaign's dates.
// Writes in one transaction.
void seedDemoStore(storage::Connection& conn, documents::StoreService& store, core::OrgId org,
                   std::int64_t now);

}  // namespace portico::app
