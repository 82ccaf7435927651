#include "identity/deliveries.h"

#include <nlohmann/json.hpp>

namespace portico::identity {
namespace {

// The sealed JSON object of a job, or nullopt.
std::optional<nlohmann::json> opened(const SecretBox& secrets, const jobs::Job& job) {
  auto plain = secrets.open(job.payload);
  if (!plain) return std::nullopt;
  auto j = nlohmann::json::parse(*plain, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

jobs::Outcome outcomeOf(const core::Status& sent, const web::Views& views) {
  if (sent) return jobs::Outcome::done();
  auto text = views.message("en", sent.error());
  // A message the peer can never take (a header injection, a malformed number) is not retried.
  if (sent.error().code == core::ErrorCode::InvalidInput) return jobs::Outcome::failed(text);
  return jobs::Outcome::retry(text);
}

}  // namespace

void registerDeliveries(jobs::Runner& runner, IdentityService& identity, const SecretBox& secrets,
                        notify::Mailer& mailer, notify::SmsSender& sms, const web::Views& views,
                        MailHistoryRepository& history, const core::Clock& clock) {
  runner.handle(
      std::string(kMailJob), [&secrets, &mailer, &views, &history, &clock](const jobs::Job& job) {
        auto j = opened(secrets, job);
        if (!j) return jobs::Outcome::failed("the mail's payload cannot be opened with this key");
        notify::MailMessage m{j->value("to", ""), j->value("subject", ""), j->value("text", ""),
                              j->value("html", ""), j->value("thread", "")};
        auto outcome = outcomeOf(mailer.send(m), views);
        if (outcome.kind == jobs::Outcome::Kind::Done) history.markSent(job.id, clock.now());
        return outcome;
      });
  runner.handle(std::string(kSmsJob), [&secrets, &sms, &views](const jobs::Job& job) {
    auto j = opened(secrets, job);
    if (!j)
      return jobs::Outcome::failed("the text message's payload cannot be opened with this key");
    return outcomeOf(sms.send(j->value("to", ""), j->value("text", "")), views);
  });
  runner.handle(std::string(kPasswordResetJob), [&identity](const jobs::Job& job) {
    auto request = identity.openPasswordResetJob(job.payload);
    if (!request) return jobs::Outcome::failed("the reset request's payload cannot be opened");
    identity.deliverPasswordReset(request->first, request->second);
    return jobs::Outcome::done();
  });
}

}  // namespace portico::identity
