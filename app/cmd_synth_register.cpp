/// `attendsim synth-register CONFIG --pupils N --months M [--seed S] --out FILE.csv`: a register
/// extract simulated from the config's base parameters (analysis/synthetic_register.hpp).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "analysis/model_config.hpp"
#include "analysis/synthetic_register.hpp"
#include "app/commands.hpp"
#include "io/config_schema.hpp"
#include "io/register_reader.hpp"
#include "sim/error.hpp"

namespace attendsim::app {

namespace {

struct SynthArgs {
  std::string config;
  int pupils = 0;
  int months = 0;
  long long seed = -1;
  int start_year = 2023;
  std::string out;
};

int synth_command(const SynthArgs& a) {
  const auto cfg = models::load_model_config(a.config);
  const auto params = models::realise(cfg, cfg.parameters.base_values());
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : cfg.run.seed;
  const auto reg = models::simulate_register(params, a.pupils, a.months, seed, a.start_year);
  const std::string text = models::register_csv(reg);
  // Write beside the target and rename: never a half-written file.
  const std::filesystem::path out(a.out);
  const auto tmp = std::filesystem::path(out.string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.close();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the register");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the register");
  }
  std::cout << "register: " << out.string() << " (" << reg.records.size() << " pupil-months of "
            << reg.pupils << " pupils, seed " << seed << ")\n";
  return 0;
}

}  // namespace

void add_synth_register_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<SynthArgs>();
  auto* sub = root.add_subcommand(
      "synth-register",
      "Write a register extract (pupil, month, grade, gender, absence percent) simulated from "
      "the config's base parameters, for tests and demos");
  sub->add_option("CONFIG", args->config, "TOML config file")->required();
  sub->add_option("--pupils", args->pupils, "pupils at the start")
      ->required()
      ->check(CLI::Range(1, 5'000'000));
  sub->add_option("--months", args->months,
                  "calendar months from September of the start year (school months get rows)")
      ->required()
      ->check(CLI::Range(1, 1200));
  sub->add_option("--seed", args->seed, "master seed [config: simulation.seed, default 1]")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--start-year", args->start_year, "year of the first September (default 2023)")
      ->check(CLI::Range(1900, 2100));
  sub->add_option("--out", args->out, "output CSV file")->required();
  sub->callback([args, &action] { action = [args] { return synth_command(*args); }; });
}

}  // namespace attendsim::app
