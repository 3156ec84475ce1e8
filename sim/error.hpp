#pragma once
/// Errors and preconditions.
///
/// Library code throws; only `main` turns exceptions into exit codes. An `InputError`
/// (bad usage, bad config, bad data file) maps to exit code 2; anything else is a bug
/// and maps to exit code 1.
#include <sstream>
#include <stdexcept>
#include <string>

namespace attendsim {

/// A user-facing input problem: bad config value, unreadable file, bad option.
/// `what()` is the full message, already naming file, line and key where known.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A violated internal precondition (a bug, or an impossible parameter combination
/// that slipped past validation).
class PreconditionError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace attendsim

/// Throws PreconditionError with a streamed message when `cond` is false:
/// `ATTENDSIM_REQUIRE(n > 0, "n must be > 0, got " << n);`
#define ATTENDSIM_REQUIRE(cond, msg)                                     \
  do {                                                                   \
    if (!(cond)) {                                                       \
      std::ostringstream attendsim_require_os_;                          \
      attendsim_require_os_ << msg;                                      \
      throw ::attendsim::PreconditionError(attendsim_require_os_.str()); \
    }                                                                    \
  } while (false)

/// Throws InputError with a streamed message.
#define ATTENDSIM_INPUT_ERROR(msg)                            \
  do {                                                        \
    std::ostringstream attendsim_input_os_;                   \
    attendsim_input_os_ << msg;                               \
    throw ::attendsim::InputError(attendsim_input_os_.str()); \
  } while (false)
