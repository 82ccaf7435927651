#include "console/console_repository.h"

#include "access/access_repository.h"

namespace portico::console {
namespace {

using storage::Query;

// A LIKE pattern that matches `text` anywhere, with the wildcards in it escaped.
std::string contains(const std::string& text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

std::string departmentList(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
  return out;
}

}  // namespace

std::vector<access::Company> ConsoleRepository::customers(
    core::OrgId org, const std::string& search,
    const std::optional<std::vector<std::int64_t>>& departments, std::size_t offset,
    std::size_t limit) {
  // The department filter is a space-separated list matched with LIKE: still one prepared
  // statement whatever the number of departments.
  Query q(conn(),
          "SELECT " + std::string(access::companyColumns()) + " FROM companies c " +
              "WHERE c.org_id = ? AND (? = '' OR lower(c.name) LIKE lower(?) ESCAPE '\\' OR"
              " lower(c.external_id) LIKE lower(?) ESCAPE '\\') AND (? = 0 OR ' ' || ? || ' ' LIKE"
              " '% ' || c.department_id || ' %') ORDER BY c.name, c.id LIMIT ? OFFSET ?");
  auto pattern = contains(search);
  q.bind(org.value, search, pattern, pattern, departments.has_value(),
         departments ? departmentList(*departments) : std::string(),
         static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset));
  std::vector<access::Company> out;
  while (q.next()) out.push_back(access::readCompany(q));
  return out;
}

std::int64_t ConsoleRepository::insertCustomer(core::OrgId org, const access::Company& c,
                                               std::int64_t now) {
  Query(conn(),
        "INSERT INTO companies (org_id, external_id, name, org_number, department_id, managed,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(org.value, c.external_id, c.name, c.org_number, c.department_id, c.managed, now, now)
      .run();
  return conn().lastInsertId();
}

void ConsoleRepository::updateCustomer(const access::Company& c, std::int64_t now) {
  Query(conn(),
        "UPDATE companies SET external_id = ?, name = ?, org_number = ?, department_id = ?,"
        " managed = ?, updated_at = ? WHERE id = ?")
      .bind(c.external_id, c.name, c.org_number, c.department_id, c.managed, now, c.id.value)
      .run();
}

bool ConsoleRepository::externalIdTaken(core::OrgId org, const std::string& external_id,
                                        std::int64_t except) {
  Query q(conn(), "SELECT 1 FROM companies WHERE org_id = ? AND external_id = ? AND id <> ?");
  q.bind(org.value, external_id, except);
  return q.next();
}

void ConsoleRepository::setAgent(core::CompanyId company, std::optional<std::int64_t> agent,
                                 std::optional<std::int64_t> until, std::int64_t now) {
  Query(conn(), "UPDATE companies SET agent_id = ?, agent_until = ?, updated_at = ? WHERE id = ?")
      .bind(agent, until, now, company.value)
      .run();
}

std::vector<Department> ConsoleRepository::departments(core::OrgId org) {
  Query q(conn(),
          "SELECT d.id, d.name, (SELECT COUNT(*) FROM companies c WHERE c.department_id = d.id)"
          " FROM departments d WHERE d.org_id = ? ORDER BY d.name");
  q.bind(org.value);
  std::vector<Department> out;
  while (q.next()) out.push_back({q.getInt(0), q.getText(1), static_cast<int>(q.getInt(2))});
  return out;
}

bool ConsoleRepository::departmentOf(core::OrgId org, std::int64_t department) {
  Query q(conn(), "SELECT 1 FROM departments WHERE id = ? AND org_id = ?");
  q.bind(department, org.value);
  return q.next();
}

std::optional<std::int64_t> ConsoleRepository::insertDepartment(core::OrgId org,
                                                                const std::string& name) {
  Query(conn(), "INSERT INTO departments (org_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .bind(org.value, name)
      .run();
  if (conn().changes() == 0) return std::nullopt;
  return conn().lastInsertId();
}

void ConsoleRepository::setStaffDepartments(core::OrgId org, core::UserId user,
                                            const std::vector<std::int64_t>& departments) {
  Query(conn(),
        "DELETE FROM staff_departments WHERE user_id = ? AND department_id IN (SELECT id FROM"
        " departments WHERE org_id = ?)")
      .bind(user.value, org.value)
      .run();
  for (auto d : departments) {
    Query(conn(),
          "INSERT INTO staff_departments (user_id, department_id, org_id)"
          " SELECT ?, id, org_id FROM departments WHERE id = ? AND org_id = ?")
        .bind(user.value, d, org.value)
        .run();
  }
}

std::optional<std::string> ConsoleRepository::staffRole(core::OrgId org, core::UserId user) {
  Query q(conn(), "SELECT role FROM staff_members WHERE org_id = ? AND user_id = ?");
  q.bind(org.value, user.value);
  if (!q.next()) return std::nullopt;
  return q.getText(0);
}

std::vector<DepartmentAdmin> ConsoleRepository::departmentAdmins(core::OrgId org) {
  std::vector<DepartmentAdmin> out;
  {
    Query q(conn(),
            "SELECT u.id, u.email, u.first_name, u.last_name FROM staff_members s"
            " JOIN users u ON u.id = s.user_id WHERE s.org_id = ? AND s.role = 'department_admin'"
            " ORDER BY u.email");
    q.bind(org.value);
    while (q.next()) {
      out.push_back({core::UserId{q.getInt(0)}, q.getText(1), q.getText(2), q.getText(3), {}});
    }
  }
  for (auto& admin : out) {
    Query q(conn(),
            "SELECT sd.department_id FROM staff_departments sd JOIN departments d"
            " ON d.id = sd.department_id WHERE sd.user_id = ? AND d.org_id = ? ORDER BY d.name");
    q.bind(admin.id.value, org.value);
    while (q.next()) admin.departments.push_back(q.getInt(0));
  }
  return out;
}

void ConsoleRepository::loadAgent(Agent& a) {
  Query u(conn(),
          "SELECT u.email FROM agent_users au JOIN users u ON u.id = au.user_id"
          " WHERE au.agent_id = ? ORDER BY u.email");
  u.bind(a.id);
  while (u.next()) a.users.push_back(u.getText(0));
  Query c(conn(), "SELECT name FROM companies WHERE agent_id = ? ORDER BY name");
  c.bind(a.id);
  while (c.next()) a.customers.push_back(c.getText(0));
}

std::vector<Agent> ConsoleRepository::agents(core::OrgId org) {
  std::vector<Agent> out;
  {
    Query q(conn(), "SELECT id, name FROM agents WHERE org_id = ? ORDER BY name");
    q.bind(org.value);
    while (q.next()) out.push_back({q.getInt(0), q.getText(1), {}, {}});
  }
  for (auto& a : out) loadAgent(a);
  return out;
}

std::optional<Agent> ConsoleRepository::agent(core::OrgId org, std::int64_t id) {
  std::optional<Agent> a;
  {
    Query q(conn(), "SELECT id, name FROM agents WHERE id = ? AND org_id = ?");
    q.bind(id, org.value);
    if (!q.next()) return std::nullopt;
    a = Agent{q.getInt(0), q.getText(1), {}, {}};
  }
  loadAgent(*a);
  return a;
}

std::optional<std::int64_t> ConsoleRepository::insertAgent(core::OrgId org, const std::string& name,
                                                           std::int64_t now) {
  Query(conn(),
        "INSERT INTO agents (org_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
      .bind(org.value, name, now)
      .run();
  if (conn().changes() == 0) return std::nullopt;
  return conn().lastInsertId();
}

std::vector<PersonnelRecord> ConsoleRepository::personnel(core::OrgId org) {
  Query q(conn(),
          "SELECT p.id, p.name, p.title, p.phone, p.user_id, COALESCE(u.email, '') FROM personnel p"
          " LEFT JOIN users u ON u.id = p.user_id WHERE p.org_id = ? ORDER BY p.name, p.id");
  q.bind(org.value);
  std::vector<PersonnelRecord> out;
  while (q.next()) {
    out.push_back(
        {q.getInt(0), q.getText(1), q.getText(2), q.getText(3), q.getOptInt(4), q.getText(5)});
  }
  return out;
}

std::int64_t ConsoleRepository::insertPersonnel(core::OrgId org, const PersonnelRecord& p,
                                                std::int64_t now) {
  Query(conn(),
        "INSERT INTO personnel (org_id, name, title, phone, user_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)")
      .bind(org.value, p.name, p.title, p.phone, p.user_id, now)
      .run();
  return conn().lastInsertId();
}

bool ConsoleRepository::deletePersonnel(core::OrgId org, std::int64_t id) {
  Query(conn(), "DELETE FROM personnel WHERE id = ? AND org_id = ?").bind(id, org.value).run();
  return conn().changes() == 1;
}

bool ConsoleRepository::personnelLinked(core::OrgId org, core::UserId user) {
  Query q(conn(), "SELECT 1 FROM personnel WHERE org_id = ? AND user_id = ?");
  q.bind(org.value, user.value);
  return q.next();
}

namespace {
constexpr std::string_view kLogins =
    "SELECT u.id, u.email, u.first_name, u.last_name, u.status, u.last_login_at,"
    " (SELECT COUNT(*) FROM memberships m JOIN companies c ON c.id = m.company_id"
    "  WHERE m.user_id = u.id AND c.org_id = ?1)"
    " FROM users u WHERE (EXISTS (SELECT 1 FROM memberships m JOIN companies c"
    "  ON c.id = m.company_id WHERE m.user_id = u.id AND c.org_id = ?1)"
    " OR EXISTS (SELECT 1 FROM staff_members s WHERE s.user_id = u.id AND s.org_id = ?1)"
    " OR EXISTS (SELECT 1 FROM agent_users au JOIN agents a ON a.id = au.agent_id"
    "  WHERE au.user_id = u.id AND a.org_id = ?1)) ";

Login readLogin(Query& q) {
  return Login{core::UserId{q.getInt(0)},
               q.getText(1),
               q.getText(2),
               q.getText(3),
               q.getText(4),
               q.getOptInt(5),
               static_cast<int>(q.getInt(6))};
}
}  // namespace

std::vector<Login> ConsoleRepository::logins(
    core::OrgId org, const std::string& search,
    const std::optional<std::vector<std::int64_t>>& departments, std::size_t offset,
    std::size_t limit) {
  Query q(conn(), std::string(kLogins) +
                      "AND (?2 = '' OR u.email LIKE lower(?3) ESCAPE '\\' OR"
                      " lower(u.last_name) LIKE lower(?3) ESCAPE '\\') AND (?6 = 0 OR EXISTS "
                      "(SELECT 1 FROM memberships m"
                      " JOIN companies c ON c.id = m.company_id WHERE m.user_id = u.id"
                      " AND c.org_id = ?1 AND ' ' || ?7 || ' ' LIKE '% ' || c.department_id"
                      " || ' %')) ORDER BY u.email LIMIT ?4 OFFSET ?5");
  q.bind(org.value, search, contains(search), static_cast<std::int64_t>(limit),
         static_cast<std::int64_t>(offset), departments.has_value(),
         departments ? departmentList(*departments) : std::string());
  std::vector<Login> out;
  while (q.next()) out.push_back(readLogin(q));
  return out;
}

std::optional<Login> ConsoleRepository::login(core::OrgId org, core::UserId user) {
  Query q(conn(), std::string(kLogins) + "AND u.id = ?2");
  q.bind(org.value, user.value);
  if (!q.next()) return std::nullopt;
  return readLogin(q);
}

bool ConsoleRepository::belongsElsewhere(core::OrgId org, core::UserId user) {
  Query q(conn(),
          "SELECT 1 FROM memberships m JOIN companies c ON c.id = m.company_id WHERE m.user_id = ?"
          " AND c.org_id <> ? UNION ALL SELECT 1 FROM staff_members WHERE user_id = ?"
          " AND org_id <> ? LIMIT 1");
  q.bind(user.value, org.value, user.value, org.value);
  return q.next();
}

std::optional<core::UserId> ConsoleRepository::userByEmail(const std::string& lower_email) {
  Query q(conn(), "SELECT id FROM users WHERE email = ?");
  q.bind(lower_email);
  if (!q.next()) return std::nullopt;
  return core::UserId{q.getInt(0)};
}

void ConsoleRepository::setLoginLimit(core::OrgId org, std::optional<int> limit) {
  Query(conn(), "UPDATE organizations SET login_limit = ? WHERE id = ?")
      .bind(limit, org.value)
      .run();
}

}  // namespace portico::console
