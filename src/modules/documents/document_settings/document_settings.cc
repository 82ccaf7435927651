#include "modules/documents/document_settings/document_settings.h"

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "directory/directory_fields.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using nlohmann::json;
using storage::Query;

constexpr std::string_view kGet =
    "SELECT legal_name, address, org_number, vat_number, contact, payment_details, logo_file_id,"
    " updated_at FROM document_settings WHERE org_id = ?";
constexpr std::string_view kPut =
    "INSERT INTO document_settings (org_id, legal_name, address, org_number, vat_number, contact,"
    " payment_details, logo_file_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id) DO UPDATE SET legal_name = EXCLUDED.legal_name,"
    " address = EXCLUDED.address, org_number = EXCLUDED.org_number,"
    " vat_number = EXCLUDED.vat_number, contact = EXCLUDED.contact,"
    " payment_details = EXCLUDED.payment_details, logo_file_id = EXCLUDED.logo_file_id,"
    " updated_at = EXCLUDED.updated_at";
constexpr std::string_view kOrgName = "SELECT name FROM organizations WHERE id = ?";

}  // namespace

core::Result<DocumentSettings> readDocumentSettings(const json& body) {
  if (!body.is_object()) return fail(Error::invalid("errors.integration.not_object"));
  DocumentSettings s;
  for (auto [key, target, max, multiline] :
       {std::tuple{"legal_name", &s.legal_name, std::size_t{200}, false},
        std::tuple{"address", &s.address, std::size_t{500}, true},
        std::tuple{"org_number", &s.org_number, std::size_t{50}, false},
        std::tuple{"vat_number", &s.vat_number, std::size_t{50}, false},
        std::tuple{"contact", &s.contact, std::size_t{300}, false},
        std::tuple{"payment_details", &s.payment_details, std::size_t{1000}, true}}) {
    auto v = directory::textField(body, key, false, max, "", multiline);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  return s;
}

json documentSettingsToJson(const DocumentSettings& s) {
  return {{"legal_name", s.legal_name},
          {"address", s.address},
          {"org_number", s.org_number},
          {"vat_number", s.vat_number},
          {"contact", s.contact},
          {"payment_details", s.payment_details},
          {"logo", s.logo_file_id.has_value()},
          {"updated_at", s.updated_at ? json(core::rfc3339(s.updated_at)) : json(nullptr)}};
}

DocumentSettings DocumentSettingsRepository::get(core::OrgId org) {
  Query q(conn(), kGet);
  q.bind(org.value);
  DocumentSettings s;
  if (!q.next()) return s;
  s.legal_name = q.getText(0);
  s.address = q.getText(1);
  s.org_number = q.getText(2);
  s.vat_number = q.getText(3);
  s.contact = q.getText(4);
  s.payment_details = q.getText(5);
  s.logo_file_id = q.getOptInt(6);
  s.updated_at = q.getInt(7);
  return s;
}

void DocumentSettingsRepository::put(core::OrgId org, const DocumentSettings& s) {
  Query(conn(), kPut)
      .bind(org.value, s.legal_name, s.address, s.org_number, s.vat_number, s.contact,
            s.payment_details, s.logo_file_id, s.updated_at)
      .run();
}

std::string DocumentSettingsRepository::orgName(core::OrgId org) {
  Query q(conn(), kOrgName);
  q.bind(org.value);
  return q.next() ? q.getText(0) : std::string();
}

DocumentSettings DocumentSettingsService::get(const access::StaffRole& staff) {
  return repo_.get(staff.org_id);
}

core::Result<DocumentSettings> DocumentSettingsService::save(const identity::Principal& p,
                                                             const access::StaffRole& staff,
                                                             DocumentSettings in,
                                                             const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto current = repo_.get(staff.org_id);
  bool new_account = in.payment_details != current.payment_details;
  if (new_account && step_up_) {
    if (auto s = step_up_->requireStepUp(p, staff.org_id); !s) return fail(s.error());
  }
  in.logo_file_id = current.logo_file_id;
  in.updated_at = clock_.now();
  repo_.put(staff.org_id, in);
  audit_.record(actor,
                {"document_settings.updated", std::nullopt, staff.org_id, std::nullopt,
                 json{{"name", in.legal_name}, {"payment_details_changed", new_account}}.dump()});
  tx.commit();
  return in;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> pngSize(std::string_view png) {
  // The signature (8 bytes), then the IHDR chunk: length 13, "IHDR", width and height (big-endian).
  if (png.size() < 24 || png.substr(0, 8) != std::string_view("\x89PNG\r\n\x1a\n", 8) ||
      png.substr(8, 8) != std::string_view("\0\0\0\x0dIHDR", 8)) {
    return std::nullopt;
  }
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  auto w = be32(16), h = be32(20);
  if (w == 0 || h == 0) return std::nullopt;
  return std::pair{w, h};
}

core::Result<DocumentSettings> DocumentSettingsService::setLogo(const access::StaffRole& staff,
                                                                const std::string& png,
                                                                const audit::Actor& actor) {
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    return fail(Error::unsupportedMediaType("errors.document_settings.logo_not_png"));
  }
  if (png.size() > kMaxLogoBytes) {
    return fail(Error::invalid("errors.document_settings.logo_too_large", "logo")
                    .with("max", std::to_string(kMaxLogoBytes / 1024)));
  }
  auto size = pngSize(png);
  if (!size) return fail(Error::invalid("errors.document_settings.logo_unreadable", "logo"));
  if (size->first > kMaxLogoPixels || size->second > kMaxLogoPixels) {
    return fail(Error::invalid("errors.document_settings.logo_too_many_pixels", "logo")
                    .with("max", std::to_string(kMaxLogoPixels)));
  }
  storage::Transaction tx(repo_.conn());
  auto s = repo_.get(staff.org_id);
  auto now = clock_.now();
  s.logo_file_id = files_.put(staff.org_id, png, now).id;
  s.updated_at = now;
  repo_.put(staff.org_id, s);
  audit_.record(actor, {"document_settings.logo_changed", std::nullopt, staff.org_id, std::nullopt,
                        json{{"size", png.size()}}.dump()});
  tx.commit();
  return s;
}

DocumentSettings DocumentSettingsService::removeLogo(const access::StaffRole& staff,
                                                     const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto s = repo_.get(staff.org_id);
  s.logo_file_id.reset();
  s.updated_at = clock_.now();
  repo_.put(staff.org_id, s);
  audit_.record(actor,
                {"document_settings.logo_removed", std::nullopt, staff.org_id, std::nullopt, "{}"});
  tx.commit();
  return s;
}

Letterhead DocumentSettingsService::letterhead(core::OrgId org) {
  Letterhead l;
  l.settings = repo_.get(org);
  l.name = l.settings.legal_name.empty() ? repo_.orgName(org) : l.settings.legal_name;
  if (l.settings.logo_file_id) l.logo_png = files_.read(org, *l.settings.logo_file_id).value_or("");
  return l;
}

}  // namespace portico::documents
