#include "identity/mail_history_repository.h"

namespace portico::identity {
namespace {

using storage::Query;

constexpr std::string_view kInsert =
    "INSERT INTO emails (org_id, user_id, recipient, kind, subject, text_body, html_body,"
    " job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertCompany =
    "INSERT INTO email_companies (email_id, company_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view kMarkSent = "UPDATE emails SET sent_at = ? WHERE job_id = ?";
// A mail's status comes from its delivery job while it has not been sent: the job says whether
// it waits, is being retried or has failed for good (done jobs are deleted after a week; a
// delivered mail has its sent_at by then).
constexpr std::string_view kStatus =
    "CASE WHEN e.sent_at IS NOT NULL THEN 'sent' WHEN j.state = 'failed' THEN 'failed'"
    " ELSE 'queued' END";
constexpr std::string_view kListColumns =
    "SELECT e.id, e.org_id, e.user_id, e.recipient, e.kind, e.subject, '', '', e.created_at,"
    " e.sent_at, j.last_error, COALESCE(j.attempts, 0), e.job_id, ";
constexpr std::string_view kFindColumns =
    "SELECT e.id, e.org_id, e.user_id, e.recipient, e.kind, e.subject, e.text_body, e.html_body,"
    " e.created_at, e.sent_at, j.last_error, COALESCE(j.attempts, 0), e.job_id, ";
constexpr std::string_view kFrom = " FROM emails e LEFT JOIN jobs j ON j.id = e.job_id";
constexpr std::string_view kCompaniesOf =
    "SELECT company_id FROM email_companies WHERE email_id = ? ORDER BY company_id";
constexpr std::string_view kPrune = "DELETE FROM emails WHERE created_at < ?";

MailRecord readMail(Query& q) {
  MailRecord m;
  m.id = q.getInt(0);
  if (auto org = q.getOptInt(1)) m.org = core::OrgId{*org};
  if (auto user = q.getOptInt(2)) m.user = core::UserId{*user};
  m.recipient = q.getText(3);
  m.kind = q.getText(4);
  m.subject = q.getText(5);
  m.text = q.getText(6);
  m.html = q.getText(7);
  m.created_at = q.getInt(8);
  m.sent_at = q.getOptInt(9);
  m.last_error = q.getOptText(10).value_or("");
  m.attempts = static_cast<int>(q.getInt(11));
  m.job_id = q.getOptInt(12);
  m.status = q.getText(13);
  return m;
}

}  // namespace

std::int64_t MailHistoryRepository::insert(const MailRecord& m, const MailScope& scope) {
  std::optional<std::int64_t> org, user;
  if (scope.org) org = scope.org->value;
  if (m.user) user = m.user->value;
  Query(conn(), kInsert)
      .bind(org, user, m.recipient, m.kind, m.subject, m.text, m.html, m.job_id, m.created_at)
      .run();
  auto id = conn().lastInsertId();
  for (auto company : scope.companies) Query(conn(), kInsertCompany).bind(id, company.value).run();
  return id;
}

void MailHistoryRepository::markSent(std::int64_t job_id, std::int64_t now) {
  Query(conn(), kMarkSent).bind(now, job_id).run();
}

std::vector<MailRecord> MailHistoryRepository::list(const MailFilter& f) {
  // The scope is one of three shapes; the company list is as long as the caller's companies,
  // bound one placeholder each.
  std::string sql = std::string(kListColumns) + std::string(kStatus) + std::string(kFrom);
  if (f.user) {
    sql += " WHERE (e.user_id = ? OR (e.user_id IS NULL AND e.recipient = ?))";
  } else if (f.org) {
    sql += " WHERE e.org_id = ?";
  } else {
    if (f.companies.empty()) return {};
    sql += " WHERE e.id IN (SELECT email_id FROM email_companies WHERE company_id IN (";
    for (std::size_t i = 0; i < f.companies.size(); ++i) sql += i ? ", ?" : "?";
    sql += "))";
  }
  if (!f.status.empty()) sql += " AND " + std::string(kStatus) + " = ?";
  if (f.before_id > 0) sql += " AND e.id < ?";
  sql += " ORDER BY e.id DESC LIMIT ?";
  Query q(conn(), sql);
  if (f.user) {
    q.bind(f.user->value, f.user_email);
  } else if (f.org) {
    q.bind(f.org->value);
  } else {
    for (auto c : f.companies) q.bind(c.value);
  }
  if (!f.status.empty()) q.bind(f.status);
  if (f.before_id > 0) q.bind(f.before_id);
  q.bind(f.limit + 1);
  std::vector<MailRecord> out;
  while (q.next()) out.push_back(readMail(q));
  return out;
}

std::optional<MailRecord> MailHistoryRepository::find(std::int64_t id) {
  std::optional<MailRecord> mail;
  {
    Query q(conn(), std::string(kFindColumns) + std::string(kStatus) + std::string(kFrom) +
                        " WHERE e.id = ?");
    q.bind(id);
    if (!q.next()) return std::nullopt;
    mail = readMail(q);
  }
  mail->companies = companiesOf(id);
  return mail;
}

std::vector<core::CompanyId> MailHistoryRepository::companiesOf(std::int64_t id) {
  std::vector<core::CompanyId> out;
  Query c(conn(), kCompaniesOf);
  c.bind(id);
  while (c.next()) out.push_back(core::CompanyId{c.getInt(0)});
  return out;
}

std::int64_t MailHistoryRepository::pruneBefore(std::int64_t before) {
  Query(conn(), kPrune).bind(before).run();
  return conn().changes();
}

}  // namespace portico::identity
