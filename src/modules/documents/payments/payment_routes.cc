#include "modules/documents/payments/payment_routes.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "http/error_response.h"
#include "modules/documents/document_json.h"

namespace portico::documents {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

json paymentToJson(const PaymentService& payments, const Payment& p) {
  return {{"payment_id", p.id},
          {"invoice_id", p.document_id.value},
          {"provider", p.provider},
          {"status", p.status},
          {"amount", moneyToJson(p.amount)},
          {"checkout_url", payments.absolute(p.checkout_url)}};
}

class Pages {
 public:
  Pages(access::Policy& policy, PaymentService& payments, DocumentService& documents,
        DocumentSettingsService& settings, const web::Views& views)
      : payments_(payments), documents_(documents), settings_(settings), pages_(views, policy) {}

  void registerAll(identity::GuardedRoutes& routes) {
    // A worker thread: the provider may be called over the network.
    routes.page(
        "POST", "/invoices/{id}/pay", Access::SignedIn,
        [this](Request& r, Context& c) {
          auto p = payments_.start(*c.principal, core::DocumentId{r.idParam("id")}, c.origin);
          if (!p) return pages_.error(c, p.error());
          return Response::redirect(p->checkout_url);
        },
        http::Execution::Worker);
    routes.page("GET", "/payments/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return payment(r, c); });
    routes.page("GET", "/pay/demo/{token}", Access::SignedIn,
                [this](Request& r, Context& c) { return demo(r, c); });
    routes.page("POST", "/pay/demo/{token}", Access::SignedIn,
                [this](Request& r, Context& c) { return demoAction(r, c); });
  }

 private:
  Response payment(const Request& r, const Context& c) const {
    auto p = payments_.find(*c.principal, r.idParam("id"));
    if (!p) return pages_.error(c, p.error());
    auto d = documents_.find(*c.principal, Kind::Invoice, p->document_id);
    if (!d) return pages_.error(c, d.error());
    auto letterhead = settings_.letterhead(p->org_id);
    const auto& doc = d->document;
    json data = {{"title", pages_.translate(c, "payments.title")},
                 {"invoice", doc.number},
                 {"invoice_href", "/invoices/" + std::to_string(doc.id.value)},
                 {"amount", core::displayMoney(p->amount, c.lang)},
                 {"status", pages_.translate(c, "payments.status." + p->status)},
                 {"manual", p->provider == "manual" && p->status == "open"},
                 {"payee", letterhead.name},
                 {"payment_details", letterhead.settings.payment_details},
                 {"reference", doc.payment_reference.empty() ? doc.number : doc.payment_reference},
                 {"due", doc.until.value_or("")}};
    return pages_.render(c, "payment", std::move(data));
  }

  Response demo(const Request& r, const Context& c) const {
    auto p = payments_.demoCheckout(*c.principal, r.param("token"));
    if (!p) return pages_.error(c, p.error());
    auto d = documents_.find(*c.principal, Kind::Invoice, p->document_id);
    if (!d) return pages_.error(c, d.error());
    json data = {{"title", pages_.translate(c, "payments.demo.title")},
                 {"token", r.param("token")},
                 {"invoice", d->document.number},
                 {"amount", core::displayMoney(p->amount, c.lang)},
                 {"open", p->status == "open"}};
    return pages_.render(c, "pay_demo", std::move(data));
  }

  Response demoAction(const Request& r, Context& c) const {
    auto token = r.param("token");
    auto p = payments_.demoCheckout(*c.principal, token);
    if (!p) return pages_.error(c, p.error());
    auto action = access::formField(c, "action");
    auto done = action == "pay" ? payments_.complete("demo", token, "demo:" + token)
                                : payments_.cancel("demo", token);
    if (!done) return pages_.error(c, done.error());
    c.next_notice =
        core::Message{action == "pay" ? "notices.payments.paid" : "notices.payments.cancelled",
                      {{"amount", core::displayMoney(p->amount, c.lang)}}};
    return Response::redirect("/invoices/" + std::to_string(p->document_id.value));
  }

  PaymentService& payments_;
  DocumentService& documents_;
  DocumentSettingsService& settings_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerPaymentRoutes(identity::GuardedRoutes& routes, access::Policy& policy,
                                            PaymentService& payments, DocumentService& documents,
                                            DocumentSettingsService& settings,
                                            const web::Views& views) {
  routes.api(
      "POST", "/api/v1/invoices/{id}/payments", Access::SignedIn,
      [&payments](Request& r, Context& c) {
        auto p = payments.start(*c.principal, core::DocumentId{r.idParam("id")}, c.origin);
        if (!p) return http::jsonError(p.error());
        return Response::json(201, paymentToJson(payments, *p).dump());
      },
      http::Execution::Worker);
  // The provider's events: no session or key, the provider's signature over the body instead.
  routes.api("POST", "/api/v1/payments/{provider}/webhook", Access::Public,
             [&payments](Request& r, Context&) {
               if (r.param("provider") != payments.provider().name()) {
                 return http::jsonError(core::Error::notFound("errors.payments.no_webhook"));
               }
               const auto& provider = payments.provider();
               auto done = payments.webhook(r.header(provider.signatureHeader()), r.body);
               if (!done) return http::jsonError(done.error());
               return Response::json(200, R"({"received":true})");
             });
  auto pages = std::make_shared<Pages>(policy, payments, documents, settings, views);
  pages->registerAll(routes);
  return pages;
}

}  // namespace portico::documents
