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
/// across a missing month is skipped (counted in `gaps`). With counts n[b][m][i][j]:
///   - seasonality off in the config: the base row's likelihood is multinomial with counts
///     n_ij = sum_m n[m][i][j] and the Dirichlet prior alpha0_ij = c_i p_ij (the config's row
///     p_i with its dirichlet_concentration c_i, or c_i = 1 when it has none) gives the exact
///     posterior Dirichlet(alpha0_i + n_i).
///   - seasonality on: the model's row in month m is p'_mj = p_j w_m (j > i), p_j (j < i),
///     p'_mi = 1 - sum_{j != i} p'_mj. The base rows p and the multipliers w are found by
///     maximum likelihood, by coordinate ascent: for a row given w, the stationarity
///     condition p_j = n_j / sum_m (n_mi c_mj / D_m) (c_mj = w_m for j > i, else 1,
///     D_m = p'_mi) iterated to a fixed point; for w_m given the rows, the 1-d concave
///     log-likelihood sum_rows [u_m log w_m + n_mii log(1 - L_i - w_m U_i)] (u_m: worsening
///     counts, L_i, U_i: improving and worsening sums of the base row) by bisection on its
///     derivative. Only p_j w_m is identified for j > i: w is scaled so that its mean equals
///     that of the config's multipliers (rows scaled inversely; the likelihood is unchanged).
///     se(w_m) = (-d2 logL / dw_m^2)^(-1/2) at the maximum, conditional on the base rows.
///     The row posterior is Dirichlet(alpha0_i + N_i p^_i), N_i the row's transitions:
///     exactly the conjugate posterior when w = 1, the Laplace-style equivalent otherwise.
/// Entry intervals: the 2.5 and 97.5 % quantiles of the marginal Beta(alpha_j, A - alpha_j).
///
/// Initial prevalence per band: pupils in the register's first month by state,
/// Beta(a + n_s, b + N - n_s) with (a, b) the config's beta prior, else (0.5, 0.5).
/// Leaving: a pupil whose records end before the register's last month, other than one
/// finishing grade_max in June, left; exposure is the months from its first record to its
/// last, plus 1 for a leaver (2 when its last record is a June: it left in July, August or
/// September). Beta(a + leavers, b + exposure - leavers), prior as for prevalence.
/// Duration dependence and the relapse multiplier are not estimated: the counted rows average
/// over the durations in the register, so the calibrated config turns both off.
#include <array>
#include <cstdint>

#include "analysis/attendance_register.hpp"
#include "analysis/model_config.hpp"

namespace attendsim::models {

struct RowPosterior {
  Row prior{};        ///< alpha0: the prior Dirichlet parameters
  Row counts{};       ///< raw transition counts from this row, all months
  Row data{};         ///< N p^ (equal to counts when seasonality is not estimated)
  Row alpha{};        ///< posterior Dirichlet parameters
  Row low{}, high{};  ///< 95 % marginal credible interval of each entry
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
  int iterations = 0;
  std::array<std::array<BetaPosterior, 3>, kBands> prevalence{};  ///< worrying, high, extensive
  BetaPosterior leave;
  std::uint64_t records = 0, pupils = 0, transitions = 0, gaps = 0, summer_rows_ignored = 0;
  int first_month = 0, last_month = 0;  ///< calendar month indices
  int first_month_pupils = 0;
};

RegisterCalibration calibrate_register(const ModelConfig& prior, const AttendanceRegister& reg);

}  // namespace attendsim::models
