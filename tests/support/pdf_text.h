#pragma once

// What poppler's tools say of a PDF, for the tests that read their PDFs back.
#include <cstdio>
#include <fstream>
#include <string>

namespace portico::testing {

// The output of `tool` ("pdftotext -layout", "pdfinfo", …) run on `pdf`, written first to
// `dir`/read.pdf; pdftotext writes the text itself.
inline std::string popplerRead(const std::string& dir, const std::string& pdf,
                               const std::string& tool = "pdftotext -layout") {
  auto file = dir + "/read.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string out;
  auto to_stdout = tool.starts_with("pdftotext") ? " -" : "";
  FILE* p = popen((tool + " '" + file + "'" + to_stdout + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace portico::testing
