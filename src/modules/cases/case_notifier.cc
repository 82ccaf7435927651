#include "modules/cases/case_notifier.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace portico::cases {

void CaseNotifier::opened(const Case& c, core::UserId actor, const std::string& support_address) {
  if (identity_ && !support_address.empty()) {
    nlohmann::json vars = {{"number", caseNumberText(c.number)},
                           {"subject", c.subject},
                           {"company", c.company_name},
                           {"case_id", std::to_string(c.id.value)},
                           {"requester", c.requester ? displayName(*c.requester) : std::string()},
                           {"priority_" + c.priority, true},
                           {"description", c.description}};
    identity::MailScope scope;
    scope.org = c.org_id;
    scope.thread = "case-" + std::to_string(c.id.value);
    identity_->mailTo(support_address, "", "case_new", vars, scope);
  }
  if (auto a = assignee(c, actor)) send(*a, c, {{"opened", true}});
}

void CaseNotifier::commented(const Case& c, const Comment& m, std::size_t files) {
  if (m.internal) return;  // never: an internal note is for staff alone
  auto actor = m.author ? m.author->id : core::UserId{};
  std::string author = m.author ? displayName(*m.author) : m.author_name;
  nlohmann::json vars = {{"commented", true},
                         {"author", author},
                         {"body", m.body},
                         {"files", files > 0},
                         {"file_count", std::to_string(files)}};
  for (auto user : followers(c, actor)) send(user, c, vars);
  if (!m.by_staff) {
    if (auto a = assignee(c, actor)) send(*a, c, vars);
  }
}

void CaseNotifier::statusChanged(const Case& c, core::UserId actor) {
  nlohmann::json vars = {{"status", true}, {"status_" + std::string(statusName(c.status)), true}};
  for (auto user : followers(c, actor)) send(user, c, vars);
}

void CaseNotifier::assigned(const Case& c, core::UserId actor) {
  if (auto a = assignee(c, actor)) send(*a, c, {{"assigned", true}});
}

std::vector<core::UserId> CaseNotifier::followers(const Case& c, core::UserId actor) {
  std::vector<core::UserId> people;
  if (c.requester) people.push_back(c.requester->id);
  for (const auto& p : repo_.participants(c.id)) {
    if (std::find(people.begin(), people.end(), p.id) == people.end()) people.push_back(p.id);
  }
  std::vector<core::UserId> out;
  for (auto user : people) {
    if (user == actor) continue;
    // The case's site, or for a case of the whole company every site, as the case list asks.
    auto e = policy_.explain(user, c.company_id, access::Permission::SupportView, c.site_id);
    bool sees = e.allowed && e.access && e.access->basis != access::Basis::Staff &&
                (c.site_id || e.access->all_sites);
    if (sees) out.push_back(user);
  }
  return out;
}

std::optional<core::UserId> CaseNotifier::assignee(const Case& c, core::UserId actor) {
  if (!c.assignee || c.assignee->id == actor) return std::nullopt;
  if (!repo_.assignableStaff(c.org_id, c.assignee->id)) return std::nullopt;
  return c.assignee->id;
}

void CaseNotifier::send(core::UserId to, const Case& c, nlohmann::json vars) {
  if (!identity_) return;
  vars["number"] = caseNumberText(c.number);
  vars["subject"] = c.subject;
  vars["company"] = c.company_name;
  vars["case_id"] = std::to_string(c.id.value);
  identity::MailScope scope;
  scope.org = c.org_id;  // no company: only the recipient sees it in their e-mail history
  scope.thread = "case-" + std::to_string(c.id.value);
  identity_->notify(to, identity::kSupportUpdates, "case_update", std::move(vars), scope);
}

}  // namespace portico::cases
