#pragma once
/// Every command's options and the one function that runs it. Each command's options are one
/// struct with its defaults here, filled by CLI11 in app/cmd_*.cpp and by keyword arguments
/// in the Python module (python/attendsim_core.cpp); both then call the function below, so
/// that an option's default, bound and meaning live in one place and nothing is computed or
/// written twice. The bounds (k*) are those of the CLI's validators, which use these constants;
/// each struct's check() applies them again for callers without CLI11 (the module), with
/// messages that name the option.
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "analysis/threshold.hpp"
#include "sim/output.hpp"
#include "sim/work_limit.hpp"

namespace attendsim::models {

// ---- Bounds of the options ------------------------------------------------------------------

inline constexpr double kMaxUnits = 1e6;      ///< --draws, --replications, --max-replications
inline constexpr double kMaxThreads = 1024;   ///< --threads
inline constexpr double kMaxSeed = 9.2e18;    ///< --seed (0 to this)
inline constexpr double kMaxMemoryGib = 1e6;  ///< --max-memory-gib (above 0)
inline constexpr double kMaxHours = 1e6;      ///< --max-hours (above 0)
inline constexpr double kMaxRoiTarget = 1e6;  ///< compare --roi-target (0 to this)
inline constexpr double kMaxSekValue = 1e15;  ///< money values given on the command line
inline constexpr int kMaxTwowayGrid = 50;     ///< sensitivity --grid (2 to this)
inline constexpr int kMaxBootstrap = 100000;  ///< sensitivity --bootstrap (0 to this)
inline constexpr int kMaxRandomisations = 100000;
inline constexpr int kMaxBatch = 100000;        ///< --target-se --batch (2 to this)
inline constexpr int kMaxThresholdGrid = 1000;  ///< threshold --grid, --batches (2 to this)

/// The result of a command: the folder it wrote and, for a command that simulates an
/// experiment whose summary it writes (run, compare, psa, voi, --target-se), that experiment.
struct CommandResult {
  std::filesystem::path folder;
  std::optional<ExperimentResult> experiment;
};

/// RunOptions at base values: seed, replications and threads when given (>= 0, > 0, > 0),
/// else the config's [simulation] values and every core.
RunOptions base_run_options(const ModelConfig& cfg, long long seed, int replications, int threads);

/// Options of the commands that run an experiment (run, compare, sensitivity, threshold).
struct ExperimentOptions {
  int draws = 0;         ///< 0: [simulation] draws
  int replications = 0;  ///< 0: [simulation] replications (or the command's own default)
  long long seed = -1;   ///< < 0: [simulation] seed
  int threads = 0;       ///< 0: every core
  std::string out;       ///< "": results/STEM<suffix>-DATE-TIME
  bool quiet = false;
  bool write_draws = false;
  bool full_scenarios = false;
  bool allow_other_config = false;
  WorkLimits limits;  ///< --max-memory-gib, --max-hours
  std::string draws_from;
  /// The command runs a config's [[municipalities]] (run); the others refuse such a config.
  bool reads_municipalities = false;
  /// Language of decision.md: compare's, and run's for a config of [[municipalities]].
  std::string lang = "sv";

  /// Bounds of the options above (InputError naming the option).
  void check() const;
  /// Run options: these options first, then the config's [simulation] values.
  RunOptions options(const ModelConfig& cfg) const;
  /// --out, or results/STEM<suffix>-DATE-TIME (STEM: the config file's).
  std::filesystem::path output_dir(const ModelConfig& cfg, const std::string& suffix) const;
  /// Refuses (InputError), before anything is allocated or simulated, a run of `opt`'s units
  /// (draws x replications) of `scenarios` scenarios each, plus `extra`, whose memory or time
  /// is above --max-memory-gib or --max-hours (sim/work_limit.hpp); `command` starts the
  /// message.
  void check_work(const std::string& command, const ModelConfig& cfg, const RunOptions& opt,
                  std::size_t scenarios, const WorkEstimate& extra = {}) const;
  /// The output folder: checked against `cfg` when it exists (another config's results are
  /// refused unless allow_other_config), before anything is simulated.
  std::unique_ptr<OutputDir> open_output(const std::string& suffix, const ModelConfig& cfg) const;
};

struct CompareOptions : ExperimentOptions {
  double roi_target = -1;  ///< < 0: [compare] roi_target
  double confidence = -1;  ///< < 0: [compare] confidence
  bool no_threshold = false;
  void check() const;
};

struct SensitivityOptions : ExperimentOptions {
  std::string method;  ///< a SensitivityMethod name; "" with target_se
  std::string params;  ///< comma-separated parameter keys
  int grid = 5;
  long long sobol_n = 64;
  int bootstrap = 500;
  int randomisations = 1;
  std::string terminal_events = "expected";  ///< a TerminalEvents name, or "config"
  std::string estimator = "combined";
  std::string target_se;  ///< METRIC=VALUE, or ""
  int batch = 10;
  int max_replications = 2000;
  std::vector<double> values_per_return{0, 100000, 250000, 500000, 1000000, 2000000, 4000000};
  bool values_per_return_given = false;
  void check() const;
};

struct ThresholdOptions : ExperimentOptions {
  std::string param = kDefaultThresholdParameter;
  std::string metric = "net_benefit";
  std::string target;  ///< "": 0 for net_benefit, [compare] roi_target for roi
  std::string range;   ///< LO,HI, or "": the distribution's 2.5 % and 97.5 % quantiles
  std::vector<std::string> scenarios;
  int grid = 9;
  int batches = 5;
  void check() const;
};

struct CalcOptions {
  int replications = 0;
  long long seed = -1;
  int threads = 0;
  std::string out;  ///< "": print only
  WorkLimits limits;
  void check() const;
};

struct ReportOptions {
  std::string lang = "sv";
  std::string out;  ///< "": RESULTS_DIR/report_LANG.html
  void check() const;
};

struct FollowupOptions {
  std::string scenario;  ///< "": the only one besides the baseline
  bool quiet = false;
};

struct CalibrateOptions {
  std::string register_file;
  std::string targets_file;
  std::string case_log;
  std::vector<std::string> params;
  int prior_draws = 1000;
  int posterior_draws = 0;  ///< at most prior_draws; 0: 200, or prior_draws when fewer
  int pupils = 0;           ///< 0: the config's
  std::string scenario;
  std::string out;
  int fit_draws = 40;
  long long seed = -1;
  int threads = 0;
  WorkLimits limits;
  bool quiet = false;
  void check() const;
};

struct SynthRegisterOptions {
  int pupils = 0;  ///< required: 1 to kMaxSynthPupils
  int months = 0;  ///< required: 1 to kMaxSynthMonths, calendar months from September
  long long seed = -1;
  int start_year = 2023;
  std::string out;  ///< required: a new .csv file, or a register written before
  void check() const;
};

inline constexpr int kMaxSynthPupils = 5'000'000;
inline constexpr int kMaxSynthMonths = 1200;
inline constexpr int kDefaultPosteriorDraws = 200;
inline constexpr int kMaxPriorDraws = 10'000'000;
inline constexpr int kMaxPosteriorDraws = 1'000'000;
inline constexpr int kMaxCalibratePupils = 50'000'000;
inline constexpr int kMaxFitDraws = 100000;

/// `attendsim run`: the configured scenario against the baseline (and each of a config's
/// [[municipalities]]). Console text to `os` unless quiet.
CommandResult run_command(const ModelConfig& cfg, const ExperimentOptions& a, std::ostream& os);
/// `attendsim compare`: every scenario, the decision brief and the coarse threshold.
CommandResult compare_command(ModelConfig cfg, const CompareOptions& a, std::ostream& os);

/// Refuses (exit 2, at `[coordinators] enabled`'s file and line) a command that needs a
/// coordinator programme, on a config without one: `needs` says what the command asks (e.g.
/// "compare needs a coordinator programme"), `instead` what serves such a config. Does nothing
/// when the config has a programme.
void refuse_without_programme(const ModelConfig& cfg, const std::string& needs,
                              const std::string& instead);
/// `attendsim sensitivity` (io/sensitivity_run.cpp).
CommandResult sensitivity_command(ModelConfig cfg, const SensitivityOptions& a, std::ostream& os);
/// `attendsim threshold`: break-even values, into a new folder or beside a compare.
CommandResult threshold_command(const ModelConfig& cfg, const ThresholdOptions& a,
                                std::ostream& os);
/// `attendsim calc`: the plan's own calculation beside the simulated ROI (always printed).
CommandResult calc_command(const ModelConfig& cfg, const CalcOptions& a, std::ostream& os);
/// `attendsim report RESULTS_DIR`: the HTML report; the file written is `folder`.
CommandResult report_command(const std::filesystem::path& results, const ReportOptions& a,
                             std::ostream& os);
/// `attendsim followup RESULTS_DIR OBSERVED.csv`: adds followup.csv to the results folder.
CommandResult followup_command(const std::filesystem::path& results,
                               const std::filesystem::path& observed, const FollowupOptions& a,
                               std::ostream& os);
/// `attendsim calibrate`: `prior` fitted to a register, targets or a case log.
CommandResult calibrate_command(const ModelConfig& prior, const CalibrateOptions& a,
                                std::ostream& os);

/// `attendsim synth-register`: a register extract simulated from the config's base
/// parameters; the file written is `folder`.
CommandResult synth_register_command(const ModelConfig& cfg, const SynthRegisterOptions& a,
                                     std::ostream& os);

}  // namespace attendsim::models
