#pragma once
/// Monte Carlo summaries.
///
/// The independent unit is a replication (one stochastic run), or, in a PSA, a parameter
/// draw (the mean over its replications); pupils within a run are not independent. For unit
/// values x_1..x_n:
///   mean  = (1/n) sum x_i
///   sd    = sqrt( sum (x_i - mean)^2 / (n - 1) )            (sample standard deviation)
///   se    = sd / sqrt(n)                                    (Monte Carlo standard error)
///   ci    = mean -+ t_{0.975, n-1} * se                     (95 % CI of the mean)
///   p2_5, p97_5: 2.5 % and 97.5 % quantiles of the x_i (type 7: linear interpolation
///         between order statistics, the default of R and NumPy): the spread across units,
///         not an interval for the mean.
/// Paired differences between scenarios are summarised the same way on d_i = a_i - b_i,
/// with P(d > 0) = #{d_i > 0} / n.
#include <cstddef>
#include <span>
#include <vector>

namespace attendsim {

/// Welford/Chan running mean and variance: `add` one value, `merge` two accumulators
/// (Chan et al. 1979: delta = mean_b - mean_a; M2 = M2_a + M2_b + delta^2 n_a n_b / n).
class RunningStats {
 public:
  void add(double x);
  void merge(const RunningStats& other);
  std::size_t count() const { return n_; }
  double mean() const { return mean_; }
  /// Sample variance (n - 1 denominator); 0 when n < 2.
  double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }

 private:
  std::size_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

struct Summary {
  std::size_t n = 0;
  double mean = 0.0;
  double sd = 0.0;
  double se = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  double p2_5 = 0.0;
  double p97_5 = 0.0;
  double p_positive = 0.0;  ///< share of units > 0 (used for paired differences)
};

/// Summary of unit values; NaN values (undefined in that unit, e.g. a mean wait with no
/// cases) are left out. Requires at least one finite value. With n = 1, se and the CI
/// half-width are reported as 0 (no error estimate possible).
Summary summarise(std::span<const double> values);

/// Type-7 quantile of `values` (copied and sorted), p in [0, 1].
double quantile(std::span<const double> values, double p);

/// t_{p, df} quantile of Student's t (Boost.Math).
double student_t_quantile(double p, double df);

}  // namespace attendsim
