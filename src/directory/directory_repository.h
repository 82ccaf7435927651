#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "directory/directory.h"
#include "storage/db.h"

namespace portico::directory {

// Storage of sites and contacts. Plain data access; joins the calling thread's transaction.
class DirectoryRepository {
 public:
  explicit DirectoryRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  std::vector<Site> sites(core::CompanyId company);
  std::optional<Site> site(core::CompanyId company, std::int64_t id);
  // The site named `external_id` in the organization (the integration API's name for it).
  std::optional<Site> siteByExternalId(core::OrgId org, const std::string& external_id);
  std::int64_t insertSite(const Site& site);
  void updateSite(const Site& site);
  bool deleteSite(core::CompanyId company, std::int64_t id);

  // True if a contact of the site is linked to a login (its site scope depends on it).
  bool siteHasLinkedContacts(core::CompanyId company, std::int64_t site);
  std::vector<Contact> contacts(core::CompanyId company);
  std::optional<Contact> contact(core::CompanyId company, std::int64_t id);
  // The contact named `external_id` in the organization (the integration API's name for it).
  std::optional<Contact> contactByExternalId(core::OrgId org, const std::string& external_id);
  std::int64_t insertContact(const Contact& contact, std::int64_t now);
  void updateContact(const Contact& contact, std::int64_t now);
  bool deleteContact(core::CompanyId company, std::int64_t id);
  // The id of the member of `company` with that (lower-case) e-mail.
  std::optional<std::int64_t> memberByEmail(core::CompanyId company, const std::string& email);
  void linkContact(std::int64_t id, std::optional<std::int64_t> user, std::int64_t now);
  // The permissions `user` holds as a member of `company`; nullopt if it is no member.
  std::optional<access::PermissionSet> memberPermissions(core::CompanyId company,
                                                         std::int64_t user);

 private:
  storage::Db& db_;
};

}  // namespace portico::directory
