#include "notify/sms.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "core/text.h"

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
  std::string body = nlohmann::json{{"to", to}, {"text", text}}.dump();
  CURL* curl = curl_easy_init();
  if (!curl) {
    return core::fail(core::Error::unavailable("errors.notify.sms_unavailable"));
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 15L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  auto discard = +[](char*, std::size_t size, std::size_t n, void*) { return size * n; };
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK || status < 200 || status >= 300) {
    return core::fail(core::Error::unavailable("errors.notify.sms_refused"));
  }
  return {};
}

}  // namespace portico::notify
