#include "access/audit_text.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "access/permissions.h"
#include "identity/notifications.h"

namespace portico::access {
namespace {

using identity::Context;
using nlohmann::json;
using Detail = nlohmann::ordered_json;  // a record's detail, in its own order

// The event filter's choices: groups of event prefixes, each with its label
// (audit.group.<group>, audit.choice.<choice>). `company`: a company's log can hold such events
// (those with the company, and its members' sign-ins and 2FA: see AuditLog::forCompany).
struct EventChoice {
  std::string_view group;
  std::string_view prefix;
  std::string_view choice;
  bool company;
};
constexpr EventChoice kEventChoices[] = {
    {"sign_in", "login.", "login", true},
    {"sign_in", "mfa.", "mfa", true},
    {"sign_in", "logout", "logout", false},
    {"sign_in", "session.", "session", false},
    {"access", "membership.", "membership", true},
    {"access", "invitation.", "invitation", true},
    {"access", "role.", "role", false},
    {"access", "agent.", "agent", true},
    {"access", "user.", "user", false},
    {"access", "staff.", "staff", false},
    {"directory", "site.", "site", true},
    {"directory", "contact.", "contact", true},
    {"account", "password.", "password", false},
    {"account", "profile.", "profile", false},
    {"account", "notifications.", "notifications", false},
    {"account", "signup.", "signup", true},
    {"organization", "organization.", "organization", false},
    {"organization", "company.", "company", true},
    {"organization", "customer.", "customer", true},
    {"organization", "department.", "department", false},
    {"organization", "personnel.", "personnel", false},
    {"organization", "licences.", "licences", false},
    {"organization", "api_key.", "api_key", false},
    {"organization", "delivery.", "delivery", false},
    {"organization", "document_settings.", "document_settings", false},
    {"records", "case.", "case", true},
    {"records", "agreement.", "agreement", true},
    {"records", "order.", "order", true},
    {"records", "quote.", "quote", true},
    {"records", "invoice.", "invoice", true},
    {"records", "documents.", "documents", true},
};

// Detail keys shown first, in this order (who or what it is about, then old values before new
// ones); the others follow in the record's order.
constexpr std::string_view kLeadingKeys[] = {
    "name", "email",           "company_id",      "old_role",   "new_role",
    "role", "old_permissions", "new_permissions", "permissions"};
constexpr std::string_view kRoleKeys[] = {"role", "old_role", "new_role"};
constexpr std::string_view kPermissionKeys[] = {"permissions", "old_permissions",
                                                "new_permissions"};
constexpr std::string_view kTimeKeys[] = {"until"};

bool among(std::string_view key, std::span<const std::string_view> keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// Lower-case letters, digits and underscores only: a value that may have a translation.
bool slug(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

// The detail of one record in one reader's language.
class DetailText {
 public:
  DetailText(const PageRenderer& pages, const Context& c, const RoleNames& org_roles)
      : pages_(pages), c_(c), org_roles_(org_roles) {}

  // "Key: value · Key: value" for the pairs of `object`, but those whose value is "" (nothing
  // to tell; no permissions, though, is told).
  std::string pairs(const Detail& object, std::string_view separator) const {
    std::vector<std::pair<std::ptrdiff_t, std::string>> keys;  // (rank, key)
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (it->is_string() && it->get_ref<const std::string&>().empty() &&
          !among(it.key(), kPermissionKeys)) {
        continue;
      }
      auto lead = std::find(std::begin(kLeadingKeys), std::end(kLeadingKeys), it.key());
      keys.emplace_back(lead - std::begin(kLeadingKeys), it.key());
    }
    std::stable_sort(keys.begin(), keys.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [rank, key] : keys) {
      if (!out.empty()) out += separator;
      out += label(key) + ": " + value(key, object.at(key));
    }
    return out;
  }

 private:
  std::string t(const std::string& key) const { return pages_.translate(c_, key); }

  // The translation of `key`, or `fallback` if it has none.
  std::string tOr(const std::string& key, const std::string& fallback) const {
    auto text = t(key);
    return text == key ? fallback : text;
  }

  std::string label(const std::string& key) const {
    for (const auto& kind : identity::notificationKinds()) {  // notifications.updated
      if (kind.id == key) return t(std::string(kind.label_key));
    }
    return slug(key) ? tOr("audit.detail." + key, key) : key;
  }

  std::string value(const std::string& key, const Detail& v) const {
    if (v.is_null()) return t("audit.value.none");
    if (v.is_boolean()) return t(v.get<bool>() ? "audit.value.yes" : "audit.value.no");
    if (v.is_object()) return pairs(v, ", ");
    if (v.is_array()) {
      if (v.empty()) return t("audit.value.none");
      std::string out;
      for (const auto& item : v) {
        if (!out.empty()) out += item.is_object() ? "; " : ", ";
        out += value(key, item);
      }
      return out;
    }
    if (v.is_number_integer() && among(key, kTimeKeys)) return timeText(v.get<std::int64_t>());
    if (!v.is_string()) return v.dump();
    const auto& text = v.get_ref<const std::string&>();
    if (among(key, kRoleKeys)) return roleLabel(pages_, c_, text, org_roles_);
    if (among(key, kPermissionKeys)) {
      std::string out;
      for (auto p : PermissionSet::parse(text).list()) {
        out += (out.empty() ? "" : ", ") + pages_.permissionLabel(c_, p);
      }
      return out.empty() ? t("audit.value.none") : out;
    }
    if (slug(key) && slug(text)) return tOr("audit.value." + key + "." + text, text);
    return text;
  }

  const PageRenderer& pages_;
  const Context& c_;
  const RoleNames& org_roles_;
};

}  // namespace

std::string auditEventLabel(const PageRenderer& pages, const Context& c, const std::string& event) {
  auto key = "audit.event." + event;
  auto label = pages.translate(c, key);
  return label == key ? event : label;
}

std::string auditDetailText(const PageRenderer& pages, const Context& c,
                            const std::string& detail_json, const RoleNames& org_roles) {
  auto detail = Detail::parse(detail_json, nullptr, false);
  if (!detail.is_object()) return detail_json;  // not written today: shown as it is
  return DetailText(pages, c, org_roles).pairs(detail, " · ");
}

json auditRowsJson(const PageRenderer& pages, const Context& c, const std::vector<AuditRow>& rows,
                   const RoleNames& org_roles) {
  json out = json::array();
  for (const auto& row : rows) {
    const auto& rec = row.record;
    out.push_back({{"at", timeText(rec.at)},
                   {"event", auditEventLabel(pages, c, rec.event)},
                   {"actor", row.actor},
                   {"subject", row.subject},
                   {"company_id", rec.company_id ? json(std::to_string(*rec.company_id)) : json()},
                   {"ip", rec.ip},
                   {"detail", auditDetailText(pages, c, rec.detail_json, org_roles)}});
  }
  return out;
}

json auditEventChoices(const PageRenderer& pages, const Context& c, const std::string& chosen,
                       bool company_log) {
  json groups = json::array();
  bool known = chosen.empty();
  for (const auto& choice : kEventChoices) {
    if (company_log && !choice.company) continue;
    if (groups.empty() || groups.back()["group"] != choice.group) {
      groups.push_back({{"group", choice.group},
                        {"label", pages.translate(c, "audit.group." + std::string(choice.group))},
                        {"options", json::array()}});
    }
    bool selected = choice.prefix == chosen;
    known = known || selected;
    groups.back()["options"].push_back(
        {{"value", choice.prefix},
         {"label", pages.translate(c, "audit.choice." + std::string(choice.choice))},
         {"selected", selected}});
  }
  json other;
  if (!known) other = {{"value", chosen}, {"label", auditEventLabel(pages, c, chosen)}};
  return {{"all_selected", chosen.empty()}, {"other", other}, {"groups", groups}};
}

}  // namespace portico::access
