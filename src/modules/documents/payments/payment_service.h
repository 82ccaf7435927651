#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "events/event_log.h"
#include "identity/identity_service.h"
#include "identity/step_up.h"
#include "jobs/queue.h"
#include "jobs/runner.h"
#include "modules/documents/document_repository.h"
#include "modules/documents/document_service.h"
#include "modules/documents/payments/payment.h"
#include "storage/db.h"
#include "web/views.h"

namespace portico::documents {

// The payments and payment_events tables. Thread-safe: each thread uses its own connection.
class PaymentRepository {
 public:
  explicit PaymentRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }
  // Throws storage::ConstraintError when the invoice has an open payment already.
  std::int64_t insert(const Payment& p);
  // False when the payment is no longer open (the ERP settled its invoice meanwhile).
  bool setCheckout(std::int64_t id, const std::string& provider_ref, const std::string& url,
                   std::int64_t now);
  void setStatus(std::int64_t id, const std::string& status, std::optional<std::int64_t> paid_at,
                 std::int64_t now);
  std::optional<Payment> find(std::int64_t id);
  std::optional<Payment> findByRef(const std::string& provider, const std::string& ref);
  std::optional<Payment> open(core::DocumentId invoice);
  // Open payments through `provider` not updated since `before`, the least recently first.
  std::vector<Payment> openUntouched(const std::string& provider, std::int64_t before, int limit);
  void touch(std::int64_t id, std::int64_t now);
  // Records that the provider's event was processed: false if it was already.
  bool processOnce(core::OrgId org, const std::string& provider, const std::string& event_id,
                   std::int64_t now);

 private:
  storage::Db& db_;
};

// Paying invoices through the configured PaymentProvider. Thread-safe.
class PaymentService final : public OpenCheckouts {
 public:
  // The job that has the provider close a checkout whose invoice was settled another way.
  static constexpr const char* kCloseCheckoutJob = "payments.close_checkout";

  PaymentService(PaymentRepository& repo, DocumentRepository& documents, DocumentService& service,
                 access::Policy& policy, events::EventLog& events, audit::AuditLog& audit,
                 jobs::Queue& jobs, std::unique_ptr<PaymentProvider> provider,
                 std::string public_url, const web::Views& views, const core::Clock& clock)
      : repo_(repo),
        documents_(documents),
        service_(service),
        policy_(policy),
        events_(events),
        audit_(audit),
        jobs_(jobs),
        provider_(std::move(provider)),
        public_url_(std::move(public_url)),
        views_(views),
        clock_(clock) {}
  void setStepUp(identity::StepUp* step_up) { step_up_ = step_up; }
  const PaymentProvider& provider() const { return *provider_; }

  // Opens a payment of what is left to pay of an invoice the caller sees, with invoices.pay in
  // its company (Forbidden otherwise; agents never pay). Conflict for an invoice with nothing to
  // pay (paid, void, credited) and for one with an open payment already. Needs a step-up. The
  // payment and its invoice.payment_started event are written in one transaction, then the
  // provider opens the checkout (Unavailable if it cannot: the payment is marked failed).
  // Audited (invoice.payment_started).
  core::Result<Payment> start(const identity::Principal& p, core::DocumentId invoice,
                              const identity::Origin& origin);
  // A payment the caller may see (that of an invoice they see): NotFound otherwise.
  core::Result<Payment> find(const identity::Principal& p, std::int64_t id);
  // The invoice's open payment, if any (for its page).
  std::optional<Payment> openPayment(core::DocumentId invoice);

  // The provider says payment `provider_ref` is paid, in its event `event_id`: the payment is
  // paid, the invoice's paid amount grows by it (status partially_paid or paid, in its history),
  // audited, and the ERP hears invoice.paid. An event processed before changes nothing (true
  // all the same); NotFound for an unknown payment; Conflict for one not open (one the portal
  // ended before the money came is audited as invoice.payment_refused: the provider refunds it).
  core::Status complete(const std::string& provider, const std::string& provider_ref,
                        const std::string& event_id);
  // The payer left the checkout (the demo page's Cancel): the payment is cancelled, and the
  // invoice may be paid again.
  core::Status cancel(const std::string& provider, const std::string& provider_ref);

  // The provider's webhook, its signature header and body as received: the provider verifies
  // and reads it (InvalidInput when it is not the provider's), then a paid checkout completes its
  // payment (once, however often the event comes) and an expired or failed one ends it, so that
  // the invoice may be paid again. An event about nothing of ours, or about a payment that is no
  // longer open, changes nothing and is no error (the provider would send it again and again).
  core::Status webhook(std::string_view signature, std::string_view body);

  // How long an open checkout is left to its webhook before the reconcile round asks.
  static constexpr std::int64_t kReconcileAfterS = 10 * 60;
  // An open payment the provider cannot tell about this long is failed (a checkout lives a day).
  static constexpr std::int64_t kGiveUpAfterS = 2 * 24 * 3600;
  // The reconcile round (the job runner's housekeeping, every 10 minutes on every worker; safe
  // on several at once): asks the provider about open payments untouched for kReconcileAfterS,
  // the least recently asked first, at most `limit`; completes the paid ones and ends the expired
  // and failed ones, as their webhook would have. A payment whose checkout never opened (the node
  // stopped in between), or that the provider cannot tell about for kGiveUpAfterS, is failed;
  // one it cannot tell about now goes to the back; after three unanswered the round stops. The
  // number changed.
  int reconcile(int limit = 100);

  // OpenCheckouts, in the caller's transaction (the ERP's upsert, which then ends the payment):
  // the invoice's open checkout at a provider gets a kCloseCheckoutJob.
  void endOpenCheckout(core::DocumentId invoice) override;
  // A kCloseCheckoutJob: the provider closes the checkout; retried while it cannot be reached.
  jobs::Outcome closeCheckout(const jobs::Job& job);
  static jobs::RetryPolicy closeCheckoutPolicy() { return {24LL * 3600 * 1000, 30'000, 3600'000}; }
  // The demo checkout's payment by its token, for its page: the payer's own open one only.
  core::Result<Payment> demoCheckout(const identity::Principal& p, const std::string& token);

  // Absolute: the public URL before a path of this portal.
  std::string absolute(const std::string& url) const;

 private:
  // Ends an open payment without money: "cancelled" or "failed". Conflict when it is not open.
  core::Status end(const std::string& provider, const std::string& provider_ref,
                   const std::string& status);
  // A kCloseCheckoutJob for the checkout, in the caller's transaction.
  void closeLater(const std::string& provider_ref);
  // What the provider says of a checkout, applied: `event_id` makes a payment once.
  core::Status settle(const std::string& provider_ref, CheckoutState state,
                      const std::string& event_id);

  PaymentRepository& repo_;
  DocumentRepository& documents_;
  DocumentService& service_;
  access::Policy& policy_;
  events::EventLog& events_;
  audit::AuditLog& audit_;
  jobs::Queue& jobs_;
  std::unique_ptr<PaymentProvider> provider_;
  std::string public_url_;
  identity::StepUp* step_up_ = nullptr;
  const web::Views& views_;  // the checkout's description, in the payer's language
  const core::Clock& clock_;
};

}  // namespace portico::documents
