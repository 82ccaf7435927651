#pragma once

#include <tl/expected.hpp>

#include "core/error.h"

namespace portico::core {

// A value or an Error. Becomes std::expected under C++23.
template <typename T>
using Result = tl::expected<T, Error>;

// Success or an Error.
using Status = Result<void>;

inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace portico::core
