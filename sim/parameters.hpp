#pragma once
/// The uncertain parameters of a model, independent of what they mean.
///
/// A config declares each numeric parameter as a fixed value or a distribution (and whole
/// probability rows as Dirichlet groups). The model binds parameters by index; the engine
/// only produces vectors of values: the base case, a PSA draw, or values set by a
/// sensitivity design. Sampling a draw (purpose tag kParameterPurpose):
///   parameter p with distribution F: u = (bits53 + 0.5) 2^-53 from the first output of the
///     engine keyed {seed, draw, 0, kParameterPurpose, stable_hash(path)}; value = F^{-1}(u).
///   Dirichlet group with base row (p_1..p_n) and concentration c: member i gets
///     g_i = Gamma(c p_i, 1)^{-1}(u_i), u_i from the i-th output of the engine keyed by the
///     group path; value_i = g_i / sum_j g_j. Members with p_i = 0 stay 0.
/// Keying by path (not position) keeps a parameter's draws stable when others are added.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/distributions.hpp"

namespace attendsim {

inline constexpr std::uint32_t kParameterPurpose = 0x70617261U;  // "para"

enum class Domain { any, probability, positive, nonnegative };

struct Parameter {
  std::string path;  ///< dotted key, e.g. "detection.p_consent"
  std::string file;  ///< config file, for messages
  int line = 0;
  double base = 0.0;
  std::optional<Distribution> dist;
  Domain domain = Domain::any;
  int group = -1;  ///< Dirichlet group index, or -1
};

struct DirichletGroup {
  std::string path;
  std::string file;
  int line = 0;
  std::vector<std::size_t> members;
  double concentration = 0.0;
};

class ParameterSet {
 public:
  /// Adds a parameter; the path must be new.
  std::size_t add(Parameter p);
  /// Declares that `members` (a probability row) are drawn jointly from a Dirichlet.
  std::size_t add_dirichlet(const std::string& path, const std::string& file, int line,
                            std::vector<std::size_t> members, double concentration);

  const std::vector<Parameter>& all() const { return params_; }
  const std::vector<DirichletGroup>& groups() const { return groups_; }
  const Parameter& at(std::size_t i) const { return params_.at(i); }
  std::optional<std::size_t> find(const std::string& path) const;
  std::size_t size() const { return params_.size(); }
  /// True when any parameter or group is uncertain.
  bool any_uncertain() const;
  /// Indices of individually uncertain parameters (with a distribution), in declaration order.
  std::vector<std::size_t> uncertain() const;

  std::vector<double> base_values() const;
  /// Fixes parameter i at `value` (drops its distribution): scenario variants such as
  /// "undiscounted" are made this way.
  void set_fixed(std::size_t i, double value);
  /// One PSA draw (see the file comment). Throws InputError when a draw leaves a
  /// parameter's domain (e.g. a normal distribution on a probability).
  std::vector<double> sample(std::uint64_t seed, std::uint64_t draw) const;
  /// Throws InputError naming the parameter when `values[i]` is outside its domain.
  void check_domain(const std::vector<double>& values, const std::string& context) const;

 private:
  std::vector<Parameter> params_;
  std::vector<DirichletGroup> groups_;
};

/// Whether v lies in the domain; `what` receives the requirement ("in [0, 1]").
bool in_domain(Domain d, double v, std::string& what);

}  // namespace attendsim
