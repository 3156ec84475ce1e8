#pragma once
/// Global sensitivity (Sobol indices) and value of information on the attendance model.
///
/// Sobol: the engine's Saltelli design (sim/sobol.hpp) over the chosen parameters, each
/// mapped by inversion x_i = F_i^{-1}(u_i) of its config distribution, the other parameters
/// at base. The model at a design point is an experiment over {baseline, scenario} with R
/// replications; its outputs are sensitivity_outputs() (means over the R replications).
///
/// Simulator noise. One replication's noise is of the order of the parameters' effect on
/// this model (on the reference, its variance is 0.3-0.85 of the output variance over the
/// parameters), so it is designed for, not ignored. Row k's points (A_k, B_k, A_B^(i)_k)
/// share the streams {seed, draw 0, (q N + k) R + r} of replication r: common random
/// numbers within a row, where the estimators take their differences (f_A - f_i, f_i -
/// f_A), which keeps the noise out of those differences except where a parameter changes
/// what happens to pupils. Rows and replications have independent streams, so the noise is
/// a row-to-row error like the design's: it averages out over the N rows and the row
/// bootstrap sees it. With R >= 2 replications per point the estimators are the
/// noise-corrected ones of sim/sobol.hpp (the replicate variance, and the noise parts of
/// the Saltelli and Jansen numerators, subtracted), and the subtracted parts are reported
/// in sobol_noise.csv: noise_variance and noise_share (of V), first_order_noise and
/// total_noise per parameter (in index units). With R = 1 the indices are those of one
/// noisy replication: S_i is biased down and ST_i up by the noise, by amounts the run
/// cannot estimate (sobol_noise.csv then holds NaN).
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

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/sobol.hpp"

namespace attendsim::models {

struct SobolRow {
  std::string output;     ///< a sensitivity_outputs() name
  std::string parameter;  ///< parameter path
  SobolIndex index;       ///< NaN when the output is not identifiable or not computed
  bool identifiable = true;
  /// False when the config's path does not compute `output` (outputs_computed: the count-based
  /// path, docs/methods.md §4.12): no indices (NaN), written as not computed, never estimated.
  bool computed = true;
};

/// Simulator noise in the indices of one output (NaN when R = 1; see the file comment).
struct SobolNoise {
  std::string output;
  double variance = 0;        ///< V over {f_A, f_B} (replication means)
  double noise_variance = 0;  ///< its noise part (the mean replicate variance / R)
  double noise_share = 0;     ///< noise_variance / V
  /// Per parameter: the noise parts subtracted from S_i and ST_i (sim/sobol.hpp).
  std::vector<double> first_order_noise, total_noise;
  /// False when the chosen parameters cannot be told to move this output (sim/sobol.hpp, "Not
  /// identifiable"): its rows hold NaN indices, `note` says why, the other outputs keep theirs.
  bool identifiable = true;
  std::string note;
  /// False when the config's path does not compute this output (SobolRow::computed): every
  /// number is NaN, written as an empty cell.
  bool computed = true;
};

struct GlobalSobolResult {
  std::size_t n = 0;               ///< base sample size N (per randomisation)
  std::size_t randomisations = 1;  ///< K: 1 = the plain sequence with bootstrap CIs
  std::vector<std::string> parameters;
  int replications = 0;
  std::size_t design_points = 0;  ///< K N (d + 2)
  /// Baselines simulated (recorded; on the count path or the hybrid, run), after reuse.
  std::size_t baselines = 0;
  std::size_t derived_baselines = 0;  ///< baselines derived from a recorded one
  /// Scenario simulations (from a record; on the hybrid, in full), after reuse; 0 on the count
  /// path, whose scenario is idle_scenario of the baseline's run.
  std::size_t scenario_runs = 0;
  /// The model's outputs at every design point and replication: point_outputs[o][(q (d + 2) N
  /// + j N + k) R + r] for output o (sensitivity_outputs() order), randomisation q, block j (A,
  /// B, A_B^(1), ..), row k and replication r, simulated on the streams {seed, 0, (q N + k) R +
  /// r} (the same key for every block of a row). An output not computed holds what the path
  /// left in it, never read.
  std::vector<std::vector<double>> point_outputs;
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
/// The design points are simulated by the config's engine, as run_experiment's (docs/methods.md
/// §8.5): with [simulation] count_based and no coordinators (on_count_path) a point's baseline is
/// simulate_counts and its scenario idle_scenario of it; count_based with coordinators runs the
/// hybrid, simulate_hybrid for the baseline and for a scenario with a case slot (no record and
/// replay); otherwise the individual engine with the reuse below. An output the config's path does
/// not compute (on_count_path: extra_sustained_returns, docs/methods.md §4.12) has no indices: its
/// rows and noise are NaN with computed = false, as run, psa and oneway have it, not an estimate of
/// a 0.
///
/// reuse_simulations: a point A_B^(i) differs from A_k only in parameter i. When i is an
/// [economics] parameter (never read by the simulation) the point reuses A_k's outcomes and
/// only its economics is evaluated (on every engine); otherwise, on the individual engine, its
/// scenario is simulated from the recorded baseline of the first earlier point of the row with the
/// same baseline path (models/baseline/scenario_from_baseline.hpp: [coordinators] and [detection]
/// parameters do not change the baseline's paths), or from a new record. Results are bit-identical
/// to simulating every point's baseline and scenario in full (reuse_simulations = false; a test
/// checks it). A point whose baseline differs from a recorded one only in the initial state
/// of the population gets a record derived from it (models/baseline/derived_baseline.hpp). On the
/// ten parameters of the reference analysis a row records 1 baseline (A's), derives 1 (B's: only
/// the prevalence parameter shapes the paths, and A_B^(prevalence) shares B's) and simulates 9
/// scenarios from them, where simulating in full would take 24 simulations.
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
                                    bool reuse_simulations = true,
                                    SobolEstimator estimator = SobolEstimator::combined);

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
