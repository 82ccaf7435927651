#include "directory/directory_service.h"

#include <nlohmann/json.hpp>

#include "access/policy.h"
#include "core/text.h"
#include "directory/directory_fields.h"

namespace portico::directory {
namespace {

using core::Error;
using core::fail;
using nlohmann::json;

json siteJson(const Site& s) { return {{"id", s.id}, {"name", s.name}, {"address", s.address}}; }

}  // namespace

// A contact linked to a login decides that login's site scope: changing its link or its site, or
// deleting it, is managing users. Nobody changes the contact their own access depends on, nor
// (like a member's rights) one that a member who outranks them depends on.
core::Status DirectoryService::mayChangeScope(const access::CompanyAccess& caller,
                                              std::optional<std::int64_t> user,
                                              const audit::Actor& actor) {
  if (!user) return {};
  if (!caller.can(access::Permission::UsersManage)) {
    return fail(Error::forbidden("errors.directory.linked_needs_users_manage"));
  }
  if (actor.user && actor.user->value == *user) {
    return fail(Error::forbidden("errors.directory.own_access_contact"));
  }
  auto held = repo_.memberPermissions(caller.company.id, *user);
  if (held && !access::Policy::mayActOnMember(caller, *held)) {
    return fail(Error::forbidden("errors.directory.linked_outranks"));
  }
  return {};
}

void DirectoryService::audit(const audit::Actor& actor, const access::CompanyAccess& caller,
                             const std::string& event, const json& detail) {
  audit_.record(actor,
                {event, std::nullopt, caller.company.org_id, caller.company.id, detail.dump()});
}

std::vector<Site> DirectoryService::sites(const access::CompanyAccess& caller) {
  std::vector<Site> out;
  for (auto& s : repo_.sites(caller.company.id)) {
    if (caller.seesSite(s.id)) out.push_back(std::move(s));
  }
  return out;
}

core::Result<Site> DirectoryService::createSite(const access::CompanyAccess& caller,
                                                const json& body, const audit::Actor& actor) {
  // A new site is in nobody's list of sites: a caller who sees only some would make one that
  // they then cannot see.
  if (!caller.all_sites) {
    return fail(Error::forbidden("errors.directory.site_needs_all_sites"));
  }
  return saveSite(caller, 0, body, actor);
}

core::Result<Site> DirectoryService::updateSite(const access::CompanyAccess& caller,
                                                std::int64_t id, const json& body,
                                                const audit::Actor& actor) {
  if (id <= 0) return fail(Error::notFound("errors.directory.no_such_site"));
  return saveSite(caller, id, body, actor);
}

core::Result<Site> DirectoryService::saveSite(const access::CompanyAccess& caller, std::int64_t id,
                                              const json& body, const audit::Actor& actor) {
  Site site;
  if (id > 0) {
    auto existing = repo_.site(caller.company.id, id);
    if (!existing || !caller.seesSite(id))
      return fail(Error::notFound("errors.directory.no_such_site"));
    site = *existing;
  }
  auto name = textField(body, "name", true, 200, site.name);
  if (!name) return fail(name.error());
  auto address = textField(body, "address", false, 500, site.address, /*multiline=*/true);
  if (!address) return fail(address.error());
  site.company_id = caller.company.id;
  site.name = *name;
  site.address = *address;
  storage::Transaction tx(repo_.conn());
  if (id > 0) {
    repo_.updateSite(site);
  } else {
    site.id = repo_.insertSite(site);
  }
  audit(actor, caller, id > 0 ? "site.updated" : "site.created", siteJson(site));
  tx.commit();
  return site;
}

core::Status DirectoryService::deleteSite(const access::CompanyAccess& caller, std::int64_t id,
                                          const audit::Actor& actor) {
  if (!caller.seesSite(id)) return fail(Error::notFound("errors.directory.no_such_site"));
  if (repo_.siteHasLinkedContacts(caller.company.id, id)) {
    return fail(Error::conflict("errors.directory.site_has_linked_contacts"));
  }
  storage::Transaction tx(repo_.conn());
  if (!repo_.deleteSite(caller.company.id, id))
    return fail(Error::notFound("errors.directory.no_such_site"));
  audit(actor, caller, "site.deleted", {{"id", id}});
  tx.commit();
  return {};
}

std::vector<Contact> DirectoryService::contacts(const access::CompanyAccess& caller) {
  std::vector<Contact> out;
  for (auto& c : repo_.contacts(caller.company.id)) {
    if (!c.site_id || caller.seesSite(*c.site_id)) out.push_back(std::move(c));
  }
  return out;
}

core::Result<Contact> DirectoryService::contact(const access::CompanyAccess& caller,
                                                std::int64_t id) {
  auto c = repo_.contact(caller.company.id, id);
  if (!c || (c->site_id && !caller.seesSite(*c->site_id))) {
    return fail(Error::notFound("errors.directory.no_such_contact"));
  }
  return *c;
}

core::Result<Contact> DirectoryService::saveContact(const access::CompanyAccess& caller,
                                                    std::int64_t id, const json& body,
                                                    const audit::Actor& actor) {
  Contact c;
  if (id > 0) {
    auto existing = contact(caller, id);
    if (!existing) return fail(existing.error());
    if (!existing->site_id && !caller.all_sites) {
      return fail(Error::forbidden("errors.directory.company_contact_edit"));
    }
    c = *existing;
  }
  auto site_before = c.site_id;
  c.company_id = caller.company.id;
  for (auto [key, target, required, max] :
       {std::tuple{"first_name", &c.first_name, true, std::size_t{100}},
        std::tuple{"last_name", &c.last_name, true, std::size_t{100}},
        std::tuple{"job_title", &c.job_title, false, std::size_t{100}},
        std::tuple{"email", &c.email, false, std::size_t{254}},
        std::tuple{"phone", &c.phone, false, std::size_t{40}}}) {
    auto v = textField(body, key, required, max, *target);
    if (!v) return fail(v.error());
    *target = *v;
  }
  c.email = core::asciiLower(c.email);
  if (!c.email.empty() && !core::looksLikeEmail(c.email)) {
    return fail(Error::invalid("errors.directory.bad_email", "email"));
  }
  if (auto it = body.find("site_id"); it != body.end()) {
    if (it->is_null()) {
      c.site_id.reset();
    } else if (!it->is_number_integer() ||
               !repo_.site(caller.company.id, it->get<std::int64_t>()) ||
               !caller.seesSite(it->get<std::int64_t>())) {
      return fail(Error::invalid("errors.directory.bad_site", "site_id"));
    } else {
      c.site_id = it->get<std::int64_t>();
    }
  }
  if (!c.site_id && !caller.all_sites) {
    // A caller who sees only some sites manages only the contacts of those sites.
    return fail(Error::forbidden("errors.directory.choose_own_site"));
  }
  if (id > 0 && c.site_id != site_before) {
    if (auto s = mayChangeScope(caller, c.user_id, actor); !s) return fail(s.error());
  }
  storage::Transaction tx(repo_.conn());
  auto now = clock_.now();
  if (id > 0) {
    repo_.updateContact(c, now);
  } else {
    c.id = repo_.insertContact(c, now);
  }
  audit(actor, caller, id > 0 ? "contact.updated" : "contact.created",
        {{"contact", c.id}, {"name", c.first_name + " " + c.last_name}});
  tx.commit();
  return c;
}

core::Status DirectoryService::deleteContact(const access::CompanyAccess& caller, std::int64_t id,
                                             const audit::Actor& actor) {
  auto c = contact(caller, id);
  if (!c) return fail(c.error());
  if (!c->site_id && !caller.all_sites) {
    return fail(Error::forbidden("errors.directory.company_contact_delete"));
  }
  if (auto s = mayChangeScope(caller, c->user_id, actor); !s) return fail(s.error());
  storage::Transaction tx(repo_.conn());
  repo_.deleteContact(caller.company.id, id);
  audit(actor, caller, "contact.deleted",
        {{"contact", id}, {"name", c->first_name + " " + c->last_name}});
  tx.commit();
  return {};
}

core::Result<Contact> DirectoryService::link(const access::CompanyAccess& caller, std::int64_t id,
                                             const std::string& email, const audit::Actor& actor) {
  auto c = contact(caller, id);
  if (!c) return fail(c.error());
  if (!c->site_id && !caller.all_sites) {
    return fail(Error::forbidden("errors.directory.company_contact_link"));
  }
  if (!caller.can(access::Permission::UsersManage)) {
    return fail(Error::forbidden("errors.directory.link_needs_users_manage"));
  }
  if (auto s = mayChangeScope(caller, c->user_id, actor); !s) return fail(s.error());
  std::optional<std::int64_t> user;
  std::string wanted = core::asciiLower(core::trim(email));
  if (!wanted.empty()) {
    user = repo_.memberByEmail(caller.company.id, wanted);
    if (!user) {
      return fail(Error::invalid("errors.directory.login_not_member", "email"));
    }
    if (auto s = mayChangeScope(caller, user, actor); !s) return fail(s.error());
  }
  storage::Transaction tx(repo_.conn());
  repo_.linkContact(id, user, clock_.now());
  audit_.record(
      actor,
      {user ? "contact.linked" : "contact.unlinked",
       user ? std::optional(core::UserId{*user}) : std::optional<core::UserId>{},
       caller.company.org_id, caller.company.id,
       json{{"contact", id}, {"previous_user", c->user_id ? json(*c->user_id) : json()}}.dump()});
  tx.commit();
  c->user_id = user;
  c->user_email = user ? wanted : "";
  return *c;
}

}  // namespace portico::directory
