#include "app/demo_documents.h"

#include <string>
#include <vector>

#include "core/business_hours.h"
#include "storage/db.h"

namespace portico::app {
namespace {

using documents::Document;
using documents::Kind;
using documents::Line;

struct Item {
  const char* sku;
  const char* description;
  const char* unit;
  std::int64_t unit_price;  // minor units
};

// What the vendor sells in Sweden: service, parts and licences (öre).
constexpr Item kService{"SRV-M", "Service per månad, vattenrenare", "mån", 1'250'000};
constexpr Item kVisit{"SRV-V", "Servicebesök på plats", "tim", 95'000};
constexpr Item kFilter{"FLT-200", "Kolfilterpatron F200", "st", 34'900};
constexpr Item kUv{"UV-40", "UV-lampa 40 W", "st", 128'000};
constexpr Item kLicence{"LIC-MON", "Övervakningslicens per enhet", "år", 240'000};
constexpr Item kPurifier{"AQ-500", "AquaPure 500 vattenrenare", "st", 4'890'000};

Line line(const Item& item, std::int64_t quantity_milli, std::int64_t vat_rate = 2500) {
  Line l;
  l.sku = item.sku;
  l.description = item.description;
  l.unit = item.unit;
  l.quantity = quantity_milli;
  l.unit_price = item.unit_price;
  l.vat_rate = vat_rate;
  l.amount = core::lineAmount(quantity_milli, item.unit_price).value_or(0);
  return l;
}

std::string dayText(std::int64_t now, int days) {
  return core::dateText(static_cast<std::int32_t>(now / 86400 + days));
}

}  // namespace

void seedDemoDocuments(documents::DocumentRepository& repo,
                       documents::DocumentSettingsRepository& settings, core::OrgId org,
                       core::CompanyId acme_se, core::CompanyId acme_de, std::int64_t now) {
  storage::Transaction tx(repo.conn());
  documents::DocumentSettings letterhead;
  letterhead.legal_name = "Northwind Water Services AB";
  letterhead.address = "Sveavägen 44\n111 34 Stockholm\nSweden";
  letterhead.org_number = "556123-4567";
  letterhead.vat_number = "SE556123456701";
  letterhead.contact = "+46 8 555 010 00 · billing@northwind.example";
  letterhead.payment_details =
      "Bankgiro 5555-1234\nIBAN SE35 5000 0000 0549 1000 0003 · BIC ESSESESS";
  letterhead.updated_at = now;
  settings.put(org, letterhead);
  auto add = [&](core::CompanyId company, Kind kind, const std::string& number,
                 const std::string& status, const std::string& title, int date,
                 std::optional<int> until, std::vector<Line> lines,
                 const std::string& currency = "SEK", std::int64_t paid = 0,
                 const std::string& language = "sv") {
    Document d;
    d.org_id = org;
    d.company_id = company;
    d.kind = kind;
    d.number = number;
    d.external_id = "ERP-" + number;
    d.status = status;
    d.title = title;
    d.currency = currency;
    d.lines = std::move(lines);
    auto t = documents::totalsOf(d.lines);
    d.subtotal = t.subtotal;
    d.vat = t.vat;
    d.total = t.total;
    d.paid = status == "paid" ? t.total : paid;
    d.date = dayText(now, date);
    if (until) d.until = dayText(now, *until);
    d.language = language;
    d.billing_address =
        company == acme_se ? "Box 1024\n411 40 Göteborg" : "Postfach 2200\n20095 Hamburg";
    d.created_at = d.updated_at = now + date * 86400;
    repo.insert(d);
  };
  // Twelve monthly service invoices: the last three unpaid (the two older of them overdue), the
  // one before them paid in part (overdue too), the rest paid; and an overdue one for parts.
  for (int month = 11; month >= 0; --month) {
    int date = -30 * month - 2;
    std::string status = month > 3 ? "paid" : month == 3 ? "partially_paid" : "issued";
    std::int64_t paid = month == 3 ? 800'000 : 0;
    add(acme_se, Kind::Invoice, "F-" + std::to_string(24100 + 11 - month), status,
        "Service " + dayText(now, date).substr(0, 7), date, date + 30,
        {line(kService, 1000), line(kFilter, month % 3 == 0 ? 4000 : 2000)}, "SEK", paid);
  }
  add(acme_se, Kind::Invoice, "F-24090", "issued", "Reservdelar, Göteborg", -50, -20,
      {line(kUv, 2000), line(kVisit, 1500)});
  add(acme_de, Kind::Invoice, "R-7001", "paid", "Wartung Oktober", -60, -30,
      {line({"SRV-M", "Wartung Wasseraufbereitung", "Monat", 119'000}, 1000, 1900)}, "EUR", 0,
      "de");
  add(acme_de, Kind::Invoice, "R-7002", "issued", "Wartung November", -25, 5,
      {line({"SRV-M", "Wartung Wasseraufbereitung", "Monat", 119'000}, 1000, 1900)}, "EUR", 0,
      "de");
  // Quotes: one to decide on, one accepted (that became an order), one lapsed, one declined.
  add(acme_se, Kind::Quote, "Q-3104", "sent", "Två vattenrenare till Malmö", -4, 26,
      {line(kPurifier, 2000), line(kVisit, 6000), line(kLicence, 2000)});
  add(acme_se, Kind::Quote, "Q-3088", "accepted", "UV-lampor, vårbyte", -70, -40,
      {line(kUv, 6000), line(kVisit, 3000)});
  add(acme_se, Kind::Quote, "Q-3071", "sent", "Filterabonnemang", -95, -65, {line(kFilter, 24000)});
  add(acme_se, Kind::Quote, "Q-3050", "declined", "Vattenrenare till lagret", -130, -100,
      {line(kPurifier, 1000)});
  // Orders: delivered, confirmed, just received.
  add(acme_se, Kind::Order, "O-5520", "delivered", "UV-lampor, vårbyte", -60, -45,
      {line(kUv, 6000), line(kVisit, 3000)});
  add(acme_se, Kind::Order, "O-5561", "confirmed", "Filterpatroner", -6, 4, {line(kFilter, 10000)});
  add(acme_se, Kind::Order, "O-5570", "received", "Övervakningslicenser", -1, std::nullopt,
      {line(kLicence, 3000)});
  // Agreements: the running service agreement and the one before it.
  add(acme_se, Kind::Agreement, "A-210", "active", "Serviceavtal, vattenrenare", -330, 400,
      {line(kService, 12000)});
  add(acme_se, Kind::Agreement, "A-150", "ended", "Serviceavtal, föregående period", -700, -331,
      {line({"SRV-M", "Service per månad, vattenrenare", "mån", 1'150'000}, 12000)});
  tx.commit();
}

}  // namespace portico::app
