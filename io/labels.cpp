#include "io/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sim/error.hpp"

namespace attendsim::models {

Language parse_language(const std::string& code, const std::string& what) {
  if (const auto l = parse_name<Language>(code)) return *l;
  ATTENDSIM_INPUT_ERROR(what << ": unknown language '" << code
                             << "' (known: " << known_names<Language>() << ")");
}

const char* language_code(Language l) {
  return name_of(l);
}

std::string format_number_in(Language l, double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(v));
  const std::string s = buf;
  const auto dot = s.find('.');
  const std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string g;
  for (std::size_t i = 0; i < ip.size(); ++i) {
    if (i > 0 && (ip.size() - i) % 3 == 0) g += l == Language::sv ? " " : ",";
    g += ip[i];
  }
  const bool negative = v < 0 && std::strtod(buf, nullptr) != 0.0;
  std::string out = (negative ? "-" : "") + g;
  if (!fp.empty()) out += (l == Language::sv ? "," : ".") + fp;
  return out;
}

std::string fte_words(Language l, double fte) {
  // Whole numbers without decimals, others with as many as needed (up to 2).
  int d = 0;
  while (d < 2 && std::abs(fte * std::pow(10.0, d) - std::round(fte * std::pow(10.0, d))) > 1e-9)
    ++d;
  const std::string n = format_number_in(l, fte, d);
  if (l == Language::en) return n + " FTE";
  return n + (std::abs(fte - 1.0) < 1e-9 ? " heltid" : " heltider");
}

std::string allocation_policy_words(Language l, Allocation policy) {
  const bool sv = l == Language::sv;
  switch (policy) {
    case Allocation::fifo:
      return sv ? "först till kvarn" : "first come, first served";
    case Allocation::severity_first:
      return sv ? "svårast frånvaro först" : "most severe first";
    case Allocation::gender_proportional:
      return sv ? "platser efter flickors och pojkars andel" : "places in proportion to gender";
    case Allocation::gender_parity:
      return sv ? "lika tillgång för flickor och pojkar" : "equal access for girls and boys";
  }
  return sv ? "egen fördelningsregel" : "own allocation rule";
}

std::string referral_policy_words(Language l, ReferralPolicy p) {
  if (p != ReferralPolicy::equal_referral) return "";
  return l == Language::sv ? "flickor remitteras som pojkar" : "girls referred as boys";
}

std::string perspective_words(Language l, Perspective p) {
  const bool sv = l == Language::sv;
  switch (p) {
    case Perspective::municipality:
      return sv ? "kommunens" : "the municipality's";
    case Perspective::public_sector:
      return sv ? "hela den offentliga sektorns" : "the whole public sector's";
    case Perspective::society:
      return sv ? "samhällets" : "society's";
  }
  return "";
}

namespace {
/// Policies of the staffing ladder, when every ladder scenario shares them.
std::string shared_policies(const ModelConfig& cfg, Language l, bool with_allocation,
                            bool with_referral) {
  std::string t;
  if (with_allocation) t = allocation_policy_words(l, cfg.scenario.allocation_policy);
  const auto r = referral_policy_words(l, cfg.scenario.referral_policy);
  if (with_referral && !r.empty()) t += (t.empty() ? "" : ", ") + r;
  return t;
}
}  // namespace

Bilingual scenario_labels(const ModelConfig& cfg, const ScenarioSpec& s) {
  if (const auto it = cfg.scenario_labels.find(s.name); it != cfg.scenario_labels.end())
    return it->second;
  if (s.staffing.periods.empty()) return {"utan koordinatorer", "no coordinators"};
  // A ladder scenario names only the policies the ladder varies (the shared ones are stated
  // once, ladder_policy_words); explicit and configured scenarios name both.
  bool ladder = s.name != cfg.scenario.name;
  for (const auto& e : cfg.compare.explicit_scenarios) ladder = ladder && e.name != s.name;
  const bool with_allocation = !ladder || cfg.compare.allocation_policies.size() > 1;
  const bool with_referral = !ladder || cfg.compare.referral_policies.size() > 1;
  double fte = 0;
  for (const auto& p : s.staffing.periods) fte = std::max(fte, p.fte);
  Bilingual b;
  for (Language l : {Language::sv, Language::en}) {
    std::string t = fte_words(l, fte);
    if (with_allocation) t += ", " + allocation_policy_words(l, s.allocation_policy);
    const auto r = referral_policy_words(l, s.referral_policy);
    if (with_referral && !r.empty()) t += ", " + r;
    (l == Language::sv ? b.sv : b.en) = std::move(t);
  }
  return b;
}

std::string ladder_policy_words(const ModelConfig& cfg, Language l) {
  const auto t = shared_policies(cfg, l, cfg.compare.allocation_policies.size() <= 1,
                                 cfg.compare.referral_policies.size() <= 1);
  if (t.empty()) return "";
  return (l == Language::sv ? "Där inget annat anges: " : "Unless stated otherwise: ") + t + ".";
}

std::string config_description(const ModelConfig& cfg, Language l) {
  const std::string& given = in(l, cfg.description_text);
  if (!given.empty()) return given;
  const auto& p = cfg.structure.population;
  const std::string pupils = format_number_in(l, p.pupils, 0);
  const std::string years = std::to_string(cfg.structure.horizon_years);
  if (l == Language::en)
    return pupils + " pupils in grades " + std::to_string(p.grade_min) + " to " +
           std::to_string(p.grade_max) + ", followed for " + years + " years";
  auto grade = [](int g) {
    return g == 0 ? std::string("förskoleklass") : "årskurs " + std::to_string(g);
  };
  return pupils + " elever från " + grade(p.grade_min) + " till " + grade(p.grade_max) +
         ", följda under " + years + " år";
}

const FitLabels& fit_labels(Language l) {
  static const FitLabels sv{
      "Anpassning till kommunens data",
      "Modellen är kalibrerad mot kommunens frånvaroregister. Diagrammen visar per årskursgrupp "
      "den observerade andelen elever i varje frånvaronivå bredvid de simulerade andelarna "
      "(medelvärde och 95 %-intervall för en elevgrupp av registrets storlek).",
      "Modellen är kalibrerad mot sammanfattande mål (viktad återdragning, SIR). Tabellen visar "
      "varje mål bredvid det simulerade värdet före och efter kalibreringen.",
      "Observerad och simulerad frånvaro",
      "månader från registrets första månad",
      "procent",
      "observerat",
      "simulerat",
      "Hur väl modellen stämmer",
      "mått",
      "värde",
      "Andel celler där det observerade ligger inom 95 %-intervallet",
      "förväntat omkring 95 %",
      "Medelvärde av kvadrerade standardiserade avvikelser",
      "förväntat omkring 1",
      "Kvadratiskt medelfel för andelarna (procentenheter)",
      "elevmånader i registret",
      "övergångar mellan månader",
      "elever registrets första månad",
      "simulerade körningar",
      "Effektiv urvalsstorlek",
      "antalet likvärdiga oberoende dragningar bakom aposteriorifördelningen",
      "dragningar ur apriorifördelningen",
      "mål",
      "observerat värde (standardfel)",
      "simulerat före kalibrering",
      "simulerat efter kalibrering",
      "parameter",
      "apriorifördelning",
      "aposteriorifördelning",
      "sekunder för kalibreringen",
      "Skattas inte: varaktighetsberoende, återfallsrisk och skillnader mellan flickor och pojkar "
      "i övergångarna.",
      "Kalibreringsrapport",
      "Mappen innehåller bara kalibreringen (kör attendsim run med den kalibrerade "
      "konfigurationen och samma mapp för effektrapporten)."};
  static const FitLabels en{
      "Fit to the municipality's data",
      "The model is calibrated to the municipality's attendance register. The charts show, by "
      "grade band, the observed share of pupils at each level of absence beside the simulated "
      "shares (mean and 95 % interval for a population of the register's size).",
      "The model is calibrated to aggregate targets (sampling-importance-resampling). The table "
      "shows each target beside its simulated value before and after calibration.",
      "Observed and simulated absence",
      "months from the register's first month",
      "percent",
      "observed",
      "simulated",
      "Goodness of fit",
      "measure",
      "value",
      "Share of cells whose observed value lies inside the 95 % interval",
      "about 95 % expected",
      "Mean squared standardised residual",
      "about 1 expected",
      "Root mean squared difference of the shares (percentage points)",
      "pupil-months in the register",
      "transitions between months",
      "pupils in the register's first month",
      "simulated runs",
      "Effective sample size",
      "the number of equally weighted independent draws behind the posterior",
      "prior samples",
      "target",
      "observed value (standard error)",
      "simulated before calibration",
      "simulated after calibration",
      "parameter",
      "prior",
      "posterior",
      "seconds to calibrate",
      "Not estimated: duration dependence, relapse risk and differences between girls and boys "
      "in the transitions.",
      "Calibration report",
      "The folder holds the calibration only (run attendsim run with the calibrated config into "
      "the same folder for the effect report)."};
  return l == Language::sv ? sv : en;
}

std::string band_words(Language l, const std::string& band) {
  const bool sv = l == Language::sv;
  if (band == "grade0_6") return sv ? "förskoleklass till årskurs 6" : "grades 0-6";
  if (band == "grade7_9") return sv ? "årskurs 7-9" : "grades 7-9";
  if (band == "grade10_12") return sv ? "gymnasiet" : "upper secondary (grades 10-12)";
  if (band == "all") return sv ? "alla årskurser" : "all grades";
  return band;
}

std::string state_words(Language l, const std::string& state) {
  const bool sv = l == Language::sv;
  if (state == "regular") return sv ? "regelbunden närvaro" : "regular attendance";
  if (state == "worrying") return sv ? "oroande frånvaro" : "worrying absence";
  if (state == "high") return sv ? "hög frånvaro" : "high absence";
  if (state == "extensive") return sv ? "omfattande frånvaro" : "extensive absence";
  return state;
}

std::string target_words(Language l, const std::string& label) {
  const bool sv = l == Language::sv;
  std::vector<std::string> f;
  std::size_t s = 0;
  for (std::size_t k = 0; k <= label.size(); ++k) {
    if (k == label.size() || label[k] == ' ') {
      f.push_back(label.substr(s, k - s));
      s = k + 1;
    }
  }
  if (f.size() != 4) return label;
  std::string kind;
  if (f[0] == "prevalence_high_or_extensive")
    kind = sv ? "andel elevmånader med hög eller omfattande frånvaro"
              : "share of pupil-months with high or extensive absence";
  else if (f[0] == "prevalence_extensive")
    kind = sv ? "andel elevmånader med omfattande frånvaro"
              : "share of pupil-months with extensive absence";
  else if (f[0] == "long_term_absent_share")
    kind = sv ? "andel elever med minst en månad omfattande frånvaro"
              : "share of pupils with at least one month of extensive absence";
  else if (f[0] == "cases_started")
    kind = sv ? "påbörjade ärenden" : "cases started";
  else if (f[0] == "returns")
    kind = sv ? "varaktiga återgångar inom 12 månader från ärendets start"
              : "sustained returns within 12 months of a case's start";
  else
    return label;
  std::string gender;
  if (f[2] == "boys")
    gender = sv ? ", pojkar" : ", boys";
  else if (f[2] == "girls")
    gender = sv ? ", flickor" : ", girls";
  std::string period = f[3];
  if (!period.empty() && period[0] >= '0' && period[0] <= '9')  // one month of a case log
    return kind + ", " + band_words(l, f[1]) + gender + ", " + (sv ? "månad " : "month ") + period;
  std::string term;
  if (const auto dash = period.find('-'); dash != std::string::npos) {
    const std::string t = period.substr(dash + 1);
    term = t == "autumn" ? (sv ? "hösttermin " : "autumn term, ")
                         : (t == "spring" ? (sv ? "vårtermin " : "spring term, ") : t + " ");
    period = period.substr(0, dash);
  }
  const std::string year = period.size() > 1 ? period.substr(1) : period;
  return kind + ", " + band_words(l, f[1]) + gender + ", " + term +
         (sv ? "läsår " : "school year ") + year;
}

}  // namespace attendsim::models
