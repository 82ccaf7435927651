#include "files/file_store.h"

#include "core/text.h"

namespace portico::files {
namespace {

// One statement for new and known contents: a conflict on (sha256, org_id) updates nothing but
// returns the row that is there.
constexpr std::string_view kPut =
    "INSERT INTO files (org_id, sha256, size, data, created_at) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (sha256, org_id) DO UPDATE SET size = files.size RETURNING id";
constexpr std::string_view kRead = "SELECT data FROM files WHERE id = ? AND org_id = ?";

}  // namespace

StoredFile FileStore::put(core::OrgId org, std::string_view data, std::int64_t now) {
  StoredFile f;
  f.sha256 = core::sha256Hex(data);
  f.size = static_cast<std::int64_t>(data.size());
  storage::Query q(db_.connection(), kPut);
  q.bind(org.value, f.sha256, f.size, storage::Blob{data}, now);
  q.next();
  f.id = q.getInt(0);
  return f;
}

std::optional<std::string> FileStore::read(core::OrgId org, std::int64_t id) {
  storage::Query q(db_.connection(), kRead);
  q.bind(id, org.value);
  if (!q.next()) return std::nullopt;
  return q.getBlob(0);
}

}  // namespace portico::files
