#include "modules/documents/document_settings/document_settings_routes.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "http/error_response.h"
#include "identity/guard.h"

namespace portico::documents {
namespace {

using access::formField;
using access::queryField;
using access::StaffCapability;
using access::StaffRole;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

constexpr const char* kFields[] = {"legal_name", "address", "org_number",
                                   "vat_number", "contact", "payment_details"};

class Pages {
 public:
  Pages(access::Policy& policy, DocumentSettingsService& settings, const web::Views& views)
      : settings_(settings), pages_(views, policy) {}

  void registerAll(access::StaffRoutes& routes) {
    routes.page("GET", "/staff/document-settings", StaffCapability::DocumentSettings,
                [this](Request& r, Context& c, const StaffRole& s) {
                  return form(c, documentSettingsToJson(settings_.get(s)),
                              queryField(r, "saved") == "1", "", 200);
                });
    routes.page("POST", "/staff/document-settings", StaffCapability::DocumentSettings,
                [this](Request&, Context& c, const StaffRole& s) {
                  json body = json::object();
                  for (const char* f : kFields) body[f] = formField(c, f);
                  auto in = readDocumentSettings(body);
                  if (!in) {
                    body["logo"] = settings_.get(s).logo_file_id.has_value();
                    return form(c, body, false, pages_.message(c, in.error()),
                                http::statusFor(in.error().code));
                  }
                  auto saved =
                      settings_.save(*c.principal, s, std::move(*in), identity::auditActor(c));
                  if (!saved) return pages_.error(c, saved.error());  // the step-up prompt
                  return Response::redirect("/staff/document-settings?saved=1");
                });
    routes.page("POST", "/staff/document-settings/logo", StaffCapability::DocumentSettings,
                [this](Request&, Context& c, const StaffRole& s) {
                  const http::MultipartPart* file = nullptr;
                  for (const auto& part : c.files) {
                    if (part.name == "file") file = &part;
                  }
                  auto done = file ? settings_.setLogo(s, file->data, identity::auditActor(c))
                                   : core::Result<DocumentSettings>(core::fail(core::Error::invalid(
                                         "errors.document_settings.logo_required", "file")));
                  if (!done) {
                    return form(c, documentSettingsToJson(settings_.get(s)), false,
                                pages_.message(c, done.error()),
                                http::statusFor(done.error().code));
                  }
                  return Response::redirect("/staff/document-settings?saved=1");
                });
    routes.page("POST", "/staff/document-settings/logo/delete", StaffCapability::DocumentSettings,
                [this](Request&, Context& c, const StaffRole& s) {
                  if (!access::confirmed(c)) {
                    return pages_.confirm(c, {{"confirm.remove_logo.heading", {}},
                                              {"confirm.remove_logo.question", {}},
                                              {"confirm.remove_logo.button", {}},
                                              "/staff/document-settings/logo/delete",
                                              "/staff/document-settings",
                                              {}});
                  }
                  settings_.removeLogo(s, identity::auditActor(c));
                  return Response::redirect("/staff/document-settings?saved=1");
                });
  }

 private:
  Response form(const Context& c, const json& v, bool saved, const std::string& error,
                int status) const {
    json data = json::object();
    for (const char* f : kFields) data[f] = v.value(f, "");
    data["logo"] = v.value("logo", false);
    data["saved"] = saved;
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "document_settings", std::move(data), status);
  }

  DocumentSettingsService& settings_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerDocumentSettingsRoutes(access::StaffRoutes& routes,
                                                     access::Policy& policy,
                                                     DocumentSettingsService& settings,
                                                     const web::Views& views) {
  routes.api("GET", "/api/v1/staff/document-settings", StaffCapability::DocumentSettings,
             [&settings](Request&, Context&, const StaffRole& s) {
               return Response::json(200, documentSettingsToJson(settings.get(s)).dump());
             });
  routes.api("PUT", "/api/v1/staff/document-settings", StaffCapability::DocumentSettings,
             [&settings](Request& r, Context& c, const StaffRole& s) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               auto in = readDocumentSettings(*body);
               if (!in) return http::jsonError(in.error());
               auto saved = settings.save(*c.principal, s, std::move(*in), identity::auditActor(c));
               if (!saved) return http::jsonError(saved.error());
               return Response::json(200, documentSettingsToJson(*saved).dump());
             });
  routes.api(
      "PUT", "/api/v1/staff/document-settings/logo", StaffCapability::DocumentSettings,
      [&settings](Request& r, Context& c, const StaffRole& s) {
        if (!r.header("content-type").starts_with("image/png")) {
          return http::jsonError(
              core::Error::unsupportedMediaType("errors.document_settings.logo_not_png"));
        }
        auto done = settings.setLogo(s, r.body, identity::auditActor(c));
        if (!done) return http::jsonError(done.error());
        return Response::json(200, documentSettingsToJson(*done).dump());
      },
      http::Execution::Worker);
  routes.api("DELETE", "/api/v1/staff/document-settings/logo", StaffCapability::DocumentSettings,
             [&settings](Request&, Context& c, const StaffRole& s) {
               return Response::json(
                   200,
                   documentSettingsToJson(settings.removeLogo(s, identity::auditActor(c))).dump());
             });
  auto pages = std::make_shared<Pages>(policy, settings, views);
  pages->registerAll(routes);
  return pages;
}

}  // namespace portico::documents
