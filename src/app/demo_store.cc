#include "app/demo_store.h"

#include <string>
#include <vector>

#include "core/business_hours.h"
#include "storage/db.h"

namespace portico::app {
namespace {

using documents::Licence;
using documents::PriceList;
using documents::PriceListUpsert;
using documents::PriceRule;
using documents::Product;

struct Item {
  const char* external_id;
  const char* sku;
  const char* name;
  const char* category;
  const char* unit;
  std::int64_t sek;  // öre
  std::int64_t eur;  // cents
  const char* description;
};

constexpr Item kItems[] = {
    {"AQ-300", "AQ-300", "AquaPure 300 vattenrenare", "Vattenrenare", "st", 3'290'000, 289'000,
     "Kompakt vattenrenare för kontor upp till 30 personer. Kolfilter och UV-steg."},
    {"AQ-500", "AQ-500", "AquaPure 500 vattenrenare", "Vattenrenare", "st", 4'890'000, 429'000,
     "För kontor och storkök upp till 80 personer. Kolfilter, UV-steg och fjärrövervakning."},
    {"AQ-700", "AQ-700", "AquaPure 700 med kolsyra", "Vattenrenare", "st", 6'450'000, 565'000,
     "Still och kolsyrat vatten, kyld, 120 liter i timmen."},
    {"FLT-100", "FLT-100", "Kolfilterpatron F100", "Filter", "st", 24'900, 2'190,
     "Passar AquaPure 300. Byts var sjätte månad."},
    {"FLT-200", "FLT-200", "Kolfilterpatron F200", "Filter", "st", 34'900, 3'090,
     "Passar AquaPure 500 och 700. Byts var sjätte månad."},
    {"FLT-SED", "FLT-SED", "Sedimentfilter 5 µm", "Filter", "st", 18'900, 1'690,
     "Förfilter för inkommande vatten med partiklar."},
    {"FLT-KIT", "FLT-KIT", "Filterpaket för ett år, AquaPure 500", "Filter", "paket", 89'000, 7'890,
     "Två F200, ett sedimentfilter och en UV-lampa."},
    {"UV-40", "UV-40", "UV-lampa 40 W", "UV-lampor", "st", 128'000, 11'300,
     "Byts en gång om året."},
    {"UV-25", "UV-25", "UV-lampa 25 W", "UV-lampor", "st", 98'000, 8'700, "För AquaPure 300."},
    {"LIC-MON", "LIC-MON", "Övervakningslicens per enhet", "Licenser", "år", 240'000, 21'000,
     "Larm vid fel, filterbyte och läckage; statistik i portalen."},
    {"LIC-API", "LIC-API", "API-åtkomst till mätdata", "Licenser", "år", 600'000, 52'000,
     "Mätdata från alla enheter till era egna system."},
    {"SRV-V", "SRV-V", "Servicebesök på plats", "Service", "tim", 95'000, 8'500,
     "En tekniker på plats, inklusive resa inom 50 km."},
    {"SRV-INST", "SRV-INST", "Installation av vattenrenare", "Service", "st", 450'000, 39'500,
     "Montering, anslutning och provkörning."},
    {"CO2-10", "CO2-10", "Kolsyrecylinder 10 kg", "Tillbehör", "st", 79'000, 6'900,
     "Utbytescylinder för AquaPure 700."},
    {"BTL-1", "BTL-1", "Glasflaska 1 l med logotyp", "Tillbehör", "st", 14'900, 1'290,
     "Diskmaskinsäker, 6 st per kartong."},
};

PriceRule rule(PriceRule::Target target, const char* what) {
  PriceRule r;
  r.target = target;
  if (target == PriceRule::Target::Category) r.category = what;
  if (target == PriceRule::Target::Product) r.product_external_id = what;
  return r;
}

}  // namespace

void seedDemoStore(storage::Connection& conn, documents::StoreService& store, core::OrgId org,
                   std::int64_t now) {
  storage::Transaction tx(conn);
  for (const auto& item : kItems) {
    Product p;
    p.external_id = item.external_id;
    p.sku = item.sku;
    p.name = item.name;
    p.category = item.category;
    p.unit = item.unit;
    p.description = item.description;
    p.vat_rate = 2500;
    p.family = std::string(item.category) == "Vattenrenare" ? "aquapure" : "";
    p.list_prices = {{"SEK", item.sek}, {"EUR", item.eur}};
    if (std::string(item.category) == "Licenser") {
      p.licences = {Licence{"Per enhet", "En licens för varje övervakad vattenrenare."},
                    Licence{"Årsavtal",
                            "Faktureras årsvis i förskott; sägs upp senast en månad "
                            "före årsskiftet."}};
    }
    store.upsertProduct(org, p);
  }
  Product industrial;
  industrial.external_id = "AQ-900";
  industrial.sku = "AQ-900";
  industrial.name = "AquaPure 900 Industri";
  industrial.category = "Vattenrenare";
  industrial.family = "aquapure";
  industrial.unit = "st";
  industrial.vat_rate = 2500;
  industrial.description = "För industri och storkök: 400 liter i timmen. Säljs på avtal.";
  industrial.list_prices = {{"SEK", 18'900'000}};
  industrial.restricted = true;
  store.upsertProduct(org, industrial);

  // December's campaign for every customer: 10 % off filters, until the month's end.
  auto today = core::utcDateText(now);
  PriceListUpsert campaign;
  campaign.list.external_id = "KAMPANJ";
  campaign.list.name = "Filterkampanj";
  campaign.list.currency = "SEK";
  auto filters = rule(PriceRule::Target::Category, "Filter");
  filters.discount = 1000;
  filters.valid_until = core::dateText(static_cast<std::int32_t>(now / 86400 + 30));
  campaign.list.rules = {filters};
  (void)store.upsertPriceList(org, campaign);

  // Acme Sverige AB's framework agreement.
  PriceListUpsert acme;
  acme.list.external_id = "RAMAVTAL-ACME";
  acme.list.name = "Ramavtal Acme Sverige";
  acme.list.currency = "SEK";
  acme.list.priority = 10;
  acme.list.all_companies = false;
  acme.list.valid_from = today;
  acme.company_external_ids = {"C-1001"};
  auto everything = rule(PriceRule::Target::All, "");
  everything.discount = 1200;
  auto purifier = rule(PriceRule::Target::Product, "AQ-500");
  purifier.price = 4'190'000;
  auto ten_filters = rule(PriceRule::Target::Product, "FLT-200");
  ten_filters.price = 27'900;
  ten_filters.min_quantity = 10'000;
  auto industrial_price = rule(PriceRule::Target::Product, "AQ-900");
  industrial_price.price = 16'500'000;
  acme.list.rules = {everything, purifier, ten_filters, industrial_price};
  (void)store.upsertPriceList(org, acme);
  tx.commit();
}

}  // namespace portico::app
