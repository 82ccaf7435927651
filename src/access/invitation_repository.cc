#include "access/invitation_repository.h"

namespace portico::access {
namespace {

using storage::Query;

constexpr std::string_view kInsert =
    "INSERT INTO invitations (org_id, email, first_name, last_name, language, token_hash,"
    " invited_by, created_at, expires_at, by_staff, agent_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Invitations staff made, listed on the organization side: pending and accepted ones.
constexpr std::string_view kByStaff =
    "SELECT id, org_id, email, first_name, last_name, language, invited_by, created_at,"
    " expires_at, accepted_at, revoked_at, by_staff, accepted_by, agent_id FROM invitations"
    " WHERE org_id = ? AND by_staff = 1 AND revoked_at IS NULL ORDER BY id DESC LIMIT ?";
constexpr std::string_view kInsertCompany =
    "INSERT INTO invitation_companies (invitation_id, company_id, role, permissions, sites)"
    " VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kFind =
    "SELECT id, org_id, email, first_name, last_name, language, invited_by, created_at,"
    " expires_at, accepted_at, revoked_at, by_staff, accepted_by, agent_id FROM invitations WHERE "
    "id = ?";
constexpr std::string_view kFindByToken =
    "SELECT id, org_id, email, first_name, last_name, language, invited_by, created_at,"
    " expires_at, accepted_at, revoked_at, by_staff, accepted_by, agent_id FROM invitations WHERE "
    "token_hash "
    "= ?";
constexpr std::string_view kPendingFor =
    "SELECT i.id, i.org_id, i.email, i.first_name, i.last_name, i.language, i.invited_by,"
    " i.created_at, i.expires_at, i.accepted_at, i.revoked_at, i.by_staff, i.accepted_by,"
    " i.agent_id"
    " FROM invitations i"
    " JOIN invitation_companies ic ON ic.invitation_id = i.id WHERE ic.company_id = ?"
    " AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ? ORDER BY i.id";
constexpr std::string_view kCompanies =
    "SELECT ic.company_id, c.name, ic.role, ic.permissions, ic.sites, ic.granted"
    " FROM invitation_companies ic"
    " JOIN companies c ON c.id = ic.company_id WHERE ic.invitation_id = ? ORDER BY c.name";
constexpr std::string_view kAccept =
    "UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL"
    " AND revoked_at IS NULL";
constexpr std::string_view kMarkGranted =
    "UPDATE invitation_companies SET granted = 1 WHERE invitation_id = ? AND company_id = ?";
constexpr std::string_view kRevoke = "UPDATE invitations SET revoked_at = ? WHERE id = ?";
constexpr std::string_view kRenew =
    "UPDATE invitations SET token_hash = ?, expires_at = ? WHERE id = ?";
constexpr std::string_view kLoginLimit = "SELECT login_limit FROM organizations WHERE id = ?";
constexpr std::string_view kSeats =
    "SELECT COUNT(*) FROM (SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id"
    " JOIN companies c ON c.id = m.company_id WHERE c.org_id = ? AND u.status = 'active'"
    " UNION SELECT i.email FROM invitations i WHERE i.org_id = ? AND i.accepted_at IS NULL"
    " AND i.revoked_at IS NULL AND i.expires_at > ?"
    " UNION SELECT u.email FROM users u JOIN agent_users au ON au.user_id = u.id"
    " JOIN agents a ON a.id = au.agent_id WHERE a.org_id = ? AND u.status = 'active') seats";
constexpr std::string_view kHoldsSeat =
    "SELECT 1 FROM users u JOIN memberships m ON m.user_id = u.id JOIN companies c"
    " ON c.id = m.company_id WHERE c.org_id = ? AND u.email = ? AND u.status = 'active' LIMIT 1";

Invitation read(Query& q) {
  Invitation i;
  i.id = q.getInt(0);
  i.org_id = core::OrgId{q.getInt(1)};
  i.email = q.getText(2);
  i.first_name = q.getText(3);
  i.last_name = q.getText(4);
  i.language = q.getText(5);
  i.invited_by = q.getOptInt(6);
  i.created_at = q.getInt(7);
  i.expires_at = q.getInt(8);
  i.accepted_at = q.getOptInt(9);
  i.revoked_at = q.getOptInt(10);
  i.by_staff = q.getInt(11) != 0;
  i.accepted_by = q.getOptInt(12);
  i.agent_id = q.getOptInt(13);
  return i;
}

std::string joinSites(const std::vector<std::int64_t>& sites) {
  std::string out;
  for (auto s : sites) out += (out.empty() ? "" : " ") + std::to_string(s);
  return out;
}

std::vector<std::int64_t> splitSites(const std::string& text) {
  std::vector<std::int64_t> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto space = text.find(' ', pos);
    out.push_back(std::stoll(text.substr(pos, space - pos)));
    pos = space == std::string::npos ? text.size() : space + 1;
  }
  return out;
}

}  // namespace

std::int64_t InvitationRepository::insert(const Invitation& i, const std::string& token_hash) {
  Query(conn(), kInsert)
      .bind(i.org_id.value, i.email, i.first_name, i.last_name, i.language, token_hash,
            i.invited_by, i.created_at, i.expires_at, i.by_staff, i.agent_id)
      .run();
  auto id = conn().lastInsertId();
  for (const auto& c : i.companies) {
    Query(conn(), kInsertCompany)
        .bind(id, c.company_id.value, c.role, c.permissions.serialize(), joinSites(c.sites))
        .run();
  }
  return id;
}

void InvitationRepository::loadCompanies(Invitation& invitation) {
  if (invitation.agent_id) {
    Query a(conn(), "SELECT name FROM agents WHERE id = ?");
    a.bind(*invitation.agent_id);
    if (a.next()) invitation.agent_name = a.getText(0);
  }
  Query q(conn(), kCompanies);
  q.bind(invitation.id);
  while (q.next()) {
    InvitedCompany c;
    c.company_id = core::CompanyId{q.getInt(0)};
    c.company_name = q.getText(1);
    c.role = q.getText(2);
    auto preset = presetPermissions(c.role);
    c.permissions = preset ? *preset : PermissionSet::parse(q.getText(3));
    c.sites = splitSites(q.getText(4));
    c.granted = q.getInt(5) != 0;
    invitation.companies.push_back(std::move(c));
  }
}

std::vector<Invitation> InvitationRepository::byStaff(core::OrgId org, int limit) {
  std::vector<Invitation> out;
  {
    Query q(conn(), kByStaff);
    q.bind(org.value, limit);
    while (q.next()) out.push_back(read(q));
  }
  for (auto& i : out) loadCompanies(i);
  return out;
}

std::optional<Invitation> InvitationRepository::find(std::int64_t id) {
  std::optional<Invitation> i;
  {
    Query q(conn(), kFind);
    q.bind(id);
    if (!q.next()) return std::nullopt;
    i = read(q);
  }
  loadCompanies(*i);
  return i;
}

std::optional<Invitation> InvitationRepository::findByToken(const std::string& token_hash) {
  std::optional<Invitation> i;
  {
    Query q(conn(), kFindByToken);
    q.bind(token_hash);
    if (!q.next()) return std::nullopt;
    i = read(q);
  }
  loadCompanies(*i);
  return i;
}

std::vector<Invitation> InvitationRepository::pendingFor(core::CompanyId company,
                                                         std::int64_t now) {
  std::vector<Invitation> out;
  {
    Query q(conn(), kPendingFor);
    q.bind(company.value, now);
    while (q.next()) out.push_back(read(q));
  }
  for (auto& i : out) loadCompanies(i);
  return out;
}

bool InvitationRepository::accept(std::int64_t id, core::UserId user, std::int64_t now) {
  Query(conn(), kAccept).bind(now, user.value, id).run();
  return conn().changes() == 1;
}

void InvitationRepository::markGranted(std::int64_t id, core::CompanyId company) {
  Query(conn(), kMarkGranted).bind(id, company.value).run();
}

void InvitationRepository::revoke(std::int64_t id, std::int64_t now) {
  Query(conn(), kRevoke).bind(now, id).run();
}

void InvitationRepository::renew(std::int64_t id, const std::string& token_hash,
                                 std::int64_t expires_at) {
  Query(conn(), kRenew).bind(token_hash, expires_at, id).run();
}

std::optional<int> InvitationRepository::loginLimit(core::OrgId org) {
  Query q(conn(), kLoginLimit);
  q.bind(org.value);
  if (!q.next() || q.isNull(0)) return std::nullopt;
  return static_cast<int>(q.getInt(0));
}

void InvitationRepository::joinAgent(std::int64_t agent, core::UserId user) {
  Query(conn(),
        "INSERT INTO agent_users (agent_id, user_id, org_id) SELECT id, ?, org_id FROM agents"
        " WHERE id = ? ON CONFLICT DO NOTHING")
      .bind(user.value, agent)
      .run();
}

bool InvitationRepository::leaveAgent(std::int64_t agent, core::UserId user) {
  Query(conn(), "DELETE FROM agent_users WHERE agent_id = ? AND user_id = ?")
      .bind(agent, user.value)
      .run();
  return conn().changes() == 1;
}

int InvitationRepository::seatsInUse(core::OrgId org, std::int64_t now) {
  Query q(conn(), kSeats);
  q.bind(org.value, org.value, now, org.value);
  q.next();
  return static_cast<int>(q.getInt(0));
}

bool InvitationRepository::holdsSeat(core::OrgId org, const std::string& email) {
  Query q(conn(), kHoldsSeat);
  q.bind(org.value, email);
  return q.next();
}

}  // namespace portico::access
