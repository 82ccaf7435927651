#pragma once

#include <string>

namespace portico::testing {

// A TCP connection to 127.0.0.1:`port` with a 5 s receive timeout; -1 if it cannot connect.
int connectTo(unsigned short port);
// The same from the local address `source` (any of 127.0.0.0/8 works on loopback).
int connectFrom(unsigned short port, const char* source);
// True if the server has closed `fd` (a read sees EOF or a reset within `wait_ms`).
bool closedByPeer(int fd, int wait_ms = 1000);
// Sends `raw` over a new plain TCP connection; everything the server answers until it closes
// (or 5 s pass without a byte).
std::string exchange(unsigned short port, const std::string& raw);
// Sends `raw` on the open connection `fd` and reads until the server closes it (or 5 s pass).
std::string exchangeOn(int fd, const std::string& raw);

}  // namespace portico::testing
