#include "io/decision_brief.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "io/results_writer.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

using json = nlohmann::ordered_json;

namespace {

json num(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json summary_json(const Summary& s) {
  return json{{"mean", num(s.mean)},       {"se", num(s.se)},     {"ci_low", num(s.ci_low)},
              {"ci_high", num(s.ci_high)}, {"p2_5", num(s.p2_5)}, {"p97_5", num(s.p97_5)}};
}

std::string cell(double v) {
  return std::isfinite(v) ? format_number(v) : "";
}

std::string csv_line(const std::string& scenario, const std::string& metric, const Summary& s,
                     const std::string& versus, const std::string& p_positive) {
  return scenario + "," + metric + "," + cell(s.mean) + "," + cell(s.se) + "," + cell(s.ci_low) +
         "," + cell(s.ci_high) + "," + cell(s.p2_5) + "," + cell(s.p97_5) + "," + versus + "," +
         p_positive + "\n";
}

Summary point(double v) {
  Summary s;
  s.mean = v;
  s.se = s.ci_low = s.ci_high = s.p2_5 = s.p97_5 = std::numeric_limits<double>::quiet_NaN();
  return s;
}

std::string fixed(double v, int d) {
  if (!std::isfinite(v)) return "n/a";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", d, v);
  return buf;
}

std::string ci_text(const Summary& s, int d, bool money) {
  if (!std::isfinite(s.mean)) return "n/a";
  auto f = [&](double v) { return money ? group_thousands(v) : fixed(v, d); };
  return f(s.mean) + " [" + f(s.ci_low) + ", " + f(s.ci_high) + "]";
}

}  // namespace

void fill_ladder_and_recommendation(ComparisonReport& rep) {
  std::vector<LadderOption> options;
  for (const auto& d : rep.decisions) {
    options.push_back(
        {d.name, d.cost.mean, d.extra_sustained_returns.mean, d.extra_completed_upper_sec.mean});
  }
  rep.ladder = incremental_analysis(options);
  // Break-even, best net benefit and recommendation scan the scenarios from the cheapest.
  std::vector<const ScenarioDecision*> order;
  for (const auto& d : rep.decisions) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->cost.mean < b->cost.mean; });
  rep.break_even.reset();
  rep.best_net_benefit.reset();
  rep.recommended.reset();
  double best_net = -std::numeric_limits<double>::infinity();
  for (const auto* d : order) {
    if (!rep.break_even && d->net_benefit.mean >= 0) rep.break_even = d->name;
    if (d->net_benefit.mean > best_net) {
      best_net = d->net_benefit.mean;
      rep.best_net_benefit = d->name;
    }
    if (!rep.recommended && d->p_roi_at_least_target >= rep.confidence) rep.recommended = d->name;
  }
}

ComparisonReport analyse_comparison(const ModelConfig& cfg, const ExperimentResult& res) {
  ComparisonReport rep;
  rep.roi_target = cfg.compare.roi_target;
  rep.confidence = cfg.compare.confidence;
  rep.decisions = scenario_decisions(res, rep.roi_target);
  rep.equity = equity_table(res);
  // Paired differences of every metric against the baseline and the named reference.
  std::size_t ref = 0;
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    if (res.scenarios[s].name == cfg.compare.reference_scenario) ref = s;
  }
  const auto names = metric_names(true);
  const std::size_t n_base_metrics = metric_count(false);
  for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
    std::vector<std::size_t> versus = {0};
    if (ref > 0 && ref != s) versus.push_back(ref);
    for (auto v : versus) {
      const std::size_t n_metrics = v == 0 ? n_base_metrics : names.size();
      for (std::size_t m = 0; m < n_metrics; ++m) {
        const auto d = paired_values(res, s, v, m);
        if (d.empty()) continue;
        rep.differences.push_back(
            {res.scenarios[s].name, res.scenarios[v].name, names[m], summarise(d)});
      }
    }
  }
  fill_ladder_and_recommendation(rep);
  return rep;
}

void write_comparison_outputs(const OutputDir& dir, const ModelConfig& cfg,
                              const ExperimentResult& res, const ComparisonReport& rep) {
  // comparison.csv: per-scenario metrics (versus empty), decision figures, paired differences.
  std::string csv = "scenario,metric,mean,se,ci_low,ci_high,p2_5,p97_5,versus,p_positive\n";
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    const auto names = metric_names(s > 0);
    for (std::size_t m = 0; m < names.size(); ++m) {
      const auto v = res.unit_values(s, m);
      bool any = false;
      for (double x : v) any = any || !std::isnan(x);
      if (any) csv += csv_line(res.scenarios[s].name, names[m], summarise(v), "", "");
    }
  }
  for (const auto& d : rep.decisions) {
    csv += csv_line(d.name, "p_roi_above_1", point(d.p_roi_above_1), "", "");
    csv += csv_line(d.name, "p_roi_at_least_target", point(d.p_roi_at_least_target), "", "");
    csv += csv_line(d.name, "cost_per_extra_sustained_return_sek",
                    point(d.cost_per_extra_sustained_return), "", "");
    csv += csv_line(d.name, "cost_per_extra_completed_upper_secondary_sek",
                    point(d.cost_per_extra_completion), "", "");
    csv += csv_line(d.name, "median_payback_year", point(d.median_payback_year), "", "");
  }
  for (const auto& d : rep.differences) {
    csv += csv_line(d.scenario, d.metric, d.diff, d.versus, format_number(d.diff.p_positive));
  }
  dir.write("comparison.csv", csv);

  std::string eq = "scenario,measure,group,mean,se,ci_low,ci_high,p2_5,p97_5\n";
  for (const auto& r : rep.equity) {
    for (const auto& [group, s] : {std::pair<const char*, const Summary*>{"boys", &r.boys},
                                   {"girls", &r.girls},
                                   {"gap_girls_minus_boys", &r.gap}}) {
      eq += r.scenario + "," + r.measure + "," + group + "," + cell(s->mean) + "," + cell(s->se) +
            "," + cell(s->ci_low) + "," + cell(s->ci_high) + "," + cell(s->p2_5) + "," +
            cell(s->p97_5) + "\n";
    }
  }
  dir.write("equity.csv", eq);

  json j;
  j["config"] = cfg.name;
  j["roi_target"] = rep.roi_target;
  j["confidence"] = rep.confidence;
  j["recommended"] = rep.recommended ? json(*rep.recommended) : json(nullptr);
  j["break_even"] = rep.break_even ? json(*rep.break_even) : json(nullptr);
  j["best_net_benefit"] = rep.best_net_benefit ? json(*rep.best_net_benefit) : json(nullptr);
  json sc = json::object();
  for (const auto& d : rep.decisions) {
    json o;
    o["fte"] = d.fte;
    o["cost_sek"] = summary_json(d.cost);
    o["savings_sek"] = summary_json(d.savings);
    o["net_benefit_sek"] = summary_json(d.net_benefit);
    o["roi"] = summary_json(d.roi);
    o["extra_sustained_returns"] = summary_json(d.extra_sustained_returns);
    o["extra_completed_upper_secondary"] = summary_json(d.extra_completed_upper_sec);
    o["p_roi_above_1"] = num(d.p_roi_above_1);
    o["p_roi_at_least_target"] = num(d.p_roi_at_least_target);
    o["cost_per_extra_sustained_return_sek"] = num(d.cost_per_extra_sustained_return);
    o["cost_per_extra_completed_upper_secondary_sek"] = num(d.cost_per_extra_completion);
    o["payback_share_by_year"] = d.payback_share_by_year;
    o["median_payback_year"] = num(d.median_payback_year);
    sc[d.name] = std::move(o);
  }
  j["scenarios"] = std::move(sc);
  json lad = json::array();
  for (const auto& st : rep.ladder) {
    lad.push_back({{"scenario", st.scenario},
                   {"from", st.from},
                   {"extra_cost_sek", num(st.extra_cost)},
                   {"extra_sustained_returns", num(st.extra_sustained_returns)},
                   {"extra_completed_upper_secondary", num(st.extra_completions)},
                   {"cost_per_extra_sustained_return_sek", num(st.cost_per_extra_return)},
                   {"dominated", st.dominated},
                   {"extendedly_dominated", st.extendedly_dominated}});
  }
  j["incremental"] = std::move(lad);
  json diffs = json::array();
  for (const auto& d : rep.differences) {
    json o = summary_json(d.diff);
    o["scenario"] = d.scenario;
    o["versus"] = d.versus;
    o["metric"] = d.metric;
    o["p_positive"] = num(d.diff.p_positive);
    diffs.push_back(std::move(o));
  }
  j["differences"] = std::move(diffs);
  json eqj = json::array();
  for (const auto& r : rep.equity) {
    eqj.push_back({{"scenario", r.scenario},
                   {"measure", r.measure},
                   {"boys", summary_json(r.boys)},
                   {"girls", summary_json(r.girls)},
                   {"gap_girls_minus_boys", summary_json(r.gap)}});
  }
  j["equity"] = std::move(eqj);
  dir.write("comparison.json", j.dump(2) + "\n");
  dir.write("decision.md", decision_markdown(cfg, res, rep));
}

void print_comparison(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res,
                      const ComparisonReport& rep) {
  os << cfg.name << ": " << res.scenarios.size() - 1 << " scenarios vs baseline, "
     << res.options.draws << " draw(s) x " << res.options.replications << " replication(s), seed "
     << res.options.seed << "\n\n";
  os << std::left << std::setw(30) << "scenario" << std::setw(8) << "FTE" << std::setw(26)
     << "extra returns [95% CI]" << std::setw(40) << "net benefit SEK [95% CI]" << std::setw(22)
     << "ROI [95% CI]" << std::setw(10) << "P(ROI>=" + fixed(rep.roi_target, 1) + ")"
     << "\n";
  for (const auto& d : rep.decisions) {
    os << std::setw(30) << d.name << std::setw(8) << fixed(d.fte, 1) << std::setw(26)
       << ci_text(d.extra_sustained_returns, 1, false) << std::setw(40)
       << ci_text(d.net_benefit, 0, true) << std::setw(22) << ci_text(d.roi, 2, false)
       << std::setw(10) << fixed(d.p_roi_at_least_target, 2) << "\n";
  }
  os << "\n";
  if (rep.recommended) {
    os << "Recommendation: " << *rep.recommended
       << ", the smallest staffing with P(ROI >= " << fixed(rep.roi_target, 2)
       << ") >= " << fixed(rep.confidence, 2) << ".\n";
  } else {
    os << "Recommendation: no compared staffing reaches P(ROI >= " << fixed(rep.roi_target, 2)
       << ") >= " << fixed(rep.confidence, 2)
       << "; scaling up is not supported by the simulated savings.\n";
  }
  os << "Break-even staffing (mean net benefit >= 0): "
     << (rep.break_even ? *rep.break_even : "none") << "\n";
}

std::string decision_markdown(const ModelConfig& cfg, const ExperimentResult& res,
                              const ComparisonReport& rep) {
  const auto base = realise(cfg, cfg.parameters.base_values());
  const auto& e = base.economics;
  std::ostringstream md;
  md << "# Decision brief: " << cfg.name << "\n\n";
  if (!cfg.description.empty()) md << cfg.description << ".\n\n";
  md << "## Recommendation\n\n";
  if (rep.recommended) {
    md << "**" << *rep.recommended
       << "** is the smallest staffing level for which the probability that every "
       << "invested krona comes back at least " << fixed(rep.roi_target, 2) << " times is at least "
       << fixed(rep.confidence * 100, 0) << " %.\n\n";
  } else {
    md << "**None of the compared staffing levels** reaches a probability of "
       << fixed(rep.confidence * 100, 0) << " % that the return is at least "
       << fixed(rep.roi_target, 2)
       << " SEK per SEK invested. On the simulated savings alone, scaling up is not supported; the "
          "decision "
       << "then rests on the outcomes for pupils (below) and on what those are worth to the "
          "municipality.\n\n";
  }
  md << "- Break-even staffing (mean net benefit >= 0): "
     << (rep.break_even ? *rep.break_even : "none") << "\n";
  md << "- Highest mean net benefit: " << (rep.best_net_benefit ? *rep.best_net_benefit : "none")
     << "\n\n";
  md << "Conditions: savings are counted from the **" << perspective_name(e.perspective)
     << "** perspective, discounted at " << fixed(e.discount_rate * 100, 1)
     << " % a year, over a horizon of " << base.horizon_years
     << " years; they are the simulated difference against running without "
     << "coordinators, on the same pupils and the same random events. The coordinator effect rests "
        "on no "
     << "controlled Swedish evaluation (EVIDENCE.md, section 3): run `attendsim sensitivity` "
        "before acting on "
     << "a close call.\n\n";
  md << "## Scenarios\n\n";
  md << "| scenario | FTE | cost (SEK) | extra sustained returns | extra completions | net benefit "
        "(SEK) | ROI | "
        "P(ROI >= "
     << fixed(rep.roi_target, 1) << ") | median payback year |\n";
  md << "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& d : rep.decisions) {
    md << "| " << d.name << " | " << fixed(d.fte, 1) << " | " << group_thousands(d.cost.mean)
       << " | " << ci_text(d.extra_sustained_returns, 1, false) << " | "
       << ci_text(d.extra_completed_upper_sec, 1, false) << " | " << ci_text(d.net_benefit, 0, true)
       << " | " << ci_text(d.roi, 2, false) << " | " << fixed(d.p_roi_at_least_target, 2) << " | "
       << (std::isfinite(d.median_payback_year) ? fixed(d.median_payback_year, 0)
                                                : "not within horizon")
       << " |\n";
  }
  md << "\nIntervals are 95 % confidence intervals of the mean over " << res.options.replications
     << " replication(s)"
     << (res.options.draws > 1 ? " and " + std::to_string(res.options.draws) + " parameter draws"
                               : "")
     << ".\n\n";
  if (!rep.ladder.empty()) {
    md << "## Each step up the staffing ladder\n\n";
    md << "| step | extra cost (SEK) | extra sustained returns | cost per extra return (SEK) | "
          "note |\n";
    md << "|---|---:|---:|---:|---|\n";
    for (const auto& st : rep.ladder) {
      md << "| " << st.from << " -> " << st.scenario << " | " << group_thousands(st.extra_cost)
         << " | " << fixed(st.extra_sustained_returns, 1) << " | "
         << (std::isfinite(st.cost_per_extra_return) ? group_thousands(st.cost_per_extra_return)
                                                     : "n/a")
         << " | "
         << (st.dominated ? "dominated" : (st.extendedly_dominated ? "extendedly dominated" : ""))
         << " |\n";
    }
    md << "\n";
  }
  md << "## Who gets support (girls minus boys)\n\n";
  md << "| scenario | access rate gap | referral rate gap | mean wait gap (months) "
        "|\n|---|---:|---:|---:|\n";
  for (std::size_t i = 0; i + 3 < rep.equity.size() + 3 && i < rep.equity.size(); i += 4) {
    const auto& ref = rep.equity[i];
    const auto& acc = rep.equity[i + 1];
    const auto& wait = rep.equity[i + 2];
    md << "| " << ref.scenario << " | " << ci_text(acc.gap, 3, false) << " | "
       << ci_text(ref.gap, 3, false) << " | " << ci_text(wait.gap, 2, false) << " |\n";
  }
  md << "\nAccess rate: cases started per pupil with high or extensive absence. A negative gap "
        "means girls "
        "get less access than boys; an interval that excludes 0 is a gap the simulation can tell "
        "apart from chance.\n";
  return md.str();
}

}  // namespace attendsim::models
