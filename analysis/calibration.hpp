#pragma once
/// Calibration of the transition model to a municipality's attendance register
/// (`attendsim calibrate CONFIG --register FILE.csv`), docs/methods.md §13.
///
/// Stratum: the grade band (the config's transition matrices are per band; the gender
/// differences of the config live in the initial prevalence only).
///
/// Transitions. A pair of one pupil's consecutive school months (a, b) is one transition
/// from state(a) to state(b) in school month m = month(b), band = band(grade(b)); June ->
/// September counts as the September transition (the model makes none in summer); a pair
/// across a missing month is skipped (counted in `gaps`) and starts a new chain.
///
/// Multipliers (docs/methods.md §13, "Seasonal, duration and relapse multipliers"). Those the prior
/// config switches on are estimated with the base rows: seasonal w_m (school month), duration d_s,k
/// (exits from high and extensive by months in state, bucket k of 1-2, 3-5, 6+) and relapse r
/// (worsening from regular for `relapse_months` after a return). A transition from state i in
/// school month m and bucket k (the duration bucket of rows high and extensive, the relapse flag of
/// row regular, else 0) follows the model's row outside a case,
///   p'_j = p_j d_i,k (j > i ? w_m r^[i = regular, k = 1] : 1)  (j != i),  p'_i = 1 - sum p'_j.
/// Each transition's bucket is read off the pupil's chain of months by the model's own
/// bookkeeping (months in state; the high-or-extensive mark; relapse months left). A bucket the
/// register cannot tell (a run that began before the chain; a regular pupil's relapse window in
/// its first months) drops the transition from the likelihood (counted in `censored`): the
/// choice depends on the past only, so the remaining likelihood is a valid partial likelihood.
/// Maximum likelihood by coordinate ascent: each base row by Newton's method given the
/// multipliers; each multiplier x by bisection on the derivative of its concave 1-d
/// log-likelihood sum_cells [u log x + s log(1 - L - x U)]. Only products are identified, so
/// the seasonal, high and extensive groups are each scaled to the mean of the config's values
/// (the entries they multiply inversely; the likelihood is unchanged). Standard errors from the
/// inverse of the observed information of all free parameters (base-row entries and
/// multipliers) bordered by the groups' mean constraints (Aitchison-Silvey).
/// The row posterior is Dirichlet(alpha0_i + N_i p^_i): exactly the conjugate posterior when no
/// multiplier is estimated (N_i the row's transitions); otherwise N_i is the row's effective
/// transitions, the largest N (at most the count) whose multinomial variance p^_j (1 - p^_j) /
/// (N + 1) is at least the ML variance of every entry of the row, so that the Dirichlet is no
/// narrower than the estimate (the multipliers' uncertainty widens the rows). A register that
/// cannot inform the multipliers (a non-finite or out-of-range maximum: too few transitions)
/// keeps the prior's multipliers and the conjugate rows (`multipliers_not_estimable`).
/// Entry intervals: the 2.5 and 97.5 % quantiles of the marginal Beta(alpha_j, A - alpha_j).
///
/// Initial prevalence per band: pupils in the register's first month by state,
/// Beta(a + n_s, b + N - n_s) with (a, b) the config's beta prior, else (0.5, 0.5).
/// Leaving: a pupil whose records end before the register's last month, other than one
/// finishing grade_max in June, left; exposure is the months from its first record to its
/// last, plus 1 for a leaver (2 when its last record is a June: it left in July, August or
/// September). Beta(a + leavers, b + exposure - leavers), prior as for prevalence.
#include <array>
#include <cstdint>

#include "analysis/attendance_register.hpp"
#include "analysis/model_config.hpp"

namespace attendsim::models {

/// Buckets of a transition: duration bucket (rows high, extensive), relapse flag (row regular).
inline constexpr int kBuckets = 3;

struct RowPosterior {
  Row prior{};   ///< alpha0: the prior Dirichlet parameters
  Row counts{};  ///< transition counts from this row, all months and buckets (not censored)
  Row data{};    ///< N_eff p^ (equal to counts when no multiplier is estimated)
  double effective_transitions = 0;  ///< N_eff (the counted transitions without multipliers)
  Row alpha{};                       ///< posterior Dirichlet parameters
  Row low{}, high{};                 ///< 95 % marginal credible interval of each entry
  double concentration() const { return alpha[0] + alpha[1] + alpha[2] + alpha[3]; }
  Row mean() const;
};

struct BetaPosterior {
  double a = 0.5, b = 0.5;
  double events = 0, trials = 0;  ///< data: successes of trials
  double mean() const { return a / (a + b); }
  double quantile(double u) const;
};

struct RegisterCalibration {
  std::array<std::array<RowPosterior, kAttendanceStates>, kBands> rows{};
  bool seasonality_estimated = false;
  std::array<double, kSchoolMonthsPerYear> worsen_mult{};
  std::array<double, kSchoolMonthsPerYear> worsen_mult_se{};
  bool duration_estimated = false;
  std::array<double, kBuckets> high_exit_mult{}, high_exit_mult_se{};
  std::array<double, kBuckets> extensive_exit_mult{}, extensive_exit_mult_se{};
  bool relapse_estimated = false;
  double relapse_mult = 1, relapse_mult_se = 0;
  int relapse_months = 0;
  bool multipliers_not_estimable = false;
  int iterations = 0;
  std::array<std::array<BetaPosterior, 3>, kBands> prevalence{};  ///< worrying, high, extensive
  BetaPosterior leave;
  std::uint64_t records = 0, pupils = 0, transitions = 0, gaps = 0, summer_rows_ignored = 0;
  std::uint64_t censored = 0;  ///< pairs whose bucket the register cannot tell (not counted)
  /// Counted transitions by band, bucket and row: bucket_counts[b][k][i][j].
  std::array<std::array<std::array<Row, kAttendanceStates>, kBuckets>, kBands> bucket_counts{};
  int first_month = 0, last_month = 0;  ///< calendar month indices
  int first_month_pupils = 0;
};

RegisterCalibration calibrate_register(const ModelConfig& prior, const AttendanceRegister& reg);

}  // namespace attendsim::models
