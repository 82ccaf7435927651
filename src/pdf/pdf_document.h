#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace portico::pdf {

// What a PDF says about itself. The creation time is given, never read from a clock, so that
// the same document renders to the same bytes.
struct Metadata {
  std::string title;
  std::string author;
  std::string subject;
  std::string created;  // "2026-12-01T00:00:00"
};

// How a block of text is set: DejaVu Sans at `size` points, plain or bold, aligned in its box,
// in a grey level (0 black … 1 white).
struct TextStyle {
  enum class Align { Left, Right, Center };
  double size = 9.5;
  bool bold = false;
  Align align = Align::Left;
  double gray = 0;
};

// A PDF of pages (A4 unless told) drawn in points from the top left (x to the right, y down),
// with text laid out by pango (real shaping: any script, right-to-left included) in the DejaVu
// fonts. Not thread-safe; one per rendering (each thread may render its own at once).
class Document {
 public:
  static constexpr double kWidth = 595.28;  // A4, points
  static constexpr double kHeight = 841.89;

  static constexpr double kPointsPerMm = 72 / 25.4;

  // Every page `width` × `height` points.
  explicit Document(const Metadata& m, double width = kWidth, double height = kHeight);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Ends the page and starts the next.
  void newPage();
  // Draws `text` (UTF-8; "\n" breaks a line) wrapped into a box `width` points wide with its top
  // left at (x, y). Returns the height it took.
  double text(double x, double y, double width, std::string_view text, const TextStyle& style);
  // The height text() would take, without drawing.
  double measure(double width, std::string_view text, const TextStyle& style);
  // A line `width` points thick in grey level `gray`.
  void line(double x1, double y1, double x2, double y2, double width = 0.5, double gray = 0);
  // A rectangle filled in grey level `gray`.
  void fill(double x, double y, double w, double h, double gray);
  // The QR code of `text` (core::qrEncode), `size` points square with its quiet zone inside,
  // top left at (x, y): black modules on white.
  void qr(double x, double y, double size, std::string_view text);
  // A PNG image scaled to fit `max_w` × `max_h` (keeping its proportions), top left at (x, y).
  // False (and nothing drawn) for bytes that are not a PNG.
  bool image(double x, double y, double max_w, double max_h, std::string_view png);
  // Finishes the document: its bytes. REQUIRES: called once, last.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace portico::pdf
