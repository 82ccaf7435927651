#pragma once

#include "identity/guard.h"
#include "identity/identity_service.h"

namespace portico::identity {

// The JSON API of identity (PRODUCT.md §6, auth rows): login, 2FA, logout, password reset,
// signup, the caller's profile and sessions.
void registerIdentityApi(GuardedRoutes& routes, IdentityService& identity);

// The JSON of GET /api/v1/me, written directly (a hot path).
std::string meJson(const Principal& p);

}  // namespace portico::identity
