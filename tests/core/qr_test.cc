#include "core/qr.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace portico::core {
namespace {

// The 7 × 7 finder pattern of a QR code's corner at (x0, y0): a dark ring, a light ring, a dark
// 3 × 3 centre.
bool finderAt(const QrCode& qr, int x0, int y0) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      if (qr.at(x0 + x, y0 + y) != (ring || centre)) return false;
    }
  }
  return true;
}

TEST(QrTest, AShortTextIsAVersionOneCodeWithItsThreeFinderPatterns) {
  auto qr = qrEncode("HELLO");
  ASSERT_EQ(qr.width, 21);  // version 1
  EXPECT_TRUE(finderAt(qr, 0, 0));
  EXPECT_TRUE(finderAt(qr, qr.width - 7, 0));
  EXPECT_TRUE(finderAt(qr, 0, qr.width - 7));
  EXPECT_FALSE(finderAt(qr, qr.width - 7, qr.width - 7));  // the fourth corner has none
}

TEST(QrTest, ALongerTextTakesALargerVersionAndTooLongATextIsRefused) {
  auto url = qrEncode("https://portal.example.com/d/23456789AB");
  EXPECT_GT(url.width, 21);
  EXPECT_EQ((url.width - 17) % 4, 0);  // a version's width is 17 + 4 × version
  EXPECT_THROW(qrEncode(std::string(5000, 'x')), std::runtime_error);
}

TEST(QrTest, TheSvgIsAnImageWithItsLabelAndNoScript) {
  auto svg = qrSvg("otpauth://totp/Portico:a?secret=GEZDGNBV", "Code \"<b>\" & more", 180);
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\"Code &quot;&lt;b&gt;&quot; &amp; more\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"180\""), std::string::npos);
  EXPECT_NE(svg.find("<path"), std::string::npos);
  EXPECT_EQ(svg.find("script"), std::string::npos);
}

}  // namespace
}  // namespace portico::core
