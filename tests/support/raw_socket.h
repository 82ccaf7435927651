#pragma once

#include <string>

namespace portico::testing {

// A TCP connection to 127.0.0.1:`port` with a 5 s receive timeout; -1 if it cannot connect.
int connectTo(unsigned short port);
// Sends `raw` over a new plain TCP connection; everything the server answers until it closes
// (or 5 s pass without a byte).
std::string exchange(unsigned short port, const std::string& raw);

}  // namespace portico::testing
