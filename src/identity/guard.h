#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "http/error_response.h"
#include "http/multipart.h"
#include "http/router.h"
#include "identity/identity_service.h"

namespace portico::identity {

// Who may call a route. Issue 3 adds permissions per company on top of SignedIn.
enum class Access {
  Public,      // anyone
  PendingMfa,  // a session that may still be waiting for its second factor (the 2FA calls)
  SignedIn,    // a session that has completed 2FA
  ApiKey,      // an organization's integration API key (never a session)
};

// Checks integration API keys; implemented by the access layer. Returns the key's organization.
class ApiKeyVerifier {
 public:
  virtual ~ApiKeyVerifier() = default;
  virtual std::optional<core::OrgId> verify(const std::string& key, const Origin& origin) = 0;
};

// Remembers the first answer of an integration write by its Idempotency-Key, so that a client
// that lost an answer can send the same request again without doing it twice. Implemented by the
// integration layer; GuardedRoutes consults it around every Access::ApiKey POST, PUT and PATCH
// that carries the header.
class IdempotencyStore {
 public:
  struct Claim {
    enum class Outcome {
      Run,       // first use of the key: run the handler, then finish() or abandon()
      Replay,    // the same request was answered before: send `answer` again
      Mismatch,  // the key was used for another request (method, path or body)
      InFlight,  // the same request is running right now
    };
    Outcome outcome = Outcome::Run;
    http::Response answer;  // Replay: the stored first answer
  };
  virtual ~IdempotencyStore() = default;
  // Claims `key` of `org` for the request (method, path, SHA-256 of its body, hex). Commits at
  // once (outside any transaction of the handler), so that a concurrent duplicate sees it.
  virtual Claim claim(core::OrgId org, const std::string& key, const std::string& method,
                      const std::string& path, const std::string& body_sha256) = 0;
  // Stores the answer of a claimed key.
  virtual void finish(core::OrgId org, const std::string& key, const http::Response& answer) = 0;
  // Frees a claimed key whose request failed on the server's side (5xx, an exception): the
  // client may try again with it.
  virtual void abandon(core::OrgId org, const std::string& key) = 0;
};

// What a handler knows about its caller.
struct Context {
  std::optional<Principal> principal;
  std::optional<core::OrgId> integration_org;  // Access::ApiKey routes: the key's organization
  Origin origin;
  std::string lang;   // the UI language: the user's, else the browser's
  http::Params form;  // parsed form body (pages, POST): its fields, not its files
  // The files of a multipart/form-data POST (pages), in order; a file input left empty is not one.
  std::vector<http::MultipartPart> files;
  std::string csrf;             // the CSRF token to put in forms (pages)
  std::string set_csrf_cookie;  // a new CSRF cookie to set, if any (pages)
  // Pages: what this page says once (kept with the session by the request before), and what the
  // next page is to say — a handler that redirects after a change sets it ("Max Mustermann no
  // longer has access to Acme AB").
  std::optional<core::Message> notice;
  std::optional<core::Message> next_notice;
  // Pages: the request's path (where a prompt posts back to), and the refusal of a step-up code
  // the form carried ("step_up_code": checked before the handler runs; see servePage), or that
  // the prompt's "text me a code" ("step_up_sms") sent one.
  std::string path;
  std::optional<core::Error> step_up_error;
  bool step_up_sms_sent = false;
};

// Who acts, for the audit log: the signed-in user (if any), the request's address and id.
inline audit::Actor auditActor(const Context& c) {
  std::optional<core::UserId> user;
  if (c.principal) user = c.principal->user.id;
  return {user, c.origin.ip, c.origin.request_id};
}

using GuardedHandler = std::function<http::Response(http::Request&, Context&)>;

struct CookieSettings {
  bool secure = false;  // served over TLS: Secure cookies with the __Host- prefix
  std::string sessionCookieName() const {
    return secure ? "__Host-portico_session" : "portico_session";
  }
  std::string csrfCookieName() const { return secure ? "__Host-portico_csrf" : "portico_csrf"; }
  // A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/ (+ Secure), max_age < 0 deletes it.
  std::string cookie(const std::string& name, const std::string& value, int max_age) const;
};

// Registers routes on the router with their access rule, resolving the caller first: the bearer
// token of an API session for /api, the cookie of a web session for pages (whose POSTs must carry
// the CSRF token); a session of the other kind is no caller.
// Every route must be declared through here, which lets tests enumerate them.
class GuardedRoutes {
 public:
  struct Declared {
    std::string method;
    std::string pattern;
    Access access;
  };

  GuardedRoutes(http::Router& router, IdentityService& identity, CookieSettings cookies);

  // `body_limit`: the largest body the route reads, if larger than the server's (0: the
  // server's; see http::Route::body_limit).
  void api(const std::string& method, const std::string& pattern, Access access,
           GuardedHandler handler, http::Execution execution = http::Execution::Inline,
           std::size_t body_limit = 0);
  // A page's POST may be application/x-www-form-urlencoded or (for forms with files)
  // multipart/form-data within http::MultipartLimits' defaults; either way it must carry the CSRF
  // token as its "csrf" field.
  void page(const std::string& method, const std::string& pattern, Access access,
            GuardedHandler handler, http::Execution execution = http::Execution::Inline,
            std::size_t body_limit = 0);

  const std::vector<Declared>& declared() const { return declared_; }
  // REQUIRES: set before serving when any route uses Access::ApiKey.
  void setApiKeyVerifier(ApiKeyVerifier* verifier) { api_keys_ = verifier; }
  // Where Access::ApiKey writes (POST, PUT, PATCH) keep their Idempotency-Key answers: the same
  // key and request within the store's time answers the first answer again (header
  // Idempotent-Replayed: true); the key with another request 422; while the first still runs
  // 409; a key of more than 255 characters, or with characters outside printable ASCII, 400.
  // Unset: the header is ignored.
  void setIdempotencyStore(IdempotencyStore* store) { idempotency_ = store; }
  const CookieSettings& cookies() const { return cookies_; }

 private:
  static constexpr std::size_t kMaxIdempotencyKey = 255;
  // Resolve the caller of an API call or a page, check its access rule, run the handler.
  http::Response serveApi(http::Request& r, Access access, const GuardedHandler& handler);
  http::Response servePage(http::Request& r, Access access, const GuardedHandler& handler);
  // Runs an Access::ApiKey write under its Idempotency-Key, if it has one.
  http::Response idempotent(http::Request& r, Context& ctx, const GuardedHandler& handler);

  http::Router& router_;
  IdentityService& identity_;
  CookieSettings cookies_;
  ApiKeyVerifier* api_keys_ = nullptr;
  IdempotencyStore* idempotency_ = nullptr;
  std::vector<Declared> declared_;
};

// Parses a JSON object body. InvalidInput for malformed JSON, a non-object, or a key given twice
// (so {"role":"user","role":"admin"} cannot smuggle a value past a check).
core::Result<nlohmann::json> parseJsonObject(std::string_view body);

// The string at `key` ("" if absent); InvalidInput naming the field if it is present but not a
// string, or longer than `max_bytes`, or not clean UTF-8.
core::Result<std::string> stringField(const nlohmann::json& body, const std::string& key,
                                      std::size_t max_bytes = 1024);

// The token of an "Authorization: Bearer TOKEN" header ("" without one).
std::string bearerToken(const http::Request& request);

// Origin of a request (address, user agent, request id).
Origin originOf(const http::Request& request);

}  // namespace portico::identity
