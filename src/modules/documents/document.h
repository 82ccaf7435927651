#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/money.h"

namespace portico::documents {

// The four kinds of record on a customer's "My pages". Each has its own list, statuses and
// permission; they share their shape: a number, a company (and maybe a site), dates, lines in one
// currency and totals.
enum class Kind { Agreement, Order, Quote, Invoice };
// In the order the pages show them: what customers look for most first.
inline constexpr std::array<Kind, 4> kKinds = {Kind::Invoice, Kind::Quote, Kind::Order,
                                               Kind::Agreement};

// "agreement", "order", "quote", "invoice": the database's and the audit log's name.
std::string_view kindName(Kind k);
// "agreements", "orders", "quotes", "invoices": the API's and the pages' paths, and the
// integration kinds.
std::string_view kindPlural(Kind k);
std::optional<Kind> kindFromPlural(std::string_view plural);

// The statuses a kind's records may have, in the order a customer meets them:
//   agreement: pending, active, ended, cancelled
//   order:     received, confirmed, delivered, cancelled
//   quote:     draft, sent, accepted, declined, expired, cancelled (drafts are the vendor's only)
//   invoice:   issued, partially_paid, paid, void, credited
const std::vector<std::string>& statuses(Kind k);
bool isStatus(Kind k, std::string_view status);
// The status a new record from the ERP has when it names none.
std::string_view defaultStatus(Kind k);
// The name of the second date of a kind in the API: "end_date", "delivery_date", "valid_until",
// "due_date".
std::string_view untilName(Kind k);

// One line of a record. Quantities in thousandths; prices and amounts in the record's currency's
// minor units; the VAT rate in basis points (2500 is 25 %).
struct Line {
  std::string sku;  // the product's article number, if any
  std::string description;
  std::int64_t quantity = 1000;
  std::string unit;  // "pcs", "h", "month", … as the ERP writes it
  std::int64_t unit_price = 0;
  std::int64_t vat_rate = 0;
  std::int64_t amount = 0;                 // excluding VAT
  std::optional<std::int64_t> product_id;  // the store's product, when the line is one
  std::string price_rule;                  // the store: the price list rule that made the price
};

// What a record's lines sum to: their amounts, the VAT of each rate on its lines' sum (rounded
// once per rate, half away from zero), and the two together.
struct Totals {
  std::int64_t subtotal = 0;
  std::int64_t vat = 0;
  std::int64_t total = 0;
};
Totals totalsOf(const std::vector<Line>& lines);

// A record of one of the kinds. Dates are "YYYY-MM-DD".
struct Document {
  core::DocumentId id;
  core::OrgId org_id;
  core::CompanyId company_id;
  std::string company_name;
  std::string company_org_number;
  Kind kind = Kind::Invoice;
  std::string number;
  std::optional<std::string> external_id;
  std::string status;
  std::string title;
  std::string currency;
  std::int64_t subtotal = 0;
  std::int64_t vat = 0;
  std::int64_t total = 0;
  std::int64_t paid = 0;             // invoices: what has been paid of the total
  std::string date;                  // the record's date (an agreement's start)
  std::optional<std::string> until;  // due date, valid until, delivery date, end date
  std::optional<std::int64_t> site_id;
  std::string site_name;
  std::string delivery_address;
  std::string reference;              // the customer's own reference
  std::string billing_address;        // the customer's address as the record prints it
  std::string payment_reference;      // invoices: what a payment names (OCR); "" the number
  std::optional<core::UserId> owner;  // who placed or requested it in the portal
  std::string language = "en";        // the language the record is written in
  std::vector<Line> lines;
  // The record's PDF once there is one: the ERP's, or Portico's frozen at its first print.
  std::optional<std::int64_t> pdf_file_id;
  std::string pdf_sha256;
  std::string pdf_source;  // "erp" or "portal"
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  core::Money money(std::int64_t minor) const { return {minor, currency}; }
  // What is still to be paid: of an unpaid invoice (issued, partly paid), else nothing.
  std::int64_t outstanding() const {
    return kind == Kind::Invoice && (status == "issued" || status == "partially_paid")
               ? total - paid
               : 0;
  }
};

// The status as customers see it on `today` ("YYYY-MM-DD"): a sent quote past its date is
// expired.
std::string effectiveStatus(const Document& d, const std::string& today);
// An invoice still to be paid whose due date has passed.
bool isOverdue(const Document& d, const std::string& today);

// A change in a record's history: its status (by the ERP, or by someone in the portal).
struct Change {
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::optional<std::string> actor_name;  // nobody: the ERP
  std::int64_t at = 0;
};

// A customer's decision on a quote.
struct Decision {
  std::string decision;  // "accepted" or "declined"
  std::string signer_name;
  std::string reason;
  std::optional<core::UserId> user;
  std::string user_name;
  std::string ip;
  std::string user_agent;
  std::string pdf_sha256;  // of the frozen PDF that was accepted
  std::int64_t at = 0;
};

// A customer's request for a new quote.
struct QuoteRequest {
  std::int64_t id = 0;
  core::OrgId org_id;
  core::CompanyId company_id;
  std::string company_name;
  std::optional<core::UserId> user;
  std::string text;
  std::vector<std::pair<std::int64_t, std::int64_t>> lines;  // {product id, quantity (milli)}
  std::int64_t created_at = 0;
};
inline constexpr std::size_t kMaxRequestText = 5000;
inline constexpr std::size_t kMaxDecisionText = 2000;

// Where a list starts: after the record of this date and id (newest first).
struct Cursor {
  std::string date;
  std::int64_t id = 0;
};
std::string cursorText(const Cursor& c);
std::optional<Cursor> parseCursor(std::string_view text);

// A list's filters (all optional).
struct DocumentFilter {
  Kind kind = Kind::Invoice;
  std::optional<core::CompanyId> company;
  std::optional<std::int64_t> site_id;
  std::string status;               // one of the kind's statuses, as customers see it
  bool overdue = false;             // invoices only
  std::optional<std::string> from;  // date on or after
  std::optional<std::string> to;    // date on or before
  std::string query;                // in number, title and reference
  std::optional<Cursor> after;
  int limit = 50;
};
inline constexpr std::size_t kMaxQuery = 200;

// The sum of a list's records in one currency: their total and what is still to be paid.
struct Total {
  std::string currency;
  std::int64_t total = 0;
  std::int64_t outstanding = 0;
  std::int64_t count = 0;
};

struct DocumentPage {
  std::vector<Document> items;
  std::optional<Cursor> next;
  std::vector<Total> totals;  // of every record under the filters, by currency
  std::string today;          // the date the statuses were seen on
};

}  // namespace portico::documents
