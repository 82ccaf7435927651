#pragma once

#include <string>

#include "core/result.h"

namespace portico::notify {

// Sends text messages. Implementations: OutboxSms (a folder of .json files), HttpSmsGateway.
// Thread-safe.
class SmsSender {
 public:
  virtual ~SmsSender() = default;
  [[nodiscard]] virtual core::Status send(const std::string& to, const std::string& text) = 0;
};

class OutboxSms final : public SmsSender {
 public:
  explicit OutboxSms(std::string dir);
  core::Status send(const std::string& to, const std::string& text) override;

 private:
  std::string dir_;
};

// POSTs {"to","text"} as JSON to the gateway URL; any 2xx is success.
class HttpSmsGateway final : public SmsSender {
 public:
  explicit HttpSmsGateway(std::string url);
  core::Status send(const std::string& to, const std::string& text) override;

 private:
  std::string url_;
};

// True for an E.164 phone number: '+' then 8 to 15 digits.
bool isE164(const std::string& phone);

}  // namespace portico::notify
