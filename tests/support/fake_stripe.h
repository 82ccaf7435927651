#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/webhook_receiver.h"

namespace portico::testing {

// A stand-in for Stripe's API on 127.0.0.1, for tests of the stripe payment provider. It speaks
// the documented calls the portal makes: POST /v1/checkout/sessions (form-encoded; the secret key
// as bearer; an Idempotency-Key sent again answers the session it made, with other parameters
// 400 idempotency_error), GET /v1/checkout/sessions/{id} and POST …/{id}/expire (400 for a
// session that is not open); other paths 404, a wrong key 401,
// a session without its required parameters 400, each answered with Stripe's error object. As
// Stripe does, it makes the events of a session and signs them for the portal's webhook (HMAC-
// SHA256 through OpenSSL, not the portal's own code).
class FakeStripe {
 public:
  static constexpr const char* kSecretKey = "sk_test_portico_fake";
  static constexpr const char* kWebhookSecret = "whsec_portico_fake_endpoint";

  struct Session {
    std::string id;
    std::string url;
    std::string status = "open";              // open, complete, expired
    std::string payment_status = "unpaid";    // unpaid, paid
    std::map<std::string, std::string> form;  // the parameters it was created with
    std::string idempotency_key;
  };

  FakeStripe();
  std::string apiUrl() const { return server_.url(""); }
  // The sessions made, oldest first.
  std::vector<Session> sessions() const;
  // Every call received (the retried ones too).
  std::vector<WebhookReceiver::Request> calls() const { return server_.requests(); }
  // What the payer's checkout does to a session.
  void setState(const std::string& id, const std::string& status,
                const std::string& payment_status);
  // The next `n` calls get `status` (500: Stripe is having trouble) before any work; as Stripe
  // does, a 5xx answered to an Idempotency-Key is answered again to that key.
  void failNext(int n, int status = 500);
  // Runs before a session is made (what happens meanwhile elsewhere: the ERP's sync).
  void beforeCreate(std::function<void()> hook);
  // An event of `type` ("checkout.session.completed", …) about session `id` as it is now.
  std::string event(const std::string& event_id, const std::string& type,
                    const std::string& session_id) const;
  // The Stripe-Signature header of `body` sent at `t`, signed with `secret`.
  static std::string signature(const std::string& body, std::int64_t t,
                               const std::string& secret = kWebhookSecret);

 private:
  WebhookReceiver::Answer handle(const WebhookReceiver::Request& r);

  mutable std::mutex mutex_;
  std::vector<Session> sessions_;
  int fail_next_ = 0;
  int fail_status_ = 500;
  std::map<std::string, WebhookReceiver::Answer> saved_failures_;  // by idempotency key
  std::function<void()> before_create_;
  WebhookReceiver server_;  // last: it stops before the state it reads goes
};

}  // namespace portico::testing
