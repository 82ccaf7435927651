#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/devices/device.h"

namespace portico::devices {

// The labels a device's QR code is printed on.
enum class LabelFormat {
  Sheet,  // A4 sheets of Avery L7163: 99.1 × 38.1 mm, 2 × 7 to a sheet
  Tape,   // one 62 × 29 mm label a page, for 62 mm label printers
};
std::optional<LabelFormat> parseLabelFormat(std::string_view name);  // "sheet", "tape"

inline constexpr std::size_t kMaxLabels = 1400;  // 100 sheets

// A PDF of one label a device, in the devices' order: the QR code of `public_url` + "/d/" + its
// code, its name (cut to what fits), serial, code (grouped, to be typed) and `vendor`. The same
// devices render to the same bytes (the PDF's time is the newest device's update). Thread-safe.
std::string renderLabels(const std::vector<Device>& devices, LabelFormat format,
                         const std::string& vendor, const std::string& public_url);

}  // namespace portico::devices
