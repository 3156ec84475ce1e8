#pragma once
/// One name table per enumerated choice (policies, methods, estimators, perspectives, modes):
/// the names a config or a command line uses, in one place, for parsing, printing and the
/// "known: ..." list of an error message.
///
/// An enum E opts in by declaring, in its own namespace, `constexpr const auto& name_table(E)`
/// returning a `std::array<Named<E>, N>`; the functions below find it by argument-dependent
/// lookup. A value missing from its table is a bug (name_of throws PreconditionError).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"

namespace attendsim {

template <class E>
struct Named {
  E value;
  const char* name;
};

/// The name of `v` in its table.
template <class E>
const char* name_of(E v) {
  for (const auto& n : name_table(v)) {
    if (n.value == v) return n.name;
  }
  ATTENDSIM_REQUIRE(false, "an enum value has no name in its table: " << static_cast<int>(v));
}

/// The value named `name`; nullopt when the table has no such name.
template <class E>
std::optional<E> parse_name(std::string_view name) {
  for (const auto& n : name_table(E{})) {
    if (name == n.name) return n.value;
  }
  return std::nullopt;
}

/// Every name of E's table, in table order.
template <class E>
std::vector<std::string> names_of() {
  std::vector<std::string> out;
  for (const auto& n : name_table(E{})) out.emplace_back(n.name);
  return out;
}

/// "a, b, c": the known names for an error message.
template <class E>
std::string known_names() {
  std::string out;
  for (const auto& n : name_table(E{})) out += (out.empty() ? "" : ", ") + std::string(n.name);
  return out;
}

}  // namespace attendsim
