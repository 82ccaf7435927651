#pragma once

#include "core/clock.h"
#include "identity/identity_service.h"
#include "identity/mail_history_repository.h"
#include "identity/secret_box.h"
#include "jobs/runner.h"
#include "notify/mailer.h"
#include "notify/sms.h"
#include "web/views.h"

namespace portico::identity {

// The handlers of the jobs that identity queues, on the job runner's threads: mail through the
// mailer, text messages through the SMS sender (a peer that is absent, slow or refuses is
// retried for two days; a message it can never take fails at once), and password-reset
// requests. `views` gives the English text of an error for operators. A mail the server took is
// marked sent in the e-mail history.
void registerDeliveries(jobs::Runner& runner, IdentityService& identity, const SecretBox& secrets,
                        notify::Mailer& mailer, notify::SmsSender& sms, const web::Views& views,
                        MailHistoryRepository& history, const core::Clock& clock);

}  // namespace portico::identity
