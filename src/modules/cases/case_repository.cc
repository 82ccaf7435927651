#include "modules/cases/case_repository.h"

#include <functional>

#include "storage/list_sql.h"

namespace portico::cases {
namespace {

using storage::Dialect;
using storage::ListSql;
using storage::Query;

#define CASE_COLUMNS                                                                          \
  "c.id, c.org_id, c.company_id, co.name, c.number, c.external_id, c.subject, c.description," \
  " c.status, c.priority, c.category_id, cat.name, c.site_id, c.device_id, c.requester_id,"   \
  " r.first_name, r.last_name, r.email, c.assignee_id, a.first_name, a.last_name, a.email,"   \
  " c.follows_case_id, c.created_at, c.updated_at, c.resolved_at, c.closed_at,"               \
  " c.sla_elapsed, c.sla_since, c.first_response_at, c.first_response_due_at,"                \
  " c.first_response_breached_at, c.resolution_due_at, c.resolution_breached_at,"             \
  " c.sla_next_due, c.rating, c.rating_comment, c.rated_at"
#define CASE_FROM                                            \
  " FROM cases c JOIN companies co ON co.id = c.company_id"  \
  " LEFT JOIN case_categories cat ON cat.id = c.category_id" \
  " LEFT JOIN users r ON r.id = c.requester_id LEFT JOIN users a ON a.id = c.assignee_id"

constexpr std::string_view kNextNumber =
    "INSERT INTO case_numbers (org_id, last) VALUES (?, 1001)"
    " ON CONFLICT (org_id) DO UPDATE SET last = case_numbers.last + 1 RETURNING last";
constexpr std::string_view kInsert =
    "INSERT INTO cases (org_id, company_id, number, external_id, subject, description, status,"
    " priority, category_id, site_id, device_id, requester_id, assignee_id, follows_case_id,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFind = "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.id = ?";
constexpr std::string_view kFindExternal =
    "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.org_id = ? AND c.external_id = ?";
constexpr std::string_view kUpdateContent =
    "UPDATE cases SET subject = ?, description = ?, category_id = ?, site_id = ?,"
    " requester_id = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kResolvedBefore =
    "SELECT id FROM cases WHERE status = 'resolved' AND resolved_at <= ? ORDER BY resolved_at"
    " LIMIT ?";
constexpr std::string_view kUpdateState =
    "UPDATE cases SET status = ?, priority = ?, assignee_id = ?, updated_at = ?, resolved_at = ?,"
    " closed_at = ?, sla_elapsed = ?, sla_since = ?, first_response_at = ?,"
    " first_response_due_at = ?, first_response_breached_at = ?, resolution_due_at = ?,"
    " resolution_breached_at = ?, sla_next_due = ? WHERE id = ?";
constexpr std::string_view kRate =
    "UPDATE cases SET rating = ?, rating_comment = ?, rated_at = ? WHERE id = ? AND rating IS NULL";

constexpr std::string_view kParticipants =
    "SELECT u.id, u.first_name, u.last_name, u.email FROM case_participants p"
    " JOIN users u ON u.id = p.user_id WHERE p.case_id = ? ORDER BY u.last_name, u.first_name, "
    "u.id";
constexpr std::string_view kIsParticipant =
    "SELECT 1 FROM case_participants WHERE case_id = ? AND user_id = ?";
constexpr std::string_view kAddParticipant =
    "INSERT INTO case_participants (case_id, user_id, company_id) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING";

constexpr std::string_view kComments =
    "SELECT m.id, m.case_id, m.author_id, u.first_name, u.last_name, u.email, m.author_name,"
    " m.by_staff, m.internal, m.body, m.created_at FROM case_comments m"
    " LEFT JOIN users u ON u.id = m.author_id WHERE m.case_id = ? AND (? = 1 OR m.internal = 0)"
    " ORDER BY m.id";
constexpr std::string_view kInsertComment =
    "INSERT INTO case_comments (company_id, case_id, author_id, author_name, by_staff, internal,"
    " body, external_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kCommentExternal =
    "SELECT id, body, author_name, by_staff, internal FROM case_comments"
    " WHERE case_id = ? AND external_id = ?";
constexpr std::string_view kUpdateComment =
    "UPDATE case_comments SET body = ?, author_name = ?, by_staff = ?, internal = ? WHERE id = ?";
constexpr std::string_view kChanges =
    "SELECT h.id, h.actor_id, u.first_name, u.last_name, u.email, h.field, h.old_value,"
    " h.new_value, h.created_at FROM case_changes h LEFT JOIN users u ON u.id = h.actor_id"
    " WHERE h.case_id = ? ORDER BY h.id";
constexpr std::string_view kInsertChange =
    "INSERT INTO case_changes (company_id, case_id, actor_id, field, old_value, new_value,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

#define ATTACHMENT_COLUMNS                                                                     \
  "SELECT t.id, t.case_id, t.comment_id, t.file_id, t.name, t.content_type, t.size, f.sha256," \
  " t.uploader_id, u.first_name, u.last_name, u.email, t.by_staff, t.internal, t.created_at"   \
  " FROM case_attachments t JOIN files f ON f.id = t.file_id"                                  \
  " LEFT JOIN users u ON u.id = t.uploader_id"
constexpr std::string_view kAttachments =
    ATTACHMENT_COLUMNS " WHERE t.case_id = ? AND (? = 1 OR t.internal = 0) ORDER BY t.id";
constexpr std::string_view kAttachment = ATTACHMENT_COLUMNS " WHERE t.case_id = ? AND t.id = ?";
constexpr std::string_view kInsertAttachment =
    "INSERT INTO case_attachments (company_id, case_id, comment_id, file_id, name, content_type,"
    " size, uploader_id, by_staff, internal, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// A case's row of the search index, from its text and its comments (cases::indexForSearch).
constexpr std::string_view kIndexSqlite =
    "INSERT OR REPLACE INTO case_search (rowid, number, subject, description, comments, notes)"
    " SELECT c.id, 'T-' || c.number, c.subject, c.description,"
    " COALESCE((SELECT group_concat(body, char(10)) FROM case_comments"
    " WHERE case_id = c.id AND internal = 0), ''),"
    " COALESCE((SELECT group_concat(body, char(10)) FROM case_comments"
    " WHERE case_id = c.id AND internal = 1), '') FROM cases c WHERE c.id = ?";
// A tsvector holds at most 1 MB: the text is cut well before. PostgreSQL's parser reads "T-1042"
// as "t" and the signed number "-1042", so the number is added on its own as well.
constexpr std::string_view kIndexPostgres =
    "INSERT INTO case_search (case_id, company_id, public_text, notes_text)"
    " SELECT c.id, c.company_id, to_tsvector('simple', left('T-' || c.number || ' ' || c.number"
    " || ' ' || c.subject"
    " || ' ' || c.description || ' ' || COALESCE((SELECT string_agg(body, ' ' ORDER BY id)"
    " FROM case_comments WHERE case_id = c.id AND internal = 0), ''), 400000)),"
    " to_tsvector('simple', left(COALESCE((SELECT string_agg(body, ' ' ORDER BY id)"
    " FROM case_comments WHERE case_id = c.id AND internal = 1), ''), 400000))"
    " FROM cases c WHERE c.id = ? ON CONFLICT (case_id, company_id) DO UPDATE"
    " SET public_text = EXCLUDED.public_text, notes_text = EXCLUDED.notes_text";

constexpr std::string_view kSiteOfCompany = "SELECT 1 FROM sites WHERE id = ? AND company_id = ?";
constexpr std::string_view kDevice =
    "SELECT name, site_id FROM devices WHERE id = ? AND company_id = ?";
constexpr std::string_view kCategories =
    "SELECT id, name FROM case_categories WHERE org_id = ? ORDER BY name, id";
constexpr std::string_view kCategoryOfOrg =
    "SELECT name FROM case_categories WHERE id = ? AND org_id = ?";
constexpr std::string_view kAssignableStaff =
    "SELECT u.id, u.first_name, u.last_name, u.email FROM staff_members s"
    " JOIN users u ON u.id = s.user_id WHERE s.org_id = ? AND s.user_id = ?"
    " AND s.role IN ('admin', 'support', 'department_admin') AND u.status = 'active'";
constexpr std::string_view kAssignableStaffByEmail =
    "SELECT u.id, u.first_name, u.last_name, u.email FROM staff_members s"
    " JOIN users u ON u.id = s.user_id WHERE s.org_id = ? AND u.email = ?"
    " AND s.role IN ('admin', 'support', 'department_admin') AND u.status = 'active'";
constexpr std::string_view kMemberByEmail =
    "SELECT u.id, u.first_name, u.last_name, u.email FROM memberships m"
    " JOIN users u ON u.id = m.user_id WHERE m.company_id = ? AND u.email = ?";
constexpr std::string_view kSiteExternal =
    "SELECT s.id FROM sites s WHERE s.company_id = ? AND s.external_id = ?";
constexpr std::string_view kAddCategory =
    "INSERT INTO case_categories (org_id, name, created_at) VALUES (?, ?, ?)"
    " ON CONFLICT (org_id, name) DO NOTHING";
constexpr std::string_view kCategoryByName =
    "SELECT id FROM case_categories WHERE org_id = ? AND name = ?";
constexpr std::string_view kSupportStaff =
    "SELECT u.id, u.first_name, u.last_name, u.email FROM staff_members s"
    " JOIN users u ON u.id = s.user_id WHERE s.org_id = ?"
    " AND s.role IN ('admin', 'support', 'department_admin') AND u.status = 'active'"
    " ORDER BY u.last_name, u.first_name, u.id";
constexpr std::string_view kSitesOf =
    "SELECT id, name FROM sites WHERE company_id = ? ORDER BY name, id";
constexpr std::string_view kPerson =
    "SELECT id, first_name, last_name, email FROM users WHERE id = ?";

constexpr std::string_view kFollows =
    "(c.requester_id = ? OR EXISTS (SELECT 1 FROM case_participants p"
    " WHERE p.case_id = c.id AND p.user_id = ?))";

// The cases staff see: the organization's, or those of their departments' companies.
void staffScope(ListSql& s, const CaseScope& scope) {
  s.sql(" WHERE c.org_id = ?").arg(scope.org->value);
  if (scope.departments) {
    s.sql(" AND c.company_id IN (SELECT id FROM companies WHERE");
    s.in(" department_id", *scope.departments).sql(")");
  }
}

// The cases that match a search: each word a prefix, all of them needed. Customers match only
// the public text; staff their internal notes too.
void searchClause(ListSql& s, bool staff, const std::vector<std::string>& words) {
  std::string match;
  for (const auto& w : words) {
    if (s.dialect() == Dialect::Postgres) {
      match += (match.empty() ? "'" : " & '") + w + "':*";
    } else {
      match += (match.empty() ? "\"" : " AND \"") + w + "\"*";
    }
  }
  if (s.dialect() == Dialect::Postgres) {
    s.sql(staff ? " AND c.id IN (SELECT s.case_id FROM case_search s,"
                  " to_tsquery('simple', ?) sq WHERE s.public_text @@ sq OR s.notes_text @@ sq)"
                : " AND c.id IN (SELECT case_id FROM case_search"
                  " WHERE public_text @@ to_tsquery('simple', ?))");
  } else {
    if (!staff) match = "{number subject description comments} : (" + match + ")";
    // A customer's scope is a few companies: its index finds their cases, each then looked up
    // in the matches (the unary + keeps SQLite from starting at the matches instead, a lookup of
    // each in the table; from a staff member's scope, the organization's every case, it should).
    s.sql(staff ? " AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)"
                : " AND +c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)");
  }
  s.arg(match);
}

// The key of Sort::Priority (priorityRank in SQL).
#define PRIORITY_RANK \
  "(CASE c.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END)"
// The key of Sort::Due: the next due time, kNoDue without one.
#define NEXT_DUE "COALESCE(c.sla_next_due, 9223372036854775807)"

// The WHERE of a list and of its counts: the scope, the filters in use and the search
// (`with_status`: the status filter too; the counts leave it out).
ListSql where(Dialect d, const CaseScope& scope, const CaseFilter& f,
              const std::vector<std::string>& words, bool with_status) {
  ListSql s(d);
  bool staff = scope.org.has_value();
  if (staff) {
    staffScope(s, scope);
  } else {
    // Every case of some companies and sites, and the user's own (opened or followed) of others.
    s.customerScope("c.company_id", "c.site_id", scope.companies, scope.sites, scope.own_companies,
                    scope.own_sites, [&scope](ListSql& own) {
                      own.sql(kFollows).arg(scope.user.value).arg(scope.user.value);
                    });
  }
  if (with_status && f.status) s.sql(" AND c.status = ?").arg(std::string(statusName(*f.status)));
  if (!f.priority.empty()) s.sql(" AND c.priority = ?").arg(f.priority);
  if (f.site_id) s.sql(" AND c.site_id = ?").arg(*f.site_id);
  if (f.device_id) s.sql(" AND c.device_id = ?").arg(*f.device_id);
  if (f.requester) s.sql(" AND c.requester_id = ?").arg(f.requester->value);
  if (f.company) s.sql(" AND c.company_id = ?").arg(f.company->value);
  if (f.mine && staff) s.sql(" AND c.assignee_id = ?").arg(scope.user.value);
  if (f.mine && !staff) s.sql(" AND ").sql(kFollows).arg(scope.user.value).arg(scope.user.value);
  if (staff && f.assignee) s.sql(" AND c.assignee_id = ?").arg(f.assignee->value);
  if (staff && f.breached) {
    // Breached, or pending with its due time passed (? is now).
    s.sql(
         " AND (c.first_response_breached_at IS NOT NULL OR c.resolution_breached_at IS NOT NULL"
         " OR c.sla_next_due <= ?)")
        .arg(scope.now);
  }
  if (!words.empty()) searchClause(s, staff, words);
  return s;
}

// The condition that starts a page after a cursor; returns the ORDER BY of the sort.
std::string pageAfter(ListSql& s, Sort sort, const std::optional<CaseCursor>& after) {
  const char* order = " ORDER BY c.id DESC";
  const char* cond = " AND c.id < ?";
  bool keyed = false;
  switch (sort) {
    case Sort::Oldest:
      order = " ORDER BY c.id";
      cond = " AND c.id > ?";
      break;
    case Sort::Updated:
      order = " ORDER BY c.updated_at DESC, c.id DESC";
      cond = " AND (c.updated_at < ? OR (c.updated_at = ? AND c.id < ?))";
      keyed = true;
      break;
    case Sort::Priority:
      order = " ORDER BY " PRIORITY_RANK " DESC, c.id DESC";
      cond = " AND (" PRIORITY_RANK " < ? OR (" PRIORITY_RANK " = ? AND c.id < ?))";
      keyed = true;
      break;
    case Sort::Due:
      order = " ORDER BY " NEXT_DUE ", c.id";
      cond = " AND (" NEXT_DUE " > ? OR (" NEXT_DUE " = ? AND c.id > ?))";
      keyed = true;
      break;
    case Sort::Newest:
      break;
  }
  if (after) {
    s.sql(cond);
    if (keyed) s.arg(after->key).arg(after->key);
    s.arg(after->id);
  }
  return order;
}

std::optional<Person> personAt(Query& q, int k) {
  if (q.isNull(k)) return std::nullopt;
  return Person{core::UserId{q.getInt(k)}, q.getText(k + 1), q.getText(k + 2), q.getText(k + 3)};
}

Case readCase(Query& q) {
  Case c;
  c.id = core::CaseId{q.getInt(0)};
  c.org_id = core::OrgId{q.getInt(1)};
  c.company_id = core::CompanyId{q.getInt(2)};
  c.company_name = q.getText(3);
  c.number = q.getInt(4);
  c.external_id = q.getOptText(5);
  c.subject = q.getText(6);
  c.description = q.getText(7);
  c.status = parseStatus(q.getText(8)).value_or(Status::Open);
  c.priority = q.getText(9);
  c.category_id = q.getOptInt(10);
  c.category_name = q.isNull(11) ? "" : q.getText(11);
  c.site_id = q.getOptInt(12);
  c.device_id = q.getOptInt(13);
  c.requester = personAt(q, 14);
  c.assignee = personAt(q, 18);
  if (auto f = q.getOptInt(22)) c.follows_case_id = core::CaseId{*f};
  c.created_at = q.getInt(23);
  c.updated_at = q.getInt(24);
  c.resolved_at = q.getOptInt(25);
  c.closed_at = q.getOptInt(26);
  auto& k = c.clock;
  k.elapsed = q.getInt(27);
  k.since = q.getOptInt(28);
  k.first_response_at = q.getOptInt(29);
  k.first_response_due = q.getOptInt(30);
  k.first_response_breached = q.getOptInt(31);
  k.resolution_due = q.getOptInt(32);
  k.resolution_breached = q.getOptInt(33);
  k.next_due = q.getOptInt(34);
  if (auto stars = q.getOptInt(35)) {
    c.rating = Rating{static_cast<int>(*stars), q.getText(36), q.getOptInt(37).value_or(0)};
  }
  return c;
}

Attachment readAttachment(Query& q) {
  Attachment a;
  a.id = q.getInt(0);
  a.case_id = core::CaseId{q.getInt(1)};
  a.comment_id = q.getOptInt(2);
  a.file_id = q.getInt(3);
  a.name = q.getText(4);
  a.content_type = q.getText(5);
  a.size = q.getInt(6);
  a.sha256 = q.getText(7);
  a.uploader = personAt(q, 8);
  a.by_staff = q.getInt(12) != 0;
  a.internal = q.getInt(13) != 0;
  a.created_at = q.getInt(14);
  return a;
}

template <typename T>
std::optional<std::int64_t> idOf(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return v->id.value;
}

}  // namespace

std::int64_t CaseRepository::nextNumber(core::OrgId org) {
  Query q(conn(), kNextNumber);
  q.bind(org.value);
  q.next();
  return q.getInt(0);
}

core::CaseId CaseRepository::insert(const Case& c) {
  std::optional<std::int64_t> follows;
  if (c.follows_case_id) follows = c.follows_case_id->value;
  Query(conn(), kInsert)
      .bind(c.org_id.value, c.company_id.value, c.number, c.external_id, c.subject, c.description,
            statusName(c.status), c.priority, c.category_id, c.site_id, c.device_id,
            idOf(c.requester), idOf(c.assignee), follows, c.created_at, c.updated_at)
      .run();
  return core::CaseId{conn().lastInsertId()};
}

std::optional<Case> CaseRepository::find(core::CaseId id) {
  Query q(conn(), kFind);
  q.bind(id.value);
  if (!q.next()) return std::nullopt;
  return readCase(q);
}

std::optional<Case> CaseRepository::findByExternalId(core::OrgId org,
                                                     const std::string& external_id) {
  Query q(conn(), kFindExternal);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  return readCase(q);
}

void CaseRepository::updateContent(const Case& c) {
  Query(conn(), kUpdateContent)
      .bind(c.subject, c.description, c.category_id, c.site_id, idOf(c.requester), c.updated_at,
            c.id.value)
      .run();
}

std::vector<Case> CaseRepository::list(const CaseScope& scope, const CaseFilter& filter) {
  auto s = where(conn().dialect(), scope, filter, searchWords(filter.query), true);
  auto order = pageAfter(s, filter.sort, filter.after);
  s.sql(order).sql(" LIMIT ?").arg(static_cast<std::int64_t>(filter.limit) + 1);
  // The page's ids first, from the indexes alone where the sort allows; then their rows.
  Query q(conn(), "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.id IN (SELECT c.id FROM cases c" +
                      s.text() + ")" + order);
  s.bindTo(q);
  std::vector<Case> out;
  while (q.next()) out.push_back(readCase(q));
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> CaseRepository::counts(const CaseScope& scope,
                                                                         const CaseFilter& filter) {
  auto s = where(conn().dialect(), scope, filter, searchWords(filter.query), false);
  Query q(conn(), "SELECT c.status, count(*) FROM cases c" + s.text() + " GROUP BY c.status");
  s.bindTo(q);
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (q.next()) out.emplace_back(q.getText(0), q.getInt(1));
  return out;
}

std::vector<core::CaseId> CaseRepository::resolvedBefore(std::int64_t cutoff, int limit) {
  Query q(conn(), kResolvedBefore);
  q.bind(cutoff, limit);
  std::vector<core::CaseId> out;
  while (q.next()) out.push_back(core::CaseId{q.getInt(0)});
  return out;
}

void CaseRepository::updateState(const Case& c) {
  const auto& k = c.clock;
  Query(conn(), kUpdateState)
      .bind(statusName(c.status), c.priority, idOf(c.assignee), c.updated_at, c.resolved_at,
            c.closed_at, k.elapsed, k.since, k.first_response_at, k.first_response_due,
            k.first_response_breached, k.resolution_due, k.resolution_breached, k.next_due,
            c.id.value)
      .run();
}

bool CaseRepository::rate(core::CaseId id, const Rating& r) {
  Query q(conn(), kRate);
  q.bind(r.stars, r.comment, r.rated_at, id.value);
  q.run();
  return conn().changes() > 0;
}

std::vector<Person> CaseRepository::participants(core::CaseId id) {
  Query q(conn(), kParticipants);
  q.bind(id.value);
  std::vector<Person> out;
  while (q.next()) out.push_back(*personAt(q, 0));
  return out;
}

bool CaseRepository::isParticipant(core::CaseId id, core::UserId user) {
  Query q(conn(), kIsParticipant);
  q.bind(id.value, user.value);
  return q.next();
}

void CaseRepository::addParticipant(core::CaseId id, core::UserId user, core::CompanyId company) {
  Query(conn(), kAddParticipant).bind(id.value, user.value, company.value).run();
}

std::vector<Comment> CaseRepository::comments(core::CaseId id, bool with_internal) {
  Query q(conn(), kComments);
  q.bind(id.value, with_internal);
  std::vector<Comment> out;
  while (q.next()) {
    Comment m;
    m.id = q.getInt(0);
    m.case_id = core::CaseId{q.getInt(1)};
    m.author = personAt(q, 2);
    m.author_name = q.getText(6);
    m.by_staff = q.getInt(7) != 0;
    m.internal = q.getInt(8) != 0;
    m.body = q.getText(9);
    m.created_at = q.getInt(10);
    out.push_back(std::move(m));
  }
  return out;
}

std::int64_t CaseRepository::insertComment(const Comment& c, core::CompanyId company) {
  Query(conn(), kInsertComment)
      .bind(company.value, c.case_id.value, idOf(c.author), c.author_name, c.by_staff, c.internal,
            c.body, c.external_id, c.created_at)
      .run();
  return conn().lastInsertId();
}

std::optional<Comment> CaseRepository::commentByExternalId(core::CaseId id,
                                                           const std::string& external_id) {
  Query q(conn(), kCommentExternal);
  q.bind(id.value, external_id);
  if (!q.next()) return std::nullopt;
  Comment m;
  m.id = q.getInt(0);
  m.case_id = id;
  m.body = q.getText(1);
  m.author_name = q.getText(2);
  m.by_staff = q.getInt(3) != 0;
  m.internal = q.getInt(4) != 0;
  m.external_id = external_id;
  return m;
}

void CaseRepository::updateComment(const Comment& m) {
  Query(conn(), kUpdateComment).bind(m.body, m.author_name, m.by_staff, m.internal, m.id).run();
}

std::vector<Change> CaseRepository::changes(core::CaseId id) {
  Query q(conn(), kChanges);
  q.bind(id.value);
  std::vector<Change> out;
  while (q.next()) {
    Change h;
    h.id = q.getInt(0);
    h.actor = personAt(q, 1);
    h.field = q.getText(5);
    h.old_value = q.getOptText(6);
    h.new_value = q.getOptText(7);
    h.created_at = q.getInt(8);
    out.push_back(std::move(h));
  }
  return out;
}

void CaseRepository::insertChange(core::CaseId id, core::CompanyId company,
                                  std::optional<core::UserId> actor, const std::string& field,
                                  const std::optional<std::string>& old_value,
                                  const std::optional<std::string>& new_value, std::int64_t at) {
  std::optional<std::int64_t> who;
  if (actor) who = actor->value;
  Query(conn(), kInsertChange)
      .bind(company.value, id.value, who, field, old_value, new_value, at)
      .run();
}

std::vector<Attachment> CaseRepository::attachments(core::CaseId id, bool with_internal) {
  Query q(conn(), kAttachments);
  q.bind(id.value, with_internal);
  std::vector<Attachment> out;
  while (q.next()) out.push_back(readAttachment(q));
  return out;
}

std::optional<Attachment> CaseRepository::attachment(core::CaseId id, std::int64_t attachment_id) {
  Query q(conn(), kAttachment);
  q.bind(id.value, attachment_id);
  if (!q.next()) return std::nullopt;
  return readAttachment(q);
}

std::int64_t CaseRepository::insertAttachment(const Attachment& a, core::CompanyId company) {
  Query(conn(), kInsertAttachment)
      .bind(company.value, a.case_id.value, a.comment_id, a.file_id, a.name, a.content_type, a.size,
            idOf(a.uploader), a.by_staff, a.internal, a.created_at)
      .run();
  return conn().lastInsertId();
}

void CaseRepository::indexForSearch(core::CaseId id) {
  Query(conn(), conn().dialect() == Dialect::Postgres ? kIndexPostgres : kIndexSqlite)
      .bind(id.value)
      .run();
}

std::optional<CaseRepository::DeviceRef> CaseRepository::device(std::int64_t device,
                                                                core::CompanyId company) {
  Query q(conn(), kDevice);
  q.bind(device, company.value);
  if (!q.next()) return std::nullopt;
  return DeviceRef{q.getText(0), q.getOptInt(1)};
}

bool CaseRepository::siteOfCompany(std::int64_t site, core::CompanyId company) {
  Query q(conn(), kSiteOfCompany);
  q.bind(site, company.value);
  return q.next();
}

std::vector<std::pair<std::int64_t, std::string>> CaseRepository::categories(core::OrgId org) {
  Query q(conn(), kCategories);
  q.bind(org.value);
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (q.next()) out.emplace_back(q.getInt(0), q.getText(1));
  return out;
}

std::optional<std::string> CaseRepository::categoryOfOrg(std::int64_t category, core::OrgId org) {
  Query q(conn(), kCategoryOfOrg);
  q.bind(category, org.value);
  if (!q.next()) return std::nullopt;
  return q.getText(0);
}

std::optional<Person> CaseRepository::assignableStaff(core::OrgId org, core::UserId user) {
  Query q(conn(), kAssignableStaff);
  q.bind(org.value, user.value);
  if (!q.next()) return std::nullopt;
  return personAt(q, 0);
}

std::optional<Person> CaseRepository::assignableStaffByEmail(core::OrgId org,
                                                             const std::string& email) {
  Query q(conn(), kAssignableStaffByEmail);
  q.bind(org.value, email);
  if (!q.next()) return std::nullopt;
  return personAt(q, 0);
}

std::optional<Person> CaseRepository::memberByEmail(core::CompanyId company,
                                                    const std::string& email) {
  Query q(conn(), kMemberByEmail);
  q.bind(company.value, email);
  if (!q.next()) return std::nullopt;
  return personAt(q, 0);
}

std::optional<std::int64_t> CaseRepository::siteByExternalId(core::CompanyId company,
                                                             const std::string& external_id) {
  Query q(conn(), kSiteExternal);
  q.bind(company.value, external_id);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::int64_t CaseRepository::category(core::OrgId org, const std::string& name, std::int64_t now) {
  Query(conn(), kAddCategory).bind(org.value, name, now).run();
  Query q(conn(), kCategoryByName);
  q.bind(org.value, name);
  q.next();
  return q.getInt(0);
}

std::optional<Person> CaseRepository::person(core::UserId user) {
  Query q(conn(), kPerson);
  q.bind(user.value);
  if (!q.next()) return std::nullopt;
  return personAt(q, 0);
}

std::vector<Person> CaseRepository::supportStaff(core::OrgId org) {
  Query q(conn(), kSupportStaff);
  q.bind(org.value);
  std::vector<Person> out;
  while (q.next()) out.push_back(*personAt(q, 0));
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> CaseRepository::sitesOf(core::CompanyId company) {
  Query q(conn(), kSitesOf);
  q.bind(company.value);
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (q.next()) out.emplace_back(q.getInt(0), q.getText(1));
  return out;
}

}  // namespace portico::cases
