#include "directory/directory_fields.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace portico::directory {

using core::Error;
using core::fail;

core::Result<std::string> textField(const nlohmann::json& body, const char* key, bool required,
                                    std::size_t max, const std::string& fallback, bool multiline) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required && fallback.empty()) {
      return fail(Error::invalid("errors.directory.field_required", key).with("field", key));
    }
    return fallback;
  }
  if (!it->is_string())
    return fail(Error::invalid("errors.directory.field_not_text", key).with("field", key));
  std::string v(core::trim(it->get_ref<const std::string&>()));
  if (multiline) {
    std::string lf;  // CR LF and CR (from a text area) become LF
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\r') {
        lf.push_back('\n');
        if (i + 1 < v.size() && v[i + 1] == '\n') ++i;
      } else {
        lf.push_back(v[i]);
      }
    }
    v = std::move(lf);
  }
  if (required && v.empty()) {
    return fail(Error::invalid("errors.directory.field_required", key).with("field", key));
  }
  if (!core::isCleanUtf8(v, multiline)) {
    return fail(Error::invalid("errors.directory.field_bad_characters", key).with("field", key));
  }
  if (core::codePointCount(v) > max) {
    return fail(Error::invalid("errors.directory.field_too_long", key)
                    .with("field", key)
                    .with("max", std::to_string(max))
                    .with("length", std::to_string(core::codePointCount(v))));
  }
  return v;
}

}  // namespace portico::directory
