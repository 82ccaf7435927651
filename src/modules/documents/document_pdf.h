#pragma once

#include <string>

#include "modules/documents/document.h"
#include "modules/documents/document_settings/document_settings.h"
#include "web/views.h"

namespace portico::documents {

// Renders a record as a PDF (pdf::Document: cairo and pango) in the record's language: the
// organization's letterhead (logo, name, address, numbers, contact), the customer (company,
// organisation number, billing address), the record's facts (number, dates, references), its
// lines (a page break repeats their heading), the totals with the VAT, and for an invoice what
// has been paid, what is left and how to pay it. Deterministic: the same record and letterhead
// render to the same bytes (the PDF's creation time is the record's date). Thread-safe.
class DocumentPdf {
 public:
  explicit DocumentPdf(const web::Views& views) : views_(views) {}
  std::string render(const Document& d, const Letterhead& letterhead) const;

 private:
  const web::Views& views_;
};

}  // namespace portico::documents
