#include "pdf/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "core/qr.h"

namespace portico::pdf {
namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct PngReader {
  std::string_view data;
  std::size_t at = 0;
};

cairo_status_t readPng(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->data.size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
  std::copy_n(r->data.data() + r->at, length, out);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

constexpr double kPangoScale = PANGO_SCALE;

}  // namespace

struct Document::State {
  std::string bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoLayout* layout = nullptr;
  PangoFontDescription* regular = nullptr;
  PangoFontDescription* bold = nullptr;
  bool finished = false;

  ~State() {
    if (regular) pango_font_description_free(regular);
    if (bold) pango_font_description_free(bold);
    if (layout) g_object_unref(layout);
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }

  // The layout holding `text` in `style`, `width` points wide.
  PangoLayout* laid(double width, std::string_view text, const TextStyle& style) {
    auto* font = style.bold ? bold : regular;
    pango_font_description_set_size(font, static_cast<int>(style.size * kPangoScale));
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, static_cast<int>(width * kPangoScale));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, style.align == TextStyle::Align::Right ? PANGO_ALIGN_RIGHT
                                       : style.align == TextStyle::Align::Center
                                           ? PANGO_ALIGN_CENTER
                                           : PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    return layout;
  }
};

Document::Document(const Metadata& m, double width, double height) : s_(std::make_unique<State>()) {
  s_->surface = cairo_pdf_surface_create_for_stream(append, &s_->bytes, width, height);
  if (cairo_surface_status(s_->surface) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error("pdf: cannot create a PDF surface");
  }
  cairo_pdf_surface_restrict_to_version(s_->surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_TITLE, m.title.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_AUTHOR, m.author.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_SUBJECT, m.subject.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_CREATOR, "Portico");
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_CREATE_DATE, m.created.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_MOD_DATE, m.created.c_str());
  s_->cr = cairo_create(s_->surface);
  s_->layout = pango_cairo_create_layout(s_->cr);
  s_->regular = pango_font_description_from_string("DejaVu Sans");
  s_->bold = pango_font_description_from_string("DejaVu Sans Bold");
}

Document::~Document() = default;

void Document::newPage() { cairo_show_page(s_->cr); }

double Document::text(double x, double y, double width, std::string_view text,
                      const TextStyle& style) {
  auto* layout = s_->laid(width, text, style);
  cairo_save(s_->cr);
  cairo_set_source_rgb(s_->cr, style.gray, style.gray, style.gray);
  cairo_move_to(s_->cr, x, y);
  pango_cairo_show_layout(s_->cr, layout);
  cairo_restore(s_->cr);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return h / kPangoScale;
}

double Document::measure(double width, std::string_view text, const TextStyle& style) {
  int w = 0, h = 0;
  pango_layout_get_size(s_->laid(width, text, style), &w, &h);
  return h / kPangoScale;
}

void Document::line(double x1, double y1, double x2, double y2, double width, double gray) {
  cairo_save(s_->cr);
  cairo_set_source_rgb(s_->cr, gray, gray, gray);
  cairo_set_line_width(s_->cr, width);
  cairo_move_to(s_->cr, x1, y1);
  cairo_line_to(s_->cr, x2, y2);
  cairo_stroke(s_->cr);
  cairo_restore(s_->cr);
}

void Document::fill(double x, double y, double w, double h, double gray) {
  cairo_save(s_->cr);
  cairo_set_source_rgb(s_->cr, gray, gray, gray);
  cairo_rectangle(s_->cr, x, y, w, h);
  cairo_fill(s_->cr);
  cairo_restore(s_->cr);
}

void Document::qr(double x, double y, double size, std::string_view text) {
  auto code = core::qrEncode(text);
  constexpr int kQuiet = 4;
  int side = code.width + 2 * kQuiet;
  // An image of one pixel a module, scaled up without smoothing: each code is one small image in
  // the PDF (a few hundred bytes) rather than hundreds of rectangles to write and compress.
  auto* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
  cairo_surface_flush(img);
  auto* pixels = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  for (int row = 0; row < side; ++row) {
    auto* line = reinterpret_cast<std::uint32_t*>(pixels + row * stride);
    for (int col = 0; col < side; ++col) {
      int r = row - kQuiet, c = col - kQuiet;
      bool dark = r >= 0 && c >= 0 && r < code.width && c < code.width && code.at(c, r);
      line[col] = dark ? 0x000000u : 0xFFFFFFu;
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_save(s_->cr);
  cairo_translate(s_->cr, x, y);
  cairo_scale(s_->cr, size / side, size / side);
  cairo_set_source_surface(s_->cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(s_->cr), CAIRO_FILTER_NEAREST);
  cairo_paint(s_->cr);
  cairo_restore(s_->cr);
  cairo_surface_destroy(img);
}

bool Document::image(double x, double y, double max_w, double max_h, std::string_view png) {
  if (png.size() < 8 || png.substr(0, 8) != "\x89PNG\r\n\x1a\n") return false;
  PngReader reader{png};
  auto* img = cairo_image_surface_create_from_png_stream(readPng, &reader);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    return false;
  }
  double w = cairo_image_surface_get_width(img);
  double h = cairo_image_surface_get_height(img);
  if (w <= 0 || h <= 0) {
    cairo_surface_destroy(img);
    return false;
  }
  double scale = std::min(max_w / w, max_h / h);
  cairo_save(s_->cr);
  cairo_translate(s_->cr, x, y);
  cairo_scale(s_->cr, scale, scale);
  cairo_set_source_surface(s_->cr, img, 0, 0);
  cairo_paint(s_->cr);
  cairo_restore(s_->cr);
  cairo_surface_destroy(img);
  return true;
}

std::string Document::finish() {
  if (!s_->finished) {
    s_->finished = true;
    cairo_show_page(s_->cr);
    cairo_surface_finish(s_->surface);
  }
  return std::move(s_->bytes);
}

}  // namespace portico::pdf
