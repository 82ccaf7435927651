#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "modules/cases/case_service.h"
#include "modules/cases/case_templates/template_repository.h"

namespace portico::cases {

// The support inbox's templates: canned replies and case templates that the organization's
// staff write, use and share (access::StaffCapability::Templates: those who work the inbox, and
// content creators, who write them but answer no case). Each sees the shared templates of their
// organization and their own private ones; its owner changes or deletes a template, and the
// organization's admins a shared one too. To anyone else — customers, agents, other staff, another
// organization's staff — templates do not exist: every call is NotFound (seed: "Customers do not
// have access to templates"). Changes are audited (case_template.created / updated / deleted).
// Thread-safe.
class TemplateService {
 public:
  TemplateService(TemplateRepository& repo, CaseRepository& cases_repo, CaseService& cases,
                  access::Policy& policy, audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo),
        cases_repo_(cases_repo),
        cases_(cases),
        policy_(policy),
        audit_(audit),
        clock_(clock) {}

  // True if the caller has the organization's templates (StaffCapability::Templates).
  bool available(const identity::Principal& p);
  // The categories a case template may name (the caller's organization's): {id, name}.
  core::Result<std::vector<std::pair<std::int64_t, std::string>>> categories(
      const identity::Principal& p);
  // The templates the caller sees, of `kind` if given, by name.
  core::Result<std::vector<CaseTemplate>> list(const identity::Principal& p,
                                               std::optional<TemplateKind> kind);
  core::Result<CaseTemplate> find(const identity::Principal& p, std::int64_t id);
  // A new template owned by the caller. InvalidInput naming the field: a case template without a
  // subject, a priority or category that is not the organization's, a reply with case fields.
  core::Result<CaseTemplate> create(const identity::Principal& p, const TemplateInput& in,
                                    const audit::Actor& actor);
  // True if the caller may change or delete `t` (see update()).
  bool mayChange(const identity::Principal& p, const CaseTemplate& t);
  // Replaces every field; Forbidden unless the caller owns it or (a shared one) is an admin.
  core::Result<CaseTemplate> update(const identity::Principal& p, std::int64_t id,
                                    const TemplateInput& in, const audit::Actor& actor);
  core::Status remove(const identity::Principal& p, std::int64_t id, const audit::Actor& actor);
  // Reply template `id` filled in (fillTemplate) for case `case_id`, which the caller works from
  // the staff side: NotFound otherwise (the case as CaseService::find says, the template as
  // above); InvalidInput (template_id) for a case template.
  core::Result<std::string> reply(const identity::Principal& p, std::int64_t id,
                                  core::CaseId case_id);

 private:
  // The caller's staff role if they have templates; NotFound otherwise.
  core::Result<access::StaffRole> inbox(const identity::Principal& p);
  // `in` checked, as a template of `org`.
  core::Result<CaseTemplate> checked(core::OrgId org, const TemplateInput& in);
  void record(const audit::Actor& actor, const std::string& event, const CaseTemplate& t);

  TemplateRepository& repo_;
  CaseRepository& cases_repo_;
  CaseService& cases_;
  access::Policy& policy_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace portico::cases
