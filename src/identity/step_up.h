#pragma once

#include "core/ids.h"
#include "core/result.h"
#include "identity/user.h"

namespace portico::identity {

// The step-up check that sensitive actions ask (paying, accepting a quote, revealing a
// credential, inviting, changing or removing someone's rights, changing a role or the payment
// details on invoices, turning step-up off): a second factor entered in the session in the last
// minutes. IdentityService implements it; services take this interface.
class StepUp {
 public:
  virtual ~StepUp() = default;
  // OK, or StepUpRequired (HTTP 403 {"error": {"code": "step_up_required"}}): the caller enters a
  // code (POST /api/v1/auth/step-up, or the pages' prompt) and tries again.
  virtual core::Status requireStepUp(const Principal& p, core::OrgId org) = 0;
};

}  // namespace portico::identity
