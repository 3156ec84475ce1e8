#pragma once
/// Number checks for command-line options with readable messages. CLI11's PositiveNumber and
/// NonNegativeNumber print the upper bound (DBL_MAX) with all its 309 digits and, like
/// CLI::Range, let "nan" through; these do neither.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/names.hpp"
#include "sim/work_limit.hpp"

namespace attendsim::app {

/// A number in [lo, hi]; `what` describes the range in the message ("between 1 and 1 000 000").
inline CLI::Validator number_in(double lo, double hi, const std::string& what) {
  return CLI::Validator(
      [lo, hi, what](std::string& s) -> std::string {
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0')
          return "must be a number " + what + ", got '" + s + "'";
        if (!(v >= lo && v <= hi)) return "must be " + what + ", got " + s;
        return "";
      },
      what);
}

/// A non-empty value (an empty --out "" would silently mean the default, or nothing).
inline CLI::Validator non_empty() {
  return CLI::Validator(
      [](std::string& s) -> std::string { return s.empty() ? "must not be empty" : ""; }, "");
}

/// --max-memory-gib and --max-hours: the limits every command that simulates checks its
/// WorkEstimate against (sim/work_limit.hpp) before it allocates or simulates anything.
inline void add_limit_options(CLI::App* sub, WorkLimits& limits) {
  sub->add_option("--max-memory-gib", limits.max_memory_gib,
                  "refuse a run that would need more memory than this (default 8)")
      ->check(number_in(1e-6, 1e6, "between 0 and 1e6"));
  sub->add_option("--max-hours", limits.max_hours,
                  "refuse a run estimated to take longer than this (default 1; the estimate "
                  "is printed with the refusal)")
      ->check(number_in(1e-6, 1e6, "between 0 and 1e6"));
}

/// An output path (--out): not empty (an empty --out "" would silently mean the default, or
/// nothing), not starting with '-' (`--out --quiet` is a forgotten value) and without control
/// characters (a newline, tab, escape or DEL in a file name
/// breaks every listing, log and CSV that names it, and is almost always a quoting mistake).
inline CLI::Validator output_path() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty()) return "must not be empty";
        // `--out --quiet` took the next option as the folder's name.
        if (s[0] == '-')
          return "must not start with '-' (a forgotten value before another option?); write "
                 "./" +
                 s + " for such a name";
        for (std::size_t i = 0; i < s.size(); ++i) {
          const auto c = static_cast<unsigned char>(s[i]);
          if (c < 0x20 || c == 0x7f)
            return "must not contain control characters (byte " + std::to_string(c) +
                   " at position " + std::to_string(i + 1) + ")";
        }
        return "";
      },
      "");
}

/// A whole number in [lo, hi], written in digits: for integer options, where CLI11 alone says
/// "Could not convert: --grid = 2.5" or, with CLI::Range, "Value 13.5 not in range 1 to 1200".
inline CLI::Validator whole_in(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        const std::string what =
            "a whole number between " + std::to_string(lo) + " and " + std::to_string(hi);
        const std::size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
        if (sign == s.size() || s.find_first_not_of("0123456789", sign) != std::string::npos)
          return "must be " + what + ", got '" + s + "'";
        errno = 0;
        const long long v = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == ERANGE || v < lo || v > hi) return "must be " + what + ", got " + s;
        return "";
      },
      "");
}

/// A positive count of at most `hi`.
inline CLI::Validator count_up_to(long long hi) {
  return whole_in(1, hi);
}

/// One of E's names (its one name table, sim/names.hpp), plus `extra` names the command gives
/// a meaning of its own; --help lists them and a wrong name is refused with the list.
template <class E>
CLI::IsMember one_of(std::vector<std::string> extra = {}) {
  auto names = names_of<E>();
  names.insert(names.end(), extra.begin(), extra.end());
  return CLI::IsMember(names);
}

/// The value of a name that one_of<E>() let through.
template <class E>
E chosen(const std::string& name) {
  const auto v = parse_name<E>(name);
  ATTENDSIM_REQUIRE(v.has_value(), "'" << name << "' is not a name of its table");
  return *v;
}

}  // namespace attendsim::app
