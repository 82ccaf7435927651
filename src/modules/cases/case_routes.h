#pragma once

#include <memory>

#include "http/multipart.h"
#include "identity/guard.h"
#include "modules/cases/case_service.h"
#include "modules/cases/case_templates/template_service.h"

namespace portico::cases {

// The support cases' routes. Each is a signed-in route whose service asks the policy about the
// case's company (a case the caller may not see is 404):
//   GET   /api/v1/cases (company_id, status, priority, site_id, device_id, requester_id, mine,
//         limit ≤ 200, cursor)                                  support.view, or the staff inbox
//   POST  /api/v1/cases {company_id, subject, description, priority?, category_id?, site_id?,
//         device_id?}                                            support.open
//   GET   /api/v1/cases/{id}                                     support.view, or the inbox
//   PATCH /api/v1/cases/{id} {status?, priority?, assignee_id?}  support.open, or the inbox
//   POST  /api/v1/cases/{id}/comments {body, internal?} or {template_id, internal?} (staff: a
//         reply template, filled in for the case)                support.open, or the inbox
//   POST  /api/v1/cases/{id}/attachments (multipart/form-data: file, internal?)
//                                                                support.open, or the inbox
//   GET   /api/v1/cases/{id}/attachments/{attachment_id}         support.view, or the inbox
void registerCaseRoutes(identity::GuardedRoutes& routes, CaseService& cases,
                        TemplateService& templates);

// The body a request with files may send (API and pages): as much as the multipart parser reads.
inline constexpr std::size_t kUploadBodyLimit = http::MultipartLimits{}.max_total_bytes;

// An attachment's download (API and pages): its bytes as http::download serves them, with its
// SHA-256 as the ETag (If-None-Match with it answers 304).
http::Response attachmentDownload(const http::Request& r, Download& d);

}  // namespace portico::cases
