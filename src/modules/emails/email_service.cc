#include "modules/emails/email_service.h"

#include <algorithm>

namespace portico::emails {
namespace {

using access::CompanyAccess;
using access::Permission;
using core::Error;
using core::fail;

core::Status checkStatus(const std::string& status) {
  if (status.empty() || identity::isMailStatus(status)) return {};
  return fail(Error::invalid("errors.emails.bad_status", "status").with("status", status));
}

EmailPage pageOf(std::vector<identity::MailRecord> mails, int limit) {
  EmailPage page;
  if (static_cast<int>(mails.size()) > limit) {
    mails.pop_back();
    page.next_before = mails.back().id;
  }
  for (auto& m : mails) page.items.push_back({std::move(m), std::nullopt, ""});
  return page;
}

}  // namespace

core::Result<std::vector<CompanyAccess>> EmailService::readable(const identity::Principal& p,
                                                                const EmailQuery& query) {
  std::vector<CompanyAccess> out;
  if (query.company) {
    auto a = policy_.company(p, *query.company);
    if (!a || !a->can(Permission::EmailsView)) {
      return fail(Error::notFound("errors.emails.no_such_company"));
    }
    out.push_back(std::move(*a));
    return out;
  }
  for (auto& a : policy_.memberships(p)) {
    if (a.can(Permission::EmailsView)) out.push_back(std::move(a));
  }
  return out;
}

core::Result<EmailPage> EmailService::list(const identity::Principal& p, const EmailQuery& query) {
  if (auto s = checkStatus(query.status); !s) return fail(s.error());
  auto companies = readable(p, query);
  if (!companies) return fail(companies.error());
  identity::MailFilter filter;
  for (const auto& a : *companies) filter.companies.push_back(a.company.id);
  filter.status = query.status;
  filter.before_id = query.before_id;
  filter.limit = query.limit;
  auto page = pageOf(history_.list(filter), query.limit);
  // Each mail under the first of the caller's companies that it concerns.
  for (auto& item : page.items) {
    auto of = history_.companiesOf(item.mail.id);
    for (const auto& a : *companies) {
      if (std::find(of.begin(), of.end(), a.company.id) != of.end()) {
        item.company_id = a.company.id;
        item.company_name = a.company.name;
        break;
      }
    }
  }
  return page;
}

core::Result<Email> EmailService::find(const identity::Principal& p, std::int64_t id) {
  auto mail = history_.find(id);
  if (mail) {
    for (auto company : mail->companies) {
      auto a = policy_.company(p, company);
      if (a && a->can(Permission::EmailsView)) {
        return Email{std::move(*mail), company, a->company.name};
      }
    }
  }
  return fail(Error::notFound("errors.emails.no_such_email"));
}

core::Result<EmailPage> EmailService::own(const identity::Principal& p, const EmailQuery& query) {
  if (auto s = checkStatus(query.status); !s) return fail(s.error());
  identity::MailFilter filter;
  filter.user = p.user.id;
  filter.user_email = p.user.email;
  filter.status = query.status;
  filter.before_id = query.before_id;
  filter.limit = query.limit;
  return pageOf(history_.list(filter), query.limit);
}

core::Result<Email> EmailService::ownOne(const identity::Principal& p, std::int64_t id) {
  auto mail = history_.find(id);
  bool theirs = mail && (mail->user ? *mail->user == p.user.id : mail->recipient == p.user.email);
  if (!theirs) {
    return fail(Error::notFound("errors.emails.no_such_email"));
  }
  return Email{std::move(*mail), std::nullopt, ""};
}

}  // namespace portico::emails
