#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "core/result.h"
#include "identity/mail_history_repository.h"

namespace portico::emails {

// A page of the e-mail history: which mails, and from where.
struct EmailQuery {
  std::optional<core::CompanyId> company;  // only this one of the caller's companies
  std::string status;                      // "", "queued", "sent" or "failed"
  std::int64_t before_id = 0;              // the cursor
  int limit = 50;
};

// A mail as a company's reader sees it: under one of the caller's companies that it concerns.
struct Email {
  identity::MailRecord mail;
  std::optional<core::CompanyId> company_id;  // none for the caller's own mail about the login
  std::string company_name;
};

struct EmailPage {
  std::vector<Email> items;
  std::optional<std::int64_t> next_before;  // the cursor of the next page, if there is one
};

// The e-mail history as people read it (the mails themselves are written by identity's
// IdentityService::sendMail). A company's mail is for those who hold emails.view there; a
// login's own mail for that login. A mail the caller may not read is NotFound, never Forbidden.
// Thread-safe.
class EmailService {
 public:
  EmailService(access::Policy& policy, identity::MailHistoryRepository& history)
      : policy_(policy), history_(history) {}

  // The mails about the caller's companies where they hold emails.view, newest first; with
  // `query.company`, that company's alone (NotFound if the caller does not see it or may not
  // view its mail). InvalidInput for an unknown status.
  core::Result<EmailPage> list(const identity::Principal& p, const EmailQuery& query);
  // One mail about a company where the caller holds emails.view, with its bodies.
  core::Result<Email> find(const identity::Principal& p, std::int64_t id);
  // The mails sent to the caller's own login (any kind, its security notices too).
  core::Result<EmailPage> own(const identity::Principal& p, const EmailQuery& query);
  core::Result<Email> ownOne(const identity::Principal& p, std::int64_t id);

 private:
  // The companies whose mail the caller may read (all of theirs, or query.company's alone).
  core::Result<std::vector<access::CompanyAccess>> readable(const identity::Principal& p,
                                                            const EmailQuery& query);
  access::Policy& policy_;
  identity::MailHistoryRepository& history_;
};

}  // namespace portico::emails
