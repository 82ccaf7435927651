#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "files/file_store.h"
#include "identity/step_up.h"
#include "storage/db.h"

namespace portico::documents {

// What an organization's documents print about it (the letterhead of their PDFs).
struct DocumentSettings {
  std::string legal_name;  // "" prints the organization's name
  std::string address;     // lines
  std::string org_number;
  std::string vat_number;
  std::string contact;          // phone, e-mail, web: one line
  std::string payment_details;  // how to pay: bank account, IBAN, BIC (lines)
  std::optional<std::int64_t> logo_file_id;
  std::int64_t updated_at = 0;
};

// A letterhead as a PDF prints it: the settings, the name to print and the logo's PNG bytes.
struct Letterhead {
  DocumentSettings settings;
  std::string name;
  std::string logo_png;  // "" none
};

inline constexpr std::size_t kMaxLogoBytes = 512 * 1024;
// A logo's largest side in pixels: every PDF decodes it, so a small file that unpacks to a huge
// image is refused.
inline constexpr std::uint32_t kMaxLogoPixels = 4000;
// A PNG's width and height, from its IHDR chunk (which must come first); nullopt if it has none.
std::optional<std::pair<std::uint32_t, std::uint32_t>> pngSize(std::string_view png);

// Reads {legal_name?, address?, org_number?, vat_number?, contact?, payment_details?} (each
// clean text; address and payment_details may hold lines): InvalidInput naming the field.
core::Result<DocumentSettings> readDocumentSettings(const nlohmann::json& body);
// {legal_name, address, org_number, vat_number, contact, payment_details, logo (bool),
//  updated_at}
nlohmann::json documentSettingsToJson(const DocumentSettings& s);

// The document_settings table. Thread-safe: each thread uses its own connection.
class DocumentSettingsRepository {
 public:
  explicit DocumentSettingsRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }
  // The organization's settings (all empty when it has none).
  DocumentSettings get(core::OrgId org);
  void put(core::OrgId org, const DocumentSettings& s);
  std::string orgName(core::OrgId org);

 private:
  storage::Db& db_;
};

// The organization's document settings, read and changed by its administrators
// (StaffCapability::DocumentSettings, which the routes check), and the letterhead the PDFs print.
// Thread-safe.
class DocumentSettingsService {
 public:
  DocumentSettingsService(DocumentSettingsRepository& repo, files::FileStore& files,
                          audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo), files_(files), audit_(audit), clock_(clock) {}

  void setStepUp(identity::StepUp* step_up) { step_up_ = step_up; }

  DocumentSettings get(const access::StaffRole& staff);
  // Replaces the texts (the logo stays). New payment details (the bank account every invoice
  // asks customers to pay to) need a step-up of `p` (StepUpRequired, nothing changed). Audited
  // (document_settings.updated, saying whether the payment details changed).
  core::Result<DocumentSettings> save(const identity::Principal& p, const access::StaffRole& staff,
                                      DocumentSettings in, const audit::Actor& actor);
  // Sets the logo: a PNG of at most kMaxLogoBytes and kMaxLogoPixels a side (UnsupportedMediaType
  // for anything else, InvalidInput when too large or unreadable). Audited
  // (document_settings.logo_changed).
  core::Result<DocumentSettings> setLogo(const access::StaffRole& staff, const std::string& png,
                                         const audit::Actor& actor);
  DocumentSettings removeLogo(const access::StaffRole& staff, const audit::Actor& actor);
  // What `org`'s PDFs print about it.
  Letterhead letterhead(core::OrgId org);

 private:
  DocumentSettingsRepository& repo_;
  files::FileStore& files_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  identity::StepUp* step_up_ = nullptr;
};

}  // namespace portico::documents
