#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "modules/documents/document.h"
#include "storage/db.h"

namespace portico::documents {

// Which records a list may show: the policy's decision (the own records are those the user placed
// or requested), and whose own records they are.
struct DocumentScope : access::RecordScope {
  core::UserId user;
};

// The documents tables. Named SQL only; no permission logic (the service decides the scope).
// Thread-safe: each thread uses its own connection.
class DocumentRepository {
 public:
  explicit DocumentRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  std::optional<Document> find(core::DocumentId id);
  // The organization's record of `kind` that the ERP knows as `external_id`.
  std::optional<Document> findByExternalId(core::OrgId org, Kind kind,
                                           const std::string& external_id);
  // The organization's record of `kind` numbered `number`.
  std::optional<Document> findByNumber(core::OrgId org, Kind kind, const std::string& number);
  // Throws storage::ConstraintError when the number or external id is taken.
  core::DocumentId insert(const Document& d);
  // Writes everything but the id, organization, company, kind, PDF and creation time.
  void update(const Document& d);
  // Keeps file `file_id` as the record's PDF rendered by Portico, unless it has a PDF already:
  // false then (a frozen print is never replaced).
  bool freezePdf(core::DocumentId id, std::int64_t file_id, const std::string& sha256);
  // Keeps file `file_id` as the ERP's own PDF of the record, in place of any.
  void setErpPdf(core::DocumentId id, std::int64_t file_id, const std::string& sha256,
                 std::int64_t now);
  // The scope's records under `filter`, newest first from its cursor, at most filter.limit + 1
  // (to tell whether another page follows). Customers (no scope.org) never see draft quotes.
  // `today` decides expired quotes and overdue invoices. Without their lines (a list shows none).
  std::vector<Document> list(const DocumentScope& scope, const DocumentFilter& filter,
                             const std::string& today);
  // The sums of every record under the same scope and filters (the cursor aside), by currency.
  std::vector<Total> totals(const DocumentScope& scope, const DocumentFilter& filter,
                            const std::string& today);

  // Writes the record's status and updated_at.
  void setStatus(const Document& d);
  // Records the decision on quote `d` unless it has one: false if it had.
  bool insertDecision(const Document& d, const Decision& decision);
  std::optional<Decision> decision(core::DocumentId id);
  std::int64_t insertQuoteRequest(const QuoteRequest& r);
  // Closes invoice `id`'s open payment as paid: the ERP says the invoice is paid (a bank
  // transfer, payments/payment.h ManualProvider).
  void closeOpenPayments(core::DocumentId id, std::int64_t now);
  // Cancels invoice `id`'s open payment (it was voided or credited: nothing is to be paid).
  void cancelOpenPayments(core::DocumentId id, std::int64_t now);
  // What has been paid of invoice `id` through the portal's providers.
  std::int64_t paidThroughPortal(core::DocumentId id);
  // Sets quote `d`'s status from "sent" to d.status: false if it is no longer sent.
  bool decideStatus(const Document& d);
  // Forgets the print Portico froze of a record (not the ERP's): its content changed before
  // anyone accepted it.
  void unfreezePortalPdf(core::DocumentId id);
  // Where the payer of invoice `id`'s open payment goes, if it has one.
  std::optional<std::string> openCheckout(core::DocumentId id);

  std::vector<Change> changes(core::DocumentId id);
  void insertChange(const Document& d, std::optional<core::UserId> actor, const std::string& field,
                    const std::optional<std::string>& old_value,
                    const std::optional<std::string>& new_value, std::int64_t at);

  // The site of `company` that the ERP knows as `external_id`.
  std::optional<std::int64_t> siteByExternalId(core::CompanyId company,
                                               const std::string& external_id);
  // A login with a membership in `company`, by its e-mail address (lower case).
  std::optional<core::UserId> memberByEmail(core::CompanyId company, const std::string& email);

 private:
  storage::Db& db_;
};

}  // namespace portico::documents
