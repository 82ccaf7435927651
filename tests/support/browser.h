#pragma once

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "http/url.h"
#include "support/multipart_body.h"
#include "support/test_server.h"

namespace portico::testing {

// A cookie-keeping client for the pages, which picks up the CSRF token of the last form seen.
class Browser {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;

  explicit Browser(TestServer& s, std::string lang = "en") : s_(s), lang_(std::move(lang)) {}

  HttpResult get(const std::string& path) {
    auto r = s_.request("GET", path, "", headers());
    keep(r);
    return r;
  }
  // Posts an url-encoded form body as given, with the CSRF token unless `with_csrf` is false.
  HttpResult post(const std::string& path, const std::string& form, bool with_csrf = true) {
    std::string body = form;
    if (with_csrf) body += (body.empty() ? "" : "&") + std::string("csrf=") + csrf_;
    auto h = headers();
    h.push_back("Content-Type: application/x-www-form-urlencoded");
    auto r = s_.request("POST", path, body, h);
    keep(r);
    return r;
  }
  // Posts the form fields (encoded here) and the CSRF token.
  HttpResult submit(const std::string& path, const Fields& fields = {}) {
    std::string form;
    for (const auto& [k, v] : fields) form += k + "=" + http::percentEncode(v) + "&";
    if (!form.empty()) form.pop_back();
    return post(path, form);
  }
  // Posts a multipart/form-data form (fields and files) with the CSRF token.
  HttpResult postMultipart(const std::string& path, MultipartBody body) {
    body.fields.insert(body.fields.begin(), {"csrf", csrf_});
    auto h = headers();
    h.push_back("Content-Type: " + body.contentType());
    auto r = s_.request("POST", path, body.str(), h);
    keep(r);
    return r;
  }
  const std::string& csrf() const { return csrf_; }
  std::string cookie(const std::string& name) const {
    auto it = cookies_.find(name);
    return it == cookies_.end() ? "" : it->second;
  }

 private:
  std::vector<std::string> headers() const {
    std::string c;
    for (const auto& [k, v] : cookies_) c += k + "=" + v + "; ";
    std::vector<std::string> h = {"Accept-Language: " + lang_};
    if (!c.empty()) h.push_back("Cookie: " + c);
    return h;
  }
  void keep(const HttpResult& r) {
    for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it) {
      auto eq = it->second.find('=');
      auto semi = it->second.find(';');
      auto name = it->second.substr(0, eq);
      if (it->second.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(name);
      } else {
        cookies_[name] = it->second.substr(eq + 1, semi - eq - 1);
      }
    }
    std::smatch m;
    if (std::regex_search(r.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\""))) {
      csrf_ = m[1].str();
    }
  }

  TestServer& s_;
  std::string lang_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

// A browser signed in as `email`: the password, then a TOTP code of `totp_secret` for the next
// time step (the clock moves 30 s first, as a code is good once).
inline Browser signedInBrowser(TestServer& server, const std::string& email,
                               const std::string& totp_secret) {
  server.clock().advance(30);
  Browser b(server);
  b.get("/login");
  b.submit("/login", {{"email", email}, {"password", TestServer::kPassword}});
  b.get("/mfa");
  b.submit("/mfa", {{"code", server.totpCode(totp_secret)}});
  return b;
}

}  // namespace portico::testing
