#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/cases/case.h"
#include "storage/db.h"

namespace portico::cases {

// Which cases a list may show: the policy's decision, in the shape the SQL needs. A customer's
// scope is the union of its four lists (each may be empty); staff see an organization's cases,
// or only those of some departments' companies.
struct CaseScope {
  std::vector<std::int64_t> companies;      // every case of these companies
  std::vector<std::int64_t> sites;          // every case at these sites
  std::vector<std::int64_t> own_companies;  // the user's own cases in these companies
  std::vector<std::int64_t> own_sites;      // the user's own cases at these sites
  core::UserId user;                        // whose own cases (opened or followed)
  std::int64_t now = 0;                     // staff: for the breached filter
  std::optional<core::OrgId> org;           // staff: every case of the organization …
  std::optional<std::vector<std::int64_t>> departments;  // … in these departments' companies
};

// The cases tables. Named SQL only; no permission logic (the service decides the scope).
// Thread-safe: each thread uses its own connection.
class CaseRepository {
 public:
  explicit CaseRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // The organization's next case number (1001 first). REQUIRES: an open transaction.
  std::int64_t nextNumber(core::OrgId org);
  core::CaseId insert(const Case& c);
  std::optional<Case> find(core::CaseId id);
  // The organization's case that the ERP knows as `external_id`.
  std::optional<Case> findByExternalId(core::OrgId org, const std::string& external_id);
  // Writes the case's subject, description, category, site, requester and updated_at.
  void updateContent(const Case& c);
  // The scope's cases under `filter` in its order from its cursor, at most filter.limit + 1 (to
  // tell whether another page follows).
  std::vector<Case> list(const CaseScope& scope, const CaseFilter& filter);
  // The number of cases per status under the same scope and filters, ignoring filter.status.
  std::vector<std::pair<std::string, std::int64_t>> counts(const CaseScope& scope,
                                                           const CaseFilter& filter);
  // Cases resolved at `cutoff` or before, oldest first, at most `limit`.
  std::vector<core::CaseId> resolvedBefore(std::int64_t cutoff, int limit);
  // Writes the case's status, priority, assignee and times.
  void updateState(const Case& c);
  // Records the rating of case `id` unless it has one: false if it had.
  bool rate(core::CaseId id, const Rating& r);

  std::vector<Person> participants(core::CaseId id);
  bool isParticipant(core::CaseId id, core::UserId user);
  void addParticipant(core::CaseId id, core::UserId user, core::CompanyId company);

  // The conversation, oldest first; internal notes only `with_internal`.
  std::vector<Comment> comments(core::CaseId id, bool with_internal);
  std::int64_t insertComment(const Comment& c, core::CompanyId company);
  // The comment the ERP sent as `external_id` with the case (id, body, author_name, by_staff,
  // internal).
  std::optional<Comment> commentByExternalId(core::CaseId id, const std::string& external_id);
  // Rewrites a comment's body, author_name, by_staff and internal.
  void updateComment(const Comment& m);
  std::vector<Change> changes(core::CaseId id);
  // The case's attachments, oldest first; those of internal notes only `with_internal`.
  std::vector<Attachment> attachments(core::CaseId id, bool with_internal);
  std::optional<Attachment> attachment(core::CaseId id, std::int64_t attachment_id);
  std::int64_t insertAttachment(const Attachment& a, core::CompanyId company);
  void insertChange(core::CaseId id, core::CompanyId company, std::optional<core::UserId> actor,
                    const std::string& field, const std::optional<std::string>& old_value,
                    const std::optional<std::string>& new_value, std::int64_t at);

  // Rewrites the case's row of the text search index from its number, subject, description and
  // comments (public and internal apart). REQUIRES: the transaction that changed them.
  void indexForSearch(core::CaseId id);

  bool siteOfCompany(std::int64_t site, core::CompanyId company);
  // `company`'s device `device` (its name and site, if it is at one); nullopt if the company has
  // no such device.
  struct DeviceRef {
    std::string name;
    std::optional<std::int64_t> site;
  };
  std::optional<DeviceRef> device(std::int64_t device, core::CompanyId company);
  // The organization's categories, by name: {id, name}.
  std::vector<std::pair<std::int64_t, std::string>> categories(core::OrgId org);
  // The category's name, if it is one of the organization's.
  std::optional<std::string> categoryOfOrg(std::int64_t category, core::OrgId org);
  // A login that may be assigned cases of the organization: its admin, support or department
  // administrator staff.
  std::optional<Person> assignableStaff(core::OrgId org, core::UserId user);
  // The same, by the login's e-mail address (lower case).
  std::optional<Person> assignableStaffByEmail(core::OrgId org, const std::string& email);
  // A login with a membership in `company`, by its e-mail address (lower case).
  std::optional<Person> memberByEmail(core::CompanyId company, const std::string& email);
  // The site of `company` that the ERP knows as `external_id`.
  std::optional<std::int64_t> siteByExternalId(core::CompanyId company,
                                               const std::string& external_id);
  // The id of the organization's category `name`, added if it has none of that name.
  std::int64_t category(core::OrgId org, const std::string& name, std::int64_t now);
  std::optional<Person> person(core::UserId user);
  // The organization's logins that assignableStaff() accepts, by name.
  std::vector<Person> supportStaff(core::OrgId org);
  // The sites of `company`, by name: {id, name}.
  std::vector<std::pair<std::int64_t, std::string>> sitesOf(core::CompanyId company);

 private:
  storage::Db& db_;
};

}  // namespace portico::cases
