/// `attendsim calc CONFIG`: the plan's own deterministic calculation beside the simulated ROI.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "analysis/bridge.hpp"
#include "analysis/economics.hpp"
#include "analysis/experiment.hpp"
#include "analysis/fund.hpp"
#include "analysis/model_config.hpp"
#include "analysis/plan_calculator.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "io/config_schema.hpp"
#include "io/labels.hpp"
#include "io/results_writer.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"
#include "sim/progress.hpp"

namespace attendsim::app {

namespace {

struct CalcArgs {
  std::string config;
  int replications = 0;
  long long seed = -1;
  int threads = 0;
  std::string out;
};

struct SimulatedRoi {
  Summary roi;
  Summary savings;
  Summary cost;
  models::ExperimentResult res;
};

SimulatedRoi simulate_roi(const models::ModelConfig& cfg, const models::RunOptions& opt) {
  SimulatedRoi r;
  r.res = models::run_experiment(cfg, models::baseline_and_configured(cfg), opt);
  const auto& res = r.res;
  r.roi = models::metric_summary(res, 1, res.metric_index(models::Metric::roi));
  r.savings = models::metric_summary(res, 1, res.metric_index(models::Metric::savings_sek));
  r.cost = models::metric_summary(res, 1, res.metric_index(models::Metric::cost_sek));
  return r;
}

std::string roi_text(const Summary& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.2f [95 %% CI %.2f, %.2f]", s.mean, s.ci_low, s.ci_high);
  return buf;
}

int calc_command(const CalcArgs& a) {
  const auto cfg = models::load_model_config(a.config);
  if (!cfg.plan.present) {
    ATTENDSIM_INPUT_ERROR(
        a.config << ": missing key 'plan': calc needs a [plan] table with the plan's own inputs");
  }
  // The --out folder is checked (another config's results are refused) and made before
  // anything is simulated or printed.
  std::unique_ptr<OutputDir> out_dir;
  if (!a.out.empty()) {
    models::check_output_folder(a.out, cfg, false);
    out_dir = std::make_unique<OutputDir>(a.out);
  }
  const auto plan = models::calculate_plan(cfg.plan);
  models::RunOptions opt;
  opt.seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : cfg.run.seed;
  opt.replications = a.replications > 0 ? a.replications : cfg.run.replications;
  opt.threads = a.threads > 0 ? a.threads
                              : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));

  // As the plan counts: no discounting, the whole long-term loss (society's perspective).
  models::ModelConfig as_plan = cfg;
  as_plan.structure.economics.perspective = models::Perspective::society;
  as_plan.parameters.set_fixed(*as_plan.parameters.find("economics.discount_rate"), 0.0);
  const auto sim_plan = simulate_roi(as_plan, opt);
  const auto base = models::realise(cfg, cfg.parameters.base_values());
  const auto& e = base.economics;
  // The configured run also carries the bridge from the plan (extra 0) and, with a [fund]
  // table, the fund's repayment (extra 1), unit by unit.
  const auto steps = models::bridge_steps(e);
  auto opt_cfg = opt;
  opt_cfg.unit_extras.push_back(models::bridge_extra(cfg.plan, steps));
  if (cfg.fund.present) opt_cfg.unit_extras.push_back(models::fund_extra(cfg.fund));
  const auto sim_cfg = simulate_roi(cfg, opt_cfg);
  const auto bridge = models::summarise_bridge(sim_cfg.res, 1, 0, steps);

  using models::group_thousands;
  std::cout << cfg.name << ": the plan's own calculation (from [plan] in " << a.config << ")\n\n";
  std::cout << "  cost of the effort           " << group_thousands(plan.cost_sek) << " SEK\n";
  std::cout << "  short-term savings           " << group_thousands(plan.short_term_sek)
            << " SEK  (" << cfg.plan.avoided_repeated_years << " avoided repeated years x "
            << group_thousands(cfg.plan.cost_per_repeated_year_sek) << ")\n";
  std::cout << "  long-term savings            " << group_thousands(plan.long_term_sek) << " SEK  ("
            << cfg.plan.completers_gained << " completers x "
            << group_thousands(cfg.plan.saving_per_completer_sek) << ")\n";
  std::cout << "  total savings                " << group_thousands(plan.total_sek) << " SEK\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f (%.3f unrounded)", plan.return_per_sek, plan.return_per_sek);
  std::cout << "  SEK returned per SEK         " << buf << "\n\n";
  std::cout << "Simulated (" << opt.replications << " replications, seed " << opt.seed << "):\n";
  std::cout << "  as the plan counts (undiscounted, whole loss)   ROI " << roi_text(sim_plan.roi)
            << "\n";
  std::cout << "  " << name_of(e.perspective) << ", discounted at " << e.discount_rate * 100
            << " %        ROI " << roi_text(sim_cfg.roi) << "\n\n";
  std::cout
      << "Why they differ:\n"
      << "  - The plan assumes its effects (" << cfg.plan.avoided_repeated_years
      << " repeated years, " << cfg.plan.completers_gained
      << " completers); the simulation derives them from the pupils it\n"
      << "    simulates, scenario minus no-coordinator baseline on common random numbers, with "
         "the\n"
      << "    caseload, queue and effect sizes of the config.\n"
      << "  - The plan counts the whole long-term loss of a non-completer ("
      << group_thousands(cfg.plan.saving_per_completer_sek) << " SEK); about half of it\n"
      << "    is private income, not public money (S37): the " << name_of(e.perspective)
      << " perspective keeps a share of " << models::perspective_share(e) << ".\n"
      << "  - The loss falls over ages " << e.loss_start_age << "-" << e.loss_end_age
      << "; discounted to the age of completion it is worth "
      << group_thousands(models::longterm_annuity_factor(e) * 100, 0)
      << " % of the undiscounted sum.\n"
      << "  - Only events within the " << base.horizon_years << "-year horizon count"
      << (e.terminal_value ? "; the value past the horizon adds the expected completions of "
                             "pupils still at school at its end.\n"
                           : "; later completions of today's younger pupils are not included.\n");
  std::cout << "\nFrom the plan to the simulation, one assumption at a time (ROI, mean [95 % CI] "
               "over replications):\n";
  for (std::size_t i = 0; i < bridge.rows.size(); ++i) {
    const auto& row = bridge.rows[i];
    std::snprintf(buf, sizeof buf, "%6.2f", row.roi.mean);
    std::cout << "  " << i << ". " << buf;
    if (i > 0) {
      std::snprintf(buf, sizeof buf, " [%.2f, %.2f]  (%+.2f)", row.roi.ci_low, row.roi.ci_high,
                    row.roi.mean - bridge.rows[i - 1].roi.mean);
      std::cout << buf;
    }
    std::cout << "  " << models::bridge_step_words(models::Language::en, row.step, cfg.plan, e)
              << "\n";
  }
  std::optional<models::FundOutcome> fund;
  if (cfg.fund.present) {
    fund = models::summarise_fund(cfg.fund, sim_cfg.res, 1, 1);
    std::cout << "\nThe fund's terms: " << models::fund_terms_words(models::Language::en, cfg.fund)
              << "\n";
    std::cout << "  expected repayment  " << group_thousands(fund->repayment.mean)
              << " SEK [95 % CI " << group_thousands(fund->repayment.ci_low) << ", "
              << group_thousands(fund->repayment.ci_high) << "]\n";
    std::snprintf(buf, sizeof buf, "%.1f %% (Monte Carlo error %.1f)", 100 * fund->repaid.mean,
                  100 * fund->repaid.se);
    std::cout << "  P(repaid)           " << buf << "\n";
    if (std::isfinite(fund->median_first_year))
      std::cout << "  effect met (median) year " << fund->median_first_year << " of the horizon\n";
  }
  if (out_dir) {
    OutputDir& dir = *out_dir;
    nlohmann::ordered_json j;
    j["plan"] = {{"cost_sek", plan.cost_sek},
                 {"short_term_savings_sek", plan.short_term_sek},
                 {"long_term_savings_sek", plan.long_term_sek},
                 {"total_savings_sek", plan.total_sek},
                 {"return_per_sek", plan.return_per_sek}};
    auto sj = [](const Summary& s) {
      return nlohmann::ordered_json{{"mean", s.mean},       {"se", s.se},     {"ci_low", s.ci_low},
                                    {"ci_high", s.ci_high}, {"p2_5", s.p2_5}, {"p97_5", s.p97_5}};
    };
    j["simulated_as_plan"] = {{"roi", sj(sim_plan.roi)},
                              {"savings_sek", sj(sim_plan.savings)},
                              {"cost_sek", sj(sim_plan.cost)}};
    j["simulated_configured"] = {{"perspective", name_of(e.perspective)},
                                 {"discount_rate", e.discount_rate},
                                 {"roi", sj(sim_cfg.roi)},
                                 {"savings_sek", sj(sim_cfg.savings)},
                                 {"cost_sek", sj(sim_cfg.cost)}};
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& row : bridge.rows) {
      rows.push_back(
          {{"step", models::bridge_step_name(row.step)},
           {"label_sv", models::bridge_step_words(models::Language::sv, row.step, cfg.plan, e)},
           {"label_en", models::bridge_step_words(models::Language::en, row.step, cfg.plan, e)},
           {"roi", sj(row.roi)}});
    }
    j["bridge"] = rows;
    if (fund) {
      j["fund"] = {{"amount_sek", cfg.fund.amount_sek},
                   {"rule", models::fund_rule_name(cfg.fund.rule)},
                   {"by_year", cfg.fund.by_year},
                   {"expected_repayment_sek", sj(fund->repayment)},
                   {"p_repaid", fund->repaid.mean},
                   {"p_repaid_se", fund->repaid.se},
                   {"p_full", fund->full.mean},
                   {"p_repaid_by_year", fund->p_repaid_by_year},
                   {"median_first_year", std::isfinite(fund->median_first_year)
                                             ? nlohmann::ordered_json(fund->median_first_year)
                                             : nlohmann::ordered_json(nullptr)}};
    }
    dir.write("calc.json", j.dump(2) + "\n");
    dir.commit();
  }
  return 0;
}

}  // namespace

void add_calc_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<CalcArgs>();
  auto* sub = root.add_subcommand(
      "calc", "The plan's own deterministic ROI calculation beside the simulated ROI");
  sub->add_option("CONFIG", args->config, "TOML config with a [plan] table")->required();
  sub->add_option("--replications", args->replications, "replications for the simulated ROI")
      ->check(count_up_to(1e6));
  sub->add_option("--seed", args->seed, "master seed")
      ->check(number_in(0, 9.2e18, "a whole number >= 0"));
  sub->add_option("--threads", args->threads, "worker threads")->check(count_up_to(1024));
  sub->add_option("--out", args->out, "also write calc.json into this folder")->check(non_empty());
  sub->callback([args, &action] { action = [args] { return calc_command(*args); }; });
}

}  // namespace attendsim::app
