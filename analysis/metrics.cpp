#include "analysis/metrics.hpp"

#include <limits>
#include <sstream>

#include "analysis/subgroup_economics.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double sum2(const double (&v)[kGenders]) {
  return v[0] + v[1];
}
/// Mean wait of every queued referral (admitted or not), 0 when nobody was queued (e.g. the
/// baseline).
double mean_wait(const ReplicationOutcome& o) {
  const double queued = sum2(o.queued);
  return queued > 0 ? sum2(o.wait_months_sum) / queued : 0.0;
}
/// The same for one gender, NaN when nobody of that gender was queued.
double mean_wait(const ReplicationOutcome& o, int g) {
  return o.queued[g] > 0 ? o.wait_months_sum[g] / o.queued[g] : kNaN;
}

/// Mean wait of the referrals that were admitted, 0 when nobody was admitted (§4.8).
double mean_wait_admitted(const ReplicationOutcome& o) {
  const double cases = sum2(o.cases_started);
  return cases > 0 ? sum2(o.admitted_wait_months_sum) / cases : 0.0;
}
/// Mean time in the queue of the referrals never admitted from it (withdrawn, moved,
/// finished school, programme ended, censored at the horizon), 0 when there were none.
double mean_queue_time_not_admitted(const ReplicationOutcome& o) {
  const double n = sum2(o.queued) - sum2(o.cases_started);
  return n > 0 ? (sum2(o.wait_months_sum) - sum2(o.admitted_wait_months_sum)) / n : 0.0;
}
/// Mean pupils waiting after case management over the school months with FTE > 0: the
/// counted queue pupil-months (the queue is empty in a month without FTE) over those months.
double mean_queue_length(const ReplicationOutcome& o) {
  double months = 0;
  for (std::size_t t = 0; t < o.events.fte.size(); ++t) {
    if (is_school_month(static_cast<int>(t)) && o.events.fte[t] > 0) months += 1;
  }
  return months > 0 ? o.queue_pupil_months / months : 0.0;
}
/// Cases started per FTE-year of the schedule (calendar months of FTE / 12); NaN without FTE.
double cases_per_fte_year(const ReplicationOutcome& o) {
  double fte_years = 0;
  for (double f : o.events.fte) fte_years += f / kMonthsPerYear;
  return fte_years > 0 ? sum2(o.cases_started) / fte_years : kNaN;
}
/// Share of cases whose pupil made a sustained return within 12 months of the start; NaN
/// without cases.
double returns_within_12_share(const ReplicationOutcome& o) {
  const double cases = sum2(o.cases_started);
  return cases > 0 ? sum2(o.returns_within_12_months) / cases : kNaN;
}

using R = const ReplicationOutcome&;
using E = const EconomicResult*;

constexpr std::array<MetricInfo, kMetricCount> kTable = {{
    {Metric::pupil_months_regular, "pupil_months_regular", "elevmånader med regelbunden närvaro",
     "pupil-months in regular attendance", "pupil-months", 0,
     [](R o, E) { return o.school_pupil_months[0]; }},
    {Metric::pupil_months_worrying, "pupil_months_worrying", "elevmånader med oroande frånvaro",
     "pupil-months in worrying absence", "pupil-months", 0,
     [](R o, E) { return o.school_pupil_months[1]; }},
    {Metric::pupil_months_high, "pupil_months_high", "elevmånader med hög frånvaro",
     "pupil-months in high absence", "pupil-months", 0,
     [](R o, E) { return o.school_pupil_months[2]; }},
    {Metric::pupil_months_extensive, "pupil_months_extensive",
     "elevmånader med mycket hög frånvaro", "pupil-months in extensive absence", "pupil-months", 0,
     [](R o, E) { return o.school_pupil_months[3]; }},
    {Metric::long_term_absent_pupils_per_year, "long_term_absent_pupils_per_year",
     "långvarigt frånvarande elever per år", "long-term absent pupils per year", "pupils per year",
     1, [](R o, E) { return o.long_term_absent_pupil_years / o.school_years; }},
    {Metric::sustained_returns, "sustained_returns", "varaktiga återgångar till skolan",
     "sustained returns to school", "pupils", 1, [](R o, E) { return sum2(o.sustained_returns); }},
    {Metric::detected, "detected", "upptäckta elever", "pupils detected", "pupils", 1,
     [](R o, E) { return sum2(o.detected); }},
    {Metric::referrals, "referrals", "remisser till koordinatorerna", "referrals", "referrals", 1,
     [](R o, E) { return sum2(o.referrals); }},
    {Metric::cases_started, "cases_started", "påbörjade ärenden", "cases started", "cases", 1,
     [](R o, E) { return sum2(o.cases_started); }},
    {Metric::mean_wait_months, "mean_wait_months", "genomsnittlig väntetid (månader)",
     "mean wait (months)", "months", 1, [](R o, E) { return mean_wait(o); }},
    {Metric::queue_at_end, "queue_at_end", "elever i kö vid periodens slut",
     "pupils in the queue at the end", "pupils", 1, [](R o, E) { return o.queue_at_end; }},
    {Metric::withdrawn_referrals, "withdrawn_referrals", "återkallade remisser",
     "withdrawn referrals", "referrals", 1, [](R o, E) { return o.withdrawn_referrals; }},
    {Metric::repeated_years, "repeated_years", "elever som gått om ett år", "repeated school years",
     "pupils", 1, [](R o, E) { return o.repeated_years; }},
    {Metric::summer_school, "summer_school", "elever i sommarskola", "pupils in summer school",
     "pupils", 1, [](R o, E) { return o.summer_school; }},
    {Metric::placements, "placements", "placeringar utanför hemmet", "out-of-home placements",
     "placements", 1, [](R o, E) { return o.placements; }},
    {Metric::eligible_upper_secondary, "eligible_upper_secondary", "behöriga till gymnasiet",
     "eligible for upper secondary", "pupils", 1,
     [](R o, E) { return o.eligible_upper_secondary; }},
    {Metric::completed_upper_secondary, "completed_upper_secondary", "fullföljd gymnasieskola",
     "completed upper secondary", "pupils", 1, [](R o, E) { return o.completed_upper_secondary; }},
    {Metric::sustained_returns_boys, "sustained_returns_boys", "varaktiga återgångar, pojkar",
     "sustained returns, boys", "pupils", 1, [](R o, E) { return o.sustained_returns[0]; }},
    {Metric::sustained_returns_girls, "sustained_returns_girls", "varaktiga återgångar, flickor",
     "sustained returns, girls", "pupils", 1, [](R o, E) { return o.sustained_returns[1]; }},
    {Metric::cases_started_boys, "cases_started_boys", "påbörjade ärenden, pojkar",
     "cases started, boys", "cases", 1, [](R o, E) { return o.cases_started[0]; }},
    {Metric::cases_started_girls, "cases_started_girls", "påbörjade ärenden, flickor",
     "cases started, girls", "cases", 1, [](R o, E) { return o.cases_started[1]; }},
    {Metric::eligible_pupils_boys, "eligible_pupils_boys",
     "pojkar med hög eller mycket hög frånvaro", "boys ever in high or extensive absence", "pupils",
     1, [](R o, E) { return o.eligible_pupils[0]; }},
    {Metric::eligible_pupils_girls, "eligible_pupils_girls",
     "flickor med hög eller mycket hög frånvaro", "girls ever in high or extensive absence",
     "pupils", 1, [](R o, E) { return o.eligible_pupils[1]; }},
    {Metric::detected_boys, "detected_boys", "upptäckta pojkar", "boys detected", "pupils", 1,
     [](R o, E) { return o.detected[0]; }},
    {Metric::detected_girls, "detected_girls", "upptäckta flickor", "girls detected", "pupils", 1,
     [](R o, E) { return o.detected[1]; }},
    {Metric::referrals_boys, "referrals_boys", "remisser, pojkar", "referrals, boys", "referrals",
     1, [](R o, E) { return o.referrals[0]; }},
    {Metric::referrals_girls, "referrals_girls", "remisser, flickor", "referrals, girls",
     "referrals", 1, [](R o, E) { return o.referrals[1]; }},
    {Metric::mean_wait_months_boys, "mean_wait_months_boys", "genomsnittlig väntetid, pojkar",
     "mean wait, boys", "months", 1, [](R o, E) { return mean_wait(o, 0); }},
    {Metric::mean_wait_months_girls, "mean_wait_months_girls", "genomsnittlig väntetid, flickor",
     "mean wait, girls", "months", 1, [](R o, E) { return mean_wait(o, 1); }},
    {Metric::mean_wait_admitted_months, "mean_wait_admitted_months",
     "genomsnittlig väntetid för antagna (månader)", "mean wait of admitted pupils (months)",
     "months", 1, [](R o, E) { return mean_wait_admitted(o); }},
    {Metric::mean_queue_time_not_admitted_months, "mean_queue_time_not_admitted_months",
     "genomsnittlig tid i kö för aldrig antagna (månader)",
     "mean time in the queue of pupils never admitted (months)", "months", 1,
     [](R o, E) { return mean_queue_time_not_admitted(o); }},
    {Metric::referrals_held_back, "referrals_held_back", "remisser som uteblev på grund av kön",
     "referrals held back by the queue", "referrals", 1,
     [](R o, E) { return sum2(o.referrals_held_back); }},
    {Metric::mean_queue_length, "mean_queue_length", "genomsnittlig kölängd", "mean queue length",
     "pupils", 1, [](R o, E) { return mean_queue_length(o); }},
    {Metric::cases_started_per_fte_year, "cases_started_per_fte_year",
     "påbörjade ärenden per årsarbetskraft", "cases started per FTE-year", "cases per FTE-year", 1,
     [](R o, E) { return cases_per_fte_year(o); }},
    {Metric::sustained_return_within_12_months_share, "sustained_return_within_12_months_share",
     "andel ärenden med varaktig återgång inom 12 månader",
     "share of cases with a sustained return within 12 months", "share", 2,
     [](R o, E) { return returns_within_12_share(o); }},
    {Metric::cases_started_high, "cases_started_high", "påbörjade ärenden, hög frånvaro",
     "cases started in high absence", "cases", 1, [](R o, E) { return o.admitted_by_state[2]; }},
    {Metric::cases_started_extensive, "cases_started_extensive",
     "påbörjade ärenden, mycket hög frånvaro", "cases started in extensive absence", "cases", 1,
     [](R o, E) { return o.admitted_by_state[3]; }},
    {Metric::cases_started_grade0_6, "cases_started_grade0_6", "påbörjade ärenden, åk F-6",
     "cases started, grades 0-6", "cases", 1, [](R o, E) { return o.admitted_by_band[0]; }},
    {Metric::cases_started_grade7_9, "cases_started_grade7_9", "påbörjade ärenden, åk 7-9",
     "cases started, grades 7-9", "cases", 1, [](R o, E) { return o.admitted_by_band[1]; }},
    {Metric::cases_started_grade10_12, "cases_started_grade10_12", "påbörjade ärenden, gymnasiet",
     "cases started, grades 10-12", "cases", 1, [](R o, E) { return o.admitted_by_band[2]; }},
    {Metric::repeated_years_compulsory, "repeated_years_compulsory",
     "elever som gått om ett år i grundskolan", "repeated school years in compulsory school",
     "pupils", 1, [](R o, E) { return o.repeated_years_compulsory; }},
    {Metric::cost_sek, "cost_sek", "kostnad (kr, diskonterad)", "cost (SEK, discounted)", "SEK", 0,
     [](R, E e) { return e->cost_sek; }},
    {Metric::savings_sek, "savings_sek", "besparing (kr, diskonterad)", "savings (SEK, discounted)",
     "SEK", 0, [](R, E e) { return e->savings_sek; }},
    {Metric::savings_short_term_sek, "savings_short_term_sek", "kortsiktig besparing (kr)",
     "short-term savings (SEK)", "SEK", 0, [](R, E e) { return e->savings_short_term_sek; }},
    {Metric::savings_long_term_sek, "savings_long_term_sek", "långsiktig besparing (kr)",
     "long-term savings (SEK)", "SEK", 0, [](R, E e) { return e->savings_long_term_sek; }},
    {Metric::net_benefit_sek, "net_benefit_sek", "nettonytta (kr)", "net benefit (SEK)", "SEK", 0,
     [](R, E e) { return e->net_benefit_sek; }},
    {Metric::roi, "roi", "avkastning (kr per investerad krona)", "return (SEK per SEK invested)",
     "SEK per SEK", 2, [](R, E e) { return e->roi; }},
    {Metric::savings_terminal_sek, "savings_terminal_sek", "värde efter horisonten (kr)",
     "value past the horizon (SEK)", "SEK", 0, [](R, E e) { return e->savings_terminal_sek; }},
    {Metric::savings_education_sek, "savings_education_sek", "besparing, utbildning (kr)",
     "savings borne by education (SEK)", "SEK", 0,
     [](R, E e) { return e->savings_by_payer[static_cast<std::size_t>(Payer::education)]; }},
    {Metric::savings_social_services_sek, "savings_social_services_sek",
     "besparing, socialtjänst (kr)", "savings borne by social services (SEK)", "SEK", 0,
     [](R, E e) { return e->savings_by_payer[static_cast<std::size_t>(Payer::social_services)]; }},
    {Metric::savings_health_sek, "savings_health_sek", "besparing, hälso- och sjukvård (kr)",
     "savings borne by health care (SEK)", "SEK", 0,
     [](R, E e) { return e->savings_by_payer[static_cast<std::size_t>(Payer::health)]; }},
    {Metric::savings_labour_market_sek, "savings_labour_market_sek",
     "besparing, arbetsmarknad (kr)", "savings on the labour market (SEK)", "SEK", 0,
     [](R, E e) { return e->savings_by_payer[static_cast<std::size_t>(Payer::labour_market)]; }},
    {Metric::savings_state_sek, "savings_state_sek", "besparing, staten (kr)",
     "savings borne by the state (SEK)", "SEK", 0,
     [](R, E e) { return e->savings_by_payer[static_cast<std::size_t>(Payer::state)]; }},
}};

/// Row i describes enumerator i: checked when the table is compiled.
constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].id) != i) return false;
  }
  return true;
}
static_assert(rows_in_enum_order(), "metric table rows must follow the Metric enum's order");

}  // namespace

const std::array<MetricInfo, kMetricCount>& metric_table() {
  return kTable;
}

std::optional<Metric> find_metric(std::string_view name) {
  for (const auto& m : kTable) {
    if (m.name == name) return m.id;
  }
  return std::nullopt;
}

Metric metric_by_name(std::string_view name, std::string_view what) {
  if (auto m = find_metric(name)) return *m;
  std::ostringstream known;
  for (const auto& m : kTable) known << (m.index() ? ", " : "") << m.name;
  ATTENDSIM_INPUT_ERROR(what << ": unknown metric '" << name << "' (known: " << known.str() << ")");
}

std::vector<std::string> metric_names(bool with_economics) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < metric_count(with_economics); ++i) out.emplace_back(kTable[i].name);
  return out;
}

std::vector<double> outcome_metrics(const ReplicationOutcome& o, const EconomicResult* econ) {
  std::vector<double> v;
  v.reserve(metric_count(econ != nullptr));
  for (std::size_t i = 0; i < metric_count(econ != nullptr); ++i)
    v.push_back(kTable[i].compute(o, econ));
  return v;
}

bool computed_on_count_path(Metric m) {
  switch (m) {
    case Metric::sustained_returns:
    case Metric::sustained_returns_boys:
    case Metric::sustained_returns_girls:
    case Metric::detected:
    case Metric::detected_boys:
    case Metric::detected_girls:
    case Metric::eligible_pupils_boys:
    case Metric::eligible_pupils_girls:
    case Metric::summer_school:
    case Metric::placements:
    case Metric::eligible_upper_secondary:
    case Metric::completed_upper_secondary:
      return false;
    default:
      return true;
  }
}

std::vector<Metric> count_path_not_computed() {
  std::vector<Metric> out;
  for (const auto& m : kTable) {
    if (!computed_on_count_path(m.id)) out.push_back(m.id);
  }
  return out;
}

std::optional<Metric> wait_count(Metric m) {
  if (m == Metric::mean_wait_months) return Metric::referrals;
  if (m == Metric::mean_wait_admitted_months) return Metric::cases_started;
  return std::nullopt;
}

std::vector<Metric> count_path_not_computed_in_subgroups() {
  return {Metric::cost_sek, Metric::net_benefit_sek, Metric::roi};
}

std::string_view subgroup_name(Subgroup g) {
  switch (g) {
    case Subgroup::total:
      return "total";
    case Subgroup::boys:
      return kGenderNames[0];
    case Subgroup::girls:
      return kGenderNames[1];
    case Subgroup::grade0_6:
      return kBandNames[0];
    case Subgroup::grade7_9:
      return kBandNames[1];
    case Subgroup::grade10_12:
      return kBandNames[2];
  }
  return "total";
}

bool in_subgroup(Subgroup g, int gender, int band) {
  switch (g) {
    case Subgroup::total:
      return true;
    case Subgroup::boys:
      return gender == 0;
    case Subgroup::girls:
      return gender == 1;
    case Subgroup::grade0_6:
      return band == 0;
    case Subgroup::grade7_9:
      return band == 1;
    case Subgroup::grade10_12:
      return band == 2;
  }
  return false;
}

ReplicationOutcome subgroup_outcome(const ReplicationOutcome& o, Subgroup g) {
  ReplicationOutcome sub;
  sub.steps = o.steps;
  sub.school_years = o.school_years;
  sub.events.fte = o.events.fte;
  if (g == Subgroup::total) {
    sub.counts() = o.counts();
    return sub;
  }
  CountWords sum{};
  for (int gender = 0; gender < kGenders; ++gender) {
    for (int band = 0; band < kBands; ++band) {
      if (!in_subgroup(g, gender, band)) continue;
      const CountWords w =
          count_words(o.cells[static_cast<std::size_t>(subgroup_cell(gender, band))]);
      for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += w[i];
    }
  }
  sub.counts() = counts_from_words(sum);
  return sub;
}

bool additive_over_subgroups(Metric m) {
  switch (m) {
    case Metric::mean_wait_months:
    case Metric::mean_wait_months_boys:
    case Metric::mean_wait_months_girls:
    case Metric::mean_wait_admitted_months:
    case Metric::mean_queue_time_not_admitted_months:
    case Metric::sustained_return_within_12_months_share:
    case Metric::roi:
      return false;
    default:
      return true;
  }
}

std::vector<std::vector<double>> subgroup_metrics(const ReplicationOutcome& o,
                                                  const ReplicationOutcome* base,
                                                  const EconomicsParams* e,
                                                  const EconomicResult* econ) {
  ATTENDSIM_REQUIRE((base == nullptr) == (e == nullptr) && (e == nullptr) == (econ == nullptr),
                    "subgroup economics need the baseline, the parameters and the total");
  std::vector<std::vector<double>> out;
  out.reserve(kProperSubgroups.size());
  const CellEconomics split = base ? split_economics(*e, *base, o) : CellEconomics{};
  for (Subgroup g : kProperSubgroups) {
    if (!base) {
      out.push_back(outcome_metrics(subgroup_outcome(o, g), nullptr));
      continue;
    }
    const EconomicResult eg = subgroup_economic_result(*e, split, *econ, g);
    out.push_back(outcome_metrics(subgroup_outcome(o, g), &eg));
  }
  return out;
}

}  // namespace attendsim::models
