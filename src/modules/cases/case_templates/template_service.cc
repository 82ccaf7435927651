#include "modules/cases/case_templates/template_service.h"

#include <nlohmann/json.hpp>

namespace portico::cases {
namespace {

using core::Error;
using core::fail;

Error noSuchTemplate() { return Error::notFound("errors.templates.no_such_template"); }

}  // namespace

core::Result<access::StaffRole> TemplateService::inbox(const identity::Principal& p) {
  auto staff = policy_.staff(p);
  if (!staff || !access::Policy::staffMay(*staff, access::StaffCapability::Templates)) {
    return fail(noSuchTemplate());
  }
  return *staff;
}

bool TemplateService::available(const identity::Principal& p) {
  return static_cast<bool>(inbox(p));
}

core::Result<std::vector<std::pair<std::int64_t, std::string>>> TemplateService::categories(
    const identity::Principal& p) {
  auto staff = inbox(p);
  if (!staff) return fail(staff.error());
  return cases_repo_.categories(staff->org_id);
}

bool TemplateService::mayChange(const identity::Principal& p, const CaseTemplate& t) {
  if (t.owner && t.owner->id == p.user.id) return true;
  auto staff = policy_.staff(p);
  return t.shared && staff && staff->org_id == t.org_id && staff->role == "admin";
}

core::Result<std::vector<CaseTemplate>> TemplateService::list(const identity::Principal& p,
                                                              std::optional<TemplateKind> kind) {
  auto staff = inbox(p);
  if (!staff) return fail(staff.error());
  return repo_.list(staff->org_id, p.user.id, kind);
}

core::Result<CaseTemplate> TemplateService::find(const identity::Principal& p, std::int64_t id) {
  auto staff = inbox(p);
  if (!staff) return fail(staff.error());
  auto t = repo_.find(staff->org_id, id);
  if (!t || (!t->shared && (!t->owner || t->owner->id != p.user.id))) {
    return fail(noSuchTemplate());
  }
  return *t;
}

core::Result<CaseTemplate> TemplateService::checked(core::OrgId org, const TemplateInput& in) {
  CaseTemplate t;
  t.org_id = org;
  t.kind = in.kind;
  t.name = in.name;
  t.body = in.body;
  t.shared = in.shared;
  if (in.kind == TemplateKind::Reply) {
    if (!in.subject.empty())
      return fail(Error::invalid("errors.templates.reply_fields", "subject"));
    if (in.priority) return fail(Error::invalid("errors.templates.reply_fields", "priority"));
    if (in.category_id) return fail(Error::invalid("errors.templates.reply_fields", "category_id"));
    return t;
  }
  if (in.subject.empty())
    return fail(Error::invalid("errors.templates.subject_required", "subject"));
  t.subject = in.subject;
  if (in.priority && !isPriority(*in.priority)) {
    return fail(Error::invalid("errors.cases.bad_priority", "priority"));
  }
  t.priority = in.priority;
  if (in.category_id) {
    auto name = cases_repo_.categoryOfOrg(*in.category_id, org);
    if (!name) return fail(Error::invalid("errors.cases.bad_category", "category_id"));
    t.category_id = in.category_id;
    t.category_name = *name;
  }
  return t;
}

core::Result<CaseTemplate> TemplateService::create(const identity::Principal& p,
                                                   const TemplateInput& in,
                                                   const audit::Actor& actor) {
  auto staff = inbox(p);
  if (!staff) return fail(staff.error());
  auto t = checked(staff->org_id, in);
  if (!t) return t;
  t->owner = cases_repo_.person(p.user.id);
  t->created_at = t->updated_at = clock_.now();
  storage::Transaction tx(repo_.conn());
  t->id = repo_.insert(*t);
  record(actor, "case_template.created", *t);
  tx.commit();
  return t;
}

core::Result<CaseTemplate> TemplateService::update(const identity::Principal& p, std::int64_t id,
                                                   const TemplateInput& in,
                                                   const audit::Actor& actor) {
  auto existing = find(p, id);
  if (!existing) return existing;
  if (!mayChange(p, *existing)) return fail(Error::forbidden("errors.templates.not_yours"));
  bool owner = existing->owner && existing->owner->id == p.user.id;
  auto t = checked(existing->org_id, in);
  if (!t) return t;
  t->id = existing->id;
  t->owner = existing->owner;
  t->created_at = existing->created_at;
  t->updated_at = clock_.now();
  if (!owner && !t->shared) {
    // Only its owner may take a template out of sharing.
    return fail(Error::forbidden("errors.templates.not_yours"));
  }
  storage::Transaction tx(repo_.conn());
  repo_.update(*t);
  record(actor, "case_template.updated", *t);
  tx.commit();
  return t;
}

core::Status TemplateService::remove(const identity::Principal& p, std::int64_t id,
                                     const audit::Actor& actor) {
  auto existing = find(p, id);
  if (!existing) return fail(existing.error());
  if (!mayChange(p, *existing)) return fail(Error::forbidden("errors.templates.not_yours"));
  storage::Transaction tx(repo_.conn());
  repo_.remove(existing->org_id, existing->id);
  record(actor, "case_template.deleted", *existing);
  tx.commit();
  return {};
}

core::Result<std::string> TemplateService::reply(const identity::Principal& p, std::int64_t id,
                                                 core::CaseId case_id) {
  auto t = find(p, id);
  if (!t) return fail(t.error());
  if (t->kind != TemplateKind::Reply) {
    return fail(Error::invalid("errors.templates.not_a_reply", "template_id"));
  }
  auto seen = cases_.find(p, case_id);
  if (!seen) return fail(seen.error());
  if (seen->side != Side::Staff) return fail(noSuchTemplate());
  return fillTemplate(t->body, seen->detail.item, cases_repo_.person(p.user.id));
}

void TemplateService::record(const audit::Actor& actor, const std::string& event,
                             const CaseTemplate& t) {
  nlohmann::json detail = {{"id", t.id}, {"kind", templateKindName(t.kind)}, {"name", t.name}};
  audit_.record(actor, {event, std::nullopt, t.org_id, std::nullopt, detail.dump()});
}

}  // namespace portico::cases
