#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "storage/db.h"

namespace portico::files {

// A file's contents as kept: its id in the store, SHA-256 (hex) and size in bytes.
struct StoredFile {
  std::int64_t id = 0;
  std::string sha256;
  std::int64_t size = 0;
};

// The bytes of the files people upload (case attachments, later job photos and documents), kept
// in the database so that a backup and every node hold them, and kept once per organization and
// content: the same bytes uploaded twice are one row. What a file is called, its type and who may
// read it are the business of the record that names it; this store only holds bytes.
// Thread-safe: each thread uses its own connection.
class FileStore {
 public:
  explicit FileStore(storage::Db& db) : db_(db) {}

  // Keeps `data` for `org`: the file already there with the same bytes, or a new one. Safe when
  // two nodes store the same bytes at once. REQUIRES: an open transaction (the record that names
  // the file is written in it too).
  StoredFile put(core::OrgId org, std::string_view data, std::int64_t now);
  // The bytes of file `id`, if it is `org`'s.
  std::optional<std::string> read(core::OrgId org, std::int64_t id);

 private:
  storage::Db& db_;
};

}  // namespace portico::files
