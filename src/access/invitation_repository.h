#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/invitation.h"
#include "storage/db.h"

namespace portico::access {

// Storage of invitations and licence counts. Joins the calling thread's open transaction.
class InvitationRepository {
 public:
  explicit InvitationRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  std::int64_t insert(const Invitation& invitation, const std::string& token_hash);
  std::optional<Invitation> find(std::int64_t id);
  // The organization's staff-made invitations that are not revoked, newest first.
  std::vector<Invitation> byStaff(core::OrgId org, int limit);
  std::optional<Invitation> findByToken(const std::string& token_hash);
  // Pending (not accepted, not revoked, not expired) invitations naming `company`.
  std::vector<Invitation> pendingFor(core::CompanyId company, std::int64_t now);
  // Marks it accepted; false if it was accepted or revoked already (a concurrent accept won).
  bool accept(std::int64_t id, core::UserId user, std::int64_t now);
  // Records that accepting the invitation gave the membership in `company`
  // (InvitedCompany::granted).
  void markGranted(std::int64_t id, core::CompanyId company);
  void revoke(std::int64_t id, std::int64_t now);
  void renew(std::int64_t id, const std::string& token_hash, std::int64_t expires_at);

  // The organization's licence limit on active logins, if any.
  std::optional<int> loginLimit(core::OrgId org);
  // Active logins with a membership in the organization's companies or acting for one of its
  // agents, plus the e-mails of pending invitations: the seats in use.
  int seatsInUse(core::OrgId org, std::int64_t now);
  // Makes the login act for the agent (agent_users).
  void joinAgent(std::int64_t agent, core::UserId user);
  // The login no longer acts for the agent; false if it did not.
  bool leaveAgent(std::int64_t agent, core::UserId user);
  // True if `email` already holds a seat (an active login with a membership in the organization).
  bool holdsSeat(core::OrgId org, const std::string& email);

 private:
  void loadCompanies(Invitation& invitation);
  storage::Db& db_;
};

}  // namespace portico::access
