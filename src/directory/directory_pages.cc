#include "directory/directory_pages.h"

#include <nlohmann/json.hpp>

#include "http/error_response.h"

namespace portico::directory {
namespace {

using access::CompanyAccess;
using access::CompanyRoutes;
using access::formField;
using access::Permission;
using access::queryField;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

std::string base(const CompanyAccess& a) {
  return "/companies/" + std::to_string(a.company.id.value);
}

// A select's value as the services take it: "" is null, digits a number, anything else stays
// text (which the service refuses with a clear message).
json idValue(const std::string& text) {
  if (text.empty()) return json();
  if (text.size() <= 18 && text.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoll(text);
  }
  return text;
}

constexpr const char* kContactFields[] = {"first_name", "last_name", "job_title", "email", "phone"};

class Pages {
 public:
  Pages(identity::GuardedRoutes& routes, access::Policy& policy, DirectoryService& directory,
        audit::AuditLog& audit, const web::Views& views)
      : directory_(directory),
        pages_(views, policy),
        company_pages_(routes, policy, pages_, audit) {}

  void registerAll();

 private:
  json companyData(const Context& c, const CompanyAccess& a, const char* title_key) const {
    return {{"company_id", a.company.id.value},
            {"company_name", a.company.name},
            {"title", pages_.translate(c, title_key) + " · " + a.company.name}};
  }

  // The site choices for a contact: the whole company (only for a caller who sees every site)
  // and each site the caller sees; `chosen` is the site id as text ("" for the whole company).
  json siteOptions(const Context& c, const CompanyAccess& a, const std::vector<Site>& sites,
                   const std::string& chosen) const {
    json options = json::array();
    if (a.all_sites) {
      options.push_back({{"id", ""},
                         {"name", pages_.translate(c, "contacts.whole_company")},
                         {"selected", chosen.empty()}});
    }
    for (const auto& s : sites) {
      options.push_back({{"id", std::to_string(s.id)},
                         {"name", s.name},
                         {"selected", std::to_string(s.id) == chosen}});
    }
    return options;
  }

  // The contact form's values from the posted form, and the body the service takes.
  static json contactForm(const Context& c) {
    json form = json::object();
    for (const char* f : kContactFields) form[f] = formField(c, f);
    form["site_id"] = formField(c, "site_id");
    return form;
  }
  static json contactBody(const json& form) {
    json body = json::object();
    for (const char* f : kContactFields) body[f] = form[f];
    body["site_id"] = idValue(form["site_id"].get<std::string>());
    return body;
  }

  Response contacts(Request&, Context& c, const CompanyAccess& a, const std::string& error = "",
                    int status = 200, json form = json::object()) const {
    auto sites = directory_.sites(a);
    std::map<std::int64_t, std::string> names;
    for (const auto& s : sites) names[s.id] = s.name;
    json list = json::array();
    for (const auto& x : directory_.contacts(a)) {
      std::string site = pages_.translate(c, "contacts.whole_company");
      if (x.site_id) {
        auto it = names.find(*x.site_id);
        site = it != names.end() ? it->second : "#" + std::to_string(*x.site_id);
      }
      list.push_back({{"id", x.id},
                      {"name", x.first_name + " " + x.last_name},
                      {"job_title", x.job_title},
                      {"email", x.email},
                      {"phone", x.phone},
                      {"site", site},
                      {"login", x.user_id ? json(x.user_email) : json()}});
    }
    if (form.empty()) {
      for (const char* f : kContactFields) form[f] = "";
      form["site_id"] = "";
    }
    auto data = companyData(c, a, "contacts.title");
    data["contacts"] = list;
    data["has_contacts"] = !list.empty();
    data["form"] = form;
    data["site_options"] = siteOptions(c, a, sites, form["site_id"].get<std::string>());
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "contacts", data, status);
  }

  // One contact's page: edit, link to a login, delete. `form` holds posted values after an error.
  Response contact(Request& r, Context& c, const CompanyAccess& a, const std::string& error = "",
                   int status = 200, json form = json::object(),
                   const std::string& link_email = "") const {
    auto x = directory_.contact(a, r.idParam("contact_id"));
    if (!x) return pages_.error(c, x.error());
    if (form.empty()) {
      form = {{"first_name", x->first_name},
              {"last_name", x->last_name},
              {"job_title", x->job_title},
              {"email", x->email},
              {"phone", x->phone},
              {"site_id", x->site_id ? std::to_string(*x->site_id) : ""}};
    }
    auto data = companyData(c, a, "contacts.edit_title");
    data["contact_id"] = x->id;
    data["contact_name"] = x->first_name + " " + x->last_name;
    data["form"] = form;
    data["site_options"] =
        siteOptions(c, a, directory_.sites(a), form["site_id"].get<std::string>());
    data["login"] = x->user_id ? json(x->user_email) : json();
    data["link_email"] = link_email.empty() ? x->user_email : link_email;
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "contact", data, status);
  }

  Response sites(Request&, Context& c, const CompanyAccess& a, const std::string& error = "",
                 int status = 200, const json& form = {{"name", ""}, {"address", ""}}) const {
    json list = json::array();
    for (const auto& s : directory_.sites(a)) {
      list.push_back({{"id", s.id}, {"name", s.name}, {"address", s.address}});
    }
    auto data = companyData(c, a, "sites.title");
    data["sites"] = list;
    data["has_sites"] = !list.empty();
    data["can_edit"] = a.can(Permission::CompanyProfile);
    data["can_add"] = a.can(Permission::CompanyProfile) && a.all_sites;  // see createSite
    data["form"] = form;
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "sites", data, status);
  }

  Response site(Request& r, Context& c, const CompanyAccess& a, const std::string& error = "",
                int status = 200, json form = json::object()) const {
    auto id = r.idParam("site_id");
    for (const auto& s : directory_.sites(a)) {
      if (s.id != id) continue;
      if (form.empty()) form = {{"name", s.name}, {"address", s.address}};
      auto data = companyData(c, a, "sites.edit_title");
      data["site_id"] = s.id;
      data["site_name"] = s.name;
      data["form"] = form;
      if (!error.empty()) data["error"] = error;
      return pages_.render(c, "site", data, status);
    }
    return pages_.error(c, core::Error::notFound("sites.not_found"));
  }

  DirectoryService& directory_;
  access::PageRenderer pages_;
  access::CompanyPages company_pages_;
};

void Pages::registerAll() {
  auto& cp = company_pages_;
  auto& dir = directory_;

  // Contacts.
  cp.page("GET", "/companies/{id}/contacts", Permission::ContactsManage,
          [this](Request& r, Context& c, const CompanyAccess& a) { return contacts(r, c, a); });
  cp.page("POST", "/companies/{id}/contacts", Permission::ContactsManage,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            auto form = contactForm(c);
            auto saved = dir.saveContact(a, 0, contactBody(form), actorOf(c));
            if (!saved) {
              return contacts(r, c, a, pages_.message(c, saved.error()),
                              http::statusFor(saved.error().code), form);
            }
            c.next_notice = core::Message{"notices.contact.created",
                                          {{"name", saved->first_name + " " + saved->last_name}}};
            return Response::redirect(base(a) + "/contacts/" + std::to_string(saved->id));
          });
  cp.page("GET", "/companies/{id}/contacts/{contact_id}", Permission::ContactsManage,
          [this](Request& r, Context& c, const CompanyAccess& a) { return contact(r, c, a); });
  cp.page("POST", "/companies/{id}/contacts/{contact_id}", Permission::ContactsManage,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            auto id = r.idParam("contact_id");
            auto form = contactForm(c);
            auto saved = id > 0 ? dir.saveContact(a, id, contactBody(form), actorOf(c))
                                : core::Result<Contact>(
                                      core::fail(core::Error::notFound("contacts.not_found")));
            if (!saved) {
              if (saved.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, saved.error());
              }
              return contact(r, c, a, pages_.message(c, saved.error()),
                             http::statusFor(saved.error().code), form);
            }
            c.next_notice = core::Message{"notices.contact.saved",
                                          {{"name", saved->first_name + " " + saved->last_name}}};
            return Response::redirect(base(a) + "/contacts/" + std::to_string(id));
          });
  cp.page("POST", "/companies/{id}/contacts/{contact_id}/link", Permission::ContactsManage,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            auto id = r.idParam("contact_id");
            auto email = formField(c, "email");
            auto linked = email.empty() ? core::Result<Contact>(core::fail(core::Error::invalid(
                                              "contacts.link_needs_email", "email")))
                                        : dir.link(a, id, email, actorOf(c));
            if (!linked) {
              if (linked.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, linked.error());
              }
              return contact(r, c, a, pages_.message(c, linked.error()),
                             http::statusFor(linked.error().code), json::object(), email);
            }
            c.next_notice = core::Message{
                "notices.contact.linked",
                {{"name", linked->first_name + " " + linked->last_name}, {"email", email}}};
            return Response::redirect(base(a) + "/contacts/" + std::to_string(id));
          });
  cp.page("POST", "/companies/{id}/contacts/{contact_id}/unlink", Permission::ContactsManage,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            auto id = r.idParam("contact_id");
            auto unlinked = dir.link(a, id, "", actorOf(c));
            if (!unlinked) {
              if (unlinked.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, unlinked.error());
              }
              return contact(r, c, a, pages_.message(c, unlinked.error()),
                             http::statusFor(unlinked.error().code));
            }
            c.next_notice =
                core::Message{"notices.contact.unlinked",
                              {{"name", unlinked->first_name + " " + unlinked->last_name}}};
            return Response::redirect(base(a) + "/contacts/" + std::to_string(id));
          });
  cp.page("POST", "/companies/{id}/contacts/{contact_id}/delete", Permission::ContactsManage,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            auto id = r.idParam("contact_id");
            auto x = dir.contact(a, id);
            if (!x) return pages_.error(c, x.error());
            core::MessageArgs args{{"name", x->first_name + " " + x->last_name}};
            if (!access::confirmed(c)) {
              return pages_.confirm(c, {{"confirm.delete_contact.heading", {}},
                                        {"confirm.delete_contact.question", args},
                                        {"confirm.delete_contact.button", {}},
                                        r.path,
                                        base(a) + "/contacts/" + std::to_string(id),
                                        {}});
            }
            auto deleted = dir.deleteContact(a, id, actorOf(c));
            if (!deleted) {
              if (deleted.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, deleted.error());
              }
              return contact(r, c, a, pages_.message(c, deleted.error()),
                             http::statusFor(deleted.error().code));
            }
            c.next_notice = core::Message{"notices.contact.deleted", args};
            return Response::redirect(base(a) + "/contacts");
          });

  // Sites.
  cp.page("GET", "/companies/{id}/sites", CompanyRoutes::kAnyAccess,
          [this](Request& r, Context& c, const CompanyAccess& a) { return sites(r, c, a); });
  cp.page("POST", "/companies/{id}/sites", Permission::CompanyProfile,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            json form = {{"name", formField(c, "name")}, {"address", formField(c, "address")}};
            auto created = dir.createSite(a, form, actorOf(c));
            if (!created) {
              return sites(r, c, a, pages_.message(c, created.error()),
                           http::statusFor(created.error().code), form);
            }
            c.next_notice = core::Message{"notices.site.created", {{"name", created->name}}};
            return Response::redirect(base(a) + "/sites");
          });
  cp.page("GET", "/companies/{id}/sites/{site_id}", Permission::CompanyProfile,
          [this](Request& r, Context& c, const CompanyAccess& a) { return site(r, c, a); });
  cp.page("POST", "/companies/{id}/sites/{site_id}", Permission::CompanyProfile,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            json form = {{"name", formField(c, "name")}, {"address", formField(c, "address")}};
            auto id = r.idParam("site_id");
            auto updated =
                id > 0 ? dir.updateSite(a, id, form, actorOf(c))
                       : core::Result<Site>(core::fail(core::Error::notFound("sites.not_found")));
            if (!updated) {
              if (updated.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, updated.error());
              }
              return site(r, c, a, pages_.message(c, updated.error()),
                          http::statusFor(updated.error().code), form);
            }
            c.next_notice = core::Message{"notices.site.saved", {{"name", updated->name}}};
            return Response::redirect(base(a) + "/sites");
          });
  cp.page("POST", "/companies/{id}/sites/{site_id}/delete", Permission::CompanyProfile,
          [this, &dir](Request& r, Context& c, const CompanyAccess& a) {
            auto id = r.idParam("site_id");
            std::optional<std::string> name;
            for (const auto& s : dir.sites(a)) {
              if (s.id == id) name = s.name;
            }
            if (!name) return pages_.error(c, core::Error::notFound("sites.not_found"));
            if (!access::confirmed(c)) {
              return pages_.confirm(c, {{"confirm.delete_site.heading", {}},
                                        {"confirm.delete_site.question", {{"name", *name}}},
                                        {"confirm.delete_site.button", {}},
                                        r.path,
                                        base(a) + "/sites/" + std::to_string(id),
                                        {}});
            }
            auto deleted = dir.deleteSite(a, id, actorOf(c));
            if (!deleted) return pages_.error(c, deleted.error());
            c.next_notice = core::Message{"notices.site.deleted", {{"name", *name}}};
            return Response::redirect(base(a) + "/sites");
          });
}

}  // namespace

std::shared_ptr<void> registerDirectoryPages(identity::GuardedRoutes& routes,
                                             access::Policy& policy, DirectoryService& directory,
                                             audit::AuditLog& audit, const web::Views& views) {
  auto owner = std::make_shared<Pages>(routes, policy, directory, audit, views);
  owner->registerAll();
  return owner;
}

access::SiteNames siteNamesFrom(DirectoryRepository& repo) {
  return [&repo](core::CompanyId company) {
    std::map<std::int64_t, std::string> names;
    for (auto& s : repo.sites(company)) names.emplace(s.id, std::move(s.name));
    return names;
  };
}

}  // namespace portico::directory
