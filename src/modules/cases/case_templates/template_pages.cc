#include "modules/cases/case_templates/template_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "core/text.h"
#include "modules/cases/case_templates/template_routes.h"

namespace portico::cases {
namespace {

using access::formField;
using access::queryField;
using core::Error;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

class Pages {
 public:
  Pages(access::Policy& policy, TemplateService& templates, const web::Views& views)
      : templates_(templates), pages_(views, policy) {}

  void registerAll(identity::GuardedRoutes& routes) {
    routes.page("GET", "/cases/templates", Access::SignedIn,
                [this](Request&, Context& c) { return list(c); });
    routes.page("GET", "/cases/templates/new", Access::SignedIn, [this](Request& r, Context& c) {
      auto kind = parseTemplateKind(queryField(r, "kind")).value_or(TemplateKind::Reply);
      CaseTemplate t;
      t.kind = kind;
      return form(c, t, 0, "", 200);
    });
    routes.page("POST", "/cases/templates/new", Access::SignedIn,
                [this](Request&, Context& c) { return save(c, 0); });
    routes.page("GET", "/cases/templates/{id}", Access::SignedIn, [this](Request& r, Context& c) {
      auto t = templates_.find(*c.principal, r.idParam("id"));
      if (!t) return pages_.error(c, t.error());
      return form(c, *t, t->id, "", 200);
    });
    routes.page("POST", "/cases/templates/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return save(c, r.idParam("id")); });
    routes.page("POST", "/cases/templates/{id}/delete", Access::SignedIn,
                [this](Request& r, Context& c) { return remove(r, c); });
  }

 private:
  Response list(const Context& c) const {
    auto all = templates_.list(*c.principal, std::nullopt);
    if (!all) return pages_.error(c, all.error());
    json replies = json::array(), cases = json::array();
    for (const auto& t : *all) {
      json row = {{"href", "/cases/templates/" + std::to_string(t.id)},
                  {"name", t.name},
                  {"shared", t.shared},
                  {"owner", t.owner ? displayName(*t.owner) : ""}};
      (t.kind == TemplateKind::Reply ? replies : cases).push_back(std::move(row));
    }
    json data = {{"replies", replies},
                 {"has_replies", !replies.empty()},
                 {"cases", cases},
                 {"has_cases", !cases.empty()}};
    return pages_.render(c, "case_templates", std::move(data));
  }

  // The form of a new template (id 0) or of template `id`, holding `t`'s fields.
  Response form(const Context& c, const CaseTemplate& t, std::int64_t id, const std::string& error,
                int status) const {
    auto categories = templates_.categories(*c.principal);
    if (!categories) return pages_.error(c, categories.error());
    bool is_case = t.kind == TemplateKind::Case;
    json priorities = json::array();
    for (auto p : kPriorities) {
      priorities.push_back({{"id", std::string(p)},
                            {"label", pages_.translate(c, "cases.priority." + std::string(p))},
                            {"selected", t.priority && *t.priority == p}});
    }
    json cats = json::array();
    for (const auto& [cid, name] : *categories) {
      cats.push_back({{"id", cid}, {"name", name}, {"selected", t.category_id == cid}});
    }
    bool may_change = id == 0 || templates_.mayChange(*c.principal, t);
    json data = {{"action", id ? "/cases/templates/" + std::to_string(id) : "/cases/templates/new"},
                 {"kind", std::string(templateKindName(t.kind))},
                 {"is_case", is_case},
                 {"name", t.name},
                 {"subject", t.subject},
                 {"body", t.body},
                 {"shared", t.shared},
                 {"priorities", priorities},
                 {"categories", cats},
                 {"has_categories", !cats.empty()},
                 {"existing", id != 0},
                 {"may_change", may_change},
                 {"title", id ? t.name
                              : pages_.translate(c, is_case ? "case_templates.new_case"
                                                            : "case_templates.new_reply")}};
    if (id) data["delete_action"] = "/cases/templates/" + std::to_string(id) + "/delete";
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "case_template", std::move(data), status);
  }

  Response save(Context& c, std::int64_t id) const {
    CaseTemplate posted;  // what was sent, to show again after an error
    posted.kind = parseTemplateKind(formField(c, "kind")).value_or(TemplateKind::Reply);
    posted.name = formField(c, "name");
    posted.subject = formField(c, "subject");
    posted.body = formField(c, "body");
    if (auto p = formField(c, "priority"); !p.empty()) posted.priority = p;
    posted.category_id = core::positiveNumber(formField(c, "category_id"), INT64_MAX);
    posted.shared = formField(c, "shared") == "1";
    if (id) {
      auto existing = templates_.find(*c.principal, id);
      if (!existing) return pages_.error(c, existing.error());
      posted.owner = existing->owner;
      posted.org_id = existing->org_id;
    } else if (!templates_.available(*c.principal)) {
      return pages_.error(c, Error::notFound("errors.templates.no_such_template"));
    }
    auto failed = [&](const Error& e) {
      return form(c, posted, id, pages_.message(c, e), http::statusFor(e.code));
    };
    auto in =
        readTemplateInput(formField(c, "kind"), posted.name, posted.subject, posted.body,
                          formField(c, "priority"), formField(c, "category_id"), posted.shared);
    if (!in) return failed(in.error());
    auto done = id ? templates_.update(*c.principal, id, *in, actorOf(c))
                   : templates_.create(*c.principal, *in, actorOf(c));
    if (!done) {
      if (done.error().code == core::ErrorCode::NotFound) return pages_.error(c, done.error());
      return failed(done.error());
    }
    c.next_notice = core::Message{"notices.case_templates.saved", {{"name", done->name}}};
    return Response::redirect("/cases/templates");
  }

  Response remove(const Request& r, Context& c) const {
    auto t = templates_.find(*c.principal, r.idParam("id"));
    if (!t) return pages_.error(c, t.error());
    auto path = "/cases/templates/" + std::to_string(t->id);
    if (!access::confirmed(c)) {
      return pages_.confirm(c, {{"confirm.delete_case_template.heading", {}},
                                {"confirm.delete_case_template.question", {{"name", t->name}}},
                                {"confirm.delete_case_template.button", {}},
                                path + "/delete",
                                path,
                                {}});
    }
    auto done = templates_.remove(*c.principal, t->id, actorOf(c));
    if (!done) return form(c, *t, t->id, pages_.message(c, done.error()), 403);
    c.next_notice = core::Message{"notices.case_templates.deleted", {{"name", t->name}}};
    return Response::redirect("/cases/templates");
  }

  TemplateService& templates_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerTemplatePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                            TemplateService& templates, const web::Views& views) {
  auto owner = std::make_shared<Pages>(policy, templates, views);
  owner->registerAll(routes);
  return owner;
}

}  // namespace portico::cases
