#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "modules/cases/case_templates/case_template.h"
#include "storage/db.h"

namespace portico::cases {

// The case_templates table. Named SQL only; who may see or change a template is the service's.
// Thread-safe: each thread uses its own connection.
class TemplateRepository {
 public:
  explicit TemplateRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // The organization's templates that `user` sees (the shared ones and their own), of `kind` if
  // given, by name.
  std::vector<CaseTemplate> list(core::OrgId org, core::UserId user,
                                 std::optional<TemplateKind> kind);
  // Template `id` of the organization.
  std::optional<CaseTemplate> find(core::OrgId org, std::int64_t id);
  std::int64_t insert(const CaseTemplate& t);
  // Writes every field a TemplateInput holds, and updated_at.
  void update(const CaseTemplate& t);
  void remove(core::OrgId org, std::int64_t id);

 private:
  storage::Db& db_;
};

}  // namespace portico::cases
