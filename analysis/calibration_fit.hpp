#pragma once
/// The fit report of a calibration: observed occupancy beside simulated occupancy, by month,
/// grade band and state, with posterior predictive intervals and goodness of fit.
///
/// Observed: in each school month of the register, the share of the band's registered pupils
/// in each state. Simulated: `draws` runs of the calibrated config's no-coordinator baseline,
/// run k with parameter draw k of the config (the base values when draws = 1) and stream key
/// {seed, k, 0}, from the September on or before the register's first month, with as many
/// pupils as the register has in its first month; the same shares from every pupil's state
/// (Trace). Interval: the 2.5 and 97.5 % quantiles of the runs (parameter and stochastic
/// uncertainty of a population of the register's size: a posterior predictive interval).
/// Goodness of fit: the share of cells whose observed share lies inside its interval (about
/// 0.95 expected), the mean squared standardised residual ((obs - mean) / sd)^2 (about 1),
/// and the root mean squared difference of shares.
#include <cstdint>
#include <vector>

#include "analysis/attendance_register.hpp"
#include "analysis/model_config.hpp"

namespace attendsim::models {

struct FitCell {
  int month = 0;  ///< calendar month index
  int band = 0;
  int state = 0;
  double observed = 0;      ///< share
  int observed_pupils = 0;  ///< registered pupils of the band in the month
  double sim_mean = 0, sim_sd = 0, sim_p2_5 = 0, sim_p97_5 = 0;
  bool inside() const { return observed >= sim_p2_5 && observed <= sim_p97_5; }
};

struct RegisterFit {
  std::vector<FitCell> cells;
  int draws = 0;
  int pupils = 0;  ///< simulated pupils at the start
  double coverage = 0;
  double mean_sq_std_residual = 0;
  double rmse = 0;
  double wall_seconds = 0;
};

RegisterFit register_fit(const ModelConfig& calibrated, const AttendanceRegister& reg, int draws,
                         std::uint64_t seed, int threads);

}  // namespace attendsim::models
