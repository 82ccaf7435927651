#include "directory/directory_repository.h"

namespace portico::directory {
namespace {

using storage::Query;

#define SITE_COLUMNS "SELECT id, company_id, external_id, name, address FROM sites "
constexpr std::string_view kSites = SITE_COLUMNS "WHERE company_id = ? ORDER BY name, id";
constexpr std::string_view kSite = SITE_COLUMNS "WHERE company_id = ? AND id = ?";
constexpr std::string_view kSiteByExternalId = SITE_COLUMNS "WHERE org_id = ? AND external_id = ?";
constexpr std::string_view kInsertSite =
    "INSERT INTO sites (company_id, org_id, external_id, name, address)"
    " VALUES (?, (SELECT org_id FROM companies WHERE id = ?), ?, ?, ?)";
constexpr std::string_view kUpdateSite =
    "UPDATE sites SET name = ?, address = ? WHERE id = ? AND company_id = ?";
constexpr std::string_view kDeleteSite = "DELETE FROM sites WHERE company_id = ? AND id = ?";
#define CONTACT_COLUMNS                                                                         \
  "SELECT c.id, c.company_id, c.site_id, c.first_name, c.last_name, c.job_title, c.email,"      \
  " c.phone, c.user_id, COALESCE(u.email, ''), c.external_id FROM contacts c LEFT JOIN users u" \
  " ON u.id = c.user_id "
constexpr std::string_view kContactColumns = CONTACT_COLUMNS;
constexpr std::string_view kContactByExternalId =
    CONTACT_COLUMNS "WHERE c.org_id = ? AND c.external_id = ?";
constexpr std::string_view kInsertContact =
    "INSERT INTO contacts (company_id, org_id, external_id, site_id, first_name, last_name,"
    " job_title, email, phone, created_at, updated_at)"
    " VALUES (?, (SELECT org_id FROM companies WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateContact =
    "UPDATE contacts SET site_id = ?, first_name = ?, last_name = ?, job_title = ?, email = ?,"
    " phone = ?, updated_at = ? WHERE id = ? AND company_id = ?";
constexpr std::string_view kDeleteContact = "DELETE FROM contacts WHERE company_id = ? AND id = ?";
constexpr std::string_view kMemberPermissions =
    "SELECT role, permissions FROM memberships WHERE company_id = ? AND user_id = ?";
constexpr std::string_view kLinkContact =
    "UPDATE contacts SET user_id = ?, updated_at = ? WHERE id = ?";

Site readSite(Query& q) {
  return Site{q.getInt(0), core::CompanyId{q.getInt(1)}, q.getOptText(2), q.getText(3),
              q.getText(4)};
}

Contact readContact(Query& q) {
  Contact c;
  c.id = q.getInt(0);
  c.company_id = core::CompanyId{q.getInt(1)};
  c.site_id = q.getOptInt(2);
  c.first_name = q.getText(3);
  c.last_name = q.getText(4);
  c.job_title = q.getText(5);
  c.email = q.getText(6);
  c.phone = q.getText(7);
  c.user_id = q.getOptInt(8);
  c.user_email = q.getText(9);
  c.external_id = q.getOptText(10);
  return c;
}

}  // namespace

std::vector<Site> DirectoryRepository::sites(core::CompanyId company) {
  Query q(conn(), kSites);
  q.bind(company.value);
  std::vector<Site> out;
  while (q.next()) out.push_back(readSite(q));
  return out;
}

std::optional<Site> DirectoryRepository::site(core::CompanyId company, std::int64_t id) {
  Query q(conn(), kSite);
  q.bind(company.value, id);
  if (!q.next()) return std::nullopt;
  return readSite(q);
}

std::int64_t DirectoryRepository::insertSite(const Site& s) {
  Query(conn(), kInsertSite)
      .bind(s.company_id.value, s.company_id.value, s.external_id, s.name, s.address)
      .run();
  return conn().lastInsertId();
}

void DirectoryRepository::updateSite(const Site& s) {
  Query(conn(), kUpdateSite).bind(s.name, s.address, s.id, s.company_id.value).run();
}

bool DirectoryRepository::deleteSite(core::CompanyId company, std::int64_t id) {
  Query(conn(), kDeleteSite).bind(company.value, id).run();
  return conn().changes() == 1;
}

std::optional<Site> DirectoryRepository::siteByExternalId(core::OrgId org,
                                                          const std::string& external_id) {
  Query q(conn(), kSiteByExternalId);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  return readSite(q);
}

bool DirectoryRepository::siteHasLinkedContacts(core::CompanyId company, std::int64_t site) {
  Query q(conn(),
          "SELECT 1 FROM contacts WHERE company_id = ? AND site_id = ? AND user_id IS NOT NULL"
          " LIMIT 1");
  q.bind(company.value, site);
  return q.next();
}

std::vector<Contact> DirectoryRepository::contacts(core::CompanyId company) {
  Query q(conn(), std::string(kContactColumns) +
                      "WHERE c.company_id = ? ORDER BY c.last_name, c.first_name, c.id");
  q.bind(company.value);
  std::vector<Contact> out;
  while (q.next()) out.push_back(readContact(q));
  return out;
}

std::optional<Contact> DirectoryRepository::contact(core::CompanyId company, std::int64_t id) {
  Query q(conn(), std::string(kContactColumns) + "WHERE c.company_id = ? AND c.id = ?");
  q.bind(company.value, id);
  if (!q.next()) return std::nullopt;
  return readContact(q);
}

std::optional<Contact> DirectoryRepository::contactByExternalId(core::OrgId org,
                                                                const std::string& external_id) {
  Query q(conn(), kContactByExternalId);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  return readContact(q);
}

std::int64_t DirectoryRepository::insertContact(const Contact& c, std::int64_t now) {
  Query(conn(), kInsertContact)
      .bind(c.company_id.value, c.company_id.value, c.external_id, c.site_id, c.first_name,
            c.last_name, c.job_title, c.email, c.phone, now, now)
      .run();
  return conn().lastInsertId();
}

void DirectoryRepository::updateContact(const Contact& c, std::int64_t now) {
  Query(conn(), kUpdateContact)
      .bind(c.site_id, c.first_name, c.last_name, c.job_title, c.email, c.phone, now, c.id,
            c.company_id.value)
      .run();
}

bool DirectoryRepository::deleteContact(core::CompanyId company, std::int64_t id) {
  Query(conn(), kDeleteContact).bind(company.value, id).run();
  return conn().changes() == 1;
}

std::optional<std::int64_t> DirectoryRepository::memberByEmail(core::CompanyId company,
                                                               const std::string& email) {
  Query q(conn(),
          "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.company_id = ?"
          " WHERE u.email = ?");
  q.bind(company.value, email);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

void DirectoryRepository::linkContact(std::int64_t id, std::optional<std::int64_t> user,
                                      std::int64_t now) {
  Query(conn(), kLinkContact).bind(user, now, id).run();
}

std::optional<access::PermissionSet> DirectoryRepository::memberPermissions(core::CompanyId company,
                                                                            std::int64_t user) {
  Query q(conn(), kMemberPermissions);
  q.bind(company.value, user);
  if (!q.next()) return std::nullopt;
  // As the access repository reads a membership: a preset's permissions, else those stored.
  auto preset = access::presetPermissions(q.getText(0));
  return preset ? *preset : access::PermissionSet::parse(q.getText(1));
}

}  // namespace portico::directory
