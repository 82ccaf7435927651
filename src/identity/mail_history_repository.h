#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "storage/db.h"

namespace portico::identity {

// What a mail is about, for its place in the e-mail history: the organization whose portal sent
// it and the companies it concerns (an invitation may name several). A mail about the login
// alone (a password reset, a security notice) has neither: only its recipient sees it.
struct MailScope {
  std::optional<core::OrgId> org;
  std::vector<core::CompanyId> companies;
  // The conversation the mail belongs to, for mail clients to thread it (notify::MailMessage).
  std::string thread;
};

// One mail of the history, as its recipient read it (a sign-in link's token removed).
struct MailRecord {
  std::int64_t id = 0;
  std::optional<core::OrgId> org;
  std::optional<core::UserId> user;  // the recipient's login, if it had one when sent
  std::string recipient;
  std::string kind;  // the template: "invitation", "access_changed", …
  std::string subject;
  std::string text;
  std::string html;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at;
  std::string status;      // "queued" (waiting or being retried), "sent" or "failed"
  std::string last_error;  // of its delivery, in English, for operators
  int attempts = 0;
  std::optional<std::int64_t> job_id;
  std::vector<core::CompanyId> companies;  // filled by find() only
};

// True for a status a list may filter by: "queued", "sent" or "failed".
inline bool isMailStatus(std::string_view s) {
  return s == "queued" || s == "sent" || s == "failed";
}

// Which mails a list shows: one scope (set exactly one of user, companies, org), then filters.
struct MailFilter {
  std::optional<core::UserId> user;        // mail to this login (and to its address, before it
  std::string user_email;                  // had a login: an invitation)
  std::vector<core::CompanyId> companies;  // mail about any of these companies
  std::optional<core::OrgId> org;          // mail of this organization (the console)
  std::string status;                      // "", "queued", "sent" or "failed"
  std::int64_t before_id = 0;              // the cursor: mails older than this one
  int limit = 50;
};

// Storage of the e-mail history. Plain data access over the calling thread's connection, so
// insert() joins the caller's open transaction (the mail's row commits with its change and its
// delivery job). Thread-safe.
class MailHistoryRepository {
 public:
  explicit MailHistoryRepository(storage::Db& db) : db_(db) {}

  // Records a mail with its delivery job (status queued until markSent) and the companies of
  // `scope`. Its id.
  std::int64_t insert(const MailRecord& mail, const MailScope& scope);
  // The mail server took the mail of delivery job `job_id`.
  void markSent(std::int64_t job_id, std::int64_t now);
  // Newest first, at most filter.limit + 1 (one more tells that another page follows). Bodies
  // are left empty: a list shows subjects.
  std::vector<MailRecord> list(const MailFilter& filter);
  // The companies a mail concerns, by id.
  std::vector<core::CompanyId> companiesOf(std::int64_t id);
  // One mail with its bodies and companies.
  std::optional<MailRecord> find(std::int64_t id);
  // Deletes the mails created before `before`. How many.
  std::int64_t pruneBefore(std::int64_t before);

 private:
  storage::Connection& conn() { return db_.connection(); }
  storage::Db& db_;
};

}  // namespace portico::identity
