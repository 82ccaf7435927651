#include "modules/cases/case_templates/template_routes.h"

#include "access/access_pages.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "http/error_response.h"
#include "modules/cases/case_fields.h"
#include "modules/cases/case_json.h"

namespace portico::cases {
namespace {

using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

core::Result<TemplateInput> parseTemplate(const Request& r) {
  auto body =
      objectBody(r, {"kind", "name", "subject", "body", "priority", "category_id", "shared"});
  if (!body) return fail(body.error());
  auto kind = enumField(*body, "kind", "errors.templates.bad_kind");
  auto priority = enumField(*body, "priority", "errors.cases.bad_priority");
  auto category = idField(*body, "category_id");
  auto shared = boolField(*body, "shared", true, "errors.templates.bad_shared");
  if (!kind) return fail(kind.error());
  if (!priority) return fail(priority.error());
  if (!category) return fail(category.error());
  if (!shared) return fail(shared.error());
  auto text = [&](const char* key) -> core::Result<std::string> {
    auto it = body->find(key);
    if (it == body->end() || it->is_null()) return std::string();
    if (!it->is_string()) {
      return fail(Error::invalid("errors.templates.not_text", key).with("field", key));
    }
    return it->get<std::string>();
  };
  auto name = text("name");
  auto subject = text("subject");
  auto content = text("body");
  for (const auto* v : {&name, &subject, &content}) {
    if (!*v) return fail(v->error());
  }
  return readTemplateInput(*kind, *name, *subject, *content, *priority,
                           *category ? std::to_string(**category) : "", *shared);
}

Response answer(int status, const core::Result<CaseTemplate>& t) {
  if (!t) return http::jsonError(t.error());
  return Response::json(status, templateToJson(*t).dump());
}

}  // namespace

core::Result<TemplateInput> readTemplateInput(const std::string& kind, const std::string& name,
                                              const std::string& subject, const std::string& body,
                                              const std::string& priority,
                                              const std::string& category_id, bool shared) {
  TemplateInput in;
  auto k = parseTemplateKind(kind);
  if (!k) return fail(Error::invalid("errors.templates.bad_kind", "kind"));
  in.kind = *k;
  json fields = {{"name", name}, {"subject", subject}, {"body", body}};
  auto n = directory::textField(fields, "name", true, 100);
  if (!n) return fail(n.error());
  in.name = *n;
  auto s = directory::textField(fields, "subject", false, 200);
  if (!s) return fail(s.error());
  in.subject = *s;
  auto b = directory::textField(fields, "body", true, 20000, "", true);
  if (!b) return fail(b.error());
  in.body = *b;
  if (!priority.empty()) in.priority = priority;
  if (!category_id.empty()) {
    in.category_id = core::positiveNumber(category_id, INT64_MAX);
    if (!in.category_id) return fail(Error::invalid("errors.cases.bad_category", "category_id"));
  }
  in.shared = shared;
  return in;
}

void registerTemplateRoutes(identity::GuardedRoutes& routes, TemplateService& templates) {
  routes.api("GET", "/api/v1/case-templates", Access::SignedIn,
             [&templates](Request& r, Context& c) {
               if (!r.query()) {
                 return http::jsonError(Error::invalid("errors.access.bad_query"));
               }
               std::optional<TemplateKind> kind;
               if (auto v = access::queryField(r, "kind"); !v.empty()) {
                 kind = parseTemplateKind(v);
                 if (!kind) {
                   return http::jsonError(Error::invalid("errors.templates.bad_kind", "kind"));
                 }
               }
               auto list = templates.list(*c.principal, kind);
               if (!list) return http::jsonError(list.error());
               json items = json::array();
               for (const auto& t : *list) items.push_back(templateToJson(t));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/case-templates", Access::SignedIn,
             [&templates](Request& r, Context& c) {
               // Outsiders learn nothing from the body's faults: the inbox first.
               if (!templates.available(*c.principal)) {
                 return http::jsonError(Error::notFound("errors.templates.no_such_template"));
               }
               auto in = parseTemplate(r);
               if (!in) return http::jsonError(in.error());
               return answer(201, templates.create(*c.principal, *in, actorOf(c)));
             });
  routes.api("GET", "/api/v1/case-templates/{id}", Access::SignedIn,
             [&templates](Request& r, Context& c) {
               return answer(200, templates.find(*c.principal, r.idParam("id")));
             });
  routes.api("PUT", "/api/v1/case-templates/{id}", Access::SignedIn,
             [&templates](Request& r, Context& c) {
               auto found = templates.find(*c.principal, r.idParam("id"));
               if (!found) return http::jsonError(found.error());
               auto in = parseTemplate(r);
               if (!in) return http::jsonError(in.error());
               return answer(200, templates.update(*c.principal, found->id, *in, actorOf(c)));
             });
  routes.api("DELETE", "/api/v1/case-templates/{id}", Access::SignedIn,
             [&templates](Request& r, Context& c) {
               auto done = templates.remove(*c.principal, r.idParam("id"), actorOf(c));
               if (!done) return http::jsonError(done.error());
               return Response::noContent();
             });
}

}  // namespace portico::cases
