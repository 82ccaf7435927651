#pragma once

namespace portico::audit {

// While one lives on a thread, AuditLog::record on that thread writes its entries to the database
// without their log line: a bulk writer (the integration API's NDJSON import, thousands of
// entries a request) logs one summary line of its own instead. Nests; not shared across threads.
class QuietLog {
 public:
  QuietLog();
  ~QuietLog();
  QuietLog(const QuietLog&) = delete;
  QuietLog& operator=(const QuietLog&) = delete;
};

}  // namespace portico::audit
