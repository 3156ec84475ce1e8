#include "io/labels.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
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
  // As a Swedish official writes it: "1 heltid", "2,5 årsarbetare", "5 årsarbetare".
  return n + (std::abs(fte - 1.0) < 1e-9 ? " heltid" : " årsarbetare");
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
      "Säsong, varaktighet och återfallsrisk skattas med maximal likelihood när "
      "grundkonfigurationen har dem påslagna (skattningar och medelfel i kalibreringsmappen). "
      "Skattas inte: "
      "skillnader mellan flickor och pojkar i övergångarna.",
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
      "Seasonal, duration and relapse multipliers are estimated by maximum likelihood when the "
      "prior config has them on (estimates and standard errors in fit.json). Not estimated: "
      "differences between girls and boys in the transitions.",
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
  else if (f[0] == "referrals")
    kind = sv ? "remisser till koordinatorerna" : "referrals to the team";
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

std::string bridge_step_words(Language l, BridgeStep step, const PlanInputs& plan,
                              const EconomicsParams& e) {
  const bool sv = l == Language::sv;
  const auto n = [l](double v, int d) { return format_number_in(l, v, d); };
  const std::string kr = sv ? " kr" : " SEK";
  switch (step) {
    case BridgeStep::plan:
      return sv ? "Planens egen kalkyl: " + n(plan.avoided_repeated_years, 0) +
                      " elever som slipper gå om ett år och " + n(plan.completers_gained, 0) +
                      " fler som fullföljer gymnasiet, mot kostnaden " +
                      n(plan.cost_of_effort_sek, 0) + kr
                : "The plan's own calculation: " + n(plan.avoided_repeated_years, 0) +
                      " repeated years avoided and " + n(plan.completers_gained, 0) +
                      " more upper-secondary completers, against a cost of " +
                      n(plan.cost_of_effort_sek, 0) + kr;
    case BridgeStep::cost:
      return sv ? "Koordinatorernas simulerade kostnad (bemanning och " +
                      n(e.cost_per_fte_year_sek, 0) +
                      " kr per årsarbetare, utan diskontering) i stället för planens kostnad"
                : "The coordinators' simulated cost (staffing and " +
                      n(e.cost_per_fte_year_sek, 0) +
                      " SEK per FTE-year, undiscounted) in place of the plan's cost";
    case BridgeStep::effects_short:
      return sv ? "Simulerat antal elever som slipper gå om ett år eller gå i sommarskola, i "
                  "stället för planens antagna antal (planens kostnad per elev)"
                : "Simulated repeated years and summer-school places avoided, in place of the "
                  "plan's assumed counts (at the plan's unit costs)";
    case BridgeStep::effects_long:
      return sv ? "Simulerat antal fler som fullföljer gymnasiet inom tidshorisonten, i stället "
                  "för planens " +
                      n(plan.completers_gained, 0) + " (planens " +
                      n(plan.saving_per_completer_sek, 0) +
                      " kr per elev, hela förlusten, utan diskontering)"
                : "Simulated extra upper-secondary completions within the horizon, in place of "
                  "the plan's " +
                      n(plan.completers_gained, 0) + " (the plan's " +
                      n(plan.saving_per_completer_sek, 0) +
                      " SEK per pupil, whole loss, undiscounted)";
    case BridgeStep::placements:
      return sv ? "Undvikna placeringar inom socialtjänsten (fanns inte med i planen)"
                : "Social-services placements avoided (not in the plan)";
    case BridgeStep::unit_values:
      return sv ? "Modellens värden per händelse: ett år att gå om " +
                      n(e.cost_repeated_year_sek, 0) + " kr, sommarskola " +
                      n(e.cost_summer_school_sek, 0) +
                      " kr, förlust per elev utan gymnasieexamen " +
                      n(e.longterm_loss_noncompletion_sek, 0) + " kr"
                : "The model's values per event: a repeated year " +
                      n(e.cost_repeated_year_sek, 0) + " SEK, summer school " +
                      n(e.cost_summer_school_sek, 0) + " SEK, loss per pupil without a diploma " +
                      n(e.longterm_loss_noncompletion_sek, 0) + " SEK";
    case BridgeStep::past_horizon:
      return sv ? "Värdet efter tidshorisonten: förväntad gymnasieexamen för elever som ännu går "
                  "i skolan när simuleringen slutar"
                : "Value past the horizon: the expected completion of pupils still at school "
                  "when the simulation ends";
    case BridgeStep::perspective: {
      const double share =
          e.perspective == Perspective::municipality
              ? e.longterm_loss_public_share * e.longterm_loss_municipal_share_of_public
              : (e.perspective == Perspective::public_sector ? e.longterm_loss_public_share : 1.0);
      return sv ? "Perspektiv: " + perspective_words(l, e.perspective) + " (" + n(100 * share, 0) +
                      " % av den långsiktiga förlusten räknas)"
                : "Perspective: " + perspective_words(l, e.perspective) + " (" + n(100 * share, 0) +
                      " % of the long-term loss counts)";
    }
    case BridgeStep::discounting:
      return sv ? "Diskontering med " + n(100 * e.discount_rate, 1) +
                      " % per år (kostnader, besparingar och den långsiktiga förlusten)"
                : "Discounting at " + n(100 * e.discount_rate, 1) +
                      " % a year (costs, savings and the long-term loss)";
    case BridgeStep::attribution:
      return sv ? "Andel av effekten som tillskrivs andra (" + n(100 * e.attribution, 0) +
                      " %) och avtagande effekt efter insatsen (" + n(100 * e.dropoff_per_year, 0) +
                      " % per år)"
                : "Share of the effect attributed to others (" + n(100 * e.attribution, 0) +
                      " %) and drop-off after the effort (" + n(100 * e.dropoff_per_year, 0) +
                      " % a year)";
  }
  return "";
}

std::string fund_measure_words(Language l, FundMeasure m) {
  const bool sv = l == Language::sv;
  switch (m) {
    case FundMeasure::fewer_extensive_absent:
      return sv ? "färre elever med mer än 50 % frånvaro (medeltal över läsårets månader) än "
                  "utan koordinatorer"
                : "fewer pupils with more than 50 % absence (mean over the school months) than "
                  "without coordinators";
    case FundMeasure::avoided_repeated_years:
      return sv ? "färre elever som gått om ett år än utan koordinatorer (sedan start)"
                : "fewer repeated years than without coordinators (since the start)";
    case FundMeasure::avoided_noncompletions:
      return sv ? "fler elever som fullföljt gymnasiet än utan koordinatorer (sedan start)"
                : "more upper-secondary completions than without coordinators (since the start)";
  }
  return "";
}

std::string fund_terms_words(Language l, const FundTerms& f) {
  const bool sv = l == Language::sv;
  const std::string amount = format_number_in(l, f.amount_sek, 0) + (sv ? " kr" : " SEK");
  const std::string year = std::to_string(f.by_year);
  if (f.rule == FundRule::effect) {
    const std::string over = std::to_string(f.repay_over_years);
    const std::string at_least =
        format_number_in(l, f.threshold, f.threshold == std::round(f.threshold) ? 0 : 1);
    return sv ? "Fonden finansierar insatsen med " + amount +
                    ". Hela beloppet betalas tillbaka, fördelat på " + over +
                    " år från året efter, om effekten når minst " + at_least +
                    " senast vid slutet av år " + year +
                    ". Som effekt räknas: " + fund_measure_words(l, f.measure) + "."
              : "The fund finances the effort with " + amount +
                    ". The whole amount is repaid, spread over " + over +
                    (f.repay_over_years == 1 ? " year" : " years") +
                    " from the year after, if the effect reaches at least " + at_least +
                    " by the end of year " + year +
                    ". The effect counted: " + fund_measure_words(l, f.measure) + ".";
  }
  const std::string share = format_number_in(l, 100 * f.share_of_savings, 0) + " %";
  return sv ? "Fonden finansierar insatsen med " + amount + " och får " + share +
                  " av de besparingar som uppstår varje år till och med år " + year +
                  ", högst hela beloppet."
            : "The fund finances the effort with " + amount + " and receives " + share +
                  " of the savings realised each year up to year " + year +
                  ", at most the whole amount.";
}

std::optional<Bilingual> config_key_words(const std::string& key) {
  // The keys a shipped config comments with a source, in words (io/html_report's appendix).
  static const std::map<std::string, Bilingual> words = {
      {"compare.roi_target",
       {"avkastning som fonden kräver (kr per kr)", "return the fund asks for (SEK per SEK)"}},
      {"compare.staffing_levels_fte",
       {"jämförda bemanningar (årsarbetare)", "staffing levels compared (FTE)"}},
      {"coordinators.allocation_policy", {"vem som får en ledig plats", "who gets a free place"}},
      {"coordinators.caseload_per_fte",
       {"pågående ärenden per årsarbetare i ärendearbete", "active cases per FTE of casework"}},
      {"coordinators.effect_decay_per_month_after_close",
       {"kvarstående effekt per månad efter avslutat ärende",
        "effect kept per month after a case closes"}},
      {"coordinators.close_after_regular_months",
       {"månader med regelbunden närvaro innan ett ärende avslutas (uppföljning)",
        "months of regular attendance before a case closes (follow-up)"}},
      {"coordinators.effect_mult_extensive_vs_high",
       {"effekt vid mycket hög frånvaro jämfört med hög frånvaro",
        "effect at extensive versus high absence"}},
      {"coordinators.effect_mult_grades_0_4",
       {"effekt i förskoleklass till årskurs 4 jämfört med äldre elever",
        "effect in grades 0-4 versus older pupils"}},
      {"coordinators.max_case_months",
       {"längsta tid för ett ärende (månader)", "longest case (months)"}},
      {"coordinators.p_case_end_per_month",
       {"chans per månad att ett ärende avslutas av annat skäl (samtycke återkallas, "
        "eleven lämnas över)",
        "chance per month that a case ends for another reason (consent withdrawn, "
        "the pupil handed on)"}},
      {"coordinators.rampup_effect_share",
       {"effekt under uppstarten (andel av full effekt)",
        "effect during ramp-up (share of full effect)"}},
      {"coordinators.rampup_months", {"uppstartstid (månader)", "ramp-up (months)"}},
      {"coordinators.referral_policy", {"hur elever remitteras", "how pupils are referred"}},
      {"coordinators.rr_improve_in_case",
       {"ökad chans till förbättring under ärendet (relativ risk)",
        "higher chance of improving in a case (relative risk)"}},
      {"coordinators.rr_worsen_in_case",
       {"risk för försämring under ärendet (relativ risk)",
        "risk of worsening in a case (relative risk)"}},
      {"coordinators.share_fte_on_casework",
       {"andel av arbetstiden i ärendearbete", "share of working time on casework"}},
      {"coordinators.staffing.fte", {"bemanning (årsarbetare)", "staffing (FTE)"}},
      {"detection.p_consent",
       {"sannolikhet att elev och vårdnadshavare samtycker", "probability of consent"}},
      {"detection.p_detect_per_month",
       {"sannolikhet per månad att skolan upptäcker hög frånvaro",
        "probability per month that school detects high absence"}},
      {"detection.p_refer_boys",
       {"sannolikhet att en pojke remitteras", "probability that a boy is referred"}},
      {"detection.queue_limit",
       {"kö då skolorna slutar remittera (elever)",
        "queue at which schools stop referring (pupils)"}},
      {"detection.referral_ratio_girls_vs_boys",
       {"flickors remittering i förhållande till pojkars", "girls' referral relative to boys'"}},
      {"detection.school_action_months",
       {"skolans egna åtgärder före remiss (månader)",
        "school's own measures before referral (months)"}},
      {"economics.cost_per_fte_year_sek",
       {"kostnad per årsarbetare (kr per år)", "cost per FTE-year (SEK)"}},
      {"economics.cost_placement_per_day_sek",
       {"kostnad för placering (kr per dygn)", "cost of a placement (SEK per day)"}},
      {"economics.cost_repeated_year_compulsory_sek",
       {"kostnad när en elev går om ett år i grundskolan (kr)",
        "cost of a repeated year in compulsory school (SEK)"}},
      {"economics.cost_repeated_year_sek",
       {"kostnad när en elev går om ett år (kr)", "cost of a repeated year (SEK)"}},
      {"economics.cost_summer_school_sek",
       {"kostnad för sommarskola (kr per elev)", "cost of summer school (SEK per pupil)"}},
      {"economics.discount_rate", {"diskonteringsränta (per år)", "discount rate (per year)"}},
      {"economics.dropoff_per_year",
       {"avtagande effekt efter insatsen (per år)", "drop-off after the effort (per year)"}},
      {"economics.longterm_loss_municipal_share_of_public",
       {"kommunens andel av den offentliga förlusten", "municipality's share of the public loss"}},
      {"economics.longterm_loss_noncompletion_undiscounted_sek",
       {"samhällets förlust per elev utan gymnasieexamen (kr, odiskonterad)",
        "society's loss per pupil without a diploma (SEK, undiscounted)"}},
      {"economics.longterm_loss_public_share",
       {"offentliga sektorns andel av förlusten", "public sector's share of the loss"}},
      {"economics.loss_end_age", {"förlusten räknas till ålder", "loss counted until age"}},
      {"economics.loss_start_age", {"förlusten räknas från ålder", "loss counted from age"}},
      {"economics.placement_months_if_placed",
       {"placeringens längd (månader)", "length of a placement (months)"}},
      {"economics.summer_school_state_grant_sek",
       {"statens bidrag till sommarskola (kr per elev)",
        "state grant for summer school (SEK per pupil)"}},
      {"economics.team_overhead_sek_per_year",
       {"övriga kostnader för teamet (kr per år)", "team overhead (SEK per year)"}},
      {"fund.amount_sek", {"fondens insats (kr)", "amount from the fund (SEK)"}},
      {"fund.by_year",
       {"fonden bedömer effekten senast år", "the fund looks at the effect by year"}},
      {"fund.measure", {"effektmått för återbetalning", "effect measure for repayment"}},
      {"fund.repay_over_years",
       {"återbetalningen fördelas på (år)", "repayment spread over (years)"}},
      {"fund.rule", {"villkor för återbetalning", "repayment rule"}},
      {"fund.share_of_savings",
       {"andel av besparingarna till fonden", "share of savings to the fund"}},
      {"fund.threshold", {"effekt som krävs för återbetalning", "effect required for repayment"}},
      {"funding.budget_sek", {"budget att fördela (kr)", "budget to allocate (SEK)"}},
      {"funding.cap_per_unit_sek", {"tak per skola (kr)", "cap per school (SEK)"}},
      {"outcomes.p_complete_if_eligible_by_state",
       {"sannolikhet att fullfölja gymnasiet för behöriga, efter frånvaro",
        "probability of completing upper secondary if eligible, by absence"}},
      {"outcomes.p_complete_if_not_eligible",
       {"sannolikhet att fullfölja gymnasiet utan behörighet",
        "probability of completing upper secondary if not eligible"}},
      {"outcomes.p_eligible_by_state",
       {"sannolikhet för gymnasiebehörighet efter årskurs 9, efter frånvaro",
        "probability of eligibility after grade 9, by absence"}},
      {"outcomes.p_placement_per_year_if_extensive",
       {"sannolikhet per år för placering vid mycket hög frånvaro",
        "probability per year of a placement at extensive absence"}},
      {"outcomes.p_repeat_year_per_extensive_year_compulsory",
       {"sannolikhet att gå om ett år i grundskolan per år med mycket hög frånvaro",
        "probability of repeating a year in compulsory school per year of extensive absence"}},
      {"outcomes.p_repeat_year_per_extensive_year_upper_sec",
       {"sannolikhet att gå om ett år i gymnasiet per år med mycket hög frånvaro",
        "probability of repeating a year in upper secondary per year of extensive absence"}},
      {"outcomes.p_summer_school_if_high_or_extensive_grade8_9",
       {"sannolikhet för sommarskola i årskurs 8–9 vid hög frånvaro",
        "probability of summer school in grades 8-9 at high absence"}},
      {"outcomes.share_eligible_at_start_upper_sec",
       {"andel behöriga bland dem som börjar gymnasiet",
        "share eligible among those starting upper secondary"}},
      {"plan.avoided_repeated_years",
       {"elever som slipper gå om ett år enligt planen", "repeated years avoided in the plan"}},
      {"plan.completers_gained",
       {"fler som fullföljer gymnasiet enligt planen", "more completers in the plan"}},
      {"plan.cost_of_effort_sek",
       {"insatsens kostnad enligt planen (kr)", "cost of the effort in the plan (SEK)"}},
      {"plan.cost_per_repeated_year_sek",
       {"kostnad per år att gå om enligt planen (kr)", "cost per repeated year in the plan (SEK)"}},
      {"plan.saving_per_completer_sek",
       {"besparing per elev som fullföljer gymnasiet enligt planen (kr)",
        "saving per completer in the plan (SEK)"}},
      {"population.gender.extensive_ratio_girls_vs_boys",
       {"mycket hög frånvaro, flickor i förhållande till pojkar",
        "extensive absence, girls relative to boys"}},
      {"population.gender.high_ratio_girls_vs_boys_grade7_12",
       {"hög frånvaro i årskurs 7–12, flickor i förhållande till pojkar",
        "high absence in grades 7-12, girls relative to boys"}},
      {"population.gender.worrying_mult_boys",
       {"oroande frånvaro, faktor för pojkar", "worrying absence, factor for boys"}},
      {"population.gender.worrying_mult_girls",
       {"oroande frånvaro, faktor för flickor", "worrying absence, factor for girls"}},
      {"population.grade_max", {"högsta årskurs", "highest grade"}},
      {"population.grade_min", {"lägsta årskurs", "lowest grade"}},
      {"population.prevalence.grade0_6.extensive",
       {"andel elever med mycket hög frånvaro (över 50 %), förskoleklass–årskurs 6",
        "share of pupils with extensive absence (over 50 %), grades 0-6"}},
      {"population.prevalence.grade0_6.high",
       {"andel elever med hög frånvaro (20–50 %), förskoleklass–årskurs 6",
        "share of pupils with high absence (20-50 %), grades 0-6"}},
      {"population.prevalence.grade0_6.worrying",
       {"andel elever med oroande frånvaro (10–20 %), förskoleklass–årskurs 6",
        "share of pupils with worrying absence (10-20 %), grades 0-6"}},
      {"population.prevalence.grade10_12.extensive",
       {"andel elever med mycket hög frånvaro (över 50 %), gymnasiet",
        "share of pupils with extensive absence (over 50 %), upper secondary"}},
      {"population.prevalence.grade10_12.high",
       {"andel elever med hög frånvaro (20–50 %), gymnasiet",
        "share of pupils with high absence (20-50 %), upper secondary"}},
      {"population.prevalence.grade10_12.worrying",
       {"andel elever med oroande frånvaro (10–20 %), gymnasiet",
        "share of pupils with worrying absence (10-20 %), upper secondary"}},
      {"population.prevalence.grade7_9.extensive",
       {"andel elever med mycket hög frånvaro (över 50 %), årskurs 7–9",
        "share of pupils with extensive absence (over 50 %), grades 7-9"}},
      {"population.prevalence.grade7_9.high",
       {"andel elever med hög frånvaro (20–50 %), årskurs 7–9",
        "share of pupils with high absence (20-50 %), grades 7-9"}},
      {"population.prevalence.grade7_9.worrying",
       {"andel elever med oroande frånvaro (10–20 %), årskurs 7–9",
        "share of pupils with worrying absence (10-20 %), grades 7-9"}},
      {"population.pupils", {"antal elever", "number of pupils"}},
      {"population.share_girls", {"andel flickor", "share of girls"}},
      {"transitions.duration.extensive_exit_mult",
       {"chans att lämna mycket hög frånvaro efter tid i den (faktor)",
        "chance of leaving extensive absence by time in it (factor)"}},
      {"transitions.duration.high_exit_mult",
       {"chans att lämna hög frånvaro efter tid i den (faktor)",
        "chance of leaving high absence by time in it (factor)"}},
      {"transitions.leaving.p_leave_per_month",
       {"sannolikhet per månad att flytta från kommunen", "probability per month of moving away"}},
      {"transitions.relapse.mult",
       {"risk för återfall efter återgång (faktor)", "risk of relapse after a return (factor)"}},
      {"transitions.seasonality.worsen_mult_sep_to_jun",
       {"försämring per månad september–juni (faktor)",
        "worsening by month September-June (factor)"}},
  };
  const auto it = words.find(key);
  if (it == words.end()) return std::nullopt;
  return it->second;
}

std::string source_words(Language l, const std::string& comment) {
  // The source IDs (S12) in the comment's order, "antagande" / "assumption" for an
  // assumption, "kalibrerad" / "calibrated" for a calibrated value; nothing else.
  std::vector<std::string> out;
  auto add = [&out](const std::string& w) {
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  };
  for (std::size_t i = 0; i < comment.size(); ++i) {
    const bool start = i == 0 || !std::isalnum(static_cast<unsigned char>(comment[i - 1]));
    if (start && comment[i] == 'S' && i + 1 < comment.size() &&
        std::isdigit(static_cast<unsigned char>(comment[i + 1]))) {
      std::size_t j = i + 1;
      while (j < comment.size() && std::isdigit(static_cast<unsigned char>(comment[j]))) ++j;
      add(comment.substr(i, j - i));
      i = j - 1;
    }
  }
  const bool sv = l == Language::sv;
  if (comment.find("assumption") != std::string::npos) add(sv ? "antagande" : "assumption");
  if (comment.find("calibrated") != std::string::npos) add(sv ? "kalibrerad" : "calibrated");
  std::string s;
  for (const auto& w : out) s += (s.empty() ? "" : ", ") + w;
  return s;
}

}  // namespace attendsim::models
