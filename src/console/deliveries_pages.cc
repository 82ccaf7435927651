#include "console/deliveries_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "identity/identity_service.h"

namespace portico::console {
namespace {

using access::StaffCapability;
using access::StaffRole;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

constexpr int kPageSize = 50;

class Pages {
 public:
  Pages(access::StaffRoutes& routes, identity::MailHistoryRepository& history, jobs::Queue& queue,
        const jobs::Runner& runner, audit::AuditLog& audit, const web::Views& views)
      : routes_(routes),
        history_(history),
        queue_(queue),
        runner_(runner),
        audit_(audit),
        pages_(views, routes.policy()) {}

  void registerAll() {
    routes_.page("GET", "/staff/deliveries", StaffCapability::Deliveries,
                 [this](Request& r, Context& c, const StaffRole& s) { return list(r, c, s); });
    routes_.page("POST", "/staff/deliveries/{id}/retry", StaffCapability::Deliveries,
                 [this](Request& r, Context& c, const StaffRole& s) { return retry(r, c, s); });
  }

 private:
  Response list(const Request& r, const Context& c, const StaffRole& s) const {
    identity::MailFilter f;
    f.org = s.org_id;
    f.limit = kPageSize;
    f.status = access::queryField(r, "status");
    if (!f.status.empty() && !identity::isMailStatus(f.status)) {
      return pages_.error(
          c, core::Error::invalid("errors.emails.bad_status", "status").with("status", f.status));
    }
    if (auto v = access::queryField(r, "cursor"); !v.empty()) {
      if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
        return pages_.error(c, core::Error::invalid("errors.access.bad_query"));
      }
      f.before_id = std::stoll(v);
    }
    auto mails = history_.list(f);
    bool more = static_cast<int>(mails.size()) > kPageSize;
    if (more) mails.pop_back();
    json rows = json::array();
    for (const auto& m : mails) {
      rows.push_back({{"id", m.id},
                      {"time", access::timeText(m.created_at)},
                      {"to", m.recipient},
                      {"subject", m.subject},
                      {"status", pages_.translate(c, "emails.status_" + m.status)},
                      {"failed", m.status == "failed"},
                      {"retryable", m.status != "sent" && m.job_id.has_value()},
                      {"attempts", m.attempts},
                      {"last_error", m.last_error}});
    }
    json statuses = json::array();
    for (const char* st : {"", "queued", "failed", "sent"}) {
      std::string key = *st ? std::string("emails.status_") + st : "emails.all_statuses";
      statuses.push_back(
          {{"value", st}, {"label", pages_.translate(c, key)}, {"selected", f.status == st}});
    }
    json data = {{"rows", rows}, {"has_rows", !rows.empty()}, {"statuses", statuses}};
    if (more) {
      std::string next = "/staff/deliveries?cursor=" + std::to_string(mails.back().id);
      if (!f.status.empty()) next += "&status=" + f.status;
      data["older_link"] = next;
    }
    return pages_.render(c, "console_deliveries", std::move(data));
  }

  Response retry(const Request& r, Context& c, const StaffRole& s) {
    auto id = r.param("id");
    std::optional<identity::MailRecord> mail;
    if (!id.empty() && id.size() <= 18 && id.find_first_not_of("0123456789") == std::string::npos) {
      mail = history_.find(std::stoll(id));
    }
    // Another organization's mail is no mail at all.
    if (!mail || mail->org != s.org_id) {
      return pages_.error(c, core::Error::notFound("errors.emails.no_such_email"));
    }
    if (mail->status == "sent" || !mail->job_id ||
        !queue_.retry(*mail->job_id, runner_.policyOf(std::string(identity::kMailJob)))) {
      return pages_.error(c, core::Error::conflict("errors.deliveries.not_retryable"));
    }
    audit_.record({c.principal->user.id, c.origin.ip, c.origin.request_id},
                  {"delivery.retried", mail->user, s.org_id, std::nullopt,
                   json{{"email", mail->recipient}, {"subject", mail->subject}}.dump()});
    c.next_notice = core::Message{"notices.delivery.retried", {{"email", mail->recipient}}};
    return Response::redirect("/staff/deliveries");
  }

  access::StaffRoutes& routes_;
  identity::MailHistoryRepository& history_;
  jobs::Queue& queue_;
  const jobs::Runner& runner_;
  audit::AuditLog& audit_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerDeliveryPages(access::StaffRoutes& routes,
                                            identity::MailHistoryRepository& history,
                                            jobs::Queue& queue, const jobs::Runner& runner,
                                            audit::AuditLog& audit, const web::Views& views) {
  auto owner = std::make_shared<Pages>(routes, history, queue, runner, audit, views);
  owner->registerAll();
  return owner;
}

}  // namespace portico::console
