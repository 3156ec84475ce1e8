#pragma once
/// Threshold (break-even) analysis: per scenario, the value of one parameter at which a
/// decision metric crosses its target (net benefit 0, or ROI at the config's ROI target),
/// the other parameters at their base values.
///
/// The function. For a value x of parameter p, f_s(x) = (1/R) sum_r y_{s,r}(x), where
/// y_{s,r}(x) is scenario s's net_benefit_sek (or roi) in replication r with p = x. Every x
/// runs on the same streams (RunOptions::common_streams_across_draws: replication r keyed
/// {seed, 0, r} at every x; each scenario of a unit on the same key), so f_s is a smooth or
/// step-wise monotone function of x up to common random numbers, not a noisy one.
///
/// Range. [lo, hi] is the parameter's 2.5 % and 97.5 % quantiles F^{-1}(0.025),
/// F^{-1}(0.975) of its config distribution (the ranges of EVIDENCE.md and of the one-way
/// analysis), or the range given by the caller.
///
/// Root. f_s - target is evaluated on a grid of G equally spaced values over [lo, hi] (all
/// scenarios in one experiment). The first grid interval where it changes sign (from the
/// low end) brackets the root, which Boost.Math's TOMS 748 (Alefeld, Potra and Shi 1995)
/// then finds to within `x_tolerance` x (hi - lo), each evaluation an experiment over
/// {baseline, s} on the same streams. Without a sign change on the grid there is no
/// crossing within [lo, hi] (reported with f_s at lo and hi); several sign changes are
/// counted (`crossings`) and the lowest is reported.
///
/// Interval (batch means). The R replications are split into B contiguous batches
/// (replications b R / B .. (b + 1) R / B - 1); the root theta_b of each batch's own mean
/// function is found the same way (its grid values come from the same grid experiment). The
/// pooled root theta has the interval theta +- t_{B-1, 0.975} sd(theta_b) / sqrt(B): the
/// batch roots estimate the same root from independent replications, and the root of R
/// replications varies as the mean of B roots of R / B does (to first order, the root is a
/// smooth function of a mean). When a batch has no crossing within [lo, hi] the interval is
/// not given (NaN), and `batches_crossed` says how many did.
///
/// Interpolated (compare's threshold, `refine = false`). No experiment beyond the grid: the
/// root of the bracketing interval [x_j, x_{j+1}] is the linear interpolation
/// x_j + (x_{j+1} - x_j) a / (a - b), a = f_s(x_j) - target, b = f_s(x_{j+1}) - target, for
/// the pooled replications and for each batch alike. Its cost is the grid experiment alone
/// (G x R units); the error of the interpolation is of the order of the curvature of f_s
/// times the grid step squared, and is not in the interval.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/work_limit.hpp"

namespace attendsim::models {

enum class ThresholdMetric { net_benefit, roi };

/// "net_benefit" or "roi"; InputError naming `option` otherwise.
ThresholdMetric parse_threshold_metric(const std::string& name, const std::string& option);
const char* threshold_metric_name(ThresholdMetric m);

/// The parameter a threshold analysis varies by default: the coordinators' effect on
/// improving transitions while in a case.
inline constexpr const char* kDefaultThresholdParameter = "coordinators.rr_improve_in_case";

struct ThresholdSpec {
  std::string parameter = kDefaultThresholdParameter;
  ThresholdMetric metric = ThresholdMetric::net_benefit;
  std::optional<double> target;  ///< default: 0 (net benefit) or cfg.compare.roi_target (roi)
  std::optional<std::pair<double, double>> range;  ///< default: the 2.5 % and 97.5 % quantiles
  std::vector<std::string> scenarios;              ///< names; empty: every compare scenario
  int grid_points = 9;                             ///< G >= 2
  int batches = 5;                                 ///< B >= 2; needs R >= 2 B replications
  double x_tolerance = 1e-4;                       ///< of (hi - lo)
  /// true: TOMS 748 refines the bracket with further experiments; false: linear
  /// interpolation between the bracketing grid values (see the file comment).
  bool refine = true;
};

struct ThresholdRow {
  std::string scenario;
  std::string parameter;
  std::string metric;  ///< threshold_metric_name
  double target = 0;
  double base_value = 0;
  double range_low = 0, range_high = 0;
  double metric_at_low = 0, metric_at_high = 0;  ///< f_s(lo), f_s(hi) over all replications
  bool crossed = false;                          ///< f_s - target changes sign within the range
  /// +1: the metric reaches the target for values above the threshold (it increases with the
  /// parameter there); -1: below; 0 when not crossed.
  int direction = 0;
  int crossings = 0;               ///< sign changes on the grid
  double threshold = 0;            ///< NaN when not crossed
  double ci_low = 0, ci_high = 0;  ///< batch-means interval (NaN when not every batch crossed)
  int batches = 0, batches_crossed = 0;
  int evaluations = 0;  ///< experiments run by the root finder for this row (grid excluded)
  /// The parameter's plausible range: its distribution's 2.5 % and 97.5 % quantiles (NaN for
  /// a fixed parameter). The searched range may be wider (compare's threshold).
  double plausible_low = 0, plausible_high = 0;
  bool refined = true;   ///< ThresholdSpec::refine
  int replications = 0;  ///< R of the grid experiment
  int grid_points = 0;   ///< G
};

struct ThresholdResult {
  std::vector<ThresholdRow> rows;
  int replications = 0;
  int grid_points = 0;
  double wall_seconds = 0;
};

/// Runs the analysis (see the file comment). Throws InputError naming the key and config
/// file for an unknown parameter, a fixed parameter without a given range, an empty range,
/// a range outside the parameter's domain, or an unknown scenario name.
ThresholdResult threshold_analysis(const ModelConfig& cfg, const RunOptions& opt,
                                   const ThresholdSpec& spec);

/// What threshold_analysis(cfg, opt, spec) costs (analysis/work_estimate.hpp): the grid's
/// G x R units of every scenario, and with refine the root finding's runs of {baseline,
/// scenario}, counted at kRefineEvaluations evaluations per root (the pooled root over R
/// replications and one per batch over R / B).
WorkEstimate threshold_work(const ModelConfig& cfg, const RunOptions& opt,
                            const ThresholdSpec& spec);

/// Evaluations of TOMS 748 per root that threshold_work counts (typically 5 to 8 at the
/// default tolerance): an estimate, not a bound.
inline constexpr int kRefineEvaluations = 5;

/// The parameter's default range [F^{-1}(0.025), F^{-1}(0.975)], or the given one, checked.
std::pair<double, double> threshold_range(const ModelConfig& cfg, const ThresholdSpec& spec);

/// `cfg` as a threshold analysis runs it: terminal events by their probabilities (the same
/// expectation as drawing them, and a smoother function of the parameter).
ModelConfig threshold_config(ModelConfig cfg);

/// Replications of compare's threshold grid (5 batches of 2), and its grid points: the
/// plausible range's ends and two more steps of its width above it.
inline constexpr int kCompareThresholdReplications = 10;
inline constexpr int kCompareThresholdGridPoints = 4;

/// compare's threshold (cheap, on by default): the coordinators' effect at which net benefit
/// is 0, every scenario, a grid of 4 values over [q2.5, q2.5 + 3 (q97.5 - q2.5)] (the
/// plausible range and twice its width above it, so that an effect beyond the plausible range
/// is found and said to be beyond it), interpolated (refine = false), 5 batches. The range
/// stops at 1 for a probability. Throws InputError when the config has no coordinators' effect
/// with a distribution (compare then has no threshold to give).
ThresholdSpec compare_threshold_spec(const ModelConfig& cfg);

/// Whether compare can compute its threshold for `cfg` (the default parameter exists and has
/// a distribution).
bool has_compare_threshold(const ModelConfig& cfg);

/// compare's threshold: threshold_analysis(threshold_config(cfg), o, compare_threshold_spec)
/// with `opt`'s seed and threads, one draw at base values and kCompareThresholdReplications
/// replications on common random numbers.
ThresholdResult compare_threshold(const ModelConfig& cfg, const RunOptions& opt);

}  // namespace attendsim::models
