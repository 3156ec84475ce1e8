#include "io/decision_brief.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "analysis/metrics.hpp"
#include "analysis/sensitivity.hpp"
#include "io/json_fields.hpp"
#include "io/results_writer.hpp"
#include "io/sensitivity_writer.hpp"
#include "io/subgroup_tables.hpp"
#include "io/threshold_text.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

using json = nlohmann::ordered_json;

namespace {

const auto num = json_number;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
  s.se = s.ci_low = s.ci_high = s.p2_5 = s.p97_5 = s.p_positive =
      std::numeric_limits<double>::quiet_NaN();
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
  rep.ladder_effect.clear();
  // Break-even, best net benefit and recommendation scan the scenarios from the cheapest;
  // no coordinators (cost 0, net benefit 0) is the first option and wins ties.
  std::vector<const ScenarioDecision*> order;
  for (const auto& d : rep.decisions) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->cost.mean < b->cost.mean; });
  rep.break_even.reset();
  rep.recommended.reset();
  rep.best_net_benefit = "baseline";
  double best_net = 0.0;
  for (const auto* d : order) {
    if (!rep.break_even && d->net_benefit.mean >= 0) rep.break_even = d->name;
    if (d->net_benefit.mean > best_net) {
      best_net = d->net_benefit.mean;
      rep.best_net_benefit = d->name;
    }
    if (!rep.recommended && d->p_roi_at_least_target >= rep.confidence) rep.recommended = d->name;
  }
  if (!rep.recommended) rep.recommended = "baseline";
}

std::vector<double> acceptability_values() {
  return {0, 100000, 250000, 500000, 1000000, 2000000, 4000000};
}

void decide_from_units(ComparisonReport& rep) {
  rep.p_best_no_coordinators = score_units(rep.decisions, rep.roi_target);
  rep.units = rep.decisions.empty() ? 0 : rep.decisions.front().net_by_unit.size();
  fill_ladder_and_recommendation(rep);
}

std::string step_verdict(const IncrementalStep& step, const Summary& effect_difference) {
  const bool known = std::isfinite(effect_difference.ci_low) &&
                     std::isfinite(effect_difference.ci_high) && effect_difference.n > 1;
  const bool excludes_zero =
      known && (effect_difference.ci_high < 0 || effect_difference.ci_low > 0);
  if (step.dominated)
    return known && effect_difference.ci_high < 0 ? "dominated" : "not_distinguishable";
  if (known && !excludes_zero) return "not_distinguishable";
  if (step.extendedly_dominated) return "extendedly_dominated";
  return "";
}

ComparisonReport analyse_comparison(const ModelConfig& cfg, const ExperimentResult& res) {
  ComparisonReport rep;
  rep.roi_target = cfg.compare.roi_target;
  rep.confidence = cfg.compare.confidence;
  rep.decisions = scenario_decisions(res, rep.roi_target);
  rep.from_draws = res.options.draws > 1;
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
        // A metric the run did not compute has a difference that is not computed either
        // (empty cells, null), never left out as if it were undefined.
        if (d.empty() && !not_computed(res, m)) continue;
        rep.differences.push_back({res.scenarios[s].name, res.scenarios[v].name, names[m],
                                   d.empty() ? point(kNaN) : summarise(d)});
      }
    }
  }
  decide_from_units(rep);
  // Each step's paired difference in sustained returns against the option it steps from.
  auto index_of = [&](const std::string& name) {
    for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
      if (res.scenarios[s].name == name) return s;
    }
    return std::size_t{0};
  };
  const std::size_t i_ret = res.metric_index("sustained_returns");
  for (const auto& st : rep.ladder) {
    const auto d = paired_values(res, index_of(st.scenario), index_of(st.from), i_ret);
    rep.ladder_effect.push_back(d.empty() ? point(std::numeric_limits<double>::quiet_NaN())
                                          : summarise(d));
  }
  rep.plan_fund = analyse_plan_and_fund(cfg, res);
  return rep;
}

void write_comparison_outputs(const OutputDir& dir, const ModelConfig& cfg,
                              const ExperimentResult& res, const ComparisonReport& rep,
                              Language lang) {
  // comparison.csv: per-scenario metrics (versus empty), decision figures, paired differences.
  std::string csv = "scenario,metric,mean,se,ci_low,ci_high,p2_5,p97_5,versus,p_positive\n";
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    const auto names = metric_names(s > 0);
    for (std::size_t m = 0; m < names.size(); ++m) {
      const auto v = res.unit_values(s, m);
      bool any = false;
      for (double x : v) any = any || !std::isnan(x);
      if (any || not_computed(res, m))  // not computed: empty cells
        csv += csv_line(res.scenarios[s].name, names[m], any ? summarise(v) : point(kNaN), "", "");
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
    csv += csv_line(d.scenario, d.metric, d.diff, d.versus, cell(d.diff.p_positive));
  }
  dir.write("comparison.csv", csv);

  std::string eq = "scenario,measure,group,mean,se,ci_low,ci_high,p2_5,p97_5\n";
  for (const auto& r : rep.equity) {
    for (const auto& [group, s] : {std::pair<const char*, const Summary*>{"boys", &r.boys},
                                   {"girls", &r.girls},
                                   {"gap_girls_minus_boys", &r.gap},
                                   {"ratio_girls_over_boys", &r.ratio}}) {
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
  j["units"] = rep.units;
  j["units_are_parameter_draws"] = rep.from_draws;
  j["draws"] = res.options.draws;
  j["replications_per_draw"] = res.options.replications;
  j["p_best_no_coordinators"] = num(rep.p_best_no_coordinators);
  if (!res.not_computed.empty()) {  // as summary.json: the metrics this run did not compute
    j["not_computed"] = metric_names_of(res.not_computed);
    j["not_computed_in_subgroups"] = metric_names_of(res.not_computed_in_subgroups);
    j["not_computed_reason"] = kNotComputedReason;
  }
  j["description"] = {{"sv", config_description(cfg, Language::sv)},
                      {"en", config_description(cfg, Language::en)}};
  json labels = json::object();
  for (const auto& sc : res.scenarios) {
    const auto l = scenario_labels(cfg, sc);
    labels[sc.name] = {{"sv", l.sv}, {"en", l.en}};
  }
  j["labels"] = std::move(labels);
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
    o["p_roi_at_least_target_mc_error"] = num(share_error(d.p_roi_at_least_target, d.roi.n));
    o["p_net_benefit_positive"] = num(d.p_net_positive);
    o["p_net_benefit_positive_mc_error"] = num(share_error(d.p_net_positive, rep.units));
    o["p_best"] = num(d.p_best);
    o["p_best_mc_error"] = num(share_error(d.p_best, rep.units));
    o["cost_per_extra_sustained_return_sek"] = num(d.cost_per_extra_sustained_return);
    o["cost_per_extra_completed_upper_secondary_sek"] = num(d.cost_per_extra_completion);
    o["payback_share_by_year"] = d.payback_share_by_year;
    o["median_payback_year"] = num(d.median_payback_year);
    sc[d.name] = std::move(o);
  }
  j["scenarios"] = std::move(sc);
  json lad = json::array();
  for (std::size_t i = 0; i < rep.ladder.size(); ++i) {
    const auto& st = rep.ladder[i];
    const Summary effect = i < rep.ladder_effect.size()
                               ? rep.ladder_effect[i]
                               : point(std::numeric_limits<double>::quiet_NaN());
    lad.push_back({{"scenario", st.scenario},
                   {"from", st.from},
                   {"extra_cost_sek", num(st.extra_cost)},
                   {"extra_sustained_returns", num(st.extra_sustained_returns)},
                   {"extra_completed_upper_secondary", num(st.extra_completions)},
                   {"cost_per_extra_sustained_return_sek", num(st.cost_per_extra_return)},
                   {"dominated", st.dominated},
                   {"extendedly_dominated", st.extendedly_dominated},
                   {"extra_sustained_returns_ci", {num(effect.ci_low), num(effect.ci_high)}},
                   {"verdict", step_verdict(st, effect)}});
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
                   {"gap_girls_minus_boys", summary_json(r.gap)},
                   {"ratio_girls_over_boys", summary_json(r.ratio)}});
  }
  j["equity"] = std::move(eqj);
  add_plan_and_fund_json(j, cfg, rep.plan_fund);
  dir.write("comparison.json", j.dump(2) + "\n");
  dir.write("decision.md", decision_markdown(cfg, res, rep, lang));
  if (rep.from_draws) {
    // The draws behind the probabilities: the cost-effectiveness plane (psa.csv, the same
    // columns as `sensitivity --method psa` writes) and the acceptability curve.
    dir.write("psa.csv", psa_csv(res));
    dir.write("acceptability.csv", acceptability_csv(acceptability(res, acceptability_values())));
  }
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

std::string markdown_text(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {
/// decision.md's threshold section (io/threshold_text.hpp) for the scenarios of this
/// comparison; "" without a threshold analysis.
std::string threshold_part(const ComparisonReport& rep,
                           const std::map<std::string, std::string>& label, Language lang) {
  std::vector<ThresholdRow> rows;
  for (const auto& r : rep.threshold) {
    if (label.count(r.scenario)) rows.push_back(r);
  }
  if (rows.empty()) return "";
  return "\n" + threshold_markdown(
                    rows, [&](const std::string& code) { return label.at(code); }, lang);
}
}  // namespace

/// Whether the savings include the value past the horizon ([economics] terminal_value), in
/// the brief's language: one sentence.
namespace {
/// The table by gender and grade band (io/subgroup_tables.hpp) for the recommended scenario,
/// else the one with the highest mean net benefit.
std::string subgroup_part(const ExperimentResult& res, const ComparisonReport& rep,
                          const std::map<std::string, std::string>& label, Language lang) {
  std::vector<std::string> names;
  std::vector<double> net;
  for (const auto& sc : res.scenarios) {
    names.push_back(sc.name);
    double v = std::nan("");
    for (const auto& d : rep.decisions) {
      if (d.name == sc.name) v = d.net_benefit.mean;
    }
    net.push_back(v);
  }
  const auto pick = subgroup_table_scenario(names, rep.recommended, net);
  if (!pick) return "";
  const auto it = label.find(names[*pick]);
  return subgroup_brief_section(res, *pick, it == label.end() ? names[*pick] : it->second, lang);
}
}  // namespace

std::string terminal_value_note(bool swedish, bool terminal_value) {
  if (terminal_value) {
    return swedish ? "Värdet efter horisonten är med: elever som fortfarande går i skolan när "
                     "horisonten slutar värderas efter sin förväntade fullföljda gymnasieskola."
                   : "The value past the horizon is included: pupils still at school when the "
                     "horizon ends are valued by their expected completion of upper secondary "
                     "school.";
  }
  return swedish ? "Värdet efter horisonten är inte med: bara händelser inom horisonten räknas, "
                   "så effekter i grundskolan värderas lågt."
                 : "The value past the horizon is not included: only events within the horizon "
                   "count, so effects in compulsory school are valued low.";
}

std::string decision_markdown(const ModelConfig& cfg, const ExperimentResult& res,
                              const ComparisonReport& rep, Language lang) {
  const bool sv = lang == Language::sv;
  auto T = [sv](const char* s, const char* e) { return std::string(sv ? s : e); };
  auto n = [lang](double v, int d) { return format_number_in(lang, v, d); };
  auto money = [&](double v) { return n(v, 0); };
  auto ci = [&](const Summary& s, int d) {
    if (!std::isfinite(s.mean)) return std::string("–");
    if (!(s.n > 1)) return n(s.mean, d);
    return n(s.mean, d) + " [" + n(s.ci_low, d) + "; " + n(s.ci_high, d) + "]";
  };
  // Net benefit and return under parameter uncertainty: the 2.5-97.5 % range over the draws
  // (what the parameters' uncertainty allows); at base values: the CI of the mean.
  auto spread = [&](const Summary& s, int d) {
    if (!rep.from_draws || !std::isfinite(s.mean) || !(s.n > 1)) return ci(s, d);
    return n(s.mean, d) + " [" + n(s.p2_5, d) + "; " + n(s.p97_5, d) + "]";
  };
  auto pct = [&](double p) { return std::isfinite(p) ? n(100 * p, 0) + " %" : "–"; };
  // Monte Carlo error of a share p over k units: sqrt(p (1 - p) / k), in percentage points.
  auto pct_with_error = [&](double p, std::size_t k) {
    if (!std::isfinite(p) || k == 0) return std::string("–");
    const double mc = std::sqrt(p * (1 - p) / static_cast<double>(k));
    const std::string points = n(100 * mc, 0);
    return pct(p) + " ± " + points +
           (points == "1" ? T(" procentenhet", " percentage point")
                          : T(" procentenheter", " percentage points"));
  };
  std::map<std::string, std::string> label;
  for (const auto& sc : res.scenarios)
    label[sc.name] = markdown_text(in(lang, scenario_labels(cfg, sc)));
  auto name_of = [&](const std::string& code) {  // also a table cell
    const auto it = label.find(code);
    return it == label.end() ? markdown_text(code) : it->second;
  };
  const ScenarioDecision* best_p = nullptr;
  for (const auto& d : rep.decisions) {
    if (!best_p || d.p_roi_at_least_target > best_p->p_roi_at_least_target) best_p = &d;
  }
  auto decision_of = [&](const std::string& code) -> const ScenarioDecision* {
    for (const auto& d : rep.decisions) {
      if (d.name == code) return &d;
    }
    return nullptr;
  };
  auto difference = [&](const std::string& scenario, const char* metric) -> const Summary* {
    for (const auto& d : rep.differences) {
      if (d.scenario == scenario && d.versus == "baseline" && d.metric == metric) return &d.diff;
    }
    return nullptr;
  };
  const auto base = realise(cfg, cfg.parameters.base_values());
  const auto& e = base.economics;
  const std::string target = n(rep.roi_target, 2);
  const std::string conf = n(rep.confidence * 100, 0) + " %";
  const std::string nobody = name_of("baseline");

  std::ostringstream md;
  md << T("# Beslutsunderlag: närvarokoordinatorer\n\n",
          "# Decision brief: attendance coordinators\n\n");
  const auto description = config_description(cfg, lang);
  if (!description.empty()) md << markdown_text(description) << ".";
  if (const auto shared = ladder_policy_words(cfg, lang); !shared.empty()) md << " " << shared;
  md << "\n\n";
  if (!res.not_computed.empty()) {  // the count-based path (docs/methods.md §4.12)
    md << T(
        "**Ej beräknat.** Körningen går den räknebaserade vägen ([simulation] count_based, "
        "docs/methods.md §4.12), som inte följer eleverna en och en. Dessa mått beräknas "
        "därför inte och visas som –, aldrig som 0: ",
        "**Not computed.** This run takes the count-based path ([simulation] count_based, "
        "docs/methods.md §4.12), which does not follow pupils one by one. These metrics are "
        "therefore not computed and shown as –, never as 0: ");
    for (std::size_t i = 0; i < res.not_computed.size(); ++i)
      md << (i ? ", " : "") << metric_info(res.not_computed[i]).label(sv);
    if (!res.not_computed_in_subgroups.empty()) {
      md << T("; per kön och årskursgrupp inte heller: ", "; by gender and grade band neither: ");
      for (std::size_t i = 0; i < res.not_computed_in_subgroups.size(); ++i)
        md << (i ? ", " : "") << metric_info(res.not_computed_in_subgroups[i]).label(sv);
    }
    md << ".\n\n";
  }

  md << T("## Rekommendation\n\n", "## Recommendation\n\n");
  const ScenarioDecision* rec =
      rep.recommended && *rep.recommended != "baseline" ? decision_of(*rep.recommended) : nullptr;
  if (rec) {
    md << "**" << name_of(rec->name) << "** "
       << T("är den minsta bemanningen där sannolikheten är minst ",
            "is the smallest staffing level for which the probability is at least ")
       << conf
       << T(" att varje investerad krona ger tillbaka minst ",
            " that every krona invested brings back at least ")
       << target << T(" kr", " SEK") << T(" (beräknad sannolikhet ", " (estimated probability ")
       << pct_with_error(rec->p_roi_at_least_target, rec->roi.n) << ").";
    md << T(" Sannolikheten att nettonyttan blir positiv är ",
            " The probability that its net benefit is positive is ")
       << pct_with_error(rec->p_net_positive, rep.units)
       << T(", och sannolikheten att den ger störst nettonytta av alla alternativ är ",
            ", and the probability that it has the highest net benefit of all options is ")
       << pct_with_error(rec->p_best, rep.units) << ".\n\n";
  } else {
    md << "**" << T("Utan koordinatorer.", "No coordinators.") << "** "
       << T("Ingen av de jämförda bemanningarna når ",
            "None of the compared staffing levels reaches ")
       << conf
       << T(" sannolikhet att varje investerad krona ger tillbaka minst ",
            " probability that every krona invested brings back at least ")
       << target << T(" kr", " SEK");
    if (best_p) {
      md << T("; närmast kommer ", "; the closest is ") << name_of(best_p->name)
         << T(" med ", " with ") << pct_with_error(best_p->p_roi_at_least_target, best_p->roi.n);
    }
    md << T(
        ". Räknat enbart på besparingarna stöds ingen satsning; beslutet vilar då på vad "
        "elevernas utfall (nedan) är värda för kommunen.\n\n",
        ". On the simulated savings alone no staffing is supported; the decision then rests "
        "on what the outcomes for pupils (below) are worth to the municipality.\n\n");
  }
  md << T("- Lägsta bemanning där nettonyttan i genomsnitt är minst noll: ",
          "- Smallest staffing whose mean net benefit is at least zero: ")
     << (rep.break_even ? name_of(*rep.break_even)
                        : T("ingen; bara utan koordinatorer går det jämnt ut",
                            "none; only no coordinators breaks even"))
     << "\n";
  const std::string best = rep.best_net_benefit.value_or("baseline");
  md << T("- Störst genomsnittlig nettonytta (alternativet ",
          "- Highest mean net benefit (the option ")
     << nobody << T(", med nettonytta 0 kr, räknas med): ", ", at net benefit 0 SEK, included): ")
     << name_of(best);
  if (const auto* d = decision_of(best))
    md << " (" << money(d->net_benefit.mean) << T(" kr)", " SEK)");
  md << "\n";
  md << T("- Sannolikheten att alternativet ", "- Probability that the option ") << nobody
     << T(" ger störst nettonytta: ", " has the highest net benefit: ")
     << pct_with_error(rep.p_best_no_coordinators, rep.units) << "\n";
  // What it would take, for the configured staffing (else the recommended, else the first).
  const ThresholdRow* headline = nullptr;
  for (const auto& r : rep.threshold) {
    if (!label.count(r.scenario)) continue;
    if (!headline) headline = &r;
    if (r.scenario == rep.plan_fund.bridge_scenario ||
        (rep.plan_fund.bridge_scenario.empty() && rep.recommended == r.scenario))
      headline = &r;
  }
  if (headline) {
    md << "- " << threshold_headline(lang, *headline, name_of(headline->scenario))
       << T(" Se avsnittet Vad som krävs för att det ska löna sig.",
            " See the section What it would take to pay.")
       << "\n";
  }
  md << (rep.from_draws
             ? T("- Osäkerheten i parametrarna är med: sannolikheterna är andelar av ",
                 "- The parameters' uncertainty is included: probabilities are shares of ") +
                   std::to_string(res.options.draws) +
                   T(" slumpade uppsättningar av de osäkra parametrarna.",
                     " random sets of the uncertain parameters.")
             : T("- Osäkerheten i parametrarna är inte med: alla simuleringar använder "
                 "parametrarnas grundvärden, så sannolikheterna visar bara slumpens variation.",
                 "- The parameters' uncertainty is not included: every simulation uses the "
                 "parameters' base values, so the probabilities show chance variation only."))
     << "\n\n";
  md << T("Villkor: besparingarna räknas ur ", "Conditions: savings are counted from ")
     << perspective_words(lang, e.perspective)
     << T(" perspektiv, diskonteras med ", " perspective, discounted at ")
     << n(e.discount_rate * 100, 1) << T(" % per år och följs under ", " % a year, over ")
     << base.horizon_years
     << T(" år. De är den simulerade skillnaden mot att arbeta utan koordinatorer, för samma "
          "elever "
          "och samma slumpmässiga händelser. Koordinatorernas effekt vilar inte på någon "
          "kontrollerad "
          "svensk utvärdering; se känslighetsanalysen innan beslut fattas i ett jämnt läge.\n\n",
          " years. They are the simulated difference against working without coordinators, for "
          "the same pupils and the same random events. The coordinators' effect rests on no "
          "controlled Swedish evaluation; see the sensitivity analysis before acting on a close "
          "call.\n\n");
  md << terminal_value_note(sv, e.terminal_value) << "\n\n";

  // What it costs and brings back.
  md << T("## Kostnad och avkastning\n\n", "## Cost and return\n\n");
  // Column labels from the metric table (analysis/metrics.hpp).
  auto metric_label = [sv](Metric m) { return std::string(metric_info(m).label(sv)); };
  md << "| " << T("alternativ", "option") << " | " << T("årsarbetare", "FTE") << " | "
     << metric_label(Metric::cost_sek) << " | " << metric_label(Metric::savings_sek) << " | "
     << metric_label(Metric::net_benefit_sek) << " | " << metric_label(Metric::roi) << " | "
     << T("sannolikhet att avkastningen är minst ", "probability that the return is at least ")
     << target
     << T(" | sannolikhet för positiv nettonytta | sannolikhet att ge störst nettonytta | "
          "återbetalt efter (år, median) |\n",
          " | probability of a positive net benefit | probability of the highest net benefit | "
          "paid back after (years, median) |\n");
  md << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  md << "| " << nobody << " | 0 | 0 | 0 | 0 | – | – | – | "
     << pct_with_error(rep.p_best_no_coordinators, rep.units) << " | – |\n";
  for (const auto& d : rep.decisions) {
    md << "| " << name_of(d.name) << " | " << n(d.fte, d.fte == std::floor(d.fte) ? 0 : 1) << " | "
       << money(d.cost.mean) << " | " << money(d.savings.mean) << " | " << spread(d.net_benefit, 0)
       << " | " << spread(d.roi, 2) << " | " << pct_with_error(d.p_roi_at_least_target, d.roi.n)
       << " | " << pct_with_error(d.p_net_positive, rep.units) << " | "
       << pct_with_error(d.p_best, rep.units) << " | "
       << (std::isfinite(d.median_payback_year)
               ? n(d.median_payback_year, 0)
               : T("inte inom ", "not within ") + std::to_string(base.horizon_years) +
                     T(" år", " years"))
       << " |\n";
  }
  md << "\n";

  // What it gives the pupils, against no coordinators.
  md << T("## Vad eleverna vinner, jämfört med utan koordinatorer\n\n",
          "## What pupils gain, compared with no coordinators\n\n");
  md << "| " << T("alternativ", "option") << " | " << T("fler ", "more ")
     << metric_label(Metric::sustained_returns) << " | " << T("fler med ", "more ")
     << metric_label(Metric::completed_upper_secondary) << " | " << T("färre ", "fewer ")
     << metric_label(Metric::repeated_years) << " | "
     << T("kostnad per extra varaktig återgång (kr) | kostnad per extra elev som fullföljer "
          "gymnasiet (kr) |\n",
          "cost per extra sustained return (SEK) | cost per extra pupil completing upper "
          "secondary (SEK) |\n");
  md << "|---|---:|---:|---:|---:|---:|\n";
  // No upper secondary pupil within the horizon (a population of grades 0-9): nobody can
  // complete it, so its difference and its cost per completer are "–", not 0 and "no extra".
  const bool completions_possible = band_holds_pupils(res, 0, Subgroup::grade10_12);
  for (const auto& d : rep.decisions) {
    std::string fewer_repeats = "–";
    if (const auto* r = difference(d.name, "repeated_years")) {
      Summary neg = *r;
      neg.mean = -r->mean;
      neg.ci_low = -r->ci_high;
      neg.ci_high = -r->ci_low;
      fewer_repeats = ci(neg, 1);
    }
    md << "| " << name_of(d.name) << " | " << ci(d.extra_sustained_returns, 1) << " | "
       << (completions_possible ? ci(d.extra_completed_upper_sec, 1) : std::string("–")) << " | "
       << fewer_repeats << " | "
       << (std::isfinite(d.cost_per_extra_sustained_return)
               ? money(d.cost_per_extra_sustained_return)
           : std::isnan(d.extra_sustained_returns.mean)  // not computed
               ? std::string("–")
               : T("ingen extra återgång", "no extra return"))
       << " | "
       << (!completions_possible                          ? std::string("–")
           : std::isfinite(d.cost_per_extra_completion)   ? money(d.cost_per_extra_completion)
           : std::isnan(d.extra_completed_upper_sec.mean) ? std::string("–")
                                                          : T("ingen extra elev", "no extra pupil"))
       << " |\n";
  }
  md << "\n";
  if (!completions_possible && !rep.decisions.empty()) md << no_upper_secondary_note(lang) << " ";
  md << T("Intervallen inom hakparentes är 95 % konfidensintervall för medelvärdet över ",
          "Intervals in brackets are 95 % confidence intervals of the mean over ");
  if (res.options.draws > 1) {
    md << res.options.draws
       << T(" slumpade uppsättningar av de osäkra parametrarna, var och en simulerad ",
            " random sets of the uncertain parameters, each simulated ")
       << res.options.replications << T(" gånger", " times");
  } else {
    md << res.options.replications
       << T(" upprepade simuleringar med parametrarnas grundvärden",
            " repeated simulations at the parameters' base values");
  }
  md << (rep.from_draws
             ? T("; för nettonytta och avkastning visar intervallen i stället det spann (2,5–97,5 "
                 "%) som de slumpade parametervärdena ger",
                 "; for net benefit and return the intervals instead show the range (2.5–97.5 %) "
                 "the random parameter values give")
             : std::string());
  md << T(". Sannolikheterna anges med sin osäkerhet från simuleringen (±).\n\n",
          ". Probabilities are given with their simulation error (±).\n\n");

  if (!rep.ladder.empty()) {
    md << T("## Varje steg uppåt i bemanning\n\n", "## Each step up the staffing ladder\n\n");
    md << T(
        "| steg | merkostnad (kr) | fler varaktiga återgångar | kostnad per extra återgång (kr) | "
        "bedömning |\n",
        "| step | extra cost (SEK) | more sustained returns | cost per extra return (SEK) | "
        "verdict |\n");
    md << "|---|---:|---:|---:|---|\n";
    for (std::size_t i = 0; i < rep.ladder.size(); ++i) {
      const auto& st = rep.ladder[i];
      Summary effect =
          i < rep.ladder_effect.size() ? rep.ladder_effect[i] : point(st.extra_sustained_returns);
      if (!std::isfinite(effect.mean)) effect = point(st.extra_sustained_returns);
      const auto verdict = step_verdict(st, effect);
      std::string note;
      if (verdict == "dominated")
        note = T("dominerat: ", "dominated: ") + name_of(st.from) +
               T(" ger fler återgångar för mindre pengar", " gives more returns for less money");
      else if (verdict == "not_distinguishable")
        note = T("går inte att skilja från ", "not distinguishable from ") + name_of(st.from);
      else if (verdict == "extendedly_dominated")
        note = T("svagt dominerat: en blandning av grannstegen ger mer för pengarna",
                 "extendedly dominated: a mix of the neighbouring steps buys more for the money");
      md << "| " << name_of(st.from) << " → " << name_of(st.scenario) << " | "
         << money(st.extra_cost) << " | " << ci(effect, 1) << " | "
         << (std::isfinite(st.cost_per_extra_return) && verdict != "not_distinguishable"
                 ? money(st.cost_per_extra_return)
                 : "–")
         << " | " << note << " |\n";
    }
    md << "\n"
       << T("Ett steg kallas dominerat bara när intervallet för skillnaden i återgångar ligger "
            "helt "
            "under noll; när intervallet innehåller noll kan simuleringen inte skilja stegen "
            "åt.\n\n",
            "A step is called dominated only when the interval of its difference in returns lies "
            "wholly below zero; when the interval contains zero the simulation cannot tell the "
            "steps apart.\n\n");
  }

  md << plan_and_fund_markdown(cfg, res, rep.plan_fund, lang);

  md << subgroup_part(res, rep, label, lang);

  md << T("## Vem får stöd: flickor och pojkar\n\n", "## Who gets support: girls and boys\n\n");
  md << T(
      "| alternativ | påbörjade ärenden per 100 flickor med hög frånvaro | per 100 pojkar | "
      "flickors tillgång i förhållande till pojkars | flickors remittering i förhållande till "
      "pojkars |\n",
      "| option | cases started per 100 girls with high absence | per 100 boys | girls' access "
      "relative to boys' | girls' referral relative to boys' |\n");
  md << "|---|---:|---:|---:|---:|\n";
  for (const auto& d : rep.decisions) {
    const EquityRow *acc = nullptr, *ref = nullptr;
    for (const auto& r : rep.equity) {
      if (r.scenario != d.name) continue;
      if (r.measure == "access_rate") acc = &r;
      if (r.measure == "referral_rate") ref = &r;
    }
    if (!acc) continue;
    auto per100 = [](Summary s) {
      for (double* v : {&s.mean, &s.ci_low, &s.ci_high}) *v *= 100;
      return s;
    };
    md << "| " << name_of(d.name) << " | " << ci(per100(acc->girls), 1) << " | "
       << ci(per100(acc->boys), 1) << " | " << ci(acc->ratio, 2) << " | "
       << (ref ? ci(ref->ratio, 2) : "–") << " |\n";
  }
  md << "\n"
     << T("Hög frånvaro: elever som någon gång haft hög eller omfattande frånvaro. Kvoten 1,00 "
          "betyder "
          "lika tillgång; under 1 får flickor mindre stöd än pojkar. Ett intervall som inte "
          "innehåller "
          "1 är en skillnad som simuleringen kan skilja från slumpen.\n",
          "High absence: pupils who at some point had high or extensive absence. A ratio of 1.00 "
          "means equal access; below 1 girls get less support than boys. An interval that "
          "excludes 1 is a difference the simulation can tell apart from chance.\n");
  md << threshold_part(rep, label, lang);
  return md.str();
}

}  // namespace attendsim::models
