#include "modules/documents/payments/payment_service.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace portico::documents {
namespace {

using access::Basis;
using access::Permission;
using core::Error;
using core::fail;
using nlohmann::json;
using storage::Query;

#define PAYMENT_COLUMNS                                                                 \
  "SELECT id, org_id, company_id, document_id, provider, status, amount, currency,"     \
  " COALESCE(provider_ref, ''), checkout_url, user_id, created_at, updated_at, paid_at" \
  " FROM payments"

constexpr std::string_view kInsert =
    "INSERT INTO payments (org_id, company_id, document_id, provider, status, amount, currency,"
    " user_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)";
constexpr std::string_view kSetCheckout =
    "UPDATE payments SET provider_ref = ?, checkout_url = ?, updated_at = ?"
    " WHERE id = ? AND status = 'open'";
constexpr std::string_view kSetStatus =
    "UPDATE payments SET status = ?, paid_at = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kFind = PAYMENT_COLUMNS " WHERE id = ?";
constexpr std::string_view kFindRef = PAYMENT_COLUMNS " WHERE provider = ? AND provider_ref = ?";
constexpr std::string_view kOpen = PAYMENT_COLUMNS " WHERE document_id = ? AND status = 'open'";
constexpr std::string_view kOpenUntouched = PAYMENT_COLUMNS
    " WHERE provider = ? AND status = 'open' AND updated_at < ?"
    " ORDER BY updated_at, id LIMIT ?";
constexpr std::string_view kTouch = "UPDATE payments SET updated_at = ? WHERE id = ?";
constexpr std::string_view kProcessOnce =
    "INSERT INTO payment_events (org_id, provider, event_id, processed_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING";

Payment readPayment(Query& q) {
  Payment p;
  p.id = q.getInt(0);
  p.org_id = core::OrgId{q.getInt(1)};
  p.company_id = core::CompanyId{q.getInt(2)};
  p.document_id = core::DocumentId{q.getInt(3)};
  p.provider = q.getText(4);
  p.status = q.getText(5);
  p.amount = {q.getInt(6), q.getText(7)};
  p.provider_ref = q.getText(8);
  p.checkout_url = q.getText(9);
  if (auto u = q.getOptInt(10)) p.user = core::UserId{*u};
  p.created_at = q.getInt(11);
  p.updated_at = q.getInt(12);
  p.paid_at = q.getOptInt(13);
  return p;
}

std::optional<Payment> one(storage::Connection& conn, std::string_view sql,
                           const std::function<void(Query&)>& bind) {
  Query q(conn, sql);
  bind(q);
  if (!q.next()) return std::nullopt;
  return readPayment(q);
}

}  // namespace

std::int64_t PaymentRepository::insert(const Payment& p) {
  std::optional<std::int64_t> user;
  if (p.user) user = p.user->value;
  Query(conn(), kInsert)
      .bind(p.org_id.value, p.company_id.value, p.document_id.value, p.provider, p.amount.minor,
            p.amount.currency, user, p.created_at, p.updated_at)
      .run();
  return conn().lastInsertId();
}

bool PaymentRepository::setCheckout(std::int64_t id, const std::string& provider_ref,
                                    const std::string& url, std::int64_t now) {
  Query(conn(), kSetCheckout).bind(provider_ref, url, now, id).run();
  return conn().changes() > 0;
}

void PaymentRepository::setStatus(std::int64_t id, const std::string& status,
                                  std::optional<std::int64_t> paid_at, std::int64_t now) {
  Query(conn(), kSetStatus).bind(status, paid_at, now, id).run();
}

std::optional<Payment> PaymentRepository::find(std::int64_t id) {
  return one(conn(), kFind, [&](Query& q) { q.bind(id); });
}

std::optional<Payment> PaymentRepository::findByRef(const std::string& provider,
                                                    const std::string& ref) {
  return one(conn(), kFindRef, [&](Query& q) { q.bind(provider, ref); });
}

std::optional<Payment> PaymentRepository::open(core::DocumentId invoice) {
  return one(conn(), kOpen, [&](Query& q) { q.bind(invoice.value); });
}

std::vector<Payment> PaymentRepository::openUntouched(const std::string& provider,
                                                      std::int64_t before, int limit) {
  Query q(conn(), kOpenUntouched);
  q.bind(provider, before, static_cast<std::int64_t>(limit));
  std::vector<Payment> out;
  while (q.next()) out.push_back(readPayment(q));
  return out;
}

void PaymentRepository::touch(std::int64_t id, std::int64_t now) {
  Query(conn(), kTouch).bind(now, id).run();
}

bool PaymentRepository::processOnce(core::OrgId org, const std::string& provider,
                                    const std::string& event_id, std::int64_t now) {
  Query(conn(), kProcessOnce).bind(org.value, provider, event_id, now).run();
  return conn().changes() > 0;
}

std::string PaymentService::absolute(const std::string& url) const {
  if (!url.starts_with("/")) return url;
  auto base = public_url_;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + url;
}

core::Result<Payment> PaymentService::start(const identity::Principal& p, core::DocumentId invoice,
                                            const identity::Origin& origin) {
  auto seen = service_.find(p, Kind::Invoice, invoice);
  if (!seen) return fail(seen.error());
  const auto& d = seen->document;
  auto a = policy_.company(p, d.company_id);
  // The customer's own people pay: never an agent, nor the vendor's staff for them.
  if (!a || !a->can(Permission::InvoicesPay) || a->basis != Basis::Membership) {
    return fail(Error::forbidden("errors.payments.may_not_pay"));
  }
  if ((d.status != "issued" && d.status != "partially_paid") || d.outstanding() <= 0) {
    return fail(Error::conflict("errors.payments.nothing_to_pay"));
  }
  if (repo_.open(d.id)) return fail(Error::conflict("errors.payments.already_open"));
  if (!step_up_) {
    return fail(
        Error{core::ErrorCode::StepUpRequired, "errors.identity.step_up_required", {}, 0, {}});
  }
  if (auto ok = step_up_->requireStepUp(p, d.org_id); !ok) return fail(ok.error());
  auto now = clock_.now();
  Payment pay;
  pay.org_id = d.org_id;
  pay.company_id = d.company_id;
  pay.document_id = d.id;
  pay.provider = std::string(provider_->name());
  pay.status = "open";
  pay.amount = d.money(d.outstanding());
  pay.user = p.user.id;
  pay.created_at = pay.updated_at = now;
  {
    storage::Transaction tx(repo_.conn());
    try {
      pay.id = repo_.insert(pay);
    } catch (const storage::ConstraintError&) {
      return fail(Error::conflict("errors.payments.already_open"));
    }
    json data = {{"invoice_id", d.id.value},
                 {"number", d.number},
                 {"external_id", d.external_id ? json(*d.external_id) : json(nullptr)},
                 {"payment_id", pay.id},
                 {"provider", pay.provider},
                 {"amount", core::amountText(pay.amount.minor, pay.amount.currency)},
                 {"currency", pay.amount.currency},
                 {"by", {{"id", p.user.id.value}, {"email", p.user.email}}}};
    events_.record(
        {d.org_id, "invoice.payment_started", d.company_id, "invoice", d.id.value, data.dump()});
    audit_.record({p.user.id, origin.ip, origin.request_id},
                  {"invoice.payment_started", std::nullopt, d.org_id, d.company_id,
                   json{{"number", d.number}, {"provider", pay.provider}}.dump()});
    tx.commit();
  }
  // The provider outside the transaction: a network call never holds the database.
  CheckoutRequest request{
      pay.id,
      pay.amount,
      views_.message(p.user.language, "payments.checkout_description", {{"number", d.number}}),
      d.payment_reference.empty() ? d.number : d.payment_reference,
      absolute("/invoices/" + std::to_string(d.id.value)),
      "portico-payment-" + std::to_string(pay.id),
      p.user.email};
  auto checkout = provider_->start(request);
  now = clock_.now();
  storage::Transaction tx(repo_.conn());
  if (!checkout) {
    repo_.setStatus(pay.id, "failed", std::nullopt, now);
    tx.commit();
    return fail(checkout.error());
  }
  if (!repo_.setCheckout(pay.id, checkout->provider_ref, checkout->checkout_url, now)) {
    // The ERP settled the invoice while the provider opened the checkout: close it unpaid.
    closeLater(checkout->provider_ref);
    tx.commit();
    return fail(Error::conflict("errors.payments.nothing_to_pay"));
  }
  tx.commit();
  pay.provider_ref = checkout->provider_ref;
  pay.checkout_url = checkout->checkout_url;
  return pay;
}

core::Result<Payment> PaymentService::find(const identity::Principal& p, std::int64_t id) {
  auto pay = repo_.find(id);
  if (!pay) return fail(Error::notFound("errors.payments.no_such_payment"));
  if (!service_.find(p, Kind::Invoice, pay->document_id)) {
    return fail(Error::notFound("errors.payments.no_such_payment"));
  }
  return *pay;
}

std::optional<Payment> PaymentService::openPayment(core::DocumentId invoice) {
  return repo_.open(invoice);
}

core::Status PaymentService::complete(const std::string& provider, const std::string& provider_ref,
                                      const std::string& event_id) {
  storage::Transaction tx(repo_.conn());
  auto pay = repo_.findByRef(provider, provider_ref);
  if (!pay) return fail(Error::notFound("errors.payments.no_such_payment"));
  auto now = clock_.now();
  if (!repo_.processOnce(pay->org_id, provider, event_id, now)) return {};  // seen before
  if (pay->status == "paid") return fail(Error::conflict("errors.payments.not_open"));
  auto d = documents_.find(pay->document_id);
  if (!d) return fail(Error::notFound("errors.payments.no_such_payment"));
  if (pay->status != "open") {
    // Money taken through a checkout the portal had ended (the ERP settled the invoice before
    // the payer finished): never lost without a word. The audit says so, once; the provider
    // refunds it.
    audit_.record({pay->user, "", ""},
                  {"invoice.payment_refused", std::nullopt, d->org_id, d->company_id,
                   json{{"number", d->number},
                        {"provider", provider},
                        {"status", pay->status},
                        {"amount", core::amountText(pay->amount.minor, pay->amount.currency)}}
                       .dump()});
    tx.commit();
    return fail(Error::conflict("errors.payments.not_payable"));
  }
  if ((d->status != "issued" && d->status != "partially_paid") ||
      d->currency != pay->amount.currency) {
    // Paid for an invoice that was voided or credited meanwhile: the money is the provider's to
    // refund; the payment is kept as failed (the audit says so), the invoice untouched.
    repo_.setStatus(pay->id, "failed", std::nullopt, now);
    audit_.record(
        {pay->user, "", ""},
        {"invoice.payment_refused", std::nullopt, d->org_id, d->company_id,
         json{{"number", d->number}, {"provider", provider}, {"status", d->status}}.dump()});
    tx.commit();
    return fail(Error::conflict("errors.payments.not_payable"));
  }
  repo_.setStatus(pay->id, "paid", now, now);
  auto old = d->status;
  d->paid += pay->amount.minor;
  d->status = d->paid >= d->total ? "paid" : "partially_paid";
  d->updated_at = now;
  documents_.update(*d);
  if (d->status != old) documents_.insertChange(*d, pay->user, "status", old, d->status, now);
  json data = {{"invoice_id", d->id.value},
               {"number", d->number},
               {"external_id", d->external_id ? json(*d->external_id) : json(nullptr)},
               {"payment_id", pay->id},
               {"provider", provider},
               {"provider_ref", provider_ref},
               {"amount", core::amountText(pay->amount.minor, pay->amount.currency)},
               {"currency", pay->amount.currency},
               {"status", d->status},
               {"paid_at", core::rfc3339(now)}};
  events_.record({d->org_id, "invoice.paid", d->company_id, "invoice", d->id.value, data.dump()});
  audit_.record({pay->user, "", ""}, {"invoice.paid", std::nullopt, d->org_id, d->company_id,
                                      json{{"number", d->number}, {"provider", provider}}.dump()});
  tx.commit();
  return {};
}

core::Status PaymentService::cancel(const std::string& provider, const std::string& provider_ref) {
  return end(provider, provider_ref, "cancelled");
}

core::Status PaymentService::end(const std::string& provider, const std::string& provider_ref,
                                 const std::string& status) {
  storage::Transaction tx(repo_.conn());
  auto pay = repo_.findByRef(provider, provider_ref);
  if (!pay) return fail(Error::notFound("errors.payments.no_such_payment"));
  if (pay->status != "open") return fail(Error::conflict("errors.payments.not_open"));
  repo_.setStatus(pay->id, status, std::nullopt, clock_.now());
  tx.commit();
  return {};
}

core::Status PaymentService::settle(const std::string& provider_ref, CheckoutState state,
                                    const std::string& event_id) {
  std::string provider(provider_->name());
  switch (state) {
    case CheckoutState::Paid:
      return complete(provider, provider_ref, event_id);
    case CheckoutState::Expired:
      return end(provider, provider_ref, "cancelled");
    case CheckoutState::Failed:
      return end(provider, provider_ref, "failed");
    case CheckoutState::Open:
      break;
  }
  return {};
}

core::Status PaymentService::webhook(std::string_view signature, std::string_view body) {
  auto event = provider_->webhook(signature, body, clock_.now());
  if (!event) return fail(event.error());
  if (event->provider_ref.empty()) return {};  // not about a checkout
  auto done = settle(event->provider_ref, event->state, event->id);
  if (!done && (done.error().code == core::ErrorCode::NotFound ||
                done.error().code == core::ErrorCode::Conflict)) {
    return {};  // another system's checkout, or one settled already (or refused, and audited)
  }
  return done;
}

void PaymentService::endOpenCheckout(core::DocumentId invoice) {
  auto pay = repo_.open(invoice);
  if (!pay || pay->provider_ref.empty() || pay->provider != provider_->name()) return;
  closeLater(pay->provider_ref);
}

void PaymentService::closeLater(const std::string& provider_ref) {
  jobs_.enqueue(kCloseCheckoutJob, json{{"provider_ref", provider_ref}}.dump(),
                closeCheckoutPolicy());
}

jobs::Outcome PaymentService::closeCheckout(const jobs::Job& job) {
  auto j = json::parse(job.payload, nullptr, false);
  if (!j.is_object() || !j.contains("provider_ref") || !j["provider_ref"].is_string()) {
    return jobs::Outcome::failed("not a checkout to close");
  }
  if (auto s = provider_->close(j["provider_ref"].get<std::string>()); !s) {
    return jobs::Outcome::retry("the payment provider could not be reached");
  }
  return jobs::Outcome::done();
}

int PaymentService::reconcile(int limit) {
  auto now = clock_.now();
  auto open = repo_.openUntouched(std::string(provider_->name()), now - kReconcileAfterS, limit);
  int changed = 0, unanswered = 0;
  for (const auto& pay : open) {
    if (pay.provider_ref.empty()) {  // the checkout never opened: nothing can be paid through it
      storage::Transaction tx(repo_.conn());
      repo_.setStatus(pay.id, "failed", std::nullopt, now);
      tx.commit();
      ++changed;
      continue;
    }
    auto state = provider_->poll(pay, now);
    if (!state) {
      // Not answered about this one: to the back of the queue, so it blocks no other. Long past
      // any checkout's life it is failed (a payment made through it after all is still recorded
      // when its event comes: complete()). A provider away answers nothing: stop.
      if (now - pay.created_at > kGiveUpAfterS) {
        storage::Transaction tx(repo_.conn());
        repo_.setStatus(pay.id, "failed", std::nullopt, now);
        tx.commit();
        ++changed;
      } else {
        repo_.touch(pay.id, clock_.now());
      }
      if (++unanswered >= 3) break;
      continue;
    }
    if (*state == CheckoutState::Open) {
      repo_.touch(pay.id, clock_.now());
      continue;
    }
    if (settle(pay.provider_ref, *state, "reconcile:" + pay.provider_ref)) ++changed;
  }
  return changed;
}

core::Result<Payment> PaymentService::demoCheckout(const identity::Principal& p,
                                                   const std::string& token) {
  auto pay = repo_.findByRef("demo", token);
  if (!pay || pay->user != p.user.id)
    return fail(Error::notFound("errors.payments.no_such_payment"));
  return *pay;
}

}  // namespace portico::documents
