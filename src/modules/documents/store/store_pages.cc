#include "modules/documents/store/store_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "core/money.h"
#include "core/text.h"
#include "http/url.h"
#include "modules/documents/store/store_routes.h"

namespace portico::documents {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kPageSize = 25;

json orNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

class Pages {
 public:
  Pages(access::Policy& policy, StoreService& store, DocumentService& documents,
        const web::Views& views)
      : store_(store), documents_(documents), pages_(views, policy) {}

  void registerAll(identity::GuardedRoutes& routes) {
    routes.page("GET", "/store", Access::SignedIn,
                [this](Request& r, Context& c) { return catalogue(r, c); });
    routes.page("GET", "/store/products/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return product(r, c); });
    routes.page("GET", "/store/cart", Access::SignedIn, [this](Request& r, Context& c) {
      auto company = chosen(c, access::queryField(r, "company_id"));
      if (!company) return pages_.error(c, company.error());
      return cart(c, *company, "", 200);
    });
    routes.page("POST", "/store/cart", Access::SignedIn,
                [this](Request&, Context& c) { return changeCart(c); });
    routes.page("POST", "/store/checkout", Access::SignedIn,
                [this](Request&, Context& c) { return checkout(c); });
    routes.page("POST", "/store/quote", Access::SignedIn,
                [this](Request&, Context& c) { return quote(c); });
  }

 private:
  std::string money(const Context& c, std::int64_t minor, const std::string& currency) const {
    return core::displayMoney({minor, currency}, c.lang);
  }

  // The company whose store a page shows: the one named, else the caller's first.
  core::Result<core::CompanyId> chosen(const Context& c, const std::string& given) const {
    if (!given.empty()) {
      auto id = core::positiveNumber(given, INT64_MAX);
      if (!id) return core::fail(core::Error::notFound("errors.store.no_such_company"));
      return core::CompanyId{*id};
    }
    auto companies = store_.companies(*c.principal);
    if (companies.empty()) return core::fail(core::Error::notFound("errors.store.nothing_to_see"));
    return core::CompanyId{companies.front().first};
  }

  // The company switcher (only for callers of several companies).
  json companies(const Context& c, core::CompanyId current) const {
    json out = json::array();
    auto all = store_.companies(*c.principal);
    if (all.size() < 2) return out;
    for (const auto& [id, name] : all) {
      out.push_back({{"value", id}, {"label", name}, {"selected", id == current.value}});
    }
    return out;
  }

  // A product's price for people: the price, and the list price struck through where a rule
  // made another.
  void priceFields(const Context& c, json& j, const std::optional<Price>& price) const {
    j["has_price"] = price.has_value();
    if (!price) return;
    j["price"] = money(c, price->unit_price, price->currency);
    if (price->list_price && *price->list_price != price->unit_price) {
      j["list_price"] = money(c, *price->list_price, price->currency);
    }
    if (!price->list_name.empty()) j["price_list"] = price->list_name;
  }

  std::string cartLink(core::CompanyId company) const {
    return "/store/cart?company_id=" + std::to_string(company.value);
  }

  Response catalogue(const Request& r, const Context& c) const {
    auto company = chosen(c, access::queryField(r, "company_id"));
    if (!company) return pages_.error(c, company.error());
    auto f = parseProductFilter(r);
    if (!f) return pages_.error(c, f.error());
    f->limit = kPageSize;
    auto page = store_.catalogue(*c.principal, *company, *f);
    if (!page) return pages_.error(c, page.error());
    auto id = std::to_string(company->value);
    auto cart = store_.cart(*c.principal, *company);  // refused: the caller only looks
    bool may_shop = cart.has_value();
    json rows = json::array();
    for (const auto& p : page->items) {
      json row = {{"href", "/store/products/" + std::to_string(p.product.id) + "?company_id=" + id},
                  {"name", p.product.name},
                  {"sku", orNull(p.product.sku)},
                  {"category", orNull(p.product.category)},
                  {"unit", orNull(p.product.unit)},
                  {"product_id", p.product.id}};
      priceFields(c, row, p.price);
      rows.push_back(std::move(row));
    }
    json categories = json::array();
    categories.push_back({{"href", "/store?company_id=" + id},
                          {"label", pages_.translate(c, "store.all_categories")},
                          {"current", f->category.empty()}});
    for (const auto& cat : page->categories) {
      categories.push_back(
          {{"href", "/store?company_id=" + id + "&category=" + http::percentEncode(cat)},
           {"label", cat},
           {"current", cat == f->category}});
    }
    auto switcher = companies(c, *company);
    std::size_t in_cart = may_shop ? cart->lines.size() : 0;
    json data = {{"title", pages_.translate(c, "store.title")},
                 {"company_id", company->value},
                 {"companies", switcher},
                 {"has_companies", !switcher.empty()},
                 {"categories", categories},
                 {"category", orNull(f->category)},
                 {"q", f->query},
                 {"rows", rows},
                 {"has_rows", !rows.empty()},
                 {"filtered", !f->query.empty() || !f->category.empty()},
                 {"currency", page->currency},
                 {"may_shop", may_shop},
                 {"cart_link", cartLink(*company)},
                 {"in_cart", in_cart}};
    if (page->next) {
      std::string query = "company_id=" + id;
      if (!f->category.empty()) query += "&category=" + http::percentEncode(f->category);
      if (!f->query.empty()) query += "&q=" + http::percentEncode(f->query);
      data["more_link"] =
          "/store?" + query + "&cursor=" + http::percentEncode(productCursorText(*page->next));
    }
    return pages_.render(c, "store", std::move(data));
  }

  Response product(const Request& r, const Context& c) const {
    auto company = chosen(c, access::queryField(r, "company_id"));
    if (!company) return pages_.error(c, company.error());
    auto p = store_.product(*c.principal, *company, r.idParam("id"));
    if (!p) return pages_.error(c, p.error());
    json licences = json::array();
    for (const auto& l : p->product.licences) {
      licences.push_back({{"name", l.name}, {"description", orNull(l.description)}});
    }
    bool may_shop = store_.cart(*c.principal, *company).has_value();
    json data = {{"title", p->product.name},
                 {"name", p->product.name},
                 {"company_id", company->value},
                 {"store_link", "/store?company_id=" + std::to_string(company->value)},
                 {"product_id", p->product.id},
                 {"sku", orNull(p->product.sku)},
                 {"category", orNull(p->product.category)},
                 {"unit", orNull(p->product.unit)},
                 {"description", orNull(p->product.description)},
                 {"vat_rate", core::rateText(p->product.vat_rate) + " %"},
                 {"licences", licences},
                 {"has_licences", !licences.empty()},
                 {"may_shop", may_shop},
                 {"cart_link", cartLink(*company)}};
    priceFields(c, data, p->price);
    return pages_.render(c, "store_product", std::move(data));
  }

  Response cart(const Context& c, core::CompanyId company, const std::string& error,
                int status) const {
    auto cart = store_.cart(*c.principal, company);
    if (!cart) return pages_.error(c, cart.error());
    auto id = std::to_string(company.value);
    json lines = json::array();
    for (const auto& l : cart->lines) {
      const auto& p = l.product.product;
      json line = {
          {"name", p.name},
          {"href", "/store/products/" + std::to_string(p.id) + "?company_id=" + id},
          {"sku", orNull(p.sku)},
          {"product_id", p.id},
          {"quantity", core::quantityText(l.quantity)},
          {"unit", orNull(p.unit)},
          {"amount", l.product.price ? json(money(c, l.amount, cart->currency)) : json(nullptr)}};
      priceFields(c, line, l.product.price);
      lines.push_back(std::move(line));
    }
    json sites = json::array();
    auto chosen_site = access::formField(c, "site_id");
    for (const auto& s : store_.deliverySites(*c.principal, company)) {
      sites.push_back({{"value", s.id},
                       {"label", s.name},
                       {"address", orNull(s.address)},
                       {"selected", chosen_site == std::to_string(s.id)}});
    }
    bool may_order = store_.mayOrder(*c.principal, company);
    bool may_type = store_.mayTypeAddress(*c.principal, company);
    bool typed = access::formField(c, "delivery") == "address" || (sites.empty() && may_type);
    bool may_quote = false;
    for (const auto& [cid, name] : documents_.requestable(*c.principal)) {
      may_quote = may_quote || cid == company.value;
    }
    json data = {{"title", pages_.translate(c, "store.cart.title")},
                 {"company_id", company.value},
                 {"company", cart->company_name},
                 {"store_link", "/store?company_id=" + id},
                 {"lines", lines},
                 {"has_lines", !lines.empty()},
                 {"subtotal", money(c, cart->subtotal, cart->currency)},
                 {"vat", money(c, cart->vat, cart->currency)},
                 {"total", money(c, cart->total, cart->currency)},
                 {"priced", cart->priced},
                 {"may_checkout",
                  may_order && cart->priced && !lines.empty() && (!sites.empty() || may_type)},
                 {"may_quote", may_quote && !lines.empty()},
                 {"sites", sites},
                 {"has_sites", !sites.empty()},
                 {"may_type", may_type},
                 {"typed", typed},
                 {"address", access::formField(c, "address")},
                 {"reference", access::formField(c, "reference")},
                 {"text", access::formField(c, "text")},
                 {"max_address", kMaxAddress},
                 {"max_reference", kMaxReference},
                 {"max_text", kMaxRequestText}};
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "store_cart", std::move(data), status);
  }

  // A refusal of a form: the page again, saying why (a missing company or product: not found).
  Response refused(Context& c, core::CompanyId company, const core::Error& e) const {
    if (e.code == core::ErrorCode::NotFound || e.code == core::ErrorCode::Forbidden) {
      return pages_.error(c, e);
    }
    return cart(c, company, pages_.message(c, e), http::statusFor(e.code));
  }

  Response changeCart(Context& c) const {
    auto company = chosen(c, access::formField(c, "company_id"));
    if (!company) return pages_.error(c, company.error());
    auto product = core::positiveNumber(access::formField(c, "product_id"), INT64_MAX);
    if (!product) return pages_.error(c, core::Error::notFound("errors.store.no_such_product"));
    auto action = access::formField(c, "action");
    std::int64_t quantity = 0;
    if (action != "remove") {
      auto given = core::parseQuantity(core::trim(access::formField(c, "quantity")));
      if (!given) {
        return refused(c, *company, core::Error::invalid("errors.store.bad_quantity", "quantity"));
      }
      quantity = *given;
      if (action == "add") {
        if (auto cart = store_.cart(*c.principal, *company)) {
          for (const auto& l : cart->lines) {
            if (l.product.product.id == *product) quantity += l.quantity;
          }
        }
      }
    }
    auto done = store_.setCartLine(*c.principal, *company, *product, quantity);
    if (!done) return refused(c, *company, done.error());
    c.next_notice =
        core::Message{action == "add" ? "notices.store.added" : "notices.store.updated", {}};
    return Response::redirect(cartLink(*company));
  }

  Response checkout(Context& c) const {
    auto company = chosen(c, access::formField(c, "company_id"));
    if (!company) return pages_.error(c, company.error());
    auto cart = store_.cart(*c.principal, *company);
    if (!cart) return pages_.error(c, cart.error());
    OrderRequest o;
    o.company = *company;
    for (const auto& l : cart->lines) o.lines.emplace_back(l.product.product.id, l.quantity);
    if (access::formField(c, "delivery") == "address") {
      o.address = access::formField(c, "address");
    } else if (auto site = core::positiveNumber(access::formField(c, "site_id"), INT64_MAX)) {
      o.site_id = *site;
    }
    o.reference = access::formField(c, "reference");
    auto placed = store_.placeOrder(*c.principal, o, c.origin);
    if (!placed) return refused(c, *company, placed.error());
    store_.clearCart(*c.principal, *company);  // what it held is the order now
    c.next_notice = core::Message{"notices.store.ordered", {{"number", placed->number}}};
    return Response::redirect("/orders/" + std::to_string(placed->id.value));
  }

  Response quote(Context& c) const {
    auto company = chosen(c, access::formField(c, "company_id"));
    if (!company) return pages_.error(c, company.error());
    auto cart = store_.cart(*c.principal, *company);
    if (!cart) return pages_.error(c, cart.error());
    std::vector<std::pair<std::int64_t, std::int64_t>> lines;
    for (const auto& l : cart->lines) lines.emplace_back(l.product.product.id, l.quantity);
    auto done = documents_.requestQuote(*c.principal, *company, access::formField(c, "text"), lines,
                                        c.origin);
    if (!done) return refused(c, *company, done.error());
    store_.clearCart(*c.principal, *company);
    c.next_notice =
        core::Message{"notices.documents.quote_requested", {{"company", done->company_name}}};
    return Response::redirect("/quotes");
  }

  StoreService& store_;
  DocumentService& documents_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerStorePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                         StoreService& store, DocumentService& documents,
                                         const web::Views& views) {
  auto pages = std::make_shared<Pages>(policy, store, documents, views);
  pages->registerAll(routes);
  return pages;
}

}  // namespace portico::documents
