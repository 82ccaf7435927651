#include "access/invite_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "http/error_response.h"

namespace portico::access {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kMaxRows = 20;
constexpr std::size_t kMaxCompanies = 200;

struct Row {
  std::string email, first_name, last_name, language;
  std::vector<std::string> errors;  // every fault of the row, translated
};

// The role a company's row starts with: the least-privileged preset with something to do.
constexpr const char* kDefaultRole = "member";

std::string field(const http::Params& form, const std::string& name) {
  return http::findParam(form, name).value_or("");
}

class InvitePages {
 public:
  InvitePages(Policy& policy, AccessRepository& repo, InvitationService& invitations,
              const web::Views& views)
      : policy_(policy),
        repo_(repo),
        invitations_(invitations),
        views_(views),
        pages_(views, policy) {}

  // An empty person's row, in the inviter's language.
  static Row blankRow(const Context& c) {
    Row row;
    row.language = c.lang;
    return row;
  }

  // The companies where the caller may invite: (access, chosen?, role chosen).
  std::vector<CompanyAccess> manageable(const Context& c) const {
    bool more = false;
    std::vector<CompanyAccess> out;
    for (auto& a : policy_.companies(*c.principal, 0, kMaxCompanies, &more)) {
      if (a.can(Permission::UsersManage)) out.push_back(std::move(a));
    }
    return out;
  }

  Response render(const Context& c, const std::vector<Row>& rows, const http::Params& form,
                  const std::string& notice, const std::string& error, int status) const {
    json companies = json::array();
    for (const auto& a : manageable(c)) {
      auto id = std::to_string(a.company.id.value);
      std::string chosen_role = field(form, "role_" + id);
      if (chosen_role.empty()) chosen_role = kDefaultRole;
      json roles = json::array();
      for (const char* role :
           {"administrator", "user", "moderator", "support_user", "member", "read_only", "all"}) {
        std::string key =
            role == std::string("all") ? "invite.all_permissions" : "role." + std::string(role);
        roles.push_back({{"id", role},
                         {"name", views_.translate(c.lang, key)},
                         {"selected", chosen_role == role}});
      }
      for (const auto& [role, name, permissions] : repo_.orgRoles(a.company.org_id)) {
        roles.push_back({{"id", role}, {"name", name}, {"selected", chosen_role == role}});
      }
      companies.push_back({{"id", a.company.id.value},
                           {"name", a.company.name},
                           {"checked", !field(form, "company_" + id).empty()},
                           {"roles", roles}});
    }
    json people = json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      json langs = json::array();
      for (auto [code, name] :
           {std::pair{"en", "English"}, std::pair{"sv", "Svenska"}, std::pair{"de", "Deutsch"}}) {
        langs.push_back({{"code", code}, {"name", name}, {"selected", rows[i].language == code}});
      }
      json person = {{"i", i},
                     {"n", i + 1},
                     {"email", rows[i].email},
                     {"first_name", rows[i].first_name},
                     {"last_name", rows[i].last_name},
                     {"languages", langs},
                     // The alert only when the row has something to say: an empty one is still
                     // announced.
                     {"has_errors", !rows[i].errors.empty()},
                     {"errors", rows[i].errors}};
      people.push_back(std::move(person));
    }
    json data = {{"title", views_.translate(c.lang, "invite.title")},
                 {"csrf", c.csrf},
                 {"signed_in", true},
                 {"user_name", c.principal->user.first_name + " " + c.principal->user.last_name},
                 {"companies", companies},
                 {"has_companies", !companies.empty()},
                 {"rows", people},
                 {"row_count", rows.size()},
                 {"can_add", rows.size() < kMaxRows}};
    if (!notice.empty()) data["notice"] = notice;
    if (!error.empty()) data["error"] = error;
    return Response::html(status, views_.page("invite", c.lang, data));
  }

  Response show(Request& r, Context& c) const {
    http::Params preset;
    if (auto q = r.query()) {
      if (auto company = http::findParam(*q, "company")) {
        preset.emplace_back("company_" + *company, "on");
      }
      if (auto sent = http::findParam(*q, "sent")) {
        return render(c, {blankRow(c)}, preset,
                      views_.translate(c.lang, "invite.sent") + " " + *sent, "", 200);
      }
    }
    return render(c, {blankRow(c)}, preset, "", "", 200);
  }

  Response submit(Request&, Context& c) const {
    const auto& form = c.form;
    int count = std::atoi(field(form, "rows").c_str());
    count = std::clamp(count, 1, kMaxRows);
    std::vector<Row> rows;
    for (int i = 0; i < count; ++i) {
      auto n = std::to_string(i);
      Row row{field(form, "email_" + n),
              field(form, "first_name_" + n),
              field(form, "last_name_" + n),
              field(form, "language_" + n),
              {}};
      if (row.language.empty()) row.language = c.lang;
      rows.push_back(std::move(row));
    }
    if (field(form, "action") == "add") {
      if (rows.size() < kMaxRows) rows.push_back(blankRow(c));
      return render(c, rows, form, "", "", 200);
    }
    // The companies ticked, each with its role ("all": every permission but users.manage).
    std::vector<InvitedCompany> chosen;
    for (const auto& a : manageable(c)) {
      auto id = std::to_string(a.company.id.value);
      if (field(form, "company_" + id).empty()) continue;
      InvitedCompany ic;
      ic.company_id = a.company.id;
      std::string role = field(form, "role_" + id);
      if (role == "all") {
        ic.role = "custom";
        ic.permissions = allButUserManagement();
      } else {
        ic.role = role.empty() ? kDefaultRole : role;
      }
      chosen.push_back(std::move(ic));
    }
    if (chosen.empty()) {
      return render(c, rows, form, "", views_.translate(c.lang, "invite.no_company"), 400);
    }
    int sent = 0;
    int status = 200;
    std::vector<Row> failed;
    for (auto& row : rows) {
      if (row.email.empty() && row.first_name.empty() && row.last_name.empty()) continue;
      NewInvitation n{row.email, row.first_name, row.last_name, row.language, chosen};
      // Every fault of the person at once; the companies' only once the person is right.
      auto errors = InvitationService::personErrors(n, *c.principal);
      if (errors.empty()) {
        auto inv = invitations_.invite(*c.principal, std::move(n), c.origin);
        if (inv) {
          ++sent;
          continue;
        }
        // Asked before the first is sent (the window then covers the rest): the prompt posts
        // every row again.
        if (inv.error().code == core::ErrorCode::StepUpRequired) return pages_.stepUp(c);
        errors.push_back(inv.error());
      }
      for (const auto& e : errors) row.errors.push_back(views_.message(c.lang, e));
      status = http::statusFor(errors.front().code);
      failed.push_back(row);
    }
    if (failed.empty() && sent > 0) {
      return Response::redirect("/invitations/new?sent=" + std::to_string(sent));
    }
    if (failed.empty()) {
      return render(c, rows, form, "", views_.translate(c.lang, "invite.no_rows"), 400);
    }
    std::string notice =
        sent ? views_.translate(c.lang, "invite.sent") + " " + std::to_string(sent) : "";
    return render(c, failed, form, notice, views_.translate(c.lang, "invite.some_failed"), status);
  }

 private:
  Policy& policy_;
  AccessRepository& repo_;
  InvitationService& invitations_;
  const web::Views& views_;
  PageRenderer pages_;
};

}  // namespace

void registerInvitePages(identity::GuardedRoutes& routes, Policy& policy, AccessRepository& repo,
                         InvitationService& invitations, const web::Views& views) {
  auto pages = std::make_shared<InvitePages>(policy, repo, invitations, views);
  routes.page("GET", "/invitations/new", Access::SignedIn,
              [pages](Request& r, Context& c) { return pages->show(r, c); });
  routes.page("POST", "/invitations/new", Access::SignedIn,
              [pages](Request& r, Context& c) { return pages->submit(r, c); });
}

}  // namespace portico::access
