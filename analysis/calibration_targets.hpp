#pragma once
/// Calibration to aggregate targets by sampling-importance-resampling (SIR), for a
/// municipality without microdata (`attendsim calibrate CONFIG --targets FILE.csv --params ...`),
/// docs/methods.md §13.
///
/// Targets (scale-free shares, so that the simulated population need not be the
/// municipality's size): in a stratum (band or all, gender or all) and a period (school year k
/// of the simulation, or its autumn term Sep-Dec or spring term Jan-Jun):
///   prevalence_high_or_extensive  pupil-months in high or extensive / pupil-months present
///   prevalence_extensive          pupil-months in extensive / pupil-months present
///   long_term_absent_share        pupils with >= 1 school month in extensive / pupils present
/// and counts of the coordinator team (not scale-free: simulated at the config's pupils, in
/// the scenario of the team's staffing, TargetOptions::scenario), in the period's calendar
/// months (a whole year: all 12 months):
///   cases_started                 cases that started (pupils admitted from the queue)
///   returns                       sustained returns within 12 months of a case's start (the
///                                 model's returns_within_12_months, counted by month)
///   referrals                     referrals to the team (with or without consent, the model's
///                                 referrals), from the trace's monthly referral count
/// SIR: M prior samples theta_i of the chosen parameters (their config distributions, draw i of
/// ParameterSet::sample(seed, i); the others at base values); for each, the baseline is
/// simulated with key {seed, i, 0} and the targets computed, giving the Gaussian
/// log-likelihood l_i = -1/2 sum_k ((sim_ik - value_k) / se_k)^2 (the simulator's own noise
/// is not modelled: simulate enough pupils that it is small beside the targets' se).
/// Weights w_i = exp(l_i - max l); effective sample size ESS = (sum w)^2 / sum w^2. K posterior
/// draws by systematic resampling with one uniform from the stream {seed, 0, 0, kSirPurpose, 0}.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/model_config.hpp"

namespace attendsim::models {

inline constexpr std::uint32_t kSirPurpose = 0x73697272U;  // "sirr"

enum class TargetKind {
  prevalence_high_or_extensive,
  prevalence_extensive,
  long_term_absent_share,
  cases_started,
  returns,
  referrals
};

/// A count of the team (cases_started, returns, referrals), not a share.
inline bool is_count(TargetKind k) {
  return k == TargetKind::cases_started || k == TargetKind::returns || k == TargetKind::referrals;
}

struct Target {
  TargetKind kind = TargetKind::prevalence_high_or_extensive;
  int band = -1;    ///< Band, or -1 for all
  int gender = -1;  ///< Gender, or -1 for all
  int year = 1;     ///< school year of the simulation, 1-based
  int term = 0;     ///< 0 whole school year, 1 autumn (Sep-Dec), 2 spring (Jan-Jun)
  int month = -1;   ///< count targets: one month of the year (0 = September), else -1
  double value = 0;
  double se = 0;
  std::string label;  ///< as written in the file, for reports
};

struct TargetOptions {
  std::vector<std::string> params;  ///< parameter paths (each with a distribution)
  int prior_draws = 1000;
  int posterior_draws = 200;
  int pupils = 0;  ///< simulated pupils (0: the config's)
  /// The scenario simulated (a name of comparison_scenarios; "" the baseline): the team's
  /// staffing, required by count targets.
  std::string scenario;
  std::uint64_t seed = 1;
  int threads = 0;
};

struct TargetCalibration {
  std::vector<std::string> params;
  std::vector<std::size_t> param_index;            ///< into the config's parameters
  std::vector<std::vector<double>> prior_samples;  ///< [i][param]
  std::vector<std::vector<double>> simulated;      ///< [i][target]
  std::vector<double> log_likelihood;
  std::vector<double> weights;  ///< normalised
  double ess = 0;
  std::vector<std::size_t> resampled;  ///< prior sample index of each posterior draw
  std::vector<std::vector<double>> posterior() const;
  double wall_seconds = 0;
};

/// The targets' simulated values for one parameter vector and stream key.
std::vector<double> simulate_targets(const ModelConfig& cfg, const std::vector<double>& values,
                                     const std::vector<Target>& targets, int pupils,
                                     const StreamKey& key,
                                     const ScenarioSpec& scenario = ScenarioSpec{});

TargetCalibration calibrate_targets(const ModelConfig& cfg, const std::vector<Target>& targets,
                                    const TargetOptions& opt);

}  // namespace attendsim::models
