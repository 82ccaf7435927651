#include "directory/directory_integration.h"

#include <nlohmann/json.hpp>

#include "access/access_api.h"
#include "core/text.h"
#include "directory/directory_fields.h"

namespace portico::directory {
namespace {

using core::Error;
using core::fail;
using integration::Caller;
using integration::Upserted;
using nlohmann::json;

constexpr std::size_t kMaxExternalId = 200;

// Reads the fields `spec` names into their targets: {key, target, required, max}.
struct TextSpec {
  const char* key;
  std::string* target;
  bool required;
  std::size_t max;
  bool multiline = false;
};
core::Status readTexts(const json& record, std::initializer_list<TextSpec> specs) {
  for (const auto& s : specs) {
    auto v = textField(record, s.key, s.required, s.max, "", s.multiline);
    if (!v) return fail(v.error());
    *s.target = std::move(*v);
  }
  return {};
}

Error companyFixed() {
  auto e = Error::conflict("errors.integration.company_fixed");
  e.field = "company_external_id";
  return e;
}

// {"external_id":…,"name":…} (and the contact's id): what the audit log keeps of an upsert.
std::string auditDetail(const std::string& external_id, const std::string& name,
                        std::int64_t contact = 0) {
  std::string out = "{";
  if (contact) out += R"("contact":)" + std::to_string(contact) + ",";
  out += R"("external_id":")";
  core::appendJsonEscaped(out, external_id);
  out += R"(","name":")";
  core::appendJsonEscaped(out, name);
  out += "\"}";
  return out;
}

json optionalText(const std::optional<std::string>& v) { return v ? json(*v) : json(); }

}  // namespace

void registerDirectoryKinds(integration::Kinds& kinds, DirectoryRepository& repo,
                            access::AccessRepository& companies, audit::AuditLog& audit,
                            const core::Clock& clock) {
  kinds.add(std::make_unique<integration::KindOf<SiteUpsert>>(
      "sites",
      [](const json& record) -> core::Result<SiteUpsert> {
        SiteUpsert u;
        auto read = readTexts(
            record, {{"external_id", &u.external_id, true, kMaxExternalId},
                     {"company_external_id", &u.company_external_id, true, kMaxExternalId},
                     {"name", &u.name, true, 200},
                     {"address", &u.address, false, 500, true}});
        if (!read) return fail(read.error());
        return u;
      },
      [&repo, &companies, &audit](const Caller& caller, const SiteUpsert& u,
                                  std::string* answer) -> core::Result<Upserted> {
        auto company = access::recordCompany(companies, caller.org, u.company_external_id);
        if (!company) return fail(company.error());
        auto existing = repo.siteByExternalId(caller.org, u.external_id);
        if (existing && existing->company_id != company->id) return fail(companyFixed());
        Site s = existing.value_or(Site{});
        s.company_id = company->id;
        s.external_id = u.external_id;
        s.name = u.name;
        s.address = u.address;
        if (existing) {
          repo.updateSite(s);
        } else {
          s.id = repo.insertSite(s);
        }
        audit.record(caller.actor, {existing ? "site.updated" : "site.created", std::nullopt,
                                    caller.org, company->id, auditDetail(u.external_id, u.name)});
        if (answer) {
          *answer = json{{"id", s.id},
                         {"external_id", u.external_id},
                         {"company_id", company->id.value},
                         {"company_external_id", u.company_external_id},
                         {"name", s.name},
                         {"address", s.address}}
                        .dump();
        }
        return Upserted{s.id, !existing};
      }));

  kinds.add(std::make_unique<integration::KindOf<ContactUpsert>>(
      "contacts",
      [](const json& record) -> core::Result<ContactUpsert> {
        ContactUpsert u;
        std::string site;
        auto read = readTexts(
            record, {{"external_id", &u.external_id, true, kMaxExternalId},
                     {"company_external_id", &u.company_external_id, true, kMaxExternalId},
                     {"site_external_id", &site, false, kMaxExternalId},
                     {"first_name", &u.first_name, true, 100},
                     {"last_name", &u.last_name, true, 100},
                     {"job_title", &u.job_title, false, 100},
                     {"email", &u.email, false, 254},
                     {"phone", &u.phone, false, 40}});
        if (!read) return fail(read.error());
        if (!site.empty()) u.site_external_id = std::move(site);
        u.email = core::asciiLower(u.email);
        if (!u.email.empty() && !core::looksLikeEmail(u.email)) {
          return fail(Error::invalid("errors.directory.bad_email", "email"));
        }
        return u;
      },
      [&repo, &companies, &audit, &clock](const Caller& caller, const ContactUpsert& u,
                                          std::string* answer) -> core::Result<Upserted> {
        auto company = access::recordCompany(companies, caller.org, u.company_external_id);
        if (!company) return fail(company.error());
        std::optional<std::int64_t> site;
        if (u.site_external_id) {
          auto s = repo.siteByExternalId(caller.org, *u.site_external_id);
          if (!s || s->company_id != company->id) {
            return fail(Error::invalid("errors.integration.unknown_site", "site_external_id")
                            .with("external_id", *u.site_external_id));
          }
          site = s->id;
        }
        auto existing = repo.contactByExternalId(caller.org, u.external_id);
        if (existing && existing->company_id != company->id) return fail(companyFixed());
        Contact c = existing.value_or(Contact{});
        c.company_id = company->id;
        c.external_id = u.external_id;
        c.site_id = site;
        c.first_name = u.first_name;
        c.last_name = u.last_name;
        c.job_title = u.job_title;
        c.email = u.email;
        c.phone = u.phone;
        auto now = clock.now();
        if (existing) {
          repo.updateContact(c, now);
        } else {
          c.id = repo.insertContact(c, now);
        }
        audit.record(
            caller.actor,
            {existing ? "contact.updated" : "contact.created", std::nullopt, caller.org,
             company->id, auditDetail(u.external_id, u.first_name + " " + u.last_name, c.id)});
        if (answer) {
          *answer = json{
              {"id", c.id},
              {"external_id", u.external_id},
              {"company_id", company->id.value},
              {"company_external_id", u.company_external_id},
              {"site_id", c.site_id ? json(*c.site_id) : json()},
              {"site_external_id", optionalText(u.site_external_id)},
              {"first_name", c.first_name},
              {"last_name", c.last_name},
              {"job_title", c.job_title},
              {"email", c.email},
              {"phone",
               c.phone}}.dump();
        }
        return Upserted{c.id, !existing};
      }));
}

}  // namespace portico::directory
