#include "notify/sms.h"

#include <fmt/format.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "core/text.h"
#include "notify/http_client.h"

namespace portico::notify {

bool isE164(const std::string& phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') {
    return false;
  }
  for (std::size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') {
      return false;
    }
  }
  return true;
}

OutboxSms::OutboxSms(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;  // made now where it can be, else at the first message (as mail's)
  std::filesystem::create_directories(dir_, ec);
}

core::Status OutboxSms::send(const std::string& to, const std::string& text) {
  if (!isE164(to)) {
    return core::fail(core::Error::invalid("errors.notify.bad_phone", "phone"));
  }
  static std::atomic<unsigned> sequence{0};
  std::string id = fmt::format("{}-{:08}-{}", std::time(nullptr), ++sequence,
                               core::hexEncode(core::randomBytes(4)));
  std::error_code made;
  std::filesystem::create_directories(dir_, made);  // a failure shows as the write's
  auto tmp = std::filesystem::path(dir_) / ("." + id + ".tmp");
  {
    std::ofstream f(tmp, std::ios::binary);
    f << nlohmann::json{{"to", to}, {"text", text}}.dump();
    if (!f) {
      return core::fail(core::Error::unavailable("errors.notify.sms_outbox"));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, std::filesystem::path(dir_) / (id + ".json"), ec);
  if (ec) {
    return core::fail(core::Error::unavailable("errors.notify.sms_outbox"));
  }
  return {};
}

HttpSmsGateway::HttpSmsGateway(std::string url) : url_(std::move(url)) {}

core::Status HttpSmsGateway::send(const std::string& to, const std::string& text) {
  if (!isE164(to)) {
    return core::fail(core::Error::invalid("errors.notify.bad_phone", "phone"));
  }
  HttpCall call;
  call.method = "POST";
  call.url = url_;
  call.content_type = "application/json";
  call.body = nlohmann::json{{"to", to}, {"text", text}}.dump();
  auto answer = HttpClient().send(call);
  if (answer.status < 200 || answer.status >= 300) {
    return core::fail(core::Error::unavailable("errors.notify.sms_refused"));
  }
  return {};
}

}  // namespace portico::notify
