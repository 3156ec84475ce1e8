#pragma once
/// Outputs of `attendsim calibrate`: the calibrated config (TOML) and the fit report
/// (fit.json, fit.csv).
///
/// The calibrated config is the prior config with, in place: each transition row set to its
/// posterior mean with dirichlet_concentration the posterior concentration (so PSA draws the
/// rows from the posterior Dirichlet); the seasonal multipliers (when estimated) as lognormal
/// distributions with median the estimate and sigma = se / estimate; p_leave_per_month and the
/// initial prevalences as their beta posteriors; population.pupils the register's pupils in its
/// first month; duration dependence and relapse turned off (not estimated: the counted rows
/// average over durations). Comments of the prior config are not kept.
#include <string>

#include "analysis/calibration.hpp"
#include "analysis/calibration_fit.hpp"
#include "analysis/calibration_targets.hpp"
#include "analysis/model_config.hpp"

namespace attendsim::models {

std::string calibrated_config_toml(const ModelConfig& prior, const RegisterCalibration& cal,
                                   const std::string& register_name);

std::string fit_json(const ModelConfig& prior, const RegisterCalibration& cal,
                     const RegisterFit& fit, const std::string& register_name,
                     double calibrate_seconds);

/// One row per month, band and state: year_month, band, state, observed_share,
/// observed_pupils, simulated_mean, simulated_p2_5, simulated_p97_5, inside.
std::string fit_csv(const RegisterFit& fit);

/// Calibration to targets: the prior config with each calibrated parameter fixed at its
/// posterior mean (the draws themselves are in posterior_draws.csv, for --draws-from).
std::string target_calibrated_config_toml(const ModelConfig& prior, const TargetCalibration& cal,
                                          const std::string& targets_name);

/// fit.json of a calibration to targets: ESS, prior and posterior of each parameter, and
/// each target's value beside its simulated value under the prior and the posterior.
std::string target_fit_json(const ModelConfig& prior, const std::vector<Target>& targets,
                            const TargetCalibration& cal, const TargetOptions& opt,
                            const std::string& targets_name);

}  // namespace attendsim::models
