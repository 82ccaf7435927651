#include "core/json_writer.h"

#include "core/text.h"

namespace portico::core {

void JsonWriter::quoted(std::string_view s) {
  separate();
  out_ += '"';
  appendJsonEscaped(out_, s);
  out_ += '"';
}

JsonWriter& JsonWriter::key(std::string_view name) {
  quoted(name);
  out_ += ':';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  quoted(s);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::open(char bracket) {
  separate();
  out_ += bracket;
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  out_ += bracket;
  comma_ = true;
  return *this;
}

}  // namespace portico::core
