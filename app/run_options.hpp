#pragma once
/// The command-line side of the options shared by the commands that run an experiment (run,
/// compare, sensitivity, threshold): CLI11 fills a models::ExperimentOptions (io/commands.hpp,
/// where the defaults, bounds and their use live) and the config path.
#include <CLI/CLI.hpp>
#include <string>

#include "app/cli_checks.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"

namespace attendsim::app {

/// CONFIG and --overrides: the config a command simulates.
struct ConfigArgs {
  std::string config;
  std::string overrides;
  models::ModelConfig load() const { return models::load_model_config(config, overrides); }
};

/// Adds CONFIG (described by `help`) and --overrides.
inline void add_config_arguments(CLI::App* sub, ConfigArgs& c, const std::string& help) {
  sub->add_option("CONFIG", c.config, help)->required();
  sub->add_option("--overrides", c.overrides,
                  "TOML file of keys that replace the config's, one a line (e.g. "
                  "detection.p_consent = 0.5; a results folder's overrides.toml)")
      ->check(non_empty());
}

/// Adds CONFIG, --overrides and --draws, --replications, --seed, --threads, --out, --quiet,
/// --write-draws,
/// --max-memory-gib, --max-hours, --allow-other-config, --draws-from, --full-scenarios.
inline void add_experiment_options(CLI::App* sub, ConfigArgs& config, models::ExperimentOptions& o,
                                   const std::string& out_help) {
  add_config_arguments(sub, config, "TOML config file (see configs/reference.toml)");
  sub->add_option("--draws", o.draws,
                  "parameter draws (PSA); 1 = base values [config: simulation.draws]")
      ->check(count_up_to(models::kMaxUnits));
  sub->add_option("--replications", o.replications,
                  "stochastic replications per draw [config: simulation.replications]")
      ->check(count_up_to(models::kMaxUnits));
  sub->add_option("--seed", o.seed, "master seed [config: simulation.seed, default 1]")
      ->check(number_in(0, models::kMaxSeed, "a whole number >= 0"));
  sub->add_option("--threads", o.threads,
                  "worker threads (default: all cores); results do not depend on it")
      ->check(count_up_to(models::kMaxThreads));
  sub->add_option("--out", o.out, out_help)->check(output_path());
  sub->add_flag("--quiet", o.quiet, "no progress bar and no table");
  sub->add_flag("--write-draws", o.write_draws, "also write draws.csv with per-unit values");
  add_limit_options(sub, o.limits);
  sub->add_flag("--allow-other-config", o.allow_other_config,
                "add to an --out folder even when its run.json is of another config");
  sub->add_option("--draws-from", o.draws_from,
                  "parameter draws from a CSV (draw,PATH,...; e.g. calibrate --targets' "
                  "posterior_draws.csv): one draw per row, the other parameters as in a PSA "
                  "draw; overrides --draws");
  sub->add_flag("--full-scenarios", o.full_scenarios,
                "simulate every scenario in full instead of from the recorded baseline: "
                "slower, the same results (a debugging and checking aid)");
}

}  // namespace attendsim::app
