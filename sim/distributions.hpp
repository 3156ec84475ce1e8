#pragma once
/// Parameter distributions for probabilistic sensitivity analysis.
///
/// Every distribution is sampled by inversion, x = F^{-1}(u) with u uniform on (0,1), so a
/// parameter draw is a deterministic function of one uniform: the same machinery serves
/// random PSA draws, quasi-random (Sobol) designs and one-way low/high values
/// (F^{-1}(0.025), F^{-1}(0.975)). Quantiles come from Boost.Math.
///
/// Parameterisations (EVIDENCE.md notation):
///   beta(a, b); gamma(shape k, scale theta), mean k*theta; lognormal(mu, sigma) on the log
///   scale, median exp(mu); normal(mean, sd); uniform(low, high); triangular(low, mode, high).
#include <string>
#include <vector>

namespace attendsim {

struct Distribution {
  enum class Kind { beta, gamma, lognormal, normal, uniform, triangular };
  Kind kind = Kind::uniform;
  std::vector<double> args;  ///< in the order of the parameterisation above

  /// F^{-1}(u) for u in (0, 1).
  double quantile(double u) const;
  /// The default base value: the mean, except the median exp(mu) for a lognormal (the
  /// convention of EVIDENCE.md, whose lognormal defaults are medians).
  double central() const;
  double mean() const;
  /// Lower and upper bounds of the support (may be +-infinity).
  double support_low() const;
  double support_high() const;
  /// Human-readable form, e.g. "beta(9.6, 17.9)".
  std::string describe() const;
};

/// Parses a kind name ("beta", ...); returns false when unknown.
bool parse_distribution_kind(const std::string& name, Distribution::Kind& out);
/// Names of the arguments of a kind, e.g. {"a", "b"} for beta.
std::vector<std::string> distribution_arg_names(Distribution::Kind kind);
/// Validates the arguments; returns an empty string when fine, else what is wrong.
std::string validate_distribution(const Distribution& d);

}  // namespace attendsim
