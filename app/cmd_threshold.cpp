/// `attendsim threshold CONFIG --param KEY [--metric net_benefit|roi] [--target X]`: per
/// scenario, the parameter value at which the metric crosses its target (analysis/threshold.hpp).
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "analysis/experiment.hpp"
#include "analysis/threshold.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/base_case_run.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/labels.hpp"
#include "io/results_writer.hpp"
#include "io/threshold_text.hpp"
#include "io/threshold_writer.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::app {

namespace {

struct ThresholdArgs : ExperimentArgs {
  std::string param = models::kDefaultThresholdParameter;
  std::string metric = "net_benefit";
  std::string target;
  std::string range;
  std::vector<std::string> scenarios;
  int grid = 9;
  int batches = 5;
};

double parse_double(const std::string& s, const std::string& option) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
    ATTENDSIM_INPUT_ERROR(option << ": expected a number, got '" << s << "'");
  // The config's bound on values (config_schema): beyond it costs and net benefits overflow.
  if (std::abs(v) > 1e15)
    ATTENDSIM_INPUT_ERROR(option << ": must be at most 1e15 in size, got '" << s << "'");
  return v;
}

int threshold_command(const ThresholdArgs& a) {
  const auto cfg = models::threshold_config(models::load_model_config(a.config));
  if (a.draws > 1 || !a.draws_from.empty())
    ATTENDSIM_INPUT_ERROR(
        "threshold: the other parameters stay at their base values; "
        "--draws and --draws-from are not used");
  models::ThresholdSpec spec;
  spec.parameter = a.param;
  spec.metric = models::parse_threshold_metric(a.metric, "--metric");
  if (!a.target.empty()) spec.target = parse_double(a.target, "--target");
  if (!a.range.empty()) {
    const auto comma = a.range.find(',');
    if (comma == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--range: expected LO,HI for " << a.param << ", got '" << a.range
                                                           << "'");
    spec.range = {parse_double(a.range.substr(0, comma), "--range " + a.param),
                  parse_double(a.range.substr(comma + 1), "--range " + a.param)};
  }
  spec.scenarios = a.scenarios;
  spec.grid_points = a.grid;
  spec.batches = a.batches;
  (void)models::threshold_range(cfg, spec);  // bad key or range: before anything runs
  auto opt = a.options(cfg);
  opt.draws = 1;
  a.limits.check(models::threshold_work(cfg, opt, spec), opt.threads, "threshold");
  const auto out_dir = a.output_dir("-threshold");
  if (!a.out.empty()) models::check_output_folder(out_dir, cfg, a.allow_other_config);
  OutputDir dir(out_dir, a.out.empty());
  const bool keep_run_files = std::filesystem::exists(out_dir / "summary.json");
  const auto r = models::threshold_analysis(cfg, opt, spec);
  models::write_threshold_outputs(dir, r);
  // A new folder gets the run files of a base-case run (as sensitivity's oneway), so that it
  // is a results folder that compare can add to and report can read; into a folder of a run or
  // compare, only threshold.csv (and decision.md's section) are added.
  if (!keep_run_files) models::write_base_case_run(dir, cfg, opt, "threshold", r.wall_seconds);
  // Into a folder that holds a compare's decision.md, the brief gets the threshold section.
  const auto brief = out_dir / "decision.md";
  if (!a.out.empty() && std::filesystem::exists(brief)) {
    const auto text = read_input_file(brief, kMaxResultsBytes, "decision brief");
    const auto lang = models::decision_language(text);
    std::map<std::string, std::string> label;
    for (const auto& s : models::comparison_scenarios(cfg))
      label[s.name] = models::markdown_text(models::in(lang, models::scenario_labels(cfg, s)));
    const auto section = models::threshold_markdown(
        r.rows, [&](const std::string& n) { return label.count(n) ? label.at(n) : n; }, lang);
    dir.write("decision.md", models::with_threshold_section(text, section));
  }
  dir.commit();
  if (!a.quiet) {
    models::print_threshold_table(std::cout, r);
    std::cout << "results: " << dir.final_path().string() << " (" << format_number(r.wall_seconds)
              << " s on " << opt.threads << " thread(s))\n";
  }
  return 0;
}

}  // namespace

void add_threshold_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ThresholdArgs>();
  auto* sub = root.add_subcommand(
      "threshold",
      "Threshold (break-even) analysis: per scenario, the value of one parameter at which net "
      "benefit is 0 or ROI reaches its target, found by root finding on common random numbers");
  args->add_to(sub,
               "output folder (default: results/CONFIG-threshold-DATE-TIME); into a compare "
               "folder it adds threshold.csv and the threshold section of decision.md");
  sub->add_option("--param", args->param,
                  std::string("parameter key (default ") + models::kDefaultThresholdParameter +
                      ", the coordinators' effect)");
  sub->add_option("--metric", args->metric, "net_benefit (default) or roi")
      ->check(CLI::IsMember({"net_benefit", "roi"}));
  sub->add_option("--target", args->target,
                  "the metric's target (default: 0 for net_benefit, [compare] roi_target for roi)");
  sub->add_option("--range", args->range,
                  "LO,HI: the parameter's range searched (default: its distribution's 2.5 % and "
                  "97.5 % quantiles)");
  sub->add_option("--scenario", args->scenarios,
                  "a scenario of compare (repeatable; default: every scenario)")
      ->allow_extra_args(false);
  sub->add_option("--grid", args->grid, "grid points that bracket the root (default 9)")
      ->check(whole_in(2, 1000));
  sub->add_option("--batches", args->batches,
                  "independent replication batches for the interval (default 5)")
      ->check(whole_in(2, 1000));
  sub->footer(
      "Every value of the parameter runs on the same random numbers (replication r on the same "
      "streams), so the metric is a smooth function of it; the root is bracketed on the grid and "
      "refined by TOMS 748. The 95 % interval is over the roots of independent replication "
      "batches (batch means). threshold.csv holds one row per scenario.");
  sub->callback([args, &action] { action = [args] { return threshold_command(*args); }; });
}

}  // namespace attendsim::app
