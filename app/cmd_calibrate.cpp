/// `attendsim calibrate CONFIG --register FILE.csv | --targets FILE.csv --out DIR`: fit the
/// model to a municipality's register (analysis/calibration.hpp); DIR holds calibrated.toml
/// beside the fit report (fit.json, fit.csv).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"

namespace attendsim::app {

void add_calibrate_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::CalibrateOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto& o = args->opt;
  auto* sub = root.add_subcommand(
      "calibrate",
      "Fit the model to a register extract (--register) or to aggregate targets (--targets, by "
      "sampling-importance-resampling); writes DIR/calibrated.toml beside the fit report");
  add_config_arguments(sub, args->config, "TOML config file: the prior");
  auto* reg = sub->add_option("--register", o.register_file,
                              "register CSV: pupil_id,year_month,grade,gender,absence_percent");
  auto* tgt = sub->add_option("--targets", o.targets_file,
                              "aggregate targets CSV: target,band,gender,period,value,se");
  auto* log = sub->add_option("--case-log", o.case_log,
                              "the team's case log CSV: month,referrals,cases_started,returns "
                              "(targets by month; with or without --targets; needs --scenario)");
  reg->excludes(tgt);
  reg->excludes(log);
  auto* params = sub->add_option("--params", o.params,
                                 "with --targets: parameter paths to calibrate (each with a prior "
                                 "distribution in CONFIG), comma-separated, each once")
                     ->delimiter(',')
                     ->allow_extra_args(false);
  auto* prior = sub->add_option("--prior-draws", o.prior_draws,
                                "with --targets: prior samples simulated (default 1000)")
                    ->check(whole_in(2, models::kMaxPriorDraws));
  auto* posterior =
      sub->add_option("--posterior-draws", o.posterior_draws,
                      "with --targets: posterior draws resampled, at most --prior-draws "
                      "(default 200, or --prior-draws when fewer)")
          ->check(whole_in(1, models::kMaxPosteriorDraws));  // as --draws-from reads back
  auto* pupils = sub->add_option("--pupils", o.pupils,
                                 "with --targets: simulated pupils per sample (default: the "
                                 "config's)")
                     ->check(whole_in(1, models::kMaxCalibratePupils));
  auto* scenario = sub->add_option(
      "--scenario", o.scenario,
      "with --targets: the scenario simulated (a scenario name of compare; default "
      "the baseline); the team's staffing, required by cases_started, returns and referrals");
  sub->add_option("--out", o.out, "output folder")->required()->check(output_path());
  auto* fit_draws = sub->add_option("--fit-draws", o.fit_draws,
                                    "with --register: simulated runs for the fit report's "
                                    "intervals (default 40)")
                        ->check(whole_in(2, models::kMaxFitDraws));
  // Options of one kind of calibration are refused with the other, not silently ignored.
  for (auto* opt : {params, prior, posterior, pupils, scenario}) reg->excludes(opt);
  tgt->excludes(fit_draws);
  log->excludes(fit_draws);
  sub->add_option("--seed", o.seed, "master seed [config: simulation.seed, default 1]")
      ->check(number_in(0, models::kMaxSeed, "a whole number >= 0"));
  sub->add_option("--threads", o.threads, "worker threads (default: all cores)")
      ->check(count_up_to(models::kMaxThreads));
  add_limit_options(sub, o.limits);
  sub->add_flag("--quiet", o.quiet, "no summary on stdout");
  sub->callback([args, &action] {
    const auto& a = args->opt;
    if (a.register_file.empty() && a.targets_file.empty() && a.case_log.empty())
      throw CLI::ValidationError(
          "calibrate", "give --register FILE.csv, --targets FILE.csv or --case-log FILE.csv");
    action = [args] {
      models::calibrate_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
