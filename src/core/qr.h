#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portico::core {

// The modules of a QR code (libqrencode, error correction level M, 8-bit mode): `width` × `width`
// squares, row by row, true where dark. No quiet zone: whoever draws it leaves 4 modules around.
struct QrCode {
  int width = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};
// Throws std::runtime_error for a text too long for any QR code (about 2,300 bytes at level M).
QrCode qrEncode(std::string_view text);

// An SVG image of the QR code of `text`: dark modules on white with a quiet zone, `pixels` wide,
// role="img" with `label` as its text alternative (escaped here).
std::string qrSvg(std::string_view text, std::string_view label, int pixels = 220);

}  // namespace portico::core
