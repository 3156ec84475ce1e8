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
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "io/config_schema.hpp"
#include "io/register_reader.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"
#include "sim/output.hpp"

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

/// The school months among the first `months` calendar months from September (10 of 12).
long long school_months(int months) {
  long long n = 0;
  for (int m = 0; m < months; ++m) n += (m % 12) < 10 ? 1 : 0;
  return n;
}

/// The --out file may be new, or a register this command wrote before (its header line): never
/// a results file, a config, a folder, a device or a pipe.
void check_register_out(const std::filesystem::path& out) {
  namespace fs = std::filesystem;
  if (out.extension() != ".csv")
    ATTENDSIM_INPUT_ERROR(out.string() << ": --out must name a .csv file");
  std::error_code ec;
  const auto st = fs::symlink_status(out, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_regular_file(st))
    ATTENDSIM_INPUT_ERROR(out.string() << ": exists and is not a regular file; not replaced");
  std::ifstream old(out, std::ios::binary);
  std::string head(9, '\0');
  old.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(old.gcount()));
  if (head != "pupil_id,")
    ATTENDSIM_INPUT_ERROR(out.string() << ": exists and is not a register (its first line does "
                                          "not start with pupil_id); not replaced");
}

int synth_command(const SynthArgs& a) {
  const std::filesystem::path out(a.out);
  check_register_out(out);
  // At most one record per pupil and school month, of at least 27 bytes of text
  // ("P0000000,2023-09,0,boy,0.0\n"): a register that calibrate --register could not read
  // back (kMaxTableBytes) is refused before anything is simulated.
  const double records =
      static_cast<double>(a.pupils) * static_cast<double>(school_months(a.months));
  if (records * 27 > static_cast<double>(kMaxTableBytes))
    ATTENDSIM_INPUT_ERROR("--pupils " << a.pupils << " x --months " << a.months << " give up to "
                                      << records << " records, about "
                                      << static_cast<long long>(records * 27 / (1 << 20))
                                      << " MiB: more than the " << (kMaxTableBytes >> 20)
                                      << " MiB a register file can have; lower --pupils or "
                                         "--months");
  const auto cfg = models::load_model_config(a.config);
  const auto params = models::realise(cfg, cfg.parameters.base_values());
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : cfg.run.seed;
  const auto reg = models::simulate_register(params, a.pupils, a.months, seed, a.start_year);
  const std::string text = models::register_csv(reg);
  // Write beside the target and rename: never a half-written file, and none left on a signal.
  const auto tmp = std::filesystem::path(out.string() + ".tmp-" + std::to_string(::getpid()));
  register_temporary(tmp);
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    unregister_temporary(tmp);
    ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the register" << why);
  };
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.close();
    if (!f) fail("");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) fail(": " + ec.message());
  unregister_temporary(tmp);
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
      ->check(whole_in(1, 5'000'000));
  sub->add_option("--months", args->months,
                  "calendar months from September of the start year (school months get rows)")
      ->required()
      ->check(whole_in(1, 1200));
  // pupils x school months is checked against the size a register file can have.
  sub->add_option("--seed", args->seed, "master seed [config: simulation.seed, default 1]")
      ->check(number_in(0, 9.2e18, "a whole number >= 0"));
  sub->add_option("--start-year", args->start_year, "year of the first September (default 2023)")
      ->check(whole_in(1900, 2100));
  sub->add_option("--out", args->out, "output CSV file (new, or a register written before)")
      ->required()
      ->check(output_path());
  sub->callback([args, &action] { action = [args] { return synth_command(*args); }; });
}

}  // namespace attendsim::app
