#include "io/calc_writer.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "analysis/economics.hpp"
#include "io/json_fields.hpp"
#include "io/labels.hpp"
#include "io/results_writer.hpp"
#include "sim/names.hpp"

namespace attendsim::models {

namespace {

std::string roi_text(const Summary& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.2f [95 %% CI %.2f, %.2f]", s.mean, s.ci_low, s.ci_high);
  return buf;
}

}  // namespace

void print_plan_check(std::ostream& os, const ModelConfig& cfg, const PlanCheck& c) {
  const auto base = realise(cfg, cfg.parameters.base_values());
  const auto& e = base.economics;
  const auto& plan = c.plan;
  os << cfg.name << ": the plan's own calculation (from [plan] in " << cfg.file << ")\n\n";
  os << "  cost of the effort           " << group_thousands(plan.cost_sek) << " SEK\n";
  os << "  short-term savings           " << group_thousands(plan.short_term_sek) << " SEK  ("
     << cfg.plan.avoided_repeated_years << " avoided repeated years x "
     << group_thousands(cfg.plan.cost_per_repeated_year_sek) << ")\n";
  os << "  long-term savings            " << group_thousands(plan.long_term_sek) << " SEK  ("
     << cfg.plan.completers_gained << " completers x "
     << group_thousands(cfg.plan.saving_per_completer_sek) << ")\n";
  os << "  total savings                " << group_thousands(plan.total_sek) << " SEK\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f (%.3f unrounded)", plan.return_per_sek, plan.return_per_sek);
  os << "  SEK returned per SEK         " << buf << "\n\n";
  os << "Simulated (" << c.replications << " replications, seed " << c.seed << "):\n";
  os << "  as the plan counts (undiscounted, whole loss)   ROI " << roi_text(c.as_plan.roi) << "\n";
  os << "  " << name_of(e.perspective) << ", discounted at " << e.discount_rate * 100
     << " %        ROI " << roi_text(c.configured.roi) << "\n\n";
  os << "Why they differ:\n"
     << "  - The plan assumes its effects (" << cfg.plan.avoided_repeated_years
     << " repeated years, " << cfg.plan.completers_gained
     << " completers); the simulation derives them from the pupils it\n"
     << "    simulates, scenario minus no-coordinator baseline on common random numbers, with "
        "the\n"
     << "    caseload, queue and effect sizes of the config.\n"
     << "  - The plan counts the whole long-term loss of a non-completer ("
     << group_thousands(cfg.plan.saving_per_completer_sek) << " SEK); about half of it\n"
     << "    is private income, not public money (S37): the " << name_of(e.perspective)
     << " perspective keeps a share of " << perspective_share(e) << ".\n"
     << "  - The loss falls over ages " << e.loss_start_age << "-" << e.loss_end_age
     << "; discounted to the age of completion it is worth "
     << group_thousands(longterm_annuity_factor(e) * 100, 0) << " % of the undiscounted sum.\n"
     << "  - Only events within the " << base.horizon_years << "-year horizon count"
     << (e.terminal_value ? "; the value past the horizon adds the expected completions of "
                            "pupils still at school at its end.\n"
                          : "; later completions of today's younger pupils are not included.\n");
  os << "\nFrom the plan to the simulation, one assumption at a time (ROI, mean [95 % CI] "
        "over replications):\n";
  const auto& rows = c.bridge.rows;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%6.2f", rows[i].roi.mean);
    os << "  " << i << ". " << buf;
    if (i > 0) {
      std::snprintf(buf, sizeof buf, " [%.2f, %.2f]  (%+.2f)", rows[i].roi.ci_low,
                    rows[i].roi.ci_high, rows[i].roi.mean - rows[i - 1].roi.mean);
      os << buf;
    }
    os << "  " << bridge_step_words(Language::en, rows[i].step, cfg.plan, e) << "\n";
  }
  if (c.fund) {
    const auto& f = *c.fund;
    os << "\nThe fund's terms: " << fund_terms_words(Language::en, cfg.fund) << "\n";
    os << "  expected repayment  " << group_thousands(f.repayment.mean) << " SEK [95 % CI "
       << group_thousands(f.repayment.ci_low) << ", " << group_thousands(f.repayment.ci_high)
       << "]\n";
    os << "  present value       " << group_thousands(f.present_value.mean)
       << " SEK (discounted to the start at " << e.discount_rate * 100 << " % a year)\n";
    std::snprintf(buf, sizeof buf, "%.1f %% (Monte Carlo error %.1f)", 100 * f.repaid.mean,
                  100 * f.repaid.se);
    os << "  P(repaid)           " << buf << "\n";
    if (std::isfinite(f.median_first_year))
      os << "  effect met (median) year " << f.median_first_year << " of the horizon\n";
  }
}

std::string plan_check_json(const ModelConfig& cfg, const PlanCheck& c) {
  using json = nlohmann::ordered_json;
  const auto e = realise(cfg, cfg.parameters.base_values()).economics;
  json j;
  j["plan"] = {{"cost_sek", c.plan.cost_sek},
               {"short_term_savings_sek", c.plan.short_term_sek},
               {"long_term_savings_sek", c.plan.long_term_sek},
               {"total_savings_sek", c.plan.total_sek},
               {"return_per_sek", c.plan.return_per_sek}};
  j["simulated_as_plan"] = {{"roi", summary_json(c.as_plan.roi)},
                            {"savings_sek", summary_json(c.as_plan.savings)},
                            {"cost_sek", summary_json(c.as_plan.cost)}};
  j["simulated_configured"] = {{"perspective", name_of(e.perspective)},
                               {"discount_rate", e.discount_rate},
                               {"roi", summary_json(c.configured.roi)},
                               {"savings_sek", summary_json(c.configured.savings)},
                               {"cost_sek", summary_json(c.configured.cost)}};
  json rows = json::array();
  for (const auto& row : c.bridge.rows) {
    rows.push_back({{"step", bridge_step_name(row.step)},
                    {"label_sv", bridge_step_words(Language::sv, row.step, cfg.plan, e)},
                    {"label_en", bridge_step_words(Language::en, row.step, cfg.plan, e)},
                    {"roi", summary_json(row.roi)}});
  }
  j["bridge"] = rows;
  if (c.fund) {
    const auto& f = *c.fund;
    j["fund"] = {{"amount_sek", cfg.fund.amount_sek},
                 {"rule", fund_rule_name(cfg.fund.rule)},
                 {"by_year", cfg.fund.by_year},
                 {"expected_repayment_sek", summary_json(f.repayment)},
                 {"expected_repayment_present_value_sek", summary_json(f.present_value)},
                 {"p_repaid", json_number(f.repaid.mean)},
                 {"p_repaid_se", json_number(f.repaid.se)},
                 {"p_full", json_number(f.full.mean)},
                 {"p_repaid_by_year", f.p_repaid_by_year},
                 {"median_first_year", json_number(f.median_first_year)}};
  }
  return j.dump(2) + "\n";
}

void write_plan_check(const OutputDir& dir, const ModelConfig& cfg, const PlanCheck& c) {
  dir.write("calc.json", plan_check_json(cfg, c));
}

}  // namespace attendsim::models
