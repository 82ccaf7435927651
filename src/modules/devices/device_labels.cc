#include "modules/devices/device_labels.h"

#include <algorithm>

#include "core/text.h"
#include "pdf/pdf_document.h"

namespace portico::devices {
namespace {

constexpr double mm(double v) { return v * pdf::Document::kPointsPerMm; }

// Where the labels are on a page and how their text is set.
struct Layout {
  double page_w, page_h;    // mm
  double left, top;         // the first label's top left, mm
  double label_w, label_h;  // mm
  double pitch_x, pitch_y;  // from one label to the next, mm
  int columns, rows;
  double padding;  // mm, inside a label
  double name_pt, detail_pt, vendor_pt;
  std::size_t name_chars;  // the longest name drawn; a longer one is cut with "…"
};

// Avery L7163 (A4, 14 a sheet): its published margins and pitches.
constexpr Layout kSheet{210, 297, 4.65, 15.15, 99.1, 38.1, 101.6, 38.1, 2, 7, 3, 10, 8, 7, 56};
// A 62 × 29 mm die-cut label (Brother DK-11209), one a page.
constexpr Layout kTape{62, 29, 0, 0, 62, 29, 62, 29, 1, 1, 2, 7.5, 6.5, 5.5, 40};

// `text` cut to at most `max` code points, "…" in place of what was cut.
std::string cut(const std::string& text, std::size_t max) {
  if (core::codePointCount(text) <= max) return text;
  std::string out;
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (points + 1 >= max) break;
    out.append(text, i, len);
    i += len;
    ++points;
  }
  return out + "\u2026";
}

void drawLabel(pdf::Document& doc, const Layout& l, double x, double y, const Device& d,
               const std::string& vendor, const std::string& url) {
  double pad = mm(l.padding);
  double qr = mm(l.label_h) - 2 * pad;
  doc.qr(x + pad, y + pad, qr, url);
  double tx = x + pad + qr + pad;
  double tw = mm(l.label_w) - (tx - x) - pad;
  double ty = y + pad + mm(0.5);
  pdf::TextStyle name{l.name_pt, true, pdf::TextStyle::Align::Left, 0};
  pdf::TextStyle detail{l.detail_pt, false, pdf::TextStyle::Align::Left, 0};
  pdf::TextStyle code{l.detail_pt + 0.5, true, pdf::TextStyle::Align::Left, 0};
  pdf::TextStyle small{l.vendor_pt, false, pdf::TextStyle::Align::Left, 0.3};
  ty += doc.text(tx, ty, tw, cut(d.name, l.name_chars), name);
  ty += doc.text(tx, ty, tw, "S/N " + cut(d.serial, l.name_chars), detail);
  doc.text(tx, ty, tw, groupedCode(d.code), code);
  // The vendor at the foot of the label, whatever the name took.
  double vendor_h = doc.measure(tw, vendor, small);
  doc.text(tx, y + mm(l.label_h) - pad - vendor_h, tw, cut(vendor, l.name_chars), small);
}

}  // namespace

std::optional<LabelFormat> parseLabelFormat(std::string_view name) {
  if (name == "sheet") return LabelFormat::Sheet;
  if (name == "tape") return LabelFormat::Tape;
  return std::nullopt;
}

std::string renderLabels(const std::vector<Device>& devices, LabelFormat format,
                         const std::string& vendor, const std::string& public_url) {
  const Layout& l = format == LabelFormat::Sheet ? kSheet : kTape;
  std::int64_t newest = 0;
  for (const auto& d : devices) newest = std::max(newest, d.updated_at);
  auto created = core::rfc3339(newest);
  created.pop_back();  // "…Z": the metadata takes the time without its zone
  pdf::Document doc({"Device labels", vendor, "QR labels", created}, mm(l.page_w), mm(l.page_h));
  auto base = public_url;
  while (base.ends_with('/')) base.pop_back();
  int per_page = l.columns * l.rows;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    int at = static_cast<int>(i % static_cast<std::size_t>(per_page));
    if (i > 0 && at == 0) doc.newPage();
    double x = mm(l.left + (at % l.columns) * l.pitch_x);
    double y = mm(l.top + (at / l.columns) * l.pitch_y);
    drawLabel(doc, l, x, y, devices[i], vendor, base + "/d/" + devices[i].code);
  }
  return doc.finish();
}

}  // namespace portico::devices
