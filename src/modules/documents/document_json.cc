#include "modules/documents/document_json.h"

#include "access/audit_api.h"
#include "core/text.h"

namespace portico::documents {

using nlohmann::json;

json moneyToJson(const core::Money& m) {
  return {{"amount", core::amountText(m.minor, m.currency)}, {"currency", m.currency}};
}

namespace {

json lineToJson(const Line& l, const std::string& currency) {
  json j = {{"description", l.description},
            {"quantity", core::quantityText(l.quantity)},
            {"unit", l.unit},
            {"unit_price", moneyToJson({l.unit_price, currency})},
            {"vat_rate", core::rateText(l.vat_rate)},
            {"amount", moneyToJson({l.amount, currency})}};
  j["sku"] = l.sku.empty() ? json(nullptr) : json(l.sku);
  if (l.product_id) j["product_id"] = *l.product_id;
  if (!l.price_rule.empty()) j["price_rule"] = l.price_rule;
  return j;
}

json optional(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json documentToJson(const Document& d, const std::string& today, bool detail) {
  json j = {{"id", d.id.value},
            {"company_id", d.company_id.value},
            {"company_name", d.company_name},
            {"site_id", d.site_id ? json(*d.site_id) : json(nullptr)},
            {"site_name", d.site_id ? json(d.site_name) : json(nullptr)},
            {"external_id", optional(d.external_id)},
            {"number", d.number},
            {"status", effectiveStatus(d, today)},
            {"title", d.title},
            {"date", d.date},
            {std::string(untilName(d.kind)), optional(d.until)},
            {"currency", d.currency},
            {"subtotal", moneyToJson(d.money(d.subtotal))},
            {"vat", moneyToJson(d.money(d.vat))},
            {"total", moneyToJson(d.money(d.total))},
            {"reference", d.reference},
            {"delivery_address", d.delivery_address},
            {"billing_address", d.billing_address},
            {"pdf_url", "/api/v1/" + std::string(kindPlural(d.kind)) + "/" +
                            std::to_string(d.id.value) + "/pdf"},
            {"language", d.language},
            {"updated_at", core::rfc3339(d.updated_at)}};
  if (d.kind == Kind::Invoice) {
    j["payment_reference"] = d.payment_reference.empty() ? d.number : d.payment_reference;
    j["paid"] = moneyToJson(d.money(d.paid));
    j["outstanding"] = moneyToJson(d.money(d.outstanding()));
    j["overdue"] = isOverdue(d, today);
  }
  if (detail) {
    json lines = json::array();
    for (const auto& l : d.lines) lines.push_back(lineToJson(l, d.currency));
    j["lines"] = std::move(lines);
  }
  return j;
}

json seenToJson(const Seen& s) {
  auto j = documentToJson(s.document, s.today, true);
  json history = json::array();
  for (const auto& c : s.changes) {
    history.push_back({{"field", c.field},
                       {"old_value", optional(c.old_value)},
                       {"new_value", optional(c.new_value)},
                       {"by", optional(c.actor_name)},
                       {"at", core::rfc3339(c.at)}});
  }
  j["history"] = std::move(history);
  if (s.document.kind == Kind::Quote) {
    if (s.decision) {
      const auto& x = *s.decision;
      json d = {{"decision", x.decision},    {"signer_name", x.signer_name},
                {"reason", x.reason},        {"by", x.user ? json(x.user_name) : json(nullptr)},
                {"at", core::rfc3339(x.at)}, {"pdf_sha256", x.pdf_sha256}};
      if (s.staff) {  // where it came from: for the vendor's records
        d["ip"] = x.ip;
        d["user_agent"] = x.user_agent;
      }
      j["decision"] = std::move(d);
    } else {
      j["decision"] = nullptr;
    }
    j["may_decide"] = s.may_decide;
  }
  return j;
}

json quoteRequestToJson(const QuoteRequest& r) {
  json lines = json::array();
  for (const auto& [product, quantity] : r.lines) {
    lines.push_back({{"product_id", product}, {"quantity", core::quantityText(quantity)}});
  }
  return {{"id", r.id},
          {"company_id", r.company_id.value},
          {"company_name", r.company_name},
          {"text", r.text},
          {"lines", std::move(lines)},
          {"status", "requested"},
          {"created_at", core::rfc3339(r.created_at)}};
}

json pageToJson(const DocumentPage& page) {
  json items = json::array();
  for (const auto& d : page.items) items.push_back(documentToJson(d, page.today, false));
  json totals = json::array();
  for (const auto& t : page.totals) {
    totals.push_back({{"currency", t.currency},
                      {"count", t.count},
                      {"total", moneyToJson({t.total, t.currency})},
                      {"outstanding", moneyToJson({t.outstanding, t.currency})}});
  }
  return {{"items", std::move(items)},
          {"next_cursor", page.next ? json(cursorText(*page.next)) : json(nullptr)},
          {"totals", std::move(totals)}};
}

std::string pageToCsv(const DocumentPage& page, Kind kind) {
  using access::csvCell;
  bool invoice = kind == Kind::Invoice;
  std::string out = "number,company,site,date," + std::string(untilName(kind)) +
                    ",status,title,reference,currency,subtotal,vat,total";
  out += invoice ? ",paid,outstanding,overdue\r\n" : "\r\n";
  for (const auto& d : page.items) {
    out += csvCell(d.number) + "," + csvCell(d.company_name) + "," + csvCell(d.site_name) + "," +
           csvCell(d.date) + "," + csvCell(d.until.value_or("")) + "," +
           csvCell(effectiveStatus(d, page.today)) + "," + csvCell(d.title) + "," +
           csvCell(d.reference) + "," + csvCell(d.currency);
    // Amounts bare: digits, a point and perhaps a minus, numbers to a spreadsheet (a quoted,
    // neutralised "-12.00" would be text).
    for (auto v : {d.subtotal, d.vat, d.total}) out += "," + core::amountText(v, d.currency);
    if (invoice) {
      out += "," + core::amountText(d.paid, d.currency) + "," +
             core::amountText(d.outstanding(), d.currency) + "," +
             (isOverdue(d, page.today) ? "true" : "false");
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace portico::documents
