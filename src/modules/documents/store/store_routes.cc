#include "modules/documents/store/store_routes.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "core/json_writer.h"
#include "core/money.h"
#include "core/text.h"
#include "http/error_response.h"
#include "modules/documents/document_json.h"
#include "modules/documents/document_routes.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kMaxLimit = 200;
constexpr int kPageSize = 50;

core::Result<core::CompanyId> companyParam(const Request& r) {
  auto v = access::queryField(r, "company_id");
  auto id = core::positiveNumber(v, INT64_MAX);
  if (!id) return fail(Error::invalid("errors.documents.company_required", "company_id"));
  return core::CompanyId{*id};
}

core::Result<OrderRequest> parseOrder(const Request& r) {
  auto body = identity::parseJsonObject(r.body);
  if (!body) return fail(body.error());
  OrderRequest o;
  auto company = body->find("company_id");
  if (company == body->end() || !company->is_number_integer() || company->get<std::int64_t>() < 1) {
    return fail(Error::invalid("errors.documents.company_required", "company_id"));
  }
  o.company = core::CompanyId{company->get<std::int64_t>()};
  auto lines = parseProductLines(*body);
  if (!lines) return fail(lines.error());
  o.lines = std::move(*lines);
  auto delivery = body->find("delivery");
  if (delivery == body->end() || !delivery->is_object()) {
    return fail(Error::invalid("errors.store.delivery", "delivery"));
  }
  if (auto site = delivery->find("site_id"); site != delivery->end() && !site->is_null()) {
    if (!site->is_number_integer() || site->get<std::int64_t>() < 1) {
      return fail(Error::invalid("errors.store.unknown_site", "delivery.site_id"));
    }
    o.site_id = site->get<std::int64_t>();
  }
  if (auto address = delivery->find("address"); address != delivery->end() && !address->is_null()) {
    if (!address->is_string())
      return fail(Error::invalid("errors.store.bad_address", "delivery.address"));
    o.address = address->get<std::string>();
  }
  if (auto reference = body->find("reference"); reference != body->end() && !reference->is_null()) {
    if (!reference->is_string()) {
      return fail(Error::invalid("errors.store.bad_reference", "reference"));
    }
    o.reference = reference->get<std::string>();
  }
  return o;
}

}  // namespace

core::Result<ProductFilter> parseProductFilter(const Request& r) {
  if (!r.query()) return fail(Error::invalid("errors.access.bad_query"));
  ProductFilter f;
  f.limit = kPageSize;
  if (auto v = access::queryField(r, "limit"); !v.empty()) {
    auto n = core::positiveNumber(v, kMaxLimit);
    if (!n) return fail(access::numberOutOfRange("limit", kMaxLimit));
    f.limit = static_cast<int>(*n);
  }
  f.category = std::string(core::trim(access::queryField(r, "category")));
  f.query = std::string(core::trim(access::queryField(r, "q")));
  if (auto v = access::queryField(r, "cursor"); !v.empty()) {
    f.after = parseProductCursor(v);
    if (!f.after) return fail(Error::invalid("errors.documents.bad_cursor", "cursor"));
  }
  return f;
}

void writePricedProduct(core::JsonWriter& w, const PricedProduct& pp) {
  const auto& p = pp.product;
  w.beginObject()
      .field("id", p.id)
      .field("external_id", p.external_id)
      .field("sku", p.sku)
      .field("name", p.name)
      .field("description", p.description)
      .field("category", p.category)
      .field("family", p.family)
      .field("unit", p.unit)
      .field("vat_rate", core::rateText(p.vat_rate))
      .key("licences")
      .beginArray();
  for (const auto& l : p.licences) {
    w.beginObject().field("name", l.name).field("description", l.description).endObject();
  }
  w.endArray();
  if (!pp.price) {
    w.key("price").null();
  } else {
    writeMoney(w.key("price"), pp.price->unit_price, pp.price->currency);
    if (!pp.price->rule.empty()) w.field("price_rule", pp.price->rule);
    if (pp.price->list_price && *pp.price->list_price != pp.price->unit_price) {
      writeMoney(w.key("list_price"), *pp.price->list_price, pp.price->currency);
    }
  }
  w.endObject();
}

void registerStoreRoutes(identity::GuardedRoutes& routes, StoreService& store,
                         DocumentService& documents) {
  routes.api("GET", "/api/v1/store/products", Access::SignedIn, [&store](Request& r, Context& c) {
    auto company = companyParam(r);
    if (!company) return http::jsonError(company.error());
    auto f = parseProductFilter(r);
    if (!f) return http::jsonError(f.error());
    auto page = store.catalogue(*c.principal, *company, *f);
    if (!page) return http::jsonError(page.error());
    std::string out;
    core::JsonWriter w(out);
    w.beginObject().key("items").beginArray();
    for (const auto& p : page->items) writePricedProduct(w, p);
    w.endArray()
        .field("next_cursor",
               page->next ? std::optional(productCursorText(*page->next)) : std::nullopt)
        .field("currency", page->currency)
        .key("categories")
        .beginArray();
    for (const auto& category : page->categories) w.value(category);
    w.endArray().endObject();
    return Response::json(200, std::move(out));
  });
  routes.api("GET", "/api/v1/store/products/{id}", Access::SignedIn,
             [&store](Request& r, Context& c) {
               auto company = companyParam(r);
               if (!company) return http::jsonError(company.error());
               std::int64_t quantity = 1000;
               if (auto v = access::queryField(r, "quantity"); !v.empty()) {
                 auto q = core::parseQuantity(v);
                 if (!q)
                   return http::jsonError(Error::invalid("errors.store.bad_quantity", "quantity"));
                 quantity = *q;
               }
               auto p = store.product(*c.principal, *company, r.idParam("id"), quantity);
               if (!p) return http::jsonError(p.error());
               std::string out;
               core::JsonWriter w(out);
               writePricedProduct(w, *p);
               return Response::json(200, std::move(out));
             });
  routes.api("POST", "/api/v1/orders", Access::SignedIn,
             [&store, &documents](Request& r, Context& c) {
               auto o = parseOrder(r);
               if (!o) return http::jsonError(o.error());
               auto d = store.placeOrder(*c.principal, *o, c.origin);
               if (!d) return http::jsonError(d.error());
               auto seen = documents.find(*c.principal, Kind::Order, d->id);
               if (!seen) return http::jsonError(seen.error());
               return Response::json(201, seenToJson(*seen).dump());
             });
}

}  // namespace portico::documents
