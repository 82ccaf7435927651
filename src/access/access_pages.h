#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_api.h"
#include "access/company_routes.h"
#include "access/invitation_service.h"
#include "access/membership_service.h"
#include "access/policy.h"
#include "audit/audit_log.h"
#include "identity/guard.h"
#include "identity/identity_repository.h"
#include "identity/throttle.h"
#include "web/views.h"

namespace portico::access {

// Dates on pages, in UTC: "2024-05-01", "2024-05-01 12:30 UTC".
std::string dateText(std::int64_t t);
std::string timeText(std::int64_t t);
// The start (00:00:00 UTC) of the day written as YYYY-MM-DD, as seconds since 1970; nullopt if
// `text` is not such a date.
std::optional<std::int64_t> parseDate(std::string_view text);
// The value of form field `name` ("" if absent).
std::string formField(const identity::Context& c, std::string_view name);
// The value of query parameter `name` ("" if absent or the query is malformed).
std::string queryField(const http::Request& r, std::string_view name);
// InvalidInput naming `field`: it must be a number from 1 to `max`.
core::Error numberOutOfRange(const char* field, std::int64_t max);
// Query parameter `name` as a number from 1 to `max` (a list's ids and limit): nullopt when it is
// absent or empty, numberOutOfRange when it is anything else.
core::Result<std::optional<std::int64_t>> queryNumber(const http::Request& r, const char* name,
                                                      std::int64_t max = INT64_MAX);

// The staff console's start page needs this capability; the layout links the console for staff
// who hold it.
inline constexpr StaffCapability kConsoleStart = StaffCapability::Customers;

// The step before a destructive action (remove access, delete a site, disable a login…), which
// works without JavaScript: the action's button posts its form; until that form carries
// confirmed=1, the handler answers this page instead of acting — what will happen, a button that
// posts again with confirmed=1 (and the form's other fields), and a way back.
struct Confirmation {
  core::Message heading;   // "Remove access?"
  core::Message question;  // "Max Mustermann will no longer have access to Acme AB."
  core::Message button;    // "Remove access"
  std::string action;      // where the form posts (the action's own path)
  std::string back;        // where "Cancel" goes
  http::Params fields;     // other fields the action needs, carried as hidden fields
};
// True if the posted form has been confirmed on the confirmation page.
bool confirmed(const identity::Context& c);

// Renders the pages of signed-in callers inside the layout, with what every such page needs: the
// CSRF token, the user's name, the title ("<name>.title" unless `data` has one) and, for staff
// who may open it, the link to the staff console. Thread-safe.
class PageRenderer {
 public:
  PageRenderer(const web::Views& views, Policy& policy) : views_(views), policy_(policy) {}

  http::Response render(const identity::Context& c, const std::string& name, nlohmann::json data,
                        int status = 200) const;
  // The error page for `e`, with its status (404 for NotFound, 403 for Forbidden, …).
  http::Response error(const identity::Context& c, const core::Error& e) const;
  // The step-up prompt in place of a page action that needs one (StepUpRequired; error() shows
  // it): a code field, and the action's form fields carried along, posting back to the action,
  // which then carries on (identity::GuardedRoutes checks the code first).
  http::Response stepUp(const identity::Context& c) const;
  // 404: no such company among the caller's.
  http::Response notFound(const identity::Context& c) const;
  std::string translate(const identity::Context& c, std::string_view key) const {
    return views_.translate(c.lang, key);
  }
  // The message of `e` in the caller's language.
  std::string message(const identity::Context& c, const core::Error& e) const {
    return views_.message(c.lang, e);
  }
  // The confirmation page of a destructive action.
  http::Response confirm(const identity::Context& c, const Confirmation& what) const;
  // A message in the caller's language.
  std::string text(const identity::Context& c, const core::Message& m) const {
    return views_.message(c.lang, m.key, m.args);
  }
  // What a permission allows, in the caller's language ("View invoices" for invoices.view).
  std::string permissionLabel(const identity::Context& c, Permission p) const;
  // The permissions of `set` as [{"id": "invoices.view", "label": "View invoices"}], in catalog
  // order: pages show the label and keep the id for forms.
  nlohmann::json permissionList(const identity::Context& c, const PermissionSet& set) const;

 private:
  const web::Views& views_;
  Policy& policy_;
};

// Page routes about one company, named "{id}" in the pattern (the pages' CompanyRoutes). Before
// the handler runs, the caller must be signed in with 2FA (GuardedRoutes: else the sign-in page),
// see the company (else the 404 page) and hold `permission` there (else the 403 page;
// CompanyRoutes::kAnyAccess: seeing the company is enough).
class CompanyPages {
 public:
  CompanyPages(identity::GuardedRoutes& routes, Policy& policy, const PageRenderer& pages,
               audit::AuditLog& audit)
      : routes_(routes), policy_(policy), pages_(pages), audit_(audit) {}

  void page(const std::string& method, const std::string& pattern,
            std::optional<Permission> permission, CompanyHandler handler);

 private:
  identity::GuardedRoutes& routes_;
  Policy& policy_;
  const PageRenderer& pages_;
  audit::AuditLog& audit_;
};

// The names of the roles an organization defined, by key.
using RoleNames = std::map<std::string, std::string>;
RoleNames roleNames(AccessRepository& repo, core::OrgId org);

// A role as people read it: a preset's name, "Staff (admin)", "Agent (read-only)", the name of
// a role the organization defined (from `org_roles`; else its key).
std::string roleLabel(const PageRenderer& pages, const identity::Context& c,
                      const std::string& role, const RoleNames& org_roles = {});

// The filters of the audit pages: ?event= (a prefix), ?from= and ?to= (dates, both days
// included) and ?cursor= (records older than that id).
struct AuditPageFilter {
  std::string event;
  std::string from;
  std::string to;
  std::int64_t since = 0;
  std::int64_t until = INT64_MAX;
  std::int64_t before_id = 0;
};
// InvalidInput (a key of the page's texts: audit.bad_*) for a malformed date, event or cursor.
core::Result<AuditPageFilter> auditPageFilter(const http::Request& r);
// The same filters as the query of the CSV export ("event=…&since=…&until=…").
std::string auditExportQuery(const AuditPageFilter& f);

// The names of a company's sites by id. Sites belong to the directory layer above, which
// supplies this.
using SiteNames = std::function<std::map<std::int64_t, std::string>(core::CompanyId)>;

// The company menu that `access` gives: [{"href", "label"}], only the pages it may use.
nlohmann::json companyMenu(const PageRenderer& pages, const identity::Context& c,
                           const CompanyAccess& access);

// What the pages of this layer use.
struct AccessPagesDeps {
  Policy& policy;
  MembershipService& members;
  InvitationService& invitations;
  audit::AuditLog& audit;
  identity::IdentityRepository& users;
  identity::Throttle& throttle;  // heavy exports
  AccessRepository& access_repo;
  SiteNames site_names;
};

// The signed-in home (the caller's companies, a page at a time; the staff console for staff), a
// company's page (the caller's rights and menu; for those who manage users the access review:
// members with role, sites, last sign-in, 2FA and inviter, remove access, pending invitations,
// invite), and for those who manage users the company's audit log (and its CSV), "explain
// access" and the read-only "view as" preview of a member.
// The returned object holds the handlers' state: keep it for as long as the routes serve.
std::shared_ptr<void> registerAccessPages(identity::GuardedRoutes& routes, AccessPagesDeps deps,
                                          const web::Views& views);

}  // namespace portico::access
