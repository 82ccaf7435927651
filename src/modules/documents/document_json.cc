#include "modules/documents/document_json.h"

#include "access/audit_api.h"
#include "core/json_writer.h"
#include "core/text.h"

namespace portico::documents {

using nlohmann::json;

json moneyToJson(const core::Money& m) {
  return {{"amount", core::amountText(m.minor, m.currency)}, {"currency", m.currency}};
}

void writeMoney(core::JsonWriter& w, std::int64_t minor, const std::string& currency) {
  w.beginObject()
      .field("amount", core::amountText(minor, currency))
      .field("currency", currency)
      .endObject();
}

namespace {

json optional(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

void writeDocument(core::JsonWriter& w, const Document& d, const std::string& today, bool detail) {
  w.beginObject()
      .field("id", d.id.value)
      .field("company_id", d.company_id.value)
      .field("company_name", d.company_name)
      .field("site_id", d.site_id)
      .field("site_name", d.site_id ? std::optional<std::string_view>(d.site_name) : std::nullopt)
      .field("external_id", d.external_id)
      .field("number", d.number)
      .field("status", effectiveStatus(d, today))
      .field("title", d.title)
      .field("date", d.date)
      .field(untilName(d.kind), d.until)
      .field("currency", d.currency);
  writeMoney(w.key("subtotal"), d.subtotal, d.currency);
  writeMoney(w.key("vat"), d.vat, d.currency);
  writeMoney(w.key("total"), d.total, d.currency);
  w.field("reference", d.reference)
      .field("delivery_address", d.delivery_address)
      .field("billing_address", d.billing_address)
      .field("pdf_url", "/api/v1/" + std::string(kindPlural(d.kind)) + "/" +
                            std::to_string(d.id.value) + "/pdf")
      .field("language", d.language)
      .field("updated_at", core::rfc3339(d.updated_at));
  if (d.kind == Kind::Invoice) {
    w.field("payment_reference", d.payment_reference.empty() ? d.number : d.payment_reference);
    writeMoney(w.key("paid"), d.paid, d.currency);
    writeMoney(w.key("outstanding"), d.outstanding(), d.currency);
    w.field("overdue", isOverdue(d, today));
  }
  if (detail) {
    w.key("lines").beginArray();
    for (const auto& l : d.lines) {
      w.beginObject()
          .field("description", l.description)
          .field("quantity", core::quantityText(l.quantity))
          .field("unit", l.unit);
      writeMoney(w.key("unit_price"), l.unit_price, d.currency);
      w.field("vat_rate", core::rateText(l.vat_rate));
      writeMoney(w.key("amount"), l.amount, d.currency);
      w.field("sku", l.sku.empty() ? std::nullopt : std::optional<std::string_view>(l.sku));
      if (l.product_id) w.field("product_id", *l.product_id);
      if (!l.price_rule.empty()) w.field("price_rule", l.price_rule);
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();
}

}  // namespace

json documentToJson(const Document& d, const std::string& today, bool detail) {
  std::string out;
  core::JsonWriter w(out);
  writeDocument(w, d, today, detail);
  return json::parse(out);
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

std::string pageToJson(const DocumentPage& page) {
  std::string out;
  out.reserve(1024 + page.items.size() * 800);
  core::JsonWriter w(out);
  w.beginObject().key("items").beginArray();
  for (const auto& d : page.items) writeDocument(w, d, page.today, false);
  w.endArray()
      .field("next_cursor", page.next ? std::optional(cursorText(*page.next)) : std::nullopt)
      .key("totals")
      .beginArray();
  for (const auto& t : page.totals) {
    w.beginObject().field("currency", t.currency).field("count", t.count);
    writeMoney(w.key("total"), t.total, t.currency);
    writeMoney(w.key("outstanding"), t.outstanding, t.currency);
    w.endObject();
  }
  w.endArray().endObject();
  return out;
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
