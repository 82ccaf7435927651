// Fuzzes what the Stripe webhook reads from the network (payments/stripe.h): any Stripe-Signature
// header and any body are checked and read without a crash; a header that passes is one whose t
// is within the tolerance and whose v1 is the HMAC of the body (re-signed here, it must pass); an
// event that is read has an id and a type. A violation abort()s. The input is "header\nbody".

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"
#include "modules/documents/payments/stripe.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::string_view kSecret = "whsec_fuzz";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portico;
  using namespace portico::documents;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto newline = in.find('\n');
  auto header = in.substr(0, newline);
  auto body = newline == std::string_view::npos ? std::string_view() : in.substr(newline + 1);
  (void)verifyStripeSignature(header, body, kSecret, kNow);
  // The body signed properly passes; one byte more does not.
  std::string payload = std::to_string(kNow) + "." + std::string(body);
  auto good =
      "t=" + std::to_string(kNow) + ",v1=" + core::hexEncode(core::hmacSha256(kSecret, payload));
  check(static_cast<bool>(verifyStripeSignature(good, body, kSecret, kNow)));
  check(!verifyStripeSignature(good, std::string(body) + "x", kSecret, kNow));
  if (auto e = parseStripeEvent(body)) {
    check(!e->id.empty() && !e->type.empty());
    auto state = eventState(*e);
    if (e->session_id.empty()) check(state == CheckoutState::Open);
  }
  return 0;
}
