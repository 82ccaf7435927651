#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/random.h"
#include "core/text.h"
#include "notify/mailer.h"

namespace portico::notify {
namespace {

bool hasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

// Quoted-printable (RFC 2045 §6.7), lines at most 76 characters, CRLF line ends.
std::string quotedPrintable(const std::string& in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t line = 0;
  auto put = [&](const std::string& token) {
    if (line + token.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += token;
    line += token.size();
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c == '\n') {
      out += "\r\n";
      line = 0;
    } else if (c == '\r') {
      continue;
    } else if ((c >= 33 && c <= 126 && c != '=') ||
               (c == ' ' && i + 1 < in.size() && in[i + 1] != '\n')) {
      put(std::string(1, static_cast<char>(c)));
    } else {
      put(std::string{'=', kHex[c >> 4], kHex[c & 0xF]});
    }
  }
  return out;
}

// RFC 2047 encoded word for a non-ASCII header value.
std::string encodeHeader(const std::string& value) {
  bool ascii = true;
  for (unsigned char c : value) {
    ascii = ascii && c < 0x80;
  }
  if (ascii) {
    return value;
  }
  std::string b64 = core::base64UrlEncode(value);
  // base64url → standard base64 with padding for the encoded word
  for (char& ch : b64) {
    if (ch == '-') ch = '+';
    if (ch == '_') ch = '/';
  }
  while (b64.size() % 4) b64 += '=';
  return "=?UTF-8?B?" + b64 + "?=";
}

std::string rfc5322Now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string domainOf(const std::string& address) {
  auto at = address.find('@');
  return at == std::string::npos ? "portico.local" : address.substr(at + 1);
}

bool threadChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

core::Status validate(const MailMessage& m) {
  if (hasLineBreak(m.to) || hasLineBreak(m.subject) || !core::looksLikeEmail(m.to) ||
      !std::all_of(m.thread.begin(), m.thread.end(), threadChar)) {
    return core::fail(core::Error::invalid("errors.notify.bad_mail"));
  }
  return {};
}

}  // namespace

std::string buildEml(const MailMessage& m, const std::string& from, const std::string& date,
                     const std::string& message_id) {
  std::string boundary = "=_portico_" + core::hexEncode(core::randomBytes(12));
  std::string out;
  out += "From: " + from + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + encodeHeader(m.subject) + "\r\n";
  out += "Date: " + date + "\r\n";
  out += "Message-ID: <" + message_id + ">\r\n";
  if (!m.thread.empty()) {
    auto root = "<" + m.thread + "@" + domainOf(message_id) + ">";
    out += "In-Reply-To: " + root + "\r\n";
    out += "References: " + root + "\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quotedPrintable(m.text) + "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quotedPrintable(m.html) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

OutboxMailer::OutboxMailer(std::string dir, std::string from)
    : dir_(std::move(dir)), from_(std::move(from)) {
  // Made now where it can be, else at the first message: a command that sends nothing (`init`
  // in a folder it may not write) does not fail on it.
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
}

core::Status OutboxMailer::send(const MailMessage& m) {
  if (auto s = validate(m); !s) {
    return s;
  }
  static std::atomic<unsigned> sequence{0};
  std::string id = fmt::format("{}-{:08}-{}", std::time(nullptr), ++sequence,
                               core::hexEncode(core::randomBytes(4)));
  std::string eml = buildEml(m, from_, rfc5322Now(), id + "@" + domainOf(from_));
  std::error_code made;
  std::filesystem::create_directories(dir_, made);  // a failure shows as the write's
  auto final_path = std::filesystem::path(dir_) / (id + ".eml");
  auto tmp_path = std::filesystem::path(dir_) / ("." + id + ".tmp");
  {
    std::ofstream f(tmp_path, std::ios::binary);
    f << eml;
    if (!f) {
      return core::fail(core::Error::unavailable("errors.notify.mail_outbox"));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp_path, final_path, ec);  // readers never see half a message
  if (ec) {
    return core::fail(core::Error::unavailable("errors.notify.mail_outbox"));
  }
  return {};
}

SmtpMailer::SmtpMailer(std::string url, std::string from)
    : url_(std::move(url)), from_(std::move(from)) {}

core::Status SmtpMailer::send(const MailMessage& m) {
  if (auto s = validate(m); !s) {
    return s;
  }
  std::string id = fmt::format("{}-{}", std::time(nullptr), core::hexEncode(core::randomBytes(6)));
  std::string eml = buildEml(m, from_, rfc5322Now(), id + "@" + domainOf(from_));
  struct Upload {
    const std::string* data;
    std::size_t pos = 0;
  } upload{&eml};
  auto read = +[](char* buf, std::size_t size, std::size_t n, void* user) -> std::size_t {
    auto* up = static_cast<Upload*>(user);
    std::size_t len = std::min(size * n, up->data->size() - up->pos);
    std::memcpy(buf, up->data->data() + up->pos, len);
    up->pos += len;
    return len;
  };
  CURL* curl = curl_easy_init();
  if (!curl) {
    return core::fail(core::Error::unavailable("errors.notify.mail_unavailable"));
  }
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  std::string mail_from = "<" + from_ + ">";
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);  // a server that does not answer
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);         // a server that answers slowly
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return core::fail(core::Error::unavailable("errors.notify.mail_failed")
                          .with("reason", curl_easy_strerror(rc)));
  }
  return {};
}

}  // namespace portico::notify
