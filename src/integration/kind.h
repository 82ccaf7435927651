#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "core/ids.h"
#include "core/result.h"

namespace portico::integration {

// Who writes through the integration API: an organization's ERP, by its API key.
struct Caller {
  core::OrgId org;
  audit::Actor actor;  // no user; the request's address and id
};

// What an upsert did to the record it was given.
struct Upserted {
  std::int64_t id = 0;
  bool created = false;
};

// A kind of record the ERP keeps in the portal ("companies", "sites", "contacts", …), named by
// its `external_id`, unique per organization and kind. A kind supplies two steps, and the
// framework (integration_api.h) supplies everything else: the single and the bulk call, their
// limits, one transaction per request and a savepoint per record.
class Kind {
 public:
  virtual ~Kind() = default;
  virtual const std::string& name() const = 0;
  // Validates `record` and inserts or updates it within `caller`'s organization, auditing the
  // change, on the calling thread's connection. When `answer` is given, writes the record's JSON
  // (with its "id") there. A fault of the record is InvalidInput naming the field at fault (an
  // unknown "company_external_id" too), and a refused change Conflict naming it.
  // REQUIRES: a transaction is open on this thread's connection; the caller undoes what a failed
  // record may have written (a savepoint, or the whole transaction).
  virtual core::Result<Upserted> upsert(const Caller& caller, const nlohmann::json& record,
                                        std::string* answer) = 0;
};

// A Kind from its two steps: `validate` reads one JSON record into the kind's plain struct (no
// I/O), `write` upserts that struct (and writes its JSON answer when asked).
template <typename Record>
class KindOf final : public Kind {
 public:
  using Validate = std::function<core::Result<Record>(const nlohmann::json&)>;
  using Write =
      std::function<core::Result<Upserted>(const Caller&, const Record&, std::string* answer)>;

  KindOf(std::string name, Validate validate, Write write)
      : name_(std::move(name)), validate_(std::move(validate)), write_(std::move(write)) {}

  const std::string& name() const override { return name_; }
  core::Result<Upserted> upsert(const Caller& caller, const nlohmann::json& record,
                                std::string* answer) override {
    auto valid = validate_(record);
    if (!valid) return core::fail(valid.error());
    return write_(caller, *valid, answer);
  }

 private:
  std::string name_;
  Validate validate_;
  Write write_;
};

// The kinds the integration API serves, by name. Filled while wiring (each layer adds its own),
// read-only once serving starts, so thread-safe then.
class Kinds {
 public:
  // REQUIRES: no kind of that name yet (throws std::logic_error).
  void add(std::unique_ptr<Kind> kind);
  // The kind named `name`, or nullptr.
  Kind* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<Kind>, std::less<>> kinds_;
};

}  // namespace portico::integration
