#pragma once

#include <memory>

#include "identity/guard.h"
#include "identity/identity_service.h"
#include "web/views.h"

namespace portico::identity {

// The web pages of identity: sign in, 2FA (enrolment with a QR code, code, recovery code, SMS),
// forgot and reset password, signup through a link, account and security. (The signed-in home,
// with the companies, is the access layer's.)
// Server-rendered; they work without JavaScript. The returned object holds the handlers' state:
// keep it for as long as the routes serve.
std::shared_ptr<void> registerIdentityPages(GuardedRoutes& routes, IdentityService& identity,
                                            const web::Views& views);

}  // namespace portico::identity
