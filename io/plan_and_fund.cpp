#include "io/plan_and_fund.hpp"

#include <cmath>
#include <sstream>

#include "analysis/plan_calculator.hpp"
#include "io/json_fields.hpp"

namespace attendsim::models {

using json = nlohmann::ordered_json;

namespace {

const auto num = json_number;

/// Whether a compared scenario is the configured one: the same staffing and policies.
bool is_configured(const ModelConfig& cfg, const ScenarioSpec& s) {
  const auto& c = cfg.scenario;
  if (s.allocation_policy != c.allocation_policy || s.referral_policy != c.referral_policy)
    return false;
  if (s.staffing.periods.size() != c.staffing.periods.size()) return false;
  for (std::size_t i = 0; i < s.staffing.periods.size(); ++i) {
    if (s.staffing.periods[i].from_month != c.staffing.periods[i].from_month ||
        s.staffing.periods[i].fte != c.staffing.periods[i].fte)
      return false;
  }
  return true;
}

}  // namespace

void add_plan_and_fund_extras(const ModelConfig& cfg, RunOptions& opt) {
  if (cfg.plan.present) {
    const auto base = realise(cfg, cfg.parameters.base_values());
    opt.unit_extras.push_back(bridge_extra(cfg.plan, bridge_steps(base.economics)));
  }
  if (cfg.fund.present) opt.unit_extras.push_back(fund_extra(cfg.fund));
}

PlanAndFund analyse_plan_and_fund(const ModelConfig& cfg, const ExperimentResult& res) {
  PlanAndFund pf;
  const int kb = res.unit_extra_index("bridge");
  const int kf = res.unit_extra_index("fund");
  if (kb >= 0) pf.steps = bridge_steps(realise(cfg, cfg.parameters.base_values()).economics);
  for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
    if (kb >= 0) {
      pf.bridges.push_back(summarise_bridge(res, s, static_cast<std::size_t>(kb), pf.steps));
      if (pf.bridge_scenario.empty() && is_configured(cfg, res.scenarios[s]))
        pf.bridge_scenario = res.scenarios[s].name;
    }
    if (kf >= 0) pf.funds.push_back(summarise_fund(cfg.fund, res, s, static_cast<std::size_t>(kf)));
  }
  return pf;
}

void add_plan_and_fund_json(json& j, const ModelConfig& cfg, const PlanAndFund& pf) {
  const auto e = realise(cfg, cfg.parameters.base_values()).economics;
  if (!pf.bridges.empty()) {
    json b;
    b["plan_roi"] = calculate_plan(cfg.plan).return_per_sek;
    b["shown_for"] = pf.bridge_scenario.empty() ? json(nullptr) : json(pf.bridge_scenario);
    json steps = json::array();
    for (const auto st : pf.steps) {
      steps.push_back({{"step", bridge_step_name(st)},
                       {"label_sv", bridge_step_words(Language::sv, st, cfg.plan, e)},
                       {"label_en", bridge_step_words(Language::en, st, cfg.plan, e)}});
    }
    b["steps"] = std::move(steps);
    json by = json::object();
    for (const auto& br : pf.bridges) {
      json rows = json::array();
      for (const auto& r : br.rows) {
        json o = summary_json(r.roi);
        o["step"] = bridge_step_name(r.step);
        rows.push_back(std::move(o));
      }
      by[br.scenario] = std::move(rows);
    }
    b["roi_by_scenario"] = std::move(by);
    j["bridge"] = std::move(b);
  }
  if (!pf.funds.empty()) {
    const auto& f = cfg.fund;
    json o;
    o["amount_sek"] = f.amount_sek;
    o["rule"] = fund_rule_name(f.rule);
    if (f.rule == FundRule::effect) {
      o["measure"] = fund_measure_name(f.measure);
      o["threshold"] = f.threshold;
      o["repay_over_years"] = f.repay_over_years;
    } else {
      o["share_of_savings"] = f.share_of_savings;
    }
    o["by_year"] = f.by_year;
    o["terms_sv"] = fund_terms_words(Language::sv, f);
    o["terms_en"] = fund_terms_words(Language::en, f);
    json sc = json::object();
    for (const auto& r : pf.funds) {
      sc[r.scenario] = {{"expected_repayment_sek", summary_json(r.repayment)},
                        {"expected_repayment_present_value_sek", summary_json(r.present_value)},
                        {"p_repaid", num(r.repaid.mean)},
                        {"p_repaid_mc_error", num(r.repaid.se)},
                        {"p_repaid_in_full", num(r.full.mean)},
                        {"p_repaid_by_year", r.p_repaid_by_year},
                        {"median_first_year", num(r.median_first_year)}};
    }
    o["scenarios"] = std::move(sc);
    j["fund"] = std::move(o);
  }
}

std::string plan_and_fund_markdown(const ModelConfig& cfg, const ExperimentResult& res,
                                   const PlanAndFund& pf, Language lang) {
  const bool sv = lang == Language::sv;
  auto T = [sv](const std::string& s, const std::string& e) { return sv ? s : e; };
  auto n = [lang](double v, int d) { return format_number_in(lang, v, d); };
  const bool from_draws = res.options.draws > 1;
  // As the rest of the brief: the 2.5-97.5 % range over the draws, else the CI of the mean.
  auto spread = [&](const Summary& s, int d) {
    if (!std::isfinite(s.mean)) return std::string("–");
    if (!(s.n > 1) || (s.ci_low == s.ci_high && s.p2_5 == s.p97_5)) return n(s.mean, d);
    return from_draws ? n(s.mean, d) + " [" + n(s.p2_5, d) + "; " + n(s.p97_5, d) + "]"
                      : n(s.mean, d) + " [" + n(s.ci_low, d) + "; " + n(s.ci_high, d) + "]";
  };
  auto label_of = [&](const std::string& code) {
    for (const auto& sc : res.scenarios) {
      if (sc.name == code) return in(lang, scenario_labels(cfg, sc));
    }
    return code;
  };
  const auto e = realise(cfg, cfg.parameters.base_values()).economics;
  std::ostringstream md;
  const Bridge* bridge = nullptr;
  for (const auto& b : pf.bridges) {
    if (b.scenario == pf.bridge_scenario) bridge = &b;
  }
  if (bridge && !bridge->rows.empty()) {
    const double plan_roi = bridge->rows.front().roi.mean;
    const double sim_roi = bridge->rows.back().roi.mean;
    md << T("## Från planens " + n(plan_roi, 2) + " kr till simuleringens " + n(sim_roi, 2) +
                " kr per investerad krona\n\n",
            "## From the plan's " + n(plan_roi, 2) + " to the simulated " + n(sim_roi, 2) +
                " SEK per SEK invested\n\n");
    md << T("Planen räknade med en avkastning på " + n(plan_roi, 2) +
                " kr per investerad krona. Tabellen ändrar ett antagande i taget, för " +
                label_of(bridge->scenario) +
                ", tills beräkningen är simuleringens. Varje rad bygger på raden före.\n\n",
            "The plan counted on a return of " + n(plan_roi, 2) +
                " SEK per SEK invested. The table changes one assumption at a time, for " +
                label_of(bridge->scenario) +
                ", until the calculation is the simulation's. Each row builds on the one "
                "before.\n\n");
    md << T("| steg | vad som ändras | avkastning, kr per kr | förändring |\n",
            "| step | what changes | SEK per SEK invested | change |\n");
    md << "|---:|---|---:|---:|\n";
    for (std::size_t i = 0; i < bridge->rows.size(); ++i) {
      const auto& r = bridge->rows[i];
      md << "| " << i << " | " << bridge_step_words(lang, r.step, cfg.plan, e) << " | "
         << spread(r.roi, 2) << " | "
         << (i == 0 ? std::string("–")
                    : (r.roi.mean - bridge->rows[i - 1].roi.mean >= 0 ? "+" : "") +
                          n(r.roi.mean - bridge->rows[i - 1].roi.mean, 2))
         << " |\n";
    }
    md << "\n"
       << T(from_draws ? "Inom hakparentes: det intervall där 95 % av parameterdragningarna "
                         "hamnar.\n\n"
                       : "Inom hakparentes: 95 % konfidensintervall för medelvärdet.\n\n",
            from_draws ? "In brackets: the range holding 95 % of the parameter draws.\n\n"
                       : "In brackets: 95 % confidence interval of the mean.\n\n");
  }
  if (!pf.funds.empty()) {
    const auto& f = cfg.fund;
    const bool effect = f.rule == FundRule::effect;
    md << T("## Vad fonden kan räkna med att få tillbaka\n\n",
            "## What the fund can expect back\n\n");
    md << fund_terms_words(lang, f) << "\n\n";
    md << T("| alternativ | förväntad återbetalning, kr | nuvärde, kr | sannolikhet för "
            "återbetalning | ",
            "| option | expected repayment, SEK | present value, SEK | probability of repayment | ")
       << (effect ? T("effekten nådd, år (median) | återbetalas under år |",
                      "effect reached, year (median) | repaid in years |")
                  : T("första återbetalning, år (median) | hela beloppet återbetalt |",
                      "first repayment, year (median) | whole amount repaid |"));
    for (int y = 1; y <= f.by_year; ++y) md << T(" senast år ", " by year ") << y << " |";
    md << "\n|---|---:|---:|---:|---:|---:|";
    for (int y = 1; y <= f.by_year; ++y) md << "---:|";
    md << "\n";
    auto pct = [&](double p) { return std::isfinite(p) ? n(100 * p, 0) + " %" : "–"; };
    for (const auto& r : pf.funds) {
      md << "| " << label_of(r.scenario) << " | " << spread(r.repayment, 0) << " | "
         << spread(r.present_value, 0) << " | " << pct(r.repaid.mean)
         << (r.repaid.n > 1 ? " ± " + n(100 * r.repaid.se, 0) +
                                  (n(100 * r.repaid.se, 0) == "1" ? T(" procentenhet", " point")
                                                                  : T(" procentenheter", " points"))
                            : "")
         << " | ";
      const bool any = std::isfinite(r.median_first_year);
      md << (any ? n(r.median_first_year, 0) : "–") << " | ";
      if (effect) {
        md << (any ? n(r.median_first_year + 1, 0) + "–" +
                         n(r.median_first_year + f.repay_over_years, 0)
                   : "–");
      } else {
        md << pct(r.full.mean);
      }
      md << " |";
      for (double p : r.p_repaid_by_year) md << " " << pct(p) << " |";
      md << "\n";
    }
    md << "\n"
       << T(std::string(from_draws ? "Sannolikheterna är andelar av parameterdragningarna"
                                   : "Sannolikheterna är andelar av de upprepade simuleringarna") +
                "; ± är osäkerheten från det begränsade antalet simuleringar. Åren räknas från "
                "simuleringens start. Återbetalningen är beloppet i kronor när det betalas; "
                "nuvärdet är "
                "samma belopp diskonterat till simuleringens start med " +
                n(100 * e.discount_rate, 1) + " % per år" +
                (effect ? ", varje delbetalning vid slutet av sitt år.\n\n"
                        : " (andelen av besparingar som redan är diskonterade, så nuvärdet är "
                          "lika med återbetalningen).\n\n"),
            std::string(from_draws ? "Probabilities are shares of the parameter draws"
                                   : "Probabilities are shares of the repeated simulations") +
                "; ± is the uncertainty from the limited number of simulations. Years count from "
                "the start of the simulation. The repayment is in kronor when paid; the present "
                "value is the same amount discounted to the start of the simulation at " +
                n(100 * e.discount_rate, 1) + " % a year" +
                (effect ? ", each instalment at the end of its year.\n\n"
                        : " (a share of savings that are already discounted, so the present value "
                          "equals the repayment).\n\n"));
  }
  return md.str();
}

}  // namespace attendsim::models
