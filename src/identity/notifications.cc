#include "identity/notifications.h"

#include <algorithm>

namespace portico::identity {
namespace {

constexpr NotificationKind kKinds[] = {
    {kAccessChanges, "notifications.kind.access_changes"},
    {kSupportUpdates, "notifications.kind.support_updates"},
    {kInvoicesNew, "notifications.kind.invoices_new"},
    {kOrdersStatus, "notifications.kind.orders_status"},
    {kQuotesNew, "notifications.kind.quotes_new"},
    {kNews, "notifications.kind.news"},
};

}  // namespace

std::span<const NotificationKind> notificationKinds() { return kKinds; }

bool isNotificationKind(std::string_view id) {
  return std::any_of(std::begin(kKinds), std::end(kKinds),
                     [id](const NotificationKind& k) { return k.id == id; });
}

}  // namespace portico::identity
