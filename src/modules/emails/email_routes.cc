#include "modules/emails/email_routes.h"

#include <cstdlib>

#include "access/access_pages.h"
#include "http/error_response.h"
#include "modules/emails/email_json.h"

namespace portico::emails {
namespace {

using access::CompanyAccess;
using access::Permission;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kMaxLimit = 200;
constexpr int kPageSize = 50;

// A positive number no larger than `max`, or nullopt.
std::optional<std::int64_t> number(const std::string& text, std::int64_t max) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  auto n = std::strtoll(text.c_str(), nullptr, 10);
  if (n < 1 || n > max) return std::nullopt;
  return n;
}

// The query of a list call: ?company_id=&status=&limit=&cursor=.
core::Result<EmailQuery> parseQuery(const Request& r, int default_limit) {
  if (!r.query()) return core::fail(core::Error::invalid("errors.access.bad_query"));
  EmailQuery q;
  q.limit = default_limit;
  q.status = access::queryField(r, "status");
  if (auto v = access::queryField(r, "company_id"); !v.empty()) {
    auto n = number(v, INT64_MAX);
    if (!n) return core::fail(access::numberOutOfRange("company_id", INT64_MAX));
    q.company = core::CompanyId{*n};
  }
  if (auto v = access::queryField(r, "limit"); !v.empty()) {
    auto n = number(v, kMaxLimit);
    if (!n) return core::fail(access::numberOutOfRange("limit", kMaxLimit));
    q.limit = static_cast<int>(*n);
  }
  if (auto v = access::queryField(r, "cursor"); !v.empty()) {
    auto n = number(v, INT64_MAX);
    if (!n) return core::fail(access::numberOutOfRange("cursor", INT64_MAX));
    q.before_id = *n;
  }
  return q;
}

std::optional<std::int64_t> idParam(const Request& r, const char* name) {
  return number(r.param(name), INT64_MAX);
}

Response jsonAnswer(const core::Result<Email>& e) {
  if (!e) return http::jsonError(e.error());
  return Response::json(200, emailToJson(*e, true).dump());
}

Response jsonAnswer(const core::Result<EmailPage>& p) {
  if (!p) return http::jsonError(p.error());
  return Response::json(200, pageToJson(*p).dump());
}

class Pages {
 public:
  Pages(identity::GuardedRoutes& routes, access::Policy& policy, EmailService& emails,
        audit::AuditLog& audit, const web::Views& views)
      : emails_(emails), pages_(views, policy), company_pages_(routes, policy, pages_, audit) {}

  void registerAll(identity::GuardedRoutes& routes) {
    company_pages_.page(
        "GET", "/companies/{id}/emails", Permission::EmailsView,
        [this](Request& r, Context& c, const CompanyAccess& a) { return companyList(r, c, a); });
    company_pages_.page(
        "GET", "/companies/{id}/emails/{email_id}", Permission::EmailsView,
        [this](Request& r, Context& c, const CompanyAccess& a) { return companyShow(r, c, a); });
    routes.page("GET", "/account/emails", Access::SignedIn,
                [this](Request& r, Context& c) { return ownList(r, c); });
    routes.page("GET", "/account/emails/{email_id}", Access::SignedIn,
                [this](Request& r, Context& c) { return ownShow(r, c); });
  }

 private:
  json statusChoices(const Context& c, const std::string& chosen) const {
    json out = json::array();
    for (const char* s : {"", "queued", "sent", "failed"}) {
      std::string key = *s ? std::string("emails.status_") + s : "emails.all_statuses";
      out.push_back({{"value", s}, {"label", pages_.translate(c, key)}, {"selected", chosen == s}});
    }
    return out;
  }

  json rows(const Context& c, const EmailPage& page, const std::string& base) const {
    json out = json::array();
    for (const auto& e : page.items) {
      out.push_back({{"href", base + "/" + std::to_string(e.mail.id)},
                     {"to", e.mail.recipient},
                     {"subject", e.mail.subject},
                     {"time", access::timeText(e.mail.created_at)},
                     {"status", pages_.translate(c, "emails.status_" + e.mail.status)},
                     {"failed", e.mail.status == "failed"}});
    }
    return out;
  }

  Response list(const Context& c, json data, const std::string& base,
                const core::Result<EmailPage>& page, const EmailQuery& q) const {
    if (!page) return pages_.error(c, page.error());
    data["list_path"] = base;
    data["statuses"] = statusChoices(c, q.status);
    data["rows"] = rows(c, *page, base);
    data["has_rows"] = !page->items.empty();
    if (page->next_before) {
      std::string next = base + "?cursor=" + std::to_string(*page->next_before);
      if (!q.status.empty()) next += "&status=" + q.status;
      data["older_link"] = next;
    }
    return pages_.render(c, "emails", std::move(data));
  }

  Response companyList(const Request& r, const Context& c, const CompanyAccess& a) const {
    auto q = parseQuery(r, kPageSize);
    if (!q) return pages_.error(c, q.error());
    q->company = a.company.id;
    auto base = "/companies/" + std::to_string(a.company.id.value) + "/emails";
    json data = {{"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"intro", pages_.translate(c, "emails.company_intro")},
                 {"title", pages_.translate(c, "emails.title") + " · " + a.company.name}};
    return list(c, std::move(data), base, emails_.list(*c.principal, *q), *q);
  }

  Response ownList(const Request& r, const Context& c) const {
    auto q = parseQuery(r, kPageSize);
    if (!q) return pages_.error(c, q.error());
    json data = {{"own", true},
                 {"intro", pages_.translate(c, "emails.own_intro")},
                 {"title", pages_.translate(c, "emails.own_title")}};
    return list(c, std::move(data), "/account/emails", emails_.own(*c.principal, *q), *q);
  }

  Response show(const Context& c, json data, const core::Result<Email>& e) const {
    if (!e) return pages_.error(c, e.error());
    const auto& m = e->mail;
    data["subject"] = m.subject;
    data["to"] = m.recipient;
    data["time"] = access::timeText(m.created_at);
    data["sent_at"] = m.sent_at ? access::timeText(*m.sent_at) : "";
    data["status"] = pages_.translate(c, "emails.status_" + m.status);
    data["text"] = m.text;
    data["title"] = m.subject;
    return pages_.render(c, "email", std::move(data));
  }

  Response companyShow(const Request& r, const Context& c, const CompanyAccess& a) const {
    auto id = idParam(r, "email_id");
    if (!id) return pages_.error(c, core::Error::notFound("errors.emails.no_such_email"));
    auto e = emails_.find(*c.principal, *id);
    // Under this company's path, only a mail about this company.
    if (e && std::find(e->mail.companies.begin(), e->mail.companies.end(), a.company.id) ==
                 e->mail.companies.end()) {
      e = core::fail(core::Error::notFound("errors.emails.no_such_email"));
    }
    auto base = "/companies/" + std::to_string(a.company.id.value);
    json data = {{"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"list_path", base + "/emails"}};
    return show(c, std::move(data), e);
  }

  Response ownShow(const Request& r, const Context& c) const {
    auto id = idParam(r, "email_id");
    if (!id) return pages_.error(c, core::Error::notFound("errors.emails.no_such_email"));
    json data = {{"own", true}, {"list_path", "/account/emails"}};
    return show(c, std::move(data), emails_.ownOne(*c.principal, *id));
  }

  EmailService& emails_;
  access::PageRenderer pages_;
  access::CompanyPages company_pages_;
};

}  // namespace

std::shared_ptr<void> registerEmailRoutes(identity::GuardedRoutes& routes, access::Policy& policy,
                                          EmailService& emails, audit::AuditLog& audit,
                                          const web::Views& views) {
  routes.api("GET", "/api/v1/emails", Access::SignedIn, [&emails](Request& r, Context& c) {
    auto q = parseQuery(r, kPageSize);
    if (!q) return http::jsonError(q.error());
    return jsonAnswer(emails.list(*c.principal, *q));
  });
  routes.api("GET", "/api/v1/emails/{id}", Access::SignedIn, [&emails](Request& r, Context& c) {
    auto id = idParam(r, "id");
    if (!id) return http::jsonError(core::Error::notFound("errors.emails.no_such_email"));
    return jsonAnswer(emails.find(*c.principal, *id));
  });
  routes.api("GET", "/api/v1/me/emails", Access::SignedIn, [&emails](Request& r, Context& c) {
    auto q = parseQuery(r, kPageSize);
    if (!q) return http::jsonError(q.error());
    return jsonAnswer(emails.own(*c.principal, *q));
  });
  routes.api("GET", "/api/v1/me/emails/{id}", Access::SignedIn, [&emails](Request& r, Context& c) {
    auto id = idParam(r, "id");
    if (!id) return http::jsonError(core::Error::notFound("errors.emails.no_such_email"));
    return jsonAnswer(emails.ownOne(*c.principal, *id));
  });
  auto owner = std::make_shared<Pages>(routes, policy, emails, audit, views);
  owner->registerAll(routes);
  return owner;
}

}  // namespace portico::emails
