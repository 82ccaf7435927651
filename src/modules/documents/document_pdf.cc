#include "modules/documents/document_pdf.h"

#include <vector>

#include "core/money.h"
#include "pdf/pdf_document.h"

namespace portico::documents {
namespace {

using pdf::TextStyle;
using Align = pdf::TextStyle::Align;

constexpr double kMargin = 50;
constexpr double kRight = pdf::Document::kWidth - kMargin;
constexpr double kContent = kRight - kMargin;
constexpr double kBottom = pdf::Document::kHeight - 70;  // above the footer

// The columns of the lines' table: description, quantity, unit price, VAT, amount.
constexpr double kColumns[] = {kMargin,       kMargin + 185, kMargin + 235,
                               kMargin + 335, kMargin + 380, kRight};

TextStyle style(double size, bool bold = false, Align align = Align::Left, double gray = 0) {
  TextStyle s;
  s.size = size;
  s.bold = bold;
  s.align = align;
  s.gray = gray;
  return s;
}

}  // namespace

std::string DocumentPdf::render(const Document& d, const Letterhead& letterhead) const {
  auto t = [&](std::string_view key) { return views_.translate(d.language, key); };
  auto money = [&](std::int64_t minor) { return core::displayMoney(d.money(minor), d.language); };
  const auto& org = letterhead.settings;
  auto title = t("documents.pdf.title." + std::string(kindName(d.kind)));
  pdf::Document doc({title + " " + d.number, letterhead.name, d.title, d.date + "T00:00:00"});

  // The letterhead: the logo (or the name) on the left, the record's title on the right.
  double y = kMargin;
  double left = y;
  if (!letterhead.logo_png.empty() && doc.image(kMargin, y, 180, 54, letterhead.logo_png)) {
    left += 60;
  } else {
    left += doc.text(kMargin, y, 280, letterhead.name, style(16, true)) + 6;
  }
  double right =
      y + doc.text(kMargin + 190, y, kContent - 190, title, style(20, true, Align::Right));
  // The record's facts under its title: number, dates, references.
  std::vector<std::pair<std::string, std::string>> facts = {{t("documents.pdf.number"), d.number},
                                                            {t("documents.date"), d.date}};
  if (d.until) facts.emplace_back(t("documents.until." + std::string(untilName(d.kind))), *d.until);
  if (!d.reference.empty()) facts.emplace_back(t("documents.reference"), d.reference);
  if (d.kind == Kind::Invoice) {
    facts.emplace_back(t("documents.pdf.payment_reference"),
                       d.payment_reference.empty() ? d.number : d.payment_reference);
  }
  right += 6;
  for (const auto& [label, value] : facts) {
    doc.text(kMargin + 280, right, 130, label, style(9, false, Align::Left, 0.35));
    right += doc.text(kMargin + 410, right, kContent - 410, value, style(9, true, Align::Right));
  }
  y = std::max(left, right) + 24;

  // From and to.
  std::string from = letterhead.name;
  if (!org.address.empty()) from += "\n" + org.address;
  if (!org.org_number.empty()) from += "\n" + t("documents.pdf.org_number") + " " + org.org_number;
  if (!org.vat_number.empty()) from += "\n" + t("documents.pdf.vat_number") + " " + org.vat_number;
  std::string to = d.company_name;
  if (!d.billing_address.empty()) to += "\n" + d.billing_address;
  if (!d.company_org_number.empty()) {
    to += "\n" + t("documents.pdf.org_number") + " " + d.company_org_number;
  }
  if (!d.delivery_address.empty()) {
    to += "\n\n" + t("documents.delivery_address") + "\n" + d.delivery_address;
  } else if (!d.site_name.empty()) {
    to += "\n\n" + t("documents.site") + ": " + d.site_name;
  }
  doc.text(kMargin, y, 240, t("documents.pdf.from"), style(8, true, Align::Left, 0.35));
  doc.text(kMargin + 280, y, 240, t("documents.pdf.to"), style(8, true, Align::Left, 0.35));
  y += 12;
  double h1 = doc.text(kMargin, y, 240, from, style(9.5));
  double h2 = doc.text(kMargin + 280, y, kContent - 280, to, style(9.5));
  y += std::max(h1, h2) + 14;
  if (!d.title.empty()) y += doc.text(kMargin, y, kContent, d.title, style(12, true)) + 10;

  // The lines, their heading again on each new page.
  const std::string headings[] = {t("documents.line_description"), t("documents.quantity"),
                                  t("documents.unit_price"), t("documents.vat_rate"),
                                  t("documents.amount")};
  auto heading = [&] {
    doc.fill(kMargin, y - 3, kContent, 17, 0.92);
    for (int i = 0; i < 5; ++i) {
      doc.text(kColumns[i] + 2, y, kColumns[i + 1] - kColumns[i] - 4, headings[i],
               style(8.5, true, i == 0 ? Align::Left : Align::Right));
    }
    y += 20;
  };
  auto room = [&](double needed) {
    if (y + needed <= kBottom) return;
    doc.newPage();
    y = kMargin;
    heading();
  };
  heading();
  for (const auto& l : d.lines) {
    std::string what = l.description + (l.sku.empty() ? "" : "\n" + l.sku);
    double h = doc.measure(kColumns[1] - kColumns[0] - 4, what, style(9));
    room(h + 6);
    doc.text(kColumns[0] + 2, y, kColumns[1] - kColumns[0] - 4, what, style(9));
    std::string cells[] = {core::quantityText(l.quantity) + (l.unit.empty() ? "" : " " + l.unit),
                           money(l.unit_price), core::rateText(l.vat_rate) + " %", money(l.amount)};
    for (int i = 0; i < 4; ++i) {
      doc.text(kColumns[i + 1] + 2, y, kColumns[i + 2] - kColumns[i + 1] - 4, cells[i],
               style(9, false, Align::Right));
    }
    y += h + 4;
    doc.line(kMargin, y, kRight, y, 0.3, 0.8);
    y += 4;
  }
  if (d.lines.empty()) {
    y += doc.text(kMargin + 2, y, kContent, t("documents.no_lines"),
                  style(9, false, Align::Left, 0.35)) +
         6;
  }

  // The totals.
  std::vector<std::tuple<std::string, std::string, bool>> totals = {
      {t("documents.subtotal"), money(d.subtotal), false},
      {t("documents.vat"), money(d.vat), false},
      {t("documents.total"), money(d.total), true}};
  if (d.kind == Kind::Invoice && d.paid != 0) {
    totals.emplace_back(t("documents.paid"), money(d.paid), false);
    totals.emplace_back(t("documents.outstanding"), money(d.outstanding()), true);
  }
  room(18.0 * static_cast<double>(totals.size()) + 10);
  y += 6;
  for (const auto& [label, value, strong] : totals) {
    doc.text(kColumns[1], y, kColumns[3] - kColumns[1] - 4, label,
             style(strong ? 10.5 : 9.5, strong, Align::Right));
    y += doc.text(kColumns[3], y, kRight - kColumns[3], value,
                  style(strong ? 10.5 : 9.5, strong, Align::Right)) +
         4;
  }

  // How to pay an invoice.
  if (d.kind == Kind::Invoice && !org.payment_details.empty()) {
    std::string how = org.payment_details + "\n" + t("documents.pdf.payment_reference") + ": " +
                      (d.payment_reference.empty() ? d.number : d.payment_reference);
    if (d.until) how += "\n" + t("documents.until.due_date") + ": " + *d.until;
    double h = doc.measure(kContent, how, style(9.5));
    room(h + 30);
    y += 14;
    y += doc.text(kMargin, y, kContent, t("documents.pdf.how_to_pay"), style(10.5, true)) + 4;
    y += doc.text(kMargin, y, kContent, how, style(9.5));
  }

  // The footer of the last page: who the vendor is.
  std::string footer = letterhead.name;
  for (const auto* part : {&org.org_number, &org.vat_number, &org.contact}) {
    if (!part->empty()) footer += " · " + *part;
  }
  doc.line(kMargin, kBottom + 20, kRight, kBottom + 20, 0.3, 0.7);
  doc.text(kMargin, kBottom + 26, kContent, footer, style(7.5, false, Align::Center, 0.35));
  return doc.finish();
}

}  // namespace portico::documents
