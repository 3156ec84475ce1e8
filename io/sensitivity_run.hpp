#pragma once
/// `attendsim sensitivity`: the chosen analysis (analysis/sensitivity.hpp,
/// analysis/global_sensitivity.hpp), its files (io/sensitivity_writer.hpp) and console text.
/// The command parses options into a SensitivityRequest and calls run_sensitivity.
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "analysis/sensitivity.hpp"
#include "sim/output.hpp"
#include "sim/sobol.hpp"
#include "sim/work_limit.hpp"

namespace attendsim::models {

struct SensitivityRequest {
  std::string method;  ///< a SensitivityMethod name; "" with target_se
  std::string params;
  int grid = 5;
  long long sobol_n = 64;
  int bootstrap = 500;
  int randomisations = 1;
  SobolEstimator estimator = SobolEstimator::combined;
  std::string target_se;  ///< METRIC=VALUE, or ""
  int batch = 10;
  int max_replications = 2000;
  std::vector<double> values_per_return;
  bool replications_given = false;  ///< --replications was given (else each method's default)
  std::string draws_from;           ///< --draws-from, for messages
  bool quiet = false;
  /// Throws InputError when the analysis would need more memory or time than allowed (the
  /// command's --max-memory-gib and --max-hours; sim/work_limit.hpp); called once, before
  /// anything is allocated or simulated. Not set: no limit.
  std::function<void(const WorkEstimate&)> check_work;
};

/// Runs the requested analysis with `opt` (draws, replications, seed, threads; each method
/// sets its own default replications unless given), writes its files into `dir` and commits
/// it. `keep_run_files`: the folder already holds a run or compare, whose summary, occupancy
/// and run.json stay. Console text to `os` unless quiet. InputError on a bad request.
void run_sensitivity(const ModelConfig& cfg, RunOptions opt, const SensitivityRequest& req,
                     OutputDir& dir, bool keep_run_files, std::ostream& os);

}  // namespace attendsim::models
