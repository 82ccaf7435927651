#pragma once

#include <string>

#include "core/result.h"

namespace portico::notify {

struct MailMessage {
  std::string to;  // one address
  std::string subject;
  std::string text;  // plain-text part
  std::string html;  // HTML part
  // The conversation the mail belongs to ("case-42"), or empty: mail clients thread every mail
  // of one conversation together. Letters, digits, '.', '-' and '_' only.
  std::string thread;
};

// Sends e-mail. Implementations: OutboxMailer (a folder of .eml files), SmtpMailer (libcurl).
// Thread-safe.
class Mailer {
 public:
  virtual ~Mailer() = default;
  // Fails with InvalidInput for a header-injection attempt (CR/LF in to or subject) and with
  // Unavailable if the message could not be handed over.
  [[nodiscard]] virtual core::Status send(const MailMessage& message) = 0;
};

// The message as an RFC 5322 document: multipart/alternative with a text/plain and a text/html
// part, both quoted-printable UTF-8. `message_id` is "<unique>@<the sender's host>". A mail of a
// thread is In-Reply-To and References "<thread>@<the same host>", the conversation's root
// (RFC 5322 §3.6.4), so that every mail of it threads under that one id.
std::string buildEml(const MailMessage& message, const std::string& from,
                     const std::string& date_rfc5322, const std::string& message_id);

class OutboxMailer final : public Mailer {
 public:
  // REQUIRES: `dir` exists or can be created.
  OutboxMailer(std::string dir, std::string from);
  core::Status send(const MailMessage& message) override;

 private:
  std::string dir_;
  std::string from_;
};

class SmtpMailer final : public Mailer {
 public:
  // `url` as curl takes it: smtp://host:25, smtps://user:pass@host:465.
  SmtpMailer(std::string url, std::string from);
  core::Status send(const MailMessage& message) override;

 private:
  std::string url_;
  std::string from_;
};

}  // namespace portico::notify
