#include "modules/documents/document.h"

#include <algorithm>
#include <map>

#include "core/business_hours.h"
#include "core/text.h"

namespace portico::documents {

std::string_view kindName(Kind k) {
  switch (k) {
    case Kind::Agreement:
      return "agreement";
    case Kind::Order:
      return "order";
    case Kind::Quote:
      return "quote";
    case Kind::Invoice:
      return "invoice";
  }
  return "invoice";
}

std::string_view kindPlural(Kind k) {
  switch (k) {
    case Kind::Agreement:
      return "agreements";
    case Kind::Order:
      return "orders";
    case Kind::Quote:
      return "quotes";
    case Kind::Invoice:
      return "invoices";
  }
  return "invoices";
}

std::optional<Kind> kindFromPlural(std::string_view plural) {
  for (auto k : kKinds) {
    if (kindPlural(k) == plural) return k;
  }
  return std::nullopt;
}

const std::vector<std::string>& statuses(Kind k) {
  static const std::vector<std::string> agreement = {"pending", "active", "ended", "cancelled"};
  static const std::vector<std::string> order = {"received", "confirmed", "delivered", "cancelled"};
  static const std::vector<std::string> quote = {"draft",    "sent",    "accepted",
                                                 "declined", "expired", "cancelled"};
  static const std::vector<std::string> invoice = {"issued", "partially_paid", "paid", "void",
                                                   "credited"};
  switch (k) {
    case Kind::Agreement:
      return agreement;
    case Kind::Order:
      return order;
    case Kind::Quote:
      return quote;
    case Kind::Invoice:
      return invoice;
  }
  return invoice;
}

bool isStatus(Kind k, std::string_view status) {
  const auto& all = statuses(k);
  return std::find(all.begin(), all.end(), status) != all.end();
}

std::string_view defaultStatus(Kind k) { return statuses(k).front(); }

std::string_view untilName(Kind k) {
  switch (k) {
    case Kind::Agreement:
      return "end_date";
    case Kind::Order:
      return "delivery_date";
    case Kind::Quote:
      return "valid_until";
    case Kind::Invoice:
      return "due_date";
  }
  return "due_date";
}

Totals totalsOf(const std::vector<Line>& lines) {
  Totals t;
  std::map<std::int64_t, std::int64_t> per_rate;
  for (const auto& l : lines) {
    t.subtotal += l.amount;
    per_rate[l.vat_rate] += l.amount;
  }
  for (auto [rate, sum] : per_rate) t.vat += core::percentOf(sum, rate);
  t.total = t.subtotal + t.vat;
  return t;
}

std::string effectiveStatus(const Document& d, const std::string& today) {
  if (d.kind == Kind::Quote && d.status == "sent" && d.until && *d.until < today) return "expired";
  return d.status;
}

bool isOverdue(const Document& d, const std::string& today) {
  return d.kind == Kind::Invoice && (d.status == "issued" || d.status == "partially_paid") &&
         d.until && *d.until < today;
}

std::string cursorText(const Cursor& c) { return c.date + "." + std::to_string(c.id); }

std::optional<Cursor> parseCursor(std::string_view text) {
  auto dot = text.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto date = text.substr(0, dot);
  if (!core::parseDate(date)) return std::nullopt;
  auto id = core::positiveNumber(text.substr(dot + 1), INT64_MAX);
  if (!id) return std::nullopt;
  return Cursor{std::string(date), *id};
}

}  // namespace portico::documents
