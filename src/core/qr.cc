#include "core/qr.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace portico::core {
namespace {

std::string attributeEscaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

QrCode qrEncode(std::string_view text) {
  std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr) throw std::runtime_error("QR encoding failed");
  QrCode out;
  out.width = qr->width;
  out.dark.resize(static_cast<std::size_t>(qr->width * qr->width));
  for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (qr->data[i] & 1) != 0;
  return out;
}

std::string qrSvg(std::string_view text, std::string_view label, int pixels) {
  auto qr = qrEncode(text);
  const int quiet = 4;
  const int size = qr.width + 2 * quiet;
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
      std::to_string(size) + "\" width=\"" + std::to_string(pixels) + "\" height=\"" +
      std::to_string(pixels) + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"" +
      attributeEscaped(label) +
      "\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < qr.width; ++y) {
    for (int x = 0; x < qr.width; ++x) {
      if (qr.at(x, y)) {
        svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
      }
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace portico::core
