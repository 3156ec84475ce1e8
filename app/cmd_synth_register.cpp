/// `attendsim synth-register CONFIG --pupils N --months M [--seed S] --out FILE.csv`: a register
/// extract simulated from the config's base parameters (analysis/synthetic_register.hpp).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"

namespace attendsim::app {

void add_synth_register_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::SynthRegisterOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto& o = args->opt;
  auto* sub = root.add_subcommand(
      "synth-register",
      "Write a register extract (pupil, month, grade, gender, absence percent) simulated from "
      "the config's base parameters, for tests and demos");
  add_config_arguments(sub, args->config, "TOML config file");
  sub->add_option("--pupils", o.pupils, "pupils at the start")
      ->required()
      ->check(whole_in(1, models::kMaxSynthPupils));
  sub->add_option("--months", o.months,
                  "calendar months from September of the start year (school months get rows)")
      ->required()
      ->check(whole_in(1, models::kMaxSynthMonths));
  // pupils x school months is checked against the size a register file can have.
  sub->add_option("--seed", o.seed, "master seed [config: simulation.seed, default 1]")
      ->check(number_in(0, models::kMaxSeed, "a whole number >= 0"));
  sub->add_option("--start-year", o.start_year, "year of the first September (default 2023)")
      ->check(whole_in(1900, 2100));
  sub->add_option("--out", o.out, "output CSV file (new, or a register written before)")
      ->required()
      ->check(output_path());
  sub->callback([args, &action] {
    action = [args] {
      models::synth_register_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
