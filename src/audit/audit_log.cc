#include "audit/audit_log.h"

#include <spdlog/spdlog.h>

#include "audit/quiet_log.h"
#include "core/text.h"

namespace portico::audit {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO audit_log (at, event, actor_user_id, subject_user_id, org_id, company_id, ip,"
    " request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kForUser =
    "SELECT id, at, event, actor_user_id, subject_user_id, org_id, company_id, ip, request_id,"
    " detail FROM audit_log WHERE actor_user_id = ? OR subject_user_id = ?"
    " ORDER BY id DESC LIMIT ?";
// Events of the company, and the sign-in and 2FA events (company-less) by or about its current
// members: a failed password has no actor, only the user it was for as the subject.
constexpr std::string_view kForCompany =
    "WITH people (user_id) AS (SELECT user_id FROM memberships WHERE company_id = ?)"
    " SELECT id, at, event, actor_user_id, subject_user_id, org_id, company_id, ip, request_id,"
    " detail FROM audit_log WHERE (company_id = ? OR (company_id IS NULL AND"
    " (substr(event, 1, 6) = 'login.' OR substr(event, 1, 4) = 'mfa.') AND"
    " (actor_user_id IN (SELECT user_id FROM people)"
    " OR subject_user_id IN (SELECT user_id FROM people))))"
    " AND substr(event, 1, length(CAST(? AS TEXT))) = ? AND at >= ? AND at < ? AND (? = 0 OR id < "
    "?)"
    " ORDER BY id DESC LIMIT ?";
// Events of the organization and of its companies, and the sign-in and 2FA events (of no
// organization or company) by or about its people: its staff, its companies' members and its
// agents' users.
constexpr std::string_view kForOrg =
    "WITH people (user_id) AS (SELECT user_id FROM staff_members WHERE org_id = ?"
    " UNION SELECT m.user_id FROM memberships m JOIN companies c ON c.id = m.company_id"
    " WHERE c.org_id = ?"
    " UNION SELECT au.user_id FROM agent_users au JOIN agents a ON a.id = au.agent_id"
    " WHERE a.org_id = ?)"
    " SELECT id, at, event, actor_user_id, subject_user_id, org_id, company_id, ip, request_id,"
    " detail FROM audit_log WHERE (org_id = ? OR company_id IN (SELECT id FROM companies"
    " WHERE org_id = ?) OR (org_id IS NULL AND company_id IS NULL AND"
    " (substr(event, 1, 6) = 'login.' OR substr(event, 1, 4) = 'mfa.') AND"
    " (actor_user_id IN (SELECT user_id FROM people)"
    " OR subject_user_id IN (SELECT user_id FROM people))))"
    " AND (CAST(? AS BIGINT) IS NULL OR company_id = ?)"
    " AND (CAST(? AS BIGINT) IS NULL OR actor_user_id = ?)"
    " AND substr(event, 1, length(CAST(? AS TEXT))) = ? AND at >= ? AND at < ? AND (? = 0 OR id < "
    "?)"
    " ORDER BY id DESC LIMIT ?";
constexpr std::string_view kSearch =
    "SELECT id, at, event, actor_user_id, subject_user_id, org_id, company_id, ip, request_id,"
    " detail FROM audit_log WHERE substr(event, 1, length(CAST(? AS TEXT))) = ? ORDER BY id DESC "
    "LIMIT ?";

std::optional<std::int64_t> raw(const auto& id) {
  return id ? std::optional<std::int64_t>(id->value) : std::nullopt;
}

Record read(storage::Query& q) {
  return Record{q.getInt(0),    q.getInt(1),    q.getText(2), q.getOptInt(3), q.getOptInt(4),
                q.getOptInt(5), q.getOptInt(6), q.getText(7), q.getText(8),   q.getText(9)};
}

thread_local int quiet_depth = 0;  // QuietLog objects alive on this thread

}  // namespace

QuietLog::QuietLog() { ++quiet_depth; }
QuietLog::~QuietLog() { --quiet_depth; }

void AuditLog::record(const Actor& actor, const Entry& e) {
  auto& conn = db_.connection();
  storage::Query(conn, kInsert)
      .bind(clock_.now(), e.event, raw(actor.user), raw(e.subject), raw(e.org), raw(e.company),
            actor.ip, actor.request_id, e.detail_json)
      .run();
  if (quiet_depth > 0) return;
  std::string event;
  core::appendJsonEscaped(event, e.event);
  spdlog::info(R"({{"audit":"{}","actor":{},"subject":{},"ip":"{}","rid":"{}"}})", event,
               actor.user ? actor.user->value : 0, e.subject ? e.subject->value : 0, actor.ip,
               actor.request_id);
}

std::vector<Record> AuditLog::forUser(core::UserId user, int limit) {
  storage::Query q(db_.connection(), kForUser);
  q.bind(user.value, user.value, limit);
  std::vector<Record> out;
  while (q.next()) {
    out.push_back(read(q));
  }
  return out;
}

std::vector<Record> AuditLog::forCompany(core::CompanyId company, const std::string& prefix,
                                         std::int64_t since, std::int64_t until,
                                         std::int64_t before_id, int limit) {
  storage::Query q(db_.connection(), kForCompany);
  q.bind(company.value, company.value, prefix, prefix, since, until, before_id, before_id, limit);
  std::vector<Record> out;
  while (q.next()) {
    out.push_back(read(q));
  }
  return out;
}

std::vector<Record> AuditLog::forOrg(core::OrgId org, std::optional<core::CompanyId> company,
                                     std::optional<core::UserId> actor, const std::string& prefix,
                                     std::int64_t since, std::int64_t until, std::int64_t before_id,
                                     int limit) {
  storage::Query q(db_.connection(), kForOrg);
  q.bind(org.value, org.value, org.value, org.value, org.value, raw(company), raw(company),
         raw(actor), raw(actor), prefix, prefix, since, until, before_id, before_id, limit);
  std::vector<Record> out;
  while (q.next()) out.push_back(read(q));
  return out;
}

std::vector<Record> AuditLog::search(const std::string& prefix, int limit) {
  storage::Query q(db_.connection(), kSearch);
  q.bind(prefix, prefix, limit);
  std::vector<Record> out;
  while (q.next()) {
    out.push_back(read(q));
  }
  return out;
}

}  // namespace portico::audit
