#pragma once

#include <nlohmann/json_fwd.hpp>

#include "audit/audit_log.h"
#include "integration/kind.h"
#include "modules/documents/store/store_service.h"

namespace portico::documents {

// The integration kinds of the store (integration::Kind), each record named by its external_id
// in the API key's organization and sent whole each time:
//   products:    {external_id, name, sku?, description?, category?, family?, unit?, vat_rate?,
//                 licences?: [{name, description?}], list_prices?: {"SEK": "1299.00", …},
//                 restricted?, active?}
//   price-lists: {external_id, name, currency, priority?, company_external_ids?, valid_from?,
//                 valid_until?, active?,
//                 rules: [{product_external_id? | category?, price? | discount?, min_quantity?,
//                          valid_from?, valid_until?}]}
// Amounts are decimal strings in their currency; a VAT rate and a discount percentages ("25",
// "12.5"); quantities decimal strings or integers. A restricted product is seen only by
// companies whose price lists name it in a rule. A price list without company_external_ids is for
// every customer; with them, for those companies only (and wins over every customer's lists). A
// rule names one product, or a category, or neither (every product), and gives a fixed unit price
// or a discount off the list price (exactly one of the two). Each upsert is audited
// (product.created / product.updated, price_list.created / price_list.updated).
void registerStoreKinds(integration::Kinds& kinds, StoreService& service, audit::AuditLog& audit);

// Reads one record as the integration kinds do, without I/O (also the fuzz target's entry).
// InvalidInput naming the field at fault ("rules[2].discount").
core::Result<Product> readProduct(const nlohmann::json& record);
core::Result<PriceListUpsert> readPriceList(const nlohmann::json& record);

// The JSON of a product and of a price list as the integration API answers them.
nlohmann::json productRecordToJson(const Product& p);
nlohmann::json priceListRecordToJson(const PriceList& l,
                                     const std::vector<std::string>& company_external_ids);

}  // namespace portico::documents
