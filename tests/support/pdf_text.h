#pragma once

// What poppler's tools (and zbarimg) say of a PDF, for the tests that read their PDFs back.
#include <cstdio>
#include <fstream>
#include <string>

namespace portico::testing {

// What `command` (run by the shell) writes to its standard output and error.
inline std::string commandOutput(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

// The output of `tool` ("pdftotext -layout", "pdfinfo", …) run on `pdf`, written first to
// `dir`/read.pdf; pdftotext writes the text itself.
inline std::string popplerRead(const std::string& dir, const std::string& pdf,
                               const std::string& tool = "pdftotext -layout") {
  auto file = dir + "/read.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  auto to_stdout = tool.starts_with("pdftotext") ? " -" : "";
  return commandOutput(tool + " '" + file + "'" + to_stdout);
}

}  // namespace portico::testing
