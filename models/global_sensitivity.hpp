#pragma once
/// Global sensitivity (Sobol indices) and value of information on the attendance model.
///
/// Sobol: the engine's Saltelli design (sim/sobol.hpp) over the chosen parameters, each
/// mapped by inversion x_i = F_i^{-1}(u_i) of its config distribution, the other parameters
/// at base. The model at a design point is an experiment over {baseline, scenario} with R
/// replications; its outputs are sensitivity_outputs() (means over the R replications).
///
/// Simulator noise. Replication r at every design point runs on the streams {seed, draw 0,
/// r} (common random numbers across points), so f_r(x) = g(x) + e_r(x) with g the expected
/// output and e_r one realisation of the simulator's error as a function of x; the analysed
/// output is f(x) = (1/R) sum_r f_r(x) = g(x) + e(x). Noise harms the indices in two ways:
/// it adds Var_x(e) to the denominator V (S_i biased down by the factor V_g / V), and it
/// adds E[(e(A) - e(A_B^i))^2] / 2 to Jansen's numerator (ST_i biased up). The design
/// limits both: (1) common random numbers make e_r(x) nearly constant in x, so the part
/// common to all points cancels out of every variance and difference (exactly, for
/// parameters that do not change what happens to pupils, such as costs: e(A) = e(A_B^i));
/// (2) R replications divide what is left by R. Both effects are estimated from the
/// replications (R >= 2) with the residuals z_r(x) = f_r(x) - f(x), whose spread over r is
/// the noise's (E sum_r (z_r - mean_x z_r)^2 = (R - 1) Var_x(e_r) by the usual ANOVA argument):
///   noise_variance      = [1/(R-1)] sum_r Var_x z_r(x) / R          (over the 2N points of A, B)
///   total_index_noise_i = [1/(R-1)] sum_r (1/N) sum_k (z_r(A_k) - z_r(A_B^i_k))^2 / (2 R V)
/// noise_share = noise_variance / V. They are reported beside the indices (sobol_noise.csv);
/// when they are not small, raise R.
///
/// What the bootstrap does not see: with common random numbers across all points, the
/// part of the noise shared by all points is one draw for the whole analysis, not a
/// row-to-row error. It cancels from additive effects, but not where a parameter scales a
/// noisy quantity (a cost per avoided non-completion times the realised number of extra
/// completions): such indices are those of the realisation, with an error the row bootstrap
/// cannot show. So, with R >= 2, the indices are also computed on each replication's own
/// function f_r, and sd_r / sqrt(R) is reported as realisation_se_first_order and
/// realisation_se_total (a guide to that error: compare it with the CI width, and raise R).
///
/// Value of information: the staffing decision is a choice among the baseline (no
/// coordinators, net benefit 0 by definition), the configured scenario and the distinct
/// staffing scenarios of the [compare] ladder (comparison_scenarios()). Over K PSA draws the
/// net benefit of an option is its per-draw mean net_benefit_sek (SEK for the simulated
/// population, per decision); EVPI and EVPPI are from sim/voi.hpp. EVPI from per-draw means
/// contains the noise of the means (it is biased up by it; more replications shrink it),
/// while the EVPPI regression averages that noise out.
#include <string>
#include <vector>

#include "models/experiment.hpp"
#include "models/model_config.hpp"
#include "sim/sobol.hpp"

namespace attendsim::models {

struct SobolRow {
  std::string output;     ///< a sensitivity_outputs() name
  std::string parameter;  ///< parameter path
  SobolIndex index;
};

/// Simulator noise in the indices of one output (NaN when R = 1; see the file comment).
struct SobolNoise {
  std::string output;
  double variance = 0;        ///< V over {f_A, f_B}
  double noise_variance = 0;  ///< Var_x of the noise of f over A and B
  double noise_share = 0;     ///< noise_variance / V: S_i is biased down by about this share
  std::vector<double> total_index_noise;  ///< per parameter: the noise part of ST_i
  /// Per parameter: sd over r of the indices of each replication's own function f_r,
  /// divided by sqrt(R): the spread due to which random-number realisation was used.
  std::vector<double> realisation_se_first_order, realisation_se_total;
};

struct GlobalSobolResult {
  std::size_t n = 0;               ///< base sample size N (per randomisation)
  std::size_t randomisations = 1;  ///< K: 1 = the plain sequence with bootstrap CIs
  std::vector<std::string> parameters;
  int replications = 0;
  std::size_t design_points = 0;  ///< K N (d + 2)
  std::size_t baselines = 0;      ///< baselines simulated (recorded), after reuse
  std::size_t scenario_runs = 0;  ///< scenario simulations (from a record), after reuse
  std::vector<SobolRow> rows;     ///< output-major, parameters in the given order
  std::vector<SobolNoise> noise;  ///< per output
  double wall_seconds = 0;
};

/// Parameters of a Sobol or VOI analysis: the comma-separated `list`, or when empty every
/// individually uncertain parameter. Throws InputError for an unknown, repeated or fixed one.
std::vector<std::size_t> uncertain_parameters(const ModelConfig& cfg, const std::string& list);

/// Sobol first-order and total indices of sensitivity_outputs() for the given parameters
/// (indices into cfg.parameters), base sample size n (>= 2), with `bootstrap` resamples.
/// Throws InputError for n < 2 or no parameters.
///
/// reuse_simulations: a point A_B^(i) differs from A_k only in parameter i. When i is an
/// [economics] parameter (never read by the simulation) the point reuses A_k's outcomes and
/// only its economics is evaluated; otherwise its scenario is simulated from the recorded
/// baseline of the first earlier point of the row with the same baseline path
/// (models/scenario_from_baseline.hpp: [coordinators] and [detection] parameters do not
/// change the baseline's paths), or from a new record. Results are bit-identical to
/// simulating every point's baseline and scenario in full (reuse_simulations = false; a test
/// checks it). On the ten parameters of the reference analysis a row records 2 baselines
/// (A's and B's: only the prevalence parameter shapes the paths) and simulates 9 scenarios
/// from them, where simulating in full would take 24 simulations.
///
/// randomisations K: with K = 1 the design is the plain Sobol sequence and the CIs come from
/// the row bootstrap; with K >= 2 the design is run K times under independent random
/// digital shifts (sim/sobol.hpp), randomisation q on the streams {seed, draw 0, q R + r},
/// and the estimates and Student t CIs are over the K per-randomisation estimates. Those
/// CIs see the quasi-random design's real error and the simulator's noise (each
/// randomisation has its own random numbers), which the row bootstrap cannot.
GlobalSobolResult sobol_sensitivity(const ModelConfig& cfg, const RunOptions& opt,
                                    const std::vector<std::size_t>& parameters, std::size_t n,
                                    int bootstrap, std::size_t randomisations = 1,
                                    bool reuse_simulations = true);

struct VoiRow {
  std::string measure;    ///< "evpi" or "evppi"
  std::string parameter;  ///< "all", a parameter path, or a Dirichlet group path
  double voi_sek = 0;
  double share_of_evpi = 0;  ///< voi_sek / EVPI (0 when EVPI = 0)
};

struct VoiResult {
  ExperimentResult result;   ///< the PSA over the decision options
  std::vector<VoiRow> rows;  ///< EVPI first, then EVPPI per parameter, then per group
  double noise_variance =
      0;  ///< mean over draws and options of s^2/R of the net benefit (NaN if R = 1)
};

/// The decision options: baseline, the configured scenario, and the ladder's scenarios
/// whose staffing and policies differ from every option before them.
std::vector<ScenarioSpec> decision_options(const ModelConfig& cfg);

/// EVPI and EVPPI (per individually uncertain parameter and per Dirichlet group, or for
/// the comma-separated `list` of parameter and group paths) over opt.draws PSA draws.
/// Throws InputError when opt.draws < 10 or a name is unknown.
VoiResult value_of_information(const ModelConfig& cfg, const RunOptions& opt,
                               const std::string& list = "");

}  // namespace attendsim::models
