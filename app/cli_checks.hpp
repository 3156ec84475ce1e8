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

/// A positive count of at most `hi`.
inline CLI::Validator count_up_to(double hi) {
  return number_in(
      1, hi, "a whole number between 1 and " + CLI::detail::to_string(static_cast<long long>(hi)));
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
