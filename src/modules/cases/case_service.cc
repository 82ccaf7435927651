#include "modules/cases/case_service.h"

#include <algorithm>

#include "core/text.h"
#include "http/content_sniff.h"
#include "modules/cases/case_json.h"
#include "modules/cases/support_settings/service_level.h"
#include "storage/db.h"

namespace portico::cases {
namespace {

using access::Basis;
using access::CompanyAccess;
using access::Permission;
using core::Error;
using core::fail;

// True if the staff member works the support inbox.
bool staffWorksInbox(const std::optional<access::StaffRole>& s) {
  return s && access::Policy::staffMay(*s, access::StaffCapability::Support);
}

// True if the caller opens and answers cases in the company (agents only read).
bool opensCases(const CompanyAccess& a) {
  return a.can(Permission::SupportOpen) && a.basis != Basis::Agent;
}

std::optional<std::int64_t> idOfPerson(const std::optional<Person>& p) {
  if (!p) return std::nullopt;
  return p->id.value;
}

}  // namespace

core::Result<CasePage> CaseService::list(const identity::Principal& p, const CaseFilter& filter) {
  CaseScope scope;
  scope.user = p.user.id;
  bool any = false;
  auto staff = policy_.staff(p);
  bool inbox = staffWorksInbox(staff);
  // The service levels and the assignees are the inbox's, not the customers' (nor those of staff
  // who see the records without working the inbox).
  if (!inbox) {
    if (filter.sort == Sort::Due) {
      return fail(Error::invalid("errors.cases.staff_only_filter", "sort"));
    }
    if (filter.assignee) {
      return fail(Error::invalid("errors.cases.staff_only_filter", "assignee_id"));
    }
    if (filter.breached) return fail(Error::invalid("errors.cases.staff_only_filter", "breached"));
  }
  if (staff && access::Policy::staffSeesRecords(*staff)) {
    if (filter.company) {
      auto a = policy_.company(p, *filter.company);
      if (!a || a->basis != Basis::Staff) {
        return fail(Error::notFound("errors.cases.no_such_company"));
      }
    }
    scope.org = staff->org_id;
    scope.now = clock_.now();
    if (staff->role == "department_admin") scope.departments = staff->departments;
    any = true;
  } else {
    bool found = !filter.company;
    for (const auto& a : policy_.memberships(p)) {
      if (!a.can(Permission::SupportView)) continue;
      if (filter.company && a.company.id != *filter.company) continue;
      found = true;
      auto& companies = a.own_records_only ? scope.own_companies : scope.companies;
      auto& sites = a.own_records_only ? scope.own_sites : scope.sites;
      if (a.all_sites) {
        companies.push_back(a.company.id.value);
      } else {
        sites.insert(sites.end(), a.sites.begin(), a.sites.end());
      }
      any = true;
    }
    if (!found) return fail(Error::notFound("errors.cases.no_such_company"));
  }
  if (filter.query.size() > kMaxSearchQuery) {
    return fail(Error::invalid("errors.cases.query_too_long", "q")
                    .with("max", std::to_string(kMaxSearchQuery)));
  }
  // A query of no words (punctuation only) finds nothing.
  if (!filter.query.empty() && searchWords(filter.query).empty()) any = false;
  CasePage page;
  std::vector<std::pair<std::string, std::int64_t>> counted;
  if (any) {
    page.items = repo_.list(scope, filter);
    if (static_cast<int>(page.items.size()) > filter.limit) {
      page.items.pop_back();
      page.next_cursor = cursorText(filter.sort, cursorAfter(filter.sort, page.items.back()));
    }
    counted = repo_.counts(scope, filter);
    if (scope.org && inbox && !page.items.empty()) {
      auto settings = settings_.load(*scope.org);
      for (auto& c : page.items) c.service_level = serviceLevel(c, settings, scope.now);
    }
  }
  for (auto s : kStatuses) {
    std::int64_t n = 0;
    for (const auto& [name, count] : counted) {
      if (name == statusName(s)) n = count;
    }
    page.counts.emplace_back(s, n);
  }
  return page;
}

std::optional<Seen> CaseService::standing(const identity::Principal& p, const Case& c) {
  auto a = policy_.company(p, c.company_id);
  if (!a) return std::nullopt;
  Seen seen;
  if (a->basis == Basis::Staff && staffWorksInbox(policy_.staff(p))) {
    seen.side = Side::Staff;
    seen.may_answer = true;
    return seen;
  }
  if (!a->can(Permission::SupportView)) return std::nullopt;
  if (c.site_id ? !a->seesSite(*c.site_id) : !a->all_sites) return std::nullopt;
  if (a->own_records_only) {
    bool own = c.requester && c.requester->id == p.user.id;
    if (!own && !repo_.isParticipant(c.id, p.user.id)) return std::nullopt;
  }
  seen.side = Side::Customer;
  seen.may_answer = opensCases(*a);
  return seen;
}

CaseDetail CaseService::detail(const Case& c, Side side) {
  CaseDetail d;
  d.item = c;
  if (side == Side::Staff) {
    d.item.service_level = serviceLevel(c, settings_.load(c.org_id), clock_.now());
  }
  d.participants = repo_.participants(c.id);
  d.comments = repo_.comments(c.id, side == Side::Staff);
  d.changes = repo_.changes(c.id);
  d.attachments = repo_.attachments(c.id, side == Side::Staff);
  return d;
}

core::Result<CaseService::Visible> CaseService::visible(const identity::Principal& p,
                                                        core::CaseId id) {
  auto c = repo_.find(id);
  std::optional<Seen> seen;
  if (c) seen = standing(p, *c);
  if (!seen) return fail(Error::notFound("errors.cases.no_such_case"));
  return Visible{std::move(*c), std::move(*seen)};
}

core::Result<CaseService::Visible> CaseService::answerable(const identity::Principal& p,
                                                           core::CaseId id, bool internal) {
  auto v = visible(p, id);
  if (!v) return v;
  if (!v->seen.may_answer) return fail(Error::forbidden("errors.cases.may_not_answer"));
  if (internal && v->seen.side != Side::Staff) {
    return fail(Error::forbidden("errors.cases.notes_are_for_staff"));
  }
  return v;
}

core::Result<Seen> CaseService::find(const identity::Principal& p, core::CaseId id) {
  auto v = visible(p, id);
  if (!v) return fail(v.error());
  v->seen.detail = detail(v->item, v->seen.side);
  return std::move(v->seen);
}

std::optional<CaseRepository::DeviceRef> CaseService::deviceFor(const identity::Principal& p,
                                                                core::CompanyId company,
                                                                std::int64_t device) {
  auto d = repo_.device(device, company);
  // Seen as the devices' pages see it: services.view there, and its site in scope.
  if (!d || !policy_.recordAccess(p, Permission::ServicesView, company, d->site, std::nullopt,
                                  access::OwnRecords::None)) {
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> CaseService::deviceName(const identity::Principal& p,
                                                   core::CompanyId company, std::int64_t device) {
  auto a = policy_.company(p, company);
  if (!a || !a->can(Permission::SupportView)) return std::nullopt;
  auto d = deviceFor(p, company, device);
  if (!d) return std::nullopt;
  return d->name;
}

core::Result<Seen> CaseService::open(const identity::Principal& p, const NewCase& nc,
                                     const std::vector<Upload>& files) {
  auto a = policy_.company(p, nc.company_id);
  if (!a || !a->can(Permission::SupportView)) {
    return fail(Error::notFound("errors.cases.no_such_company"));
  }
  if (!opensCases(*a)) {
    return fail(Error::forbidden("errors.cases.may_not_open"));
  }
  if (!isPriority(nc.priority)) {
    return fail(Error::invalid("errors.cases.bad_priority", "priority"));
  }
  Case c;
  c.org_id = a->company.org_id;
  c.company_id = a->company.id;
  c.company_name = a->company.name;
  c.subject = nc.subject;
  c.description = nc.description;
  c.priority = nc.priority;
  auto site = nc.site_id;
  if (nc.device_id) {
    // A device of the company that the caller sees; the case is at the device's site unless it
    // names another.
    auto device = deviceFor(p, c.company_id, *nc.device_id);
    if (!device) return fail(Error::invalid("errors.cases.bad_device", "device_id"));
    c.device_id = nc.device_id;
    if (!site) site = device->site;
  }
  if (site) {
    if (!repo_.siteOfCompany(*site, c.company_id) || !a->seesSite(*site)) {
      return fail(Error::invalid("errors.cases.bad_site", "site_id"));
    }
    c.site_id = site;
  } else if (!a->all_sites) {
    return fail(Error::invalid("errors.cases.site_required", "site_id"));
  }
  if (nc.category_id) {
    auto name = repo_.categoryOfOrg(*nc.category_id, c.org_id);
    if (!name) return fail(Error::invalid("errors.cases.bad_category", "category_id"));
    c.category_id = nc.category_id;
    c.category_name = *name;
  }
  auto checked = checkUploads(files);
  if (!checked) return fail(checked.error());
  c.requester = repo_.person(p.user.id);
  c.created_at = c.updated_at = clock_.now();
  // The opener's standing (staff of the inbox open cases for a customer too).
  bool by_staff = a->basis == Basis::Staff && staffWorksInbox(policy_.staff(p));
  storage::Transaction tx(repo_.conn());
  c.number = repo_.nextNumber(c.org_id);
  c.id = repo_.insert(c);
  auto settings = store(c, Status::New, false, c.created_at);
  storeAttachments(c, std::move(*checked), files, std::nullopt, p, by_staff, false, c.created_at);
  repo_.indexForSearch(c.id);
  recordEvent(c, "case.created", caseEventData(c));
  notifier_.opened(c, p.user.id, settings.support_email);
  tx.commit();
  Seen seen = standing(p, c).value_or(Seen{{}, Side::Customer, true});
  seen.detail = detail(c, seen.side);
  return seen;
}

core::Result<Commented> CaseService::comment(const identity::Principal& p, core::CaseId id,
                                             const std::string& body, bool internal,
                                             const std::vector<Upload>& files) {
  auto v = answerable(p, id, internal);
  if (!v) return fail(v.error());
  const auto* c = &v->item;
  bool staff = v->seen.side == Side::Staff;
  auto checked = checkUploads(files);
  if (!checked) return fail(checked.error());
  auto now = clock_.now();
  Commented out;
  storage::Transaction tx(repo_.conn());
  Case target = *c;
  auto from = c->status;
  if (!staff && c->status == Status::Closed) {
    // A closed case stays closed: the comment starts a new case that follows it.
    target.follows_case_id = c->id;
    target.status = Status::New;
    target.requester = repo_.person(p.user.id);
    target.assignee.reset();
    target.resolved_at.reset();
    target.closed_at.reset();
    target.external_id.reset();
    target.clock = {};
    target.rating.reset();
    from = Status::New;
    target.created_at = target.updated_at = now;
    target.number = repo_.nextNumber(target.org_id);
    target.id = repo_.insert(target);
    out.opened_number = target.number;
    recordEvent(target, "case.created", caseEventData(target));
  } else if (!internal) {
    if (!staff && (isWaiting(c->status) || c->status == Status::Resolved)) {
      changeStatus(target, Status::Open, p.user.id, now);
    } else if (staff && c->status == Status::New) {
      changeStatus(target, Status::Open, p.user.id, now);
    }
  }
  Comment m;
  m.case_id = target.id;
  m.author = repo_.person(p.user.id);
  m.by_staff = staff;
  m.internal = internal;
  m.body = body;
  m.created_at = now;
  m.id = repo_.insertComment(m, target.company_id);
  out.attachments =
      storeAttachments(target, std::move(*checked), files, m.id, p, staff, internal, now);
  bool requester = target.requester && target.requester->id == p.user.id;
  if (!staff && !requester) repo_.addParticipant(target.id, p.user.id, target.company_id);
  target.updated_at = now;
  store(target, from, staff && !internal, now);
  repo_.indexForSearch(target.id);
  if (!internal) {
    recordEvent(target, "case.commented", commentEventData(target, m, out.attachments));
    notifier_.commented(target, m, out.attachments.size());
  }
  tx.commit();
  out.comment = std::move(m);
  out.case_id = target.id;
  return out;
}

core::Result<Seen> CaseService::update(const identity::Principal& p, core::CaseId id,
                                       const CaseUpdate& u) {
  auto v = answerable(p, id, false);
  if (!v) return fail(v.error());
  const auto* c = &v->item;
  auto* seen = &v->seen;
  bool staff = seen->side == Side::Staff;
  if (!staff && (u.priority || u.assignee)) {
    return fail(Error::forbidden("errors.cases.staff_only_change"));
  }
  if (u.priority && !isPriority(*u.priority)) {
    return fail(Error::invalid("errors.cases.bad_priority", "priority"));
  }
  std::optional<Person> assignee;
  if (u.assignee && *u.assignee) {
    assignee = repo_.assignableStaff(c->org_id, **u.assignee);
    if (!assignee) return fail(Error::invalid("errors.cases.bad_assignee", "assignee_id"));
  }
  if (u.status && !staff && *u.status != c->status) {
    bool closing = *u.status == Status::Closed;
    bool reopening =
        *u.status == Status::Open && (isWaiting(c->status) || c->status == Status::Resolved);
    if (c->status == Status::Closed) return fail(Error::conflict("errors.cases.closed_is_final"));
    if (!closing && !reopening) return fail(Error::conflict("errors.cases.customer_status"));
  }
  auto now = clock_.now();
  Case next = *c;
  storage::Transaction tx(repo_.conn());
  bool changed = false;
  bool status_changed = false, reassigned = false;
  if (u.status && *u.status != c->status) {
    changeStatus(next, *u.status, p.user.id, now);
    changed = status_changed = true;
  }
  if (u.priority && *u.priority != c->priority) {
    repo_.insertChange(c->id, c->company_id, p.user.id, "priority", c->priority, *u.priority, now);
    next.priority = *u.priority;
    changed = true;
  }
  if (u.assignee) {
    auto before = c->assignee ? std::optional<std::int64_t>(c->assignee->id.value) : std::nullopt;
    auto after = assignee ? std::optional<std::int64_t>(assignee->id.value) : std::nullopt;
    if (before != after) {
      auto text = [](const std::optional<Person>& who) -> std::optional<std::string> {
        if (!who) return std::nullopt;
        return who->email;
      };
      repo_.insertChange(c->id, c->company_id, p.user.id, "assignee", text(c->assignee),
                         text(assignee), now);
      next.assignee = assignee;
      changed = reassigned = true;
    }
  }
  if (changed) {
    next.updated_at = now;
    store(next, c->status, false, now);
  }
  if (status_changed && staff) notifier_.statusChanged(next, p.user.id);
  if (reassigned) notifier_.assigned(next, p.user.id);
  tx.commit();
  seen->detail = detail(next, seen->side);
  return std::move(*seen);
}

core::Result<Seen> CaseService::rate(const identity::Principal& p, core::CaseId id, int stars,
                                     const std::string& comment) {
  auto v = visible(p, id);
  if (!v) return fail(v.error());
  const auto& c = v->item;
  if (!c.requester || c.requester->id != p.user.id || v->seen.side == Side::Staff) {
    return fail(Error::forbidden("errors.cases.rating_is_the_requesters"));
  }
  if (stars < 1 || stars > 5) return fail(Error::invalid("errors.cases.bad_rating", "stars"));
  if (comment.size() > kMaxRatingComment || !core::isCleanUtf8(comment, true)) {
    return fail(Error::invalid("errors.cases.bad_rating_comment", "comment")
                    .with("max", std::to_string(kMaxRatingComment)));
  }
  if (c.status != Status::Resolved && c.status != Status::Closed) {
    return fail(Error::conflict("errors.cases.rate_when_resolved"));
  }
  Case next = c;
  next.rating = Rating{stars, comment, clock_.now()};
  storage::Transaction tx(repo_.conn());
  if (!repo_.rate(c.id, *next.rating)) return fail(Error::conflict("errors.cases.rated_already"));
  tx.commit();
  v->seen.detail = detail(next, v->seen.side);
  return std::move(v->seen);
}

bool CaseService::worksInbox(const identity::Principal& p) {
  return staffWorksInbox(policy_.staff(p));
}

core::Result<Attachment> CaseService::attach(const identity::Principal& p, core::CaseId id,
                                             const Upload& file, bool internal) {
  auto v = answerable(p, id, internal);
  if (!v) return fail(v.error());
  const auto* c = &v->item;
  bool staff = v->seen.side == Side::Staff;
  if (!staff && c->status == Status::Closed) {
    return fail(Error::conflict("errors.cases.closed_is_final"));
  }
  std::vector<Upload> files{file};
  auto checked = checkUploads(files);
  if (!checked) return fail(checked.error());
  auto now = clock_.now();
  storage::Transaction tx(repo_.conn());
  auto stored =
      storeAttachments(*c, std::move(*checked), files, std::nullopt, p, staff, internal, now);
  Case next = *c;
  next.updated_at = now;
  store(next, c->status, false, now);
  tx.commit();
  return std::move(stored.front());
}

core::Result<Download> CaseService::download(const identity::Principal& p, core::CaseId id,
                                             std::int64_t attachment_id) {
  auto v = visible(p, id);
  std::optional<Attachment> a;
  if (v) a = repo_.attachment(id, attachment_id);
  if (a && a->internal && v->seen.side != Side::Staff) a.reset();
  std::optional<std::string> data;
  if (a) data = files_.read(v->item.org_id, a->file_id);
  if (!data) return fail(Error::notFound("errors.cases.no_such_attachment"));
  return Download{std::move(*a), std::move(*data)};
}

core::Result<std::vector<Attachment>> CaseService::checkUploads(const std::vector<Upload>& files) {
  std::vector<Attachment> out;
  for (const auto& f : files) {
    if (f.data.empty()) {
      return fail(Error::invalid("errors.cases.file_empty", "file").with("name", f.filename));
    }
    auto type = http::sniffContentType(f.data, f.filename);
    if (!type) {
      auto e = Error::unsupportedMediaType("errors.cases.file_type").with("name", f.filename);
      e.field = "file";
      return fail(std::move(e));
    }
    Attachment a;
    a.name = http::safeFileName(f.filename, *type);
    a.content_type = type->mime;
    a.size = static_cast<std::int64_t>(f.data.size());
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Attachment> CaseService::storeAttachments(const Case& c,
                                                      std::vector<Attachment> checked,
                                                      const std::vector<Upload>& files,
                                                      std::optional<std::int64_t> comment_id,
                                                      const identity::Principal& p, bool by_staff,
                                                      bool internal, std::int64_t now) {
  auto uploader = checked.empty() ? std::nullopt : repo_.person(p.user.id);
  for (std::size_t i = 0; i < checked.size(); ++i) {
    auto& a = checked[i];
    auto stored = files_.put(c.org_id, files[i].data, now);
    a.case_id = c.id;
    a.comment_id = comment_id;
    a.file_id = stored.id;
    a.sha256 = stored.sha256;
    a.uploader = uploader;
    a.by_staff = by_staff;
    a.internal = internal;
    a.created_at = now;
    a.id = repo_.insertAttachment(a, c.company_id);
  }
  return checked;
}

void CaseService::changeStatus(Case& c, Status to, std::optional<core::UserId> actor,
                               std::int64_t now) {
  auto from = c.status;
  setStatus(c, to, actor, now);
  recordEvent(c, "case.status_changed", statusEventData(c, from));
}

void CaseService::setStatus(Case& c, Status to, std::optional<core::UserId> actor,
                            std::int64_t now) {
  auto from = c.status;
  repo_.insertChange(c.id, c.company_id, actor, "status", std::string(statusName(from)),
                     std::string(statusName(to)), now);
  c.status = to;
  c.updated_at = now;
  if (to == Status::Resolved) {
    c.resolved_at = now;
  } else if (to != Status::Closed) {
    c.resolved_at.reset();
  }
  if (to == Status::Closed) {
    c.closed_at = now;
  } else {
    c.closed_at.reset();
  }
}

core::Result<CaseUpserted> CaseService::upsert(const access::Company& company,
                                               const CaseUpsert& u) {
  auto now = clock_.now();
  auto existing = repo_.findByExternalId(company.org_id, u.external_id);
  if (existing && existing->company_id != company.id) {
    auto e = Error::conflict("errors.integration.company_fixed");
    e.field = "company_external_id";
    return fail(std::move(e));
  }
  Case c = existing.value_or(Case{});
  if (!existing) {
    c.org_id = company.org_id;
    c.company_id = company.id;
    c.external_id = u.external_id;
    c.created_at = now;
  }
  c.company_name = company.name;
  c.subject = u.subject;
  if (u.description) c.description = *u.description;
  if (u.site_external_id) {
    c.site_id.reset();
    if (!u.site_external_id->empty()) {
      c.site_id = repo_.siteByExternalId(company.id, *u.site_external_id);
      if (!c.site_id) {
        return fail(Error::invalid("errors.integration.unknown_site", "site_external_id")
                        .with("external_id", *u.site_external_id));
      }
    }
  }
  if (u.category) {
    c.category_id.reset();
    c.category_name.clear();
    if (!u.category->empty()) {
      c.category_id = repo_.category(company.org_id, *u.category, now);
      c.category_name = *u.category;
    }
  }
  if (u.requester_email) {
    c.requester.reset();
    if (!u.requester_email->empty()) {
      c.requester = repo_.memberByEmail(company.id, *u.requester_email);
      if (!c.requester) {
        return fail(Error::invalid("errors.cases.unknown_requester", "requester_email")
                        .with("email", *u.requester_email));
      }
    }
  }
  std::optional<std::optional<Person>> assignee;
  if (u.assignee_email) {
    assignee.emplace();
    if (!u.assignee_email->empty()) {
      *assignee = repo_.assignableStaffByEmail(company.org_id, *u.assignee_email);
      if (!*assignee) return fail(Error::invalid("errors.cases.bad_assignee", "assignee_email"));
    }
  }

  CaseUpserted out;
  out.created = !existing;
  bool status_changed = false, reassigned = false;
  if (!existing) {
    c.status = u.status.value_or(Status::New);
    if (c.status == Status::Resolved || c.status == Status::Closed) c.resolved_at = now;
    if (c.status == Status::Closed) c.closed_at = now;
    c.priority = u.priority.value_or("normal");
    if (assignee) c.assignee = *assignee;
    c.updated_at = now;
    c.number = repo_.nextNumber(c.org_id);
    c.id = repo_.insert(c);
  } else {
    bool changed = c.subject != existing->subject || c.description != existing->description ||
                   c.site_id != existing->site_id || c.category_id != existing->category_id ||
                   idOfPerson(c.requester) != idOfPerson(existing->requester);
    if (u.status && *u.status != c.status) {
      setStatus(c, *u.status, std::nullopt, now);
      changed = status_changed = true;
    }
    if (u.priority && *u.priority != c.priority) {
      repo_.insertChange(c.id, c.company_id, std::nullopt, "priority", c.priority, *u.priority,
                         now);
      c.priority = *u.priority;
      changed = true;
    }
    if (assignee && idOfPerson(*assignee) != idOfPerson(c.assignee)) {
      auto email = [](const std::optional<Person>& who) -> std::optional<std::string> {
        if (!who) return std::nullopt;
        return who->email;
      };
      repo_.insertChange(c.id, c.company_id, std::nullopt, "assignee", email(c.assignee),
                         email(*assignee), now);
      c.assignee = *assignee;
      changed = reassigned = true;
    }
    if (changed || !u.comments.empty()) {
      c.updated_at = now;
      repo_.updateContent(c);
    }
  }
  std::vector<Comment> added;
  for (const auto& cu : u.comments) {
    if (auto m = repo_.commentByExternalId(c.id, cu.external_id)) {
      if (m->body != cu.body || m->author_name != cu.author_name || m->by_staff != cu.by_staff ||
          m->internal != cu.internal) {
        m->body = cu.body;
        m->author_name = cu.author_name;
        m->by_staff = cu.by_staff;
        m->internal = cu.internal;
        repo_.updateComment(*m);
      }
      continue;
    }
    Comment m;
    m.case_id = c.id;
    m.author_name = cu.author_name;
    m.by_staff = cu.by_staff;
    m.internal = cu.internal;
    m.body = cu.body;
    m.external_id = cu.external_id;
    m.created_at = cu.created_at.value_or(now);
    m.id = repo_.insertComment(m, c.company_id);
    added.push_back(std::move(m));
  }
  out.comments_added = static_cast<int>(added.size());
  // The state with its clock (the insert leaves the times of resolution and the clock out).
  bool responded = std::any_of(added.begin(), added.end(),
                               [](const Comment& m) { return m.by_staff && !m.internal; });
  auto settings = store(c, existing ? existing->status : Status::New, responded, now);
  repo_.indexForSearch(c.id);
  // The people of the case hear of it as of staff's own changes (nobody is the actor).
  if (!existing) notifier_.opened(c, core::UserId{}, settings.support_email);
  if (status_changed) notifier_.statusChanged(c, core::UserId{});
  if (reassigned) notifier_.assigned(c, core::UserId{});
  for (const auto& m : added) {
    if (!m.internal) notifier_.commented(c, m, 0);
  }
  out.item = std::move(c);
  return out;
}

bool CaseService::mayOpen(const identity::Principal& p) {
  auto all = policy_.memberships(p);
  return std::any_of(all.begin(), all.end(), opensCases);
}

std::vector<std::pair<std::int64_t, std::string>> CaseService::categories(
    const identity::Principal& p) {
  if (auto staff = policy_.staff(p); staff && staffWorksInbox(staff)) {
    return repo_.categories(staff->org_id);
  }
  std::vector<core::OrgId> orgs;
  for (const auto& a : policy_.memberships(p)) {
    if (!opensCases(a)) continue;
    if (std::find(orgs.begin(), orgs.end(), a.company.org_id) == orgs.end()) {
      orgs.push_back(a.company.org_id);
    }
  }
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (auto org : orgs) {
    auto some = repo_.categories(org);
    out.insert(out.end(), some.begin(), some.end());
  }
  return out;
}

std::vector<CaseService::Openable> CaseService::openable(
    const identity::Principal& p, std::optional<core::CompanyId> for_company) {
  std::vector<Openable> out;
  if (auto staff = policy_.staff(p); staff && staffWorksInbox(staff)) {
    if (!for_company) return out;
    auto a = policy_.company(p, *for_company);
    if (!a || a->basis != Basis::Staff) return out;
    Openable o;
    o.sites = repo_.sitesOf(a->company.id);
    o.access = std::move(*a);
    out.push_back(std::move(o));
    return out;
  }
  for (auto& a : policy_.memberships(p)) {
    if (!opensCases(a)) continue;
    Openable o;
    for (auto& site : repo_.sitesOf(a.company.id)) {
      if (a.seesSite(site.first)) o.sites.push_back(std::move(site));
    }
    o.access = std::move(a);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Person> CaseService::assignees(const Seen& seen) {
  if (seen.side != Side::Staff) return {};
  return repo_.supportStaff(seen.detail.item.org_id);
}

int CaseService::closeResolved() {
  auto cutoff = clock_.now() - kAutoCloseAfterS;
  int closed = 0;
  for (auto id : repo_.resolvedBefore(cutoff, kAutoCloseBatch)) {
    storage::Transaction tx(repo_.conn());
    auto c = repo_.find(id);  // again inside the transaction: another node may have been first
    if (!c || c->status != Status::Resolved || !c->resolved_at || *c->resolved_at > cutoff) {
      continue;
    }
    changeStatus(*c, Status::Closed, std::nullopt, clock_.now());
    store(*c, Status::Resolved, false, clock_.now());
    tx.commit();
    ++closed;
  }
  return closed;
}

SupportSettings CaseService::store(Case& c, Status from, bool responded, std::int64_t now) {
  auto settings = settings_.load(c.org_id);
  advanceClock(c, settings, from, responded, now);
  repo_.updateState(c);
  return settings;
}

void CaseService::recordEvent(const Case& c, const std::string& type, const std::string& data) {
  events_.record({c.org_id, type, c.company_id, "case", c.id.value, data});
}

}  // namespace portico::cases
