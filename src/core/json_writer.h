#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::core {

// Writes JSON into a string as it goes, for the answers built at every request (a list's page),
// where a nlohmann::json tree would allocate a node a value and sort its keys only to be dumped.
// Keys come out in the order written. Strings are escaped as appendJsonEscaped does (so they may
// be embedded in HTML); they must be valid UTF-8, which the records' validation ensures.
//   JsonWriter w(out);
//   w.beginObject().field("id", 7).field("name", name).key("tags").beginArray();
//   for (auto& t : tags) w.value(t);
//   w.endArray().endObject();
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { return raw(b ? "true" : "false"); }
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& value(T n) { return raw(std::to_string(n)); }
  // The value, or null without one.
  template <typename T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  JsonWriter& null() { return raw("null"); }
  // A value that is JSON already.
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void quoted(std::string_view s);  // after a comma if one is due
  void separate() {
    if (comma_) out_ += ',';
  }

  std::string& out_;
  bool comma_ = false;  // a value came before in this object or array
};

}  // namespace portico::core
