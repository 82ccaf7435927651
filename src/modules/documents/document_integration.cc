#include "modules/documents/document_integration.h"

#include <nlohmann/json.hpp>

#include "access/access_api.h"
#include "core/business_hours.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "modules/documents/document_json.h"
#include "modules/documents/record_fields.h"
#include "web/views.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using integration::Caller;
using integration::Upserted;
using nlohmann::json;

constexpr std::size_t kMaxExternalId = 200;
constexpr std::size_t kMaxNumber = 100;
constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxLines = 1000;

core::Result<Line> readLine(const json& j, const std::string& currency) {
  if (!j.is_object()) return fail(Error::invalid("errors.integration.not_object", ""));
  Line l;
  auto description = directory::textField(j, "description", true, kMaxText, "", true);
  if (!description) return fail(description.error());
  l.description = std::move(*description);
  auto sku = directory::textField(j, "sku", false, kMaxNumber);
  if (!sku) return fail(sku.error());
  l.sku = std::move(*sku);
  auto unit = directory::textField(j, "unit", false, 20);
  if (!unit) return fail(unit.error());
  l.unit = std::move(*unit);
  auto quantity = quantityField(j, "quantity");
  if (!quantity) return fail(quantity.error());
  l.quantity = quantity->value_or(1000);
  auto price = amountField(j, "unit_price", currency);
  if (!price) return fail(price.error());
  if (!*price) {
    return fail(Error::invalid("errors.documents.amount_required", "unit_price")
                    .with("field", "unit_price"));
  }
  l.unit_price = **price;
  auto rate = rateField(j, "vat_rate");
  if (!rate) return fail(rate.error());
  l.vat_rate = rate->value_or(0);
  auto given = amountField(j, "amount", currency);
  if (!given) return fail(given.error());
  if (*given) {
    l.amount = **given;
  } else {
    auto computed = core::lineAmount(l.quantity, l.unit_price);
    if (!computed) return fail(Error::invalid("errors.documents.bad_amount", "amount"));
    l.amount = *computed;
  }
  return l;
}

}  // namespace

core::Result<DocumentUpsert> readDocument(Kind kind, const json& record) {
  DocumentUpsert u;
  auto& d = u.document;
  d.kind = kind;
  std::string external_id;
  for (auto [key, target, max] :
       {std::tuple{"external_id", &external_id, kMaxExternalId},
        std::tuple{"company_external_id", &u.company_external_id, kMaxExternalId},
        std::tuple{"number", &d.number, kMaxNumber}, std::tuple{"currency", &d.currency, 3ul}}) {
    auto v = directory::textField(record, key, true, max);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  d.external_id = std::move(external_id);
  if (!core::isCurrencyCode(d.currency)) {
    return fail(Error::invalid("errors.documents.bad_currency", "currency"));
  }
  auto status = optionalTextField(record, "status", 40);
  if (!status) return fail(status.error());
  if (*status && !isStatus(kind, **status)) {
    return fail(Error::invalid("errors.documents.bad_status", "status"));
  }
  u.status = std::move(*status);
  auto title = directory::textField(record, "title", false, kMaxTitle);
  if (!title) return fail(title.error());
  d.title = std::move(*title);
  auto address = directory::textField(record, "delivery_address", false, kMaxText, "", true);
  if (!address) return fail(address.error());
  d.delivery_address = std::move(*address);
  auto reference = directory::textField(record, "reference", false, kMaxTitle);
  if (!reference) return fail(reference.error());
  d.reference = std::move(*reference);
  auto billing = directory::textField(record, "billing_address", false, kMaxText, "", true);
  if (!billing) return fail(billing.error());
  d.billing_address = std::move(*billing);
  auto payment_reference = directory::textField(record, "payment_reference", false, kMaxNumber);
  if (!payment_reference) return fail(payment_reference.error());
  d.payment_reference = std::move(*payment_reference);
  auto language = directory::textField(record, "language", false, 5, "en");
  if (!language) return fail(language.error());
  if (std::find(std::begin(web::kLanguages), std::end(web::kLanguages), *language) ==
      std::end(web::kLanguages)) {
    return fail(Error::invalid("errors.documents.bad_language", "language"));
  }
  d.language = std::move(*language);
  auto doc_date = dateField(record, "date");
  if (!doc_date) return fail(doc_date.error());
  d.date = doc_date->value_or("");
  auto until_key = std::string(untilName(kind));
  auto until = dateField(record, until_key.c_str());
  if (!until) return fail(until.error());
  d.until = *until;
  auto site = optionalTextField(record, "site_external_id", kMaxExternalId);
  if (!site) return fail(site.error());
  if (*site && !(*site)->empty()) u.site_external_id = std::move(*site);
  auto owner = optionalTextField(record, "owner_email", 254);
  if (!owner) return fail(owner.error());
  if (*owner && !(*owner)->empty()) {
    auto email = core::asciiLower(**owner);
    if (!core::looksLikeEmail(email)) {
      return fail(Error::invalid("errors.directory.bad_email", "owner_email"));
    }
    u.owner_email = std::move(email);
  }
  if (record.contains("lines") && !record["lines"].is_null()) {
    const auto& lines = record["lines"];
    if (!lines.is_array()) {
      return fail(Error::invalid("errors.integration.not_array", "lines").with("field", "lines"));
    }
    if (lines.size() > kMaxLines) {
      return fail(Error::invalid("errors.integration.too_many", "lines")
                      .with("max", std::to_string(kMaxLines)));
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto l = readLine(lines[i], d.currency);
      if (!l) return fail(underField(l.error(), "lines[" + std::to_string(i) + "]"));
      d.lines.push_back(std::move(*l));
    }
  }
  // The totals: as sent, else from the lines.
  auto computed = totalsOf(d.lines);
  auto given_subtotal = amountField(record, "subtotal", d.currency);
  auto given_vat = amountField(record, "vat", d.currency);
  auto given_total = amountField(record, "total", d.currency);
  auto given_paid = amountField(record, "paid", d.currency);
  for (const auto* v : {&given_subtotal, &given_vat, &given_total, &given_paid}) {
    if (!*v) return fail(v->error());
  }
  d.subtotal = given_subtotal->value_or(computed.subtotal);
  d.vat = given_vat->value_or(computed.vat);
  d.total = given_total->value_or(d.subtotal + d.vat);
  if (std::abs(d.subtotal) > core::kMaxMinor || std::abs(d.total) > core::kMaxMinor) {
    return fail(Error::invalid("errors.documents.bad_amount", "total").with("field", "total"));
  }
  if (*given_paid) {
    if (kind != Kind::Invoice) {
      return fail(Error::invalid("errors.documents.paid_for_invoices", "paid"));
    }
    u.paid = **given_paid;
  }
  return u;
}

void registerDocumentKinds(integration::Kinds& kinds, DocumentService& service,
                           access::AccessRepository& companies, audit::AuditLog& audit) {
  for (auto kind : kKinds) {
    kinds.add(std::make_unique<integration::KindOf<DocumentUpsert>>(
        std::string(kindPlural(kind)),
        [kind](const json& record) { return readDocument(kind, record); },
        [&service, &companies, &audit](const Caller& caller, const DocumentUpsert& u,
                                       std::string* answer) -> core::Result<Upserted> {
          auto company = access::recordCompany(companies, caller.org, u.company_external_id);
          if (!company) return fail(company.error());
          auto done = service.upsert(*company, u);
          if (!done) return fail(done.error());
          const auto& d = done->document;
          audit.record(
              caller.actor,
              {std::string(kindName(d.kind)) + (done->created ? ".created" : ".updated"),
               std::nullopt, caller.org, company->id,
               json{{"external_id", d.external_id.value_or("")}, {"number", d.number}}.dump()});
          if (answer) {
            auto j = documentToJson(d, service.today(), true);
            j["company_external_id"] = u.company_external_id;
            *answer = j.dump();
          }
          return Upserted{d.id.value, done->created};
        }));
  }
}

}  // namespace portico::documents
