#include "modules/documents/document_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "core/text.h"
#include "http/url.h"
#include "modules/documents/document_routes.h"

namespace portico::documents {
namespace {

using access::queryField;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kPageSize = 25;

// A text for a template: null when empty (an empty string would still open a {{#section}}).
json orNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

class Pages {
 public:
  Pages(access::Policy& policy, DocumentService& service, identity::Throttle& throttle,
        const web::Views& views)
      : service_(service), throttle_(throttle), pages_(views, policy) {}

  void registerAll(identity::GuardedRoutes& routes) {
    routes.page("GET", "/documents", Access::SignedIn,
                [this](Request&, Context& c) { return start(c); });
    routes.page("POST", "/quotes/{id}/accept", Access::SignedIn,
                [this](Request& r, Context& c) { return decide(r, c, true); });
    routes.page("POST", "/quotes/{id}/decline", Access::SignedIn,
                [this](Request& r, Context& c) { return decide(r, c, false); });
    routes.page("GET", "/quote-requests/new", Access::SignedIn,
                [this](Request&, Context& c) { return requestForm(c, "", 200); });
    routes.page("POST", "/quote-requests/new", Access::SignedIn,
                [this](Request&, Context& c) { return request(c); });
    for (auto kind : kKinds) {
      auto base = "/" + std::string(kindPlural(kind));
      routes.page("GET", base, Access::SignedIn,
                  [this, kind](Request& r, Context& c) { return list(r, c, kind); });
      routes.page(
          "GET", base + ".csv", Access::SignedIn,
          [this, kind](Request& r, Context& c) {
            auto f = parseFilter(r, kind);
            if (!f) return pages_.error(c, f.error());
            auto csv = csvExport(c, service_, throttle_, *f);
            if (!csv) return pages_.error(c, csv.error());
            return std::move(*csv);
          },
          http::Execution::Worker);
      routes.page(
          "GET", base + "/{id}/pdf", Access::SignedIn,
          [this, kind](Request& r, Context& c) {
            auto pdf = service_.pdf(*c.principal, kind, core::DocumentId{r.idParam("id")});
            if (!pdf) return pages_.error(c, pdf.error());
            return pdfDownload(r, *pdf);
          },
          http::Execution::Worker);
      routes.page("GET", base + "/{id}", Access::SignedIn,
                  [this, kind](Request& r, Context& c) { return show(r, c, kind, "", 200); });
    }
  }

 private:
  std::string kindTitle(const Context& c, Kind k) const {
    return pages_.translate(c, "documents.kinds." + std::string(kindPlural(k)));
  }
  std::string statusLabel(const Context& c, Kind k, const std::string& status) const {
    return pages_.translate(c, "documents.status." + std::string(kindName(k)) + "." + status);
  }
  std::string money(const Context& c, std::int64_t minor, const std::string& currency) const {
    return core::displayMoney({minor, currency}, c.lang);
  }

  // The tabs between the kinds the caller may see.
  json tabs(const Context& c, Kind current) const {
    json out = json::array();
    for (auto k : kKinds) {
      if (!service_.maySee(*c.principal, k)) continue;
      out.push_back({{"href", "/" + std::string(kindPlural(k))},
                     {"label", kindTitle(c, k)},
                     {"current", k == current}});
    }
    return out;
  }

  Response start(const Context& c) const {
    for (auto k : kKinds) {
      if (service_.maySee(*c.principal, k))
        return Response::redirect("/" + std::string(kindPlural(k)));
    }
    return pages_.error(c, core::Error::notFound("errors.documents.nothing_to_see"));
  }

  Response list(const Request& r, const Context& c, Kind kind) const {
    auto f = parseFilter(r, kind);
    if (!f) return pages_.error(c, f.error());
    f->limit = kPageSize;
    auto page = service_.list(*c.principal, *f);
    if (!page) return pages_.error(c, page.error());
    auto base = "/" + std::string(kindPlural(kind));
    // The filters, for the pager and the export.
    std::string query;
    auto add = [&query](const std::string& name, const std::string& value) {
      if (!value.empty())
        query += (query.empty() ? "" : "&") + name + "=" + http::percentEncode(value);
    };
    if (f->company) add("company_id", std::to_string(f->company->value));
    if (f->site_id) add("site_id", std::to_string(*f->site_id));
    add("status", f->status);
    if (f->overdue) add("overdue", "1");
    add("from", f->from.value_or(""));
    add("to", f->to.value_or(""));
    add("q", f->query);
    json statuses = json::array();
    statuses.push_back({{"value", ""},
                        {"label", pages_.translate(c, "documents.all_statuses")},
                        {"selected", f->status.empty()}});
    for (const auto& s : documents::statuses(kind)) {
      if (kind == Kind::Quote && s == "draft") continue;
      statuses.push_back(
          {{"value", s}, {"label", statusLabel(c, kind, s)}, {"selected", f->status == s}});
    }
    json companies = json::array();
    auto readable = service_.companies(*c.principal, kind);
    if (readable.size() > 1) {
      companies.push_back({{"value", ""},
                           {"label", pages_.translate(c, "documents.all_companies")},
                           {"selected", !f->company}});
      for (const auto& [id, name] : readable) {
        companies.push_back(
            {{"value", id}, {"label", name}, {"selected", f->company && f->company->value == id}});
      }
    }
    json rows = json::array();
    for (const auto& d : page->items) {
      bool overdue = isOverdue(d, page->today);
      rows.push_back({{"href", base + "/" + std::to_string(d.id.value)},
                      {"number", d.number},
                      {"title", d.title.empty() ? d.number : d.title},
                      {"company", d.company_name},
                      {"site", orNull(d.site_name)},
                      {"date", d.date},
                      {"until", d.until.value_or("")},
                      {"status", statusLabel(c, kind, effectiveStatus(d, page->today))},
                      {"overdue", overdue},
                      {"total", money(c, d.total, d.currency)},
                      {"outstanding", money(c, d.outstanding(), d.currency)}});
    }
    json totals = json::array();
    for (const auto& t : page->totals) {
      totals.push_back({{"count", t.count},
                        {"total", money(c, t.total, t.currency)},
                        {"outstanding", money(c, t.outstanding, t.currency)}});
    }
    bool filtered = !query.empty();
    json data = {
        {"title", kindTitle(c, kind)},
        {"kind", kindPlural(kind)},
        {"list_path", base},
        {"tabs", tabs(c, kind)},
        {"intro", pages_.translate(c, "documents.intro." + std::string(kindPlural(kind)))},
        {"statuses", statuses},
        {"companies", companies},
        {"has_companies", !companies.empty()},
        {"invoices", kind == Kind::Invoice},
        {"overdue", f->overdue},
        {"from", f->from.value_or("")},
        {"to", f->to.value_or("")},
        {"q", f->query},
        {"until_heading", pages_.translate(c, "documents.until." + std::string(untilName(kind)))},
        {"rows", rows},
        {"has_rows", !rows.empty()},
        {"filtered", filtered},
        {"totals", totals},
        {"has_totals", !totals.empty()},
        {"export_link", base + ".csv" + (query.empty() ? "" : "?" + query)},
        {"may_request", kind == Kind::Quote && !service_.requestable(*c.principal).empty()}};
    if (page->next) {
      data["older_link"] = base + "?" + (query.empty() ? "" : query + "&") +
                           "cursor=" + http::percentEncode(cursorText(*page->next));
    }
    return pages_.render(c, "documents", std::move(data));
  }

  // Accepts or declines a quote from its page; a refusal shows the page again, saying why, and a
  // stale second factor the step-up prompt (which then carries on here).
  Response decide(const Request& r, Context& c, bool accept) const {
    core::DocumentId id{r.idParam("id")};
    auto done = accept
                    ? service_.accept(*c.principal, id, access::formField(c, "name"),
                                      access::formField(c, "terms") == "1", c.origin)
                    : service_.decline(*c.principal, id, access::formField(c, "reason"), c.origin);
    if (!done) {
      if (done.error().code == core::ErrorCode::StepUpRequired ||
          done.error().code == core::ErrorCode::NotFound) {
        return pages_.error(c, done.error());
      }
      return show(r, c, Kind::Quote, pages_.message(c, done.error()),
                  http::statusFor(done.error().code));
    }
    c.next_notice = core::Message{
        accept ? "notices.documents.quote_accepted" : "notices.documents.quote_declined",
        {{"number", done->document.number}}};
    return Response::redirect("/quotes/" + std::to_string(id.value));
  }

  Response requestForm(const Context& c, const std::string& error, int status) const {
    json companies = json::array();
    auto chosen = access::formField(c, "company_id");
    for (const auto& [id, name] : service_.requestable(*c.principal)) {
      companies.push_back(
          {{"value", id}, {"label", name}, {"selected", chosen == std::to_string(id)}});
    }
    if (companies.empty()) {
      return pages_.error(c, core::Error::forbidden("errors.documents.may_not_request"));
    }
    json data = {{"companies", companies},
                 {"text", access::formField(c, "text")},
                 {"max", kMaxRequestText},
                 {"title", pages_.translate(c, "documents.request.title")}};
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "quote_request", std::move(data), status);
  }

  Response request(Context& c) const {
    auto company = core::positiveNumber(access::formField(c, "company_id"), INT64_MAX);
    if (!company) {
      return requestForm(
          c, pages_.message(c, core::Error::invalid("errors.documents.company_required")), 400);
    }
    auto done = service_.requestQuote(*c.principal, core::CompanyId{*company},
                                      access::formField(c, "text"), {}, c.origin);
    if (!done) {
      if (done.error().code == core::ErrorCode::NotFound) return pages_.error(c, done.error());
      return requestForm(c, pages_.message(c, done.error()), http::statusFor(done.error().code));
    }
    c.next_notice =
        core::Message{"notices.documents.quote_requested", {{"company", done->company_name}}};
    return Response::redirect("/quotes");
  }

  Response show(const Request& r, const Context& c, Kind kind, const std::string& error,
                int status) const {
    auto seen = service_.find(*c.principal, kind, core::DocumentId{r.idParam("id")});
    if (!seen) return pages_.error(c, seen.error());
    const auto& d = seen->document;
    json lines = json::array();
    for (const auto& l : d.lines) {
      lines.push_back(
          {{"description", l.description},
           {"sku", orNull(l.sku)},
           {"quantity", core::quantityText(l.quantity) + (l.unit.empty() ? "" : " " + l.unit)},
           {"unit_price", money(c, l.unit_price, d.currency)},
           {"vat_rate", core::rateText(l.vat_rate) + " %"},
           {"amount", money(c, l.amount, d.currency)}});
    }
    json history = json::array();
    for (const auto& h : seen->changes) {
      std::string to = h.new_value.value_or("");
      if (h.field == "status") to = statusLabel(c, kind, to);
      history.push_back({{"time", access::timeText(h.at)},
                         {"by", h.actor_name.value_or(pages_.translate(c, "documents.by_vendor"))},
                         {"what", pages_.translate(c, "documents.history." + h.field)},
                         {"to", to}});
    }
    auto base = "/" + std::string(kindPlural(kind));
    bool invoice = kind == Kind::Invoice;
    json data = {
        {"title", kindTitle(c, kind) + " " + d.number},
        {"kind_title", kindTitle(c, kind)},
        {"list_path", base},
        {"number", d.number},
        {"subtitle", orNull(d.title)},
        {"company", d.company_name},
        {"site", orNull(d.site_name)},
        {"status", statusLabel(c, kind, effectiveStatus(d, seen->today))},
        {"overdue", isOverdue(d, seen->today)},
        {"date", d.date},
        {"until", orNull(d.until.value_or(""))},
        {"until_heading", pages_.translate(c, "documents.until." + std::string(untilName(kind)))},
        {"reference", orNull(d.reference)},
        {"delivery_address", orNull(d.delivery_address)},
        {"lines", lines},
        {"has_lines", !lines.empty()},
        {"subtotal", money(c, d.subtotal, d.currency)},
        {"vat", money(c, d.vat, d.currency)},
        {"total", money(c, d.total, d.currency)},
        {"invoice", invoice},
        {"paid", money(c, d.paid, d.currency)},
        {"outstanding", money(c, d.outstanding(), d.currency)},
        {"history", history},
        {"has_history", !history.empty()}};
    data["id"] = d.id.value;
    if (kind == Kind::Invoice) {
      data["may_pay"] = seen->may_pay;
      if (seen->open_checkout) data["open_payment"] = *seen->open_checkout;
    }
    if (kind == Kind::Quote) {
      data["may_decide"] = seen->may_decide;
      data["decide_path"] = base + "/" + std::to_string(d.id.value);
      data["signer"] = access::formField(c, "name").empty()
                           ? c.principal->user.first_name + " " + c.principal->user.last_name
                           : access::formField(c, "name");
      data["reason"] = access::formField(c, "reason");
      if (seen->decision) {
        const auto& x = *seen->decision;
        bool accepted = x.decision == "accepted";
        data["decision"] = {
            {"accepted", accepted},
            {"text", pages_.text(c, {accepted ? "documents.decision.accepted"
                                              : "documents.decision.declined",
                                     {{"name", accepted ? x.signer_name : x.user_name},
                                      {"time", access::timeText(x.at)}}})},
            {"reason", orNull(x.reason)},
            {"sha256", orNull(x.pdf_sha256)}};
      }
    }
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "document", std::move(data), status);
  }

  DocumentService& service_;
  identity::Throttle& throttle_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerDocumentPages(identity::GuardedRoutes& routes, access::Policy& policy,
                                            DocumentService& service, identity::Throttle& throttle,
                                            const web::Views& views) {
  auto pages = std::make_shared<Pages>(policy, service, throttle, views);
  pages->registerAll(routes);
  return pages;
}

}  // namespace portico::documents
