#pragma once

#include <span>
#include <string>
#include <string_view>

namespace portico::identity {

// A kind of e-mail notification a user can turn on or off (PRODUCT.md §5, personal settings).
// Every kind is on until the user turns it off.
struct NotificationKind {
  std::string_view id;         // stable, used in the API and the database: "access.changes"
  std::string_view label_key;  // its i18n label: "notifications.kind.access_changes"
};

// The kinds other modules pass to IdentityService::notify().
//
// kAccessChanges goes with the mail template "access_changed", whose vars are `company` (its
// name) and what happened: `change_granted`, `change_changed` or `change_removed` set to true
// for the standard sentence in the user's language, or `change`, a sentence of the caller's.
inline constexpr std::string_view kAccessChanges = "access.changes";
inline constexpr std::string_view kSupportUpdates = "support.updates";
inline constexpr std::string_view kInvoicesNew = "invoices.new";
inline constexpr std::string_view kOrdersStatus = "orders.status";
inline constexpr std::string_view kQuotesNew = "quotes.new";
inline constexpr std::string_view kNews = "news";

// Every kind, in the order the API and the account page list them.
std::span<const NotificationKind> notificationKinds();
bool isNotificationKind(std::string_view id);

// A kind and whether the user gets it.
struct NotificationSetting {
  std::string kind;
  bool enabled = true;
};

}  // namespace portico::identity
