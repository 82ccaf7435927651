#pragma once

#include "identity/guard.h"
#include "identity/identity_service.h"

namespace portico::identity {

// The JSON API of identity (PRODUCT.md §6, auth rows): login, 2FA, logout, password reset,
// signup, the caller's profile (PATCH /api/v1/me; GET is the access layer's, with companies), the
// caller's notification preferences (GET and PUT /api/v1/me/notifications) and sessions.
void registerIdentityApi(GuardedRoutes& routes, IdentityService& identity);

// {"id","email","first_name","last_name","language"}, written directly (GET /api/v1/me is a hot
// path).
std::string userJson(const User& user);

}  // namespace portico::identity
