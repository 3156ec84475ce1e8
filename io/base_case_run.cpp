#include "io/base_case_run.hpp"

#include "analysis/municipalities.hpp"
#include "io/results_writer.hpp"

namespace attendsim::models {

void write_base_case_run(const OutputDir& dir, const ModelConfig& cfg, const RunOptions& opt,
                         const std::string& what, std::optional<double> wall_seconds) {
  auto o = opt;
  o.draws = 1;
  o.parameter_sets.clear();  // the base case, not --draws-from
  o.progress = false;
  // A config of [[municipalities]]: the whole's base case (its municipalities' sum).
  const auto base = cfg.municipalities.empty()
                        ? run_experiment(cfg, baseline_and_configured(cfg), o)
                        : run_municipalities(cfg, o, nullptr);
  write_run_outputs(dir, cfg, base, {what, wall_seconds.value_or(base.wall_seconds), opt.threads},
                    false);
}

}  // namespace attendsim::models
