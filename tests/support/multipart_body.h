#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace portico::testing {

// A multipart/form-data body as a browser sends it, for the tests of uploads.
struct MultipartBody {
  static constexpr const char* kBoundary = "----PorticoTestBoundary7MA4YWxkTrZu0gW";

  struct File {
    std::string field, filename, content_type, data;
  };
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<File> files;

  // filename="…", or for a name with a '"' (which a quoted string cannot hold) RFC 8187's
  // filename*=UTF-8''… with every byte but letters and digits percent-encoded.
  static std::string filenameParameter(const std::string& name) {
    if (name.find('"') == std::string::npos) return "filename=\"" + name + "\"";
    std::string out = "filename*=UTF-8''";
    for (unsigned char c : name) {
      if (std::isalnum(c)) {
        out += static_cast<char>(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
    return out;
  }
  std::string contentType() const {
    return std::string("multipart/form-data; boundary=") + kBoundary;
  }
  std::string str() const {
    std::string out;
    for (const auto& [name, value] : fields) {
      out += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
             "\"\r\n\r\n" + value + "\r\n";
    }
    for (const auto& f : files) {
      out += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
             f.field + "\"; " + filenameParameter(f.filename) +
             "\r\nContent-Type: " + f.content_type + "\r\n\r\n" + f.data + "\r\n";
    }
    return out + "--" + kBoundary + "--\r\n";
  }
};

}  // namespace portico::testing
