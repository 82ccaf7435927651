#include "directory/directory_api.h"

#include <nlohmann/json.hpp>

#include "http/error_response.h"
#include "identity/guard.h"

namespace portico::directory {
namespace {

using access::CompanyAccess;
using access::Permission;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

template <typename T>
Response answer(const core::Result<T>& r, int status, json (*to_json)(const T&)) {
  if (!r) return http::jsonError(r.error());
  return Response::json(status, to_json(*r).dump());
}

}  // namespace

json siteToJson(const Site& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"address", s.address},
          {"external_id", s.external_id ? json(*s.external_id) : json()}};
}

json contactToJson(const Contact& c) {
  return {{"id", c.id},
          {"site_id", c.site_id ? json(*c.site_id) : json()},
          {"first_name", c.first_name},
          {"last_name", c.last_name},
          {"job_title", c.job_title},
          {"email", c.email},
          {"phone", c.phone},
          {"external_id", c.external_id ? json(*c.external_id) : json()},
          {"login", c.user_id ? json{{"user_id", *c.user_id}, {"email", c.user_email}} : json()}};
}

void registerDirectoryApi(access::CompanyRoutes& routes, DirectoryService& directory) {
  using access::CompanyRoutes;
  routes.api("GET", "/api/v1/companies/{id}/sites", CompanyRoutes::kAnyAccess,
             [&directory](Request&, Context&, const CompanyAccess& a) {
               json items = json::array();
               for (const auto& s : directory.sites(a)) items.push_back(siteToJson(s));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/companies/{id}/sites", Permission::CompanyProfile,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               return answer(directory.createSite(a, *body, actorOf(c)), 201, siteToJson);
             });
  routes.api("PATCH", "/api/v1/companies/{id}/sites/{site_id}", Permission::CompanyProfile,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               return answer(directory.updateSite(a, r.idParam("site_id"), *body, actorOf(c)), 200,
                             siteToJson);
             });
  routes.api("DELETE", "/api/v1/companies/{id}/sites/{site_id}", Permission::CompanyProfile,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto s = directory.deleteSite(a, r.idParam("site_id"), actorOf(c));
               return s ? Response::noContent() : http::jsonError(s.error());
             });

  routes.api("GET", "/api/v1/companies/{id}/contacts", Permission::ContactsManage,
             [&directory](Request&, Context&, const CompanyAccess& a) {
               json items = json::array();
               for (const auto& x : directory.contacts(a)) items.push_back(contactToJson(x));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/companies/{id}/contacts", Permission::ContactsManage,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               return answer(directory.saveContact(a, 0, *body, actorOf(c)), 201, contactToJson);
             });
  routes.api("GET", "/api/v1/companies/{id}/contacts/{contact_id}", Permission::ContactsManage,
             [&directory](Request& r, Context&, const CompanyAccess& a) {
               return answer(directory.contact(a, r.idParam("contact_id")), 200, contactToJson);
             });
  routes.api("PATCH", "/api/v1/companies/{id}/contacts/{contact_id}", Permission::ContactsManage,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               auto id = r.idParam("contact_id");
               if (id <= 0)
                 return http::jsonError(core::Error::notFound("errors.directory.no_such_contact"));
               return answer(directory.saveContact(a, id, *body, actorOf(c)), 200, contactToJson);
             });
  routes.api("DELETE", "/api/v1/companies/{id}/contacts/{contact_id}", Permission::ContactsManage,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto s = directory.deleteContact(a, r.idParam("contact_id"), actorOf(c));
               return s ? Response::noContent() : http::jsonError(s.error());
             });
  routes.api("PUT", "/api/v1/companies/{id}/contacts/{contact_id}/login",
             Permission::ContactsManage,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               auto email = identity::stringField(*body, "email", 254);
               if (!email) return http::jsonError(email.error());
               if (email->empty()) {
                 return http::jsonError(
                     core::Error::invalid("errors.directory.member_email_required", "email"));
               }
               return answer(directory.link(a, r.idParam("contact_id"), *email, actorOf(c)), 200,
                             contactToJson);
             });
  routes.api("DELETE", "/api/v1/companies/{id}/contacts/{contact_id}/login",
             Permission::ContactsManage,
             [&directory](Request& r, Context& c, const CompanyAccess& a) {
               return answer(directory.link(a, r.idParam("contact_id"), "", actorOf(c)), 200,
                             contactToJson);
             });
}

}  // namespace portico::directory
