#pragma once

#include "access/policy.h"
#include "identity/identity_service.h"
#include "modules/cases/case.h"
#include "modules/cases/case_repository.h"

namespace portico::cases {

// Who hears of a change to a case by mail, and what they read (templates/mail/case_update.*).
// Each mail goes through IdentityService::notify as kind support.updates, so each recipient's
// preference is honoured; it is queued in the transaction of the change, written in the
// recipient's language, threaded per case ("case-<id>": every mail of a case is In-Reply-To the
// same root), and links to the case. Only people who may still see the case are mailed (a
// customer: support.view in its company and its site; staff: the organization's support staff),
// never the person who made the change, and never about an internal note. The mails stay out of
// the companies' e-mail history: only their recipients see them there.
class CaseNotifier {
 public:
  CaseNotifier(CaseRepository& repo, access::Policy& policy) : repo_(repo), policy_(policy) {}
  // Until set, nothing is mailed (REQUIRES: set before serving).
  void setIdentity(identity::IdentityService* identity) { identity_ = identity; }

  // A new case: the organization's support address (SupportSettings::support_email, none when
  // empty) with the case's description (templates/mail/case_new.*, in the deployment's default
  // language, threaded with the case's later mails), and its assignee, if it has one.
  void opened(const Case& c, core::UserId actor, const std::string& support_address);
  // A public comment: the company's people who follow the case (its requester and participants)
  // and, when one of them wrote it, the assignee.
  void commented(const Case& c, const Comment& m, std::size_t files);
  // A status that staff changed: the people who follow the case.
  void statusChanged(const Case& c, core::UserId actor);
  // The case's new assignee.
  void assigned(const Case& c, core::UserId actor);

 private:
  // The people of the company who follow `c` and may still see it, `actor` aside.
  std::vector<core::UserId> followers(const Case& c, core::UserId actor);
  // The assignee, if they are still one of the organization's support staff and not `actor`.
  std::optional<core::UserId> assignee(const Case& c, core::UserId actor);
  void send(core::UserId to, const Case& c, nlohmann::json vars);

  CaseRepository& repo_;
  access::Policy& policy_;
  identity::IdentityService* identity_ = nullptr;
};

}  // namespace portico::cases
