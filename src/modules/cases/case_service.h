#pragma once

#include <optional>
#include <string>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event_log.h"
#include "files/file_store.h"
#include "modules/cases/case.h"
#include "modules/cases/case_notifier.h"
#include "modules/cases/case_repository.h"
#include "modules/cases/support_settings/support_settings_repository.h"

namespace portico::cases {

// How the caller stands towards a case: as staff working the inbox (internal notes, any
// change), or as one of the company's people.
enum class Side { Customer, Staff };

// A case as the caller may see it, and from which side.
struct Seen {
  CaseDetail detail;
  Side side = Side::Customer;
  bool may_answer = false;  // may comment and change it (support.open, or the staff inbox)
};

// What a comment led to: the comment, on the case or (for a closed case) on the new case that
// continues it.
struct Commented {
  Comment comment;
  std::vector<Attachment> attachments;  // the files that came with it
  core::CaseId case_id;
  std::optional<std::int64_t> opened_number;  // the new case's number, if one was opened
};

// The support cases of companies, as their people and the vendor's staff work them.
//
// Who sees a case (anything else is NotFound, never Forbidden, so ids leak nothing):
// - staff see every case of the companies they reach (a department administrator: those of
//   their departments; personnel: none); those whose role opens the support inbox (admin,
//   support, department administrators) see the internal notes too and may answer and change
//   any of them, the others (content creators) read them as the customer does;
// - a company's people (and agents, read-only) with support.view there see its cases at the
//   sites they see; a member whose membership sees only their own records sees the cases they
//   opened or follow. support.open lets them open cases and answer them.
// Every write is one transaction, with its event for the ERP (case.created, case.commented for
// public comments only, case.status_changed) and its mails (CaseNotifier). Thread-safe.
class CaseService {
 public:
  CaseService(CaseRepository& repo, SupportSettingsRepository& settings, files::FileStore& files,
              access::Policy& policy, events::EventLog& events, CaseNotifier& notifier,
              const core::Clock& clock)
      : repo_(repo),
        settings_(settings),
        files_(files),
        policy_(policy),
        events_(events),
        notifier_(notifier),
        clock_(clock) {}

  // The cases the caller may see under `filter`, newest first, with counts per status.
  // NotFound if filter.company is not one whose cases the caller sees.
  core::Result<CasePage> list(const identity::Principal& p, const CaseFilter& filter);
  // One case with its participants, conversation and history.
  core::Result<Seen> find(const identity::Principal& p, core::CaseId id);
  // Opens a case in one of the caller's companies (support.open there; Forbidden without it).
  // The site, if given, must be one the caller sees; a caller who sees only some sites must name
  // one. InvalidInput naming the field at fault. `files` are attached to the case (see attach()).
  core::Result<Seen> open(const identity::Principal& p, const NewCase& c,
                          const std::vector<Upload>& files = {});
  // Adds a public comment, or (staff) an internal note, with `files` attached to it. A customer's
  // comment on a waiting or resolved case opens it again; on a closed case it opens a new case
  // that follows it.
  core::Result<Commented> comment(const identity::Principal& p, core::CaseId id,
                                  const std::string& body, bool internal,
                                  const std::vector<Upload>& files = {});
  // Attaches a file to the case itself (staff: `internal`, seen by staff only). Whoever may
  // answer the case may; not to a case a customer finds closed (Conflict). The type is decided
  // from the bytes (http::sniffContentType): outside the allow-list UnsupportedMediaType; an empty
  // file InvalidInput. Size limits are the request parser's (http::MultipartLimits). The bytes are
  // kept once per organization (files::FileStore).
  core::Result<Attachment> attach(const identity::Principal& p, core::CaseId id, const Upload& file,
                                  bool internal);
  // An attachment with its bytes, for whoever sees the case (an internal one: staff of the inbox
  // only); NotFound otherwise, and for an attachment of another case.
  core::Result<Download> download(const identity::Principal& p, core::CaseId id,
                                  std::int64_t attachment_id);
  // Changes status, priority or assignee. A customer may close their company's case or open a
  // resolved or waiting one again; staff may also set any status, the priority and the assignee
  // (one of the organization's support staff). Conflict for a change a status does not allow.
  core::Result<Seen> update(const identity::Principal& p, core::CaseId id, const CaseUpdate& u);

  // The requester rates their resolved (or closed) case: 1 to 5 stars and a comment of at most
  // kMaxRatingComment bytes, once. InvalidInput naming stars or comment; Forbidden for anyone
  // but the requester; Conflict for a case not resolved yet or rated already. Staff see the
  // rating on the case (its JSON and page); no event (the contract names none for it).
  core::Result<Seen> rate(const identity::Principal& p, core::CaseId id, int stars,
                          const std::string& comment);
  // True if the caller works the support inbox (service levels, assignees, templates).
  bool worksInbox(const identity::Principal& p);

  // Where the caller may open a case: a company with support.open (not through an agent), with
  // the sites of it that the caller sees ({id, name}).
  struct Openable {
    access::CompanyAccess access;
    std::vector<std::pair<std::int64_t, std::string>> sites;
  };
  // Staff of the inbox open cases for one customer at a time: `for_company`, if they reach it.
  std::vector<Openable> openable(const identity::Principal& p,
                                 std::optional<core::CompanyId> for_company = std::nullopt);
  // The categories the caller may choose for a new case: those of the organizations of the
  // companies in openable(), by name ({id, name}).
  std::vector<std::pair<std::int64_t, std::string>> categories(const identity::Principal& p);
  // The name of `company`'s device `device` if the caller may open cases there and see the device
  // (deviceFor): what the form to open a case about it shows.
  std::optional<std::string> deviceName(const identity::Principal& p, core::CompanyId company,
                                        std::int64_t device);
  // True if openable() has a company (without reading any sites).
  bool mayOpen(const identity::Principal& p);
  // Whom staff may assign `seen`'s case to (empty for a customer).
  std::vector<Person> assignees(const Seen& seen);

  // Inserts or updates the case the organization's ERP knows as u.external_id, in `company` (the
  // record's company_external_id, found by the caller), with its comments; see CaseUpsert for
  // what a field left out does. The ERP may set any status, priority and assignee. Unknown site,
  // requester or assignee: InvalidInput naming the field; a category's name the organization does
  // not have yet is added to its categories. A case stays with the company it was created in
  // (Conflict naming company_external_id). Each status, priority and assignee change is in the
  // case's history (by nobody) and mailed as a staff change would be; the ERP's own writes make
  // no events (it knows of them). REQUIRES: a transaction is open on this thread's connection
  // (the integration framework's); nothing is written on failure only if the caller undoes it.
  core::Result<CaseUpserted> upsert(const access::Company& company, const CaseUpsert& u);

  // A resolved case closes by itself this long after it was resolved.
  static constexpr std::int64_t kAutoCloseAfterS = 14 * 24 * 3600;
  static constexpr int kAutoCloseBatch = 500;
  // Closes the cases resolved kAutoCloseAfterS ago or earlier (at most kAutoCloseBatch a call),
  // each in its own transaction with its history row (by nobody) and case.status_changed event.
  // Safe to run on several nodes at once. The number closed. (A job runner's housekeeping task.)
  int closeResolved();

 private:
  // `company`'s device `device` if the caller may see it (access::Policy::recordAccess with
  // services.view: its site in scope; never for a membership that sees only its own records).
  std::optional<CaseRepository::DeviceRef> deviceFor(const identity::Principal& p,
                                                     core::CompanyId company, std::int64_t device);
  // The caller's standing towards `c`, or nullopt if they may not see it.
  std::optional<Seen> standing(const identity::Principal& p, const Case& c);
  // Case `id` with the caller's standing: NotFound if they may not see it.
  struct Visible {
    Case item;
    Seen seen;
  };
  core::Result<Visible> visible(const identity::Principal& p, core::CaseId id);
  // The same for a change: Forbidden unless the caller may answer it (and, for `internal`, works
  // the staff inbox).
  core::Result<Visible> answerable(const identity::Principal& p, core::CaseId id, bool internal);
  CaseDetail detail(const Case& c, Side side);
  // Sets a new status with its times, history row and event. REQUIRES: a transaction.
  void changeStatus(Case& c, Status to, std::optional<core::UserId> actor, std::int64_t now);
  // The same without the event (the ERP's own change).
  void setStatus(Case& c, Status to, std::optional<core::UserId> actor, std::int64_t now);
  // Writes the case's state (CaseRepository::updateState) with its service-level clock moved to
  // `now` (advanceClock): from status `from`, `responded` if staff's public reply is now.
  // Returns the settings it used, for the mails that follow. REQUIRES: a transaction.
  SupportSettings store(Case& c, Status from, bool responded, std::int64_t now);
  void recordEvent(const Case& c, const std::string& type, const std::string& data);
  // The uploads checked, each with the name and type to keep; the first refused as an Error.
  core::Result<std::vector<Attachment>> checkUploads(const std::vector<Upload>& files);
  // Stores checked uploads (checkUploads) with `c`: their bytes and their rows. REQUIRES: a
  // transaction.
  std::vector<Attachment> storeAttachments(const Case& c, std::vector<Attachment> checked,
                                           const std::vector<Upload>& files,
                                           std::optional<std::int64_t> comment_id,
                                           const identity::Principal& p, bool by_staff,
                                           bool internal, std::int64_t now);

  CaseRepository& repo_;
  SupportSettingsRepository& settings_;
  files::FileStore& files_;
  access::Policy& policy_;
  events::EventLog& events_;
  CaseNotifier& notifier_;
  const core::Clock& clock_;
};

}  // namespace portico::cases
