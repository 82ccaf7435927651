#pragma once

#include "http/router.h"

namespace portico::web {

// Serves the bundled CSS (Pico CSS from npm plus assets/portico.css, built into the binary) under
// /static/, with an ETag and a day of caching.
void registerStaticAssets(http::Router& router);

}  // namespace portico::web
