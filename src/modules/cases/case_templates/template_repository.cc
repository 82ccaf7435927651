#include "modules/cases/case_templates/template_repository.h"

namespace portico::cases {
namespace {

using storage::Query;

#define TEMPLATE_SELECT                                                                         \
  "SELECT t.id, t.org_id, t.kind, t.name, t.subject, t.body, t.priority, t.category_id,"        \
  " cat.name, t.shared, t.owner_id, u.first_name, u.last_name, u.email, t.created_at,"          \
  " t.updated_at FROM case_templates t LEFT JOIN case_categories cat ON cat.id = t.category_id" \
  " LEFT JOIN users u ON u.id = t.owner_id"

constexpr std::string_view kList = TEMPLATE_SELECT
    " WHERE t.org_id = ? AND (t.shared = 1 OR t.owner_id = ?)"
    " AND (? = 0 OR t.kind = ?) ORDER BY t.kind DESC, t.name, t.id";
constexpr std::string_view kFind = TEMPLATE_SELECT " WHERE t.org_id = ? AND t.id = ?";
constexpr std::string_view kInsert =
    "INSERT INTO case_templates (org_id, kind, name, subject, body, priority, category_id, shared,"
    " owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdate =
    "UPDATE case_templates SET kind = ?, name = ?, subject = ?, body = ?, priority = ?,"
    " category_id = ?, shared = ?, updated_at = ? WHERE org_id = ? AND id = ?";
constexpr std::string_view kDelete = "DELETE FROM case_templates WHERE org_id = ? AND id = ?";

CaseTemplate readTemplate(Query& q) {
  CaseTemplate t;
  t.id = q.getInt(0);
  t.org_id = core::OrgId{q.getInt(1)};
  t.kind = parseTemplateKind(q.getText(2)).value_or(TemplateKind::Reply);
  t.name = q.getText(3);
  t.subject = q.getText(4);
  t.body = q.getText(5);
  t.priority = q.getOptText(6);
  t.category_id = q.getOptInt(7);
  t.category_name = q.isNull(8) ? "" : q.getText(8);
  t.shared = q.getInt(9) != 0;
  if (!q.isNull(10)) {
    t.owner = Person{core::UserId{q.getInt(10)}, q.getText(11), q.getText(12), q.getText(13)};
  }
  t.created_at = q.getInt(14);
  t.updated_at = q.getInt(15);
  return t;
}

std::optional<std::int64_t> ownerId(const CaseTemplate& t) {
  if (!t.owner) return std::nullopt;
  return t.owner->id.value;
}

}  // namespace

std::vector<CaseTemplate> TemplateRepository::list(core::OrgId org, core::UserId user,
                                                   std::optional<TemplateKind> kind) {
  Query q(conn(), kList);
  q.bind(org.value, user.value, kind.has_value(),
         std::string(templateKindName(kind.value_or(TemplateKind::Reply))));
  std::vector<CaseTemplate> out;
  while (q.next()) out.push_back(readTemplate(q));
  return out;
}

std::optional<CaseTemplate> TemplateRepository::find(core::OrgId org, std::int64_t id) {
  Query q(conn(), kFind);
  q.bind(org.value, id);
  if (!q.next()) return std::nullopt;
  return readTemplate(q);
}

std::int64_t TemplateRepository::insert(const CaseTemplate& t) {
  Query(conn(), kInsert)
      .bind(t.org_id.value, std::string(templateKindName(t.kind)), t.name, t.subject, t.body,
            t.priority, t.category_id, t.shared, ownerId(t), t.created_at, t.updated_at)
      .run();
  return conn().lastInsertId();
}

void TemplateRepository::update(const CaseTemplate& t) {
  Query(conn(), kUpdate)
      .bind(std::string(templateKindName(t.kind)), t.name, t.subject, t.body, t.priority,
            t.category_id, t.shared, t.updated_at, t.org_id.value, t.id)
      .run();
}

void TemplateRepository::remove(core::OrgId org, std::int64_t id) {
  Query(conn(), kDelete).bind(org.value, id).run();
}

}  // namespace portico::cases
