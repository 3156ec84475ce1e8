#pragma once
/// The metric table: every output metric of a scenario, once. Each row gives the metric's
/// name (as in summary.json, summary.csv, draws.csv and comparison.csv), its Swedish and
/// English labels, its unit, the decimals it is shown with, and how it is computed from one
/// replication's outcome (and, for the economic metrics, its economics against the
/// baseline). run, compare, sensitivity, report and the notebooks' CSVs all read this
/// table; adding a metric is one enumerator and one row (metrics.cpp), in the same place.
///
/// Economic metrics need a baseline to be compared with, so the baseline has none: they
/// come last in the table, and a scenario's metric vector is the first
/// `metric_count(with_economics)` rows.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/economics.hpp"
#include "models/simulation.hpp"

namespace attendsim::models {

enum class Metric : std::uint8_t {
  pupil_months_regular,
  pupil_months_worrying,
  pupil_months_high,
  pupil_months_extensive,
  long_term_absent_pupils_per_year,
  sustained_returns,
  detected,
  referrals,
  cases_started,
  mean_wait_months,
  queue_at_end,
  withdrawn_referrals,
  repeated_years,
  summer_school,
  placements,
  eligible_upper_secondary,
  completed_upper_secondary,
  sustained_returns_boys,
  sustained_returns_girls,
  cases_started_boys,
  cases_started_girls,
  eligible_pupils_boys,
  eligible_pupils_girls,
  detected_boys,
  detected_girls,
  referrals_boys,
  referrals_girls,
  mean_wait_months_boys,
  mean_wait_months_girls,
  mean_wait_admitted_months,
  mean_queue_time_not_admitted_months,
  referrals_held_back,
  mean_queue_length,
  cases_started_per_fte_year,
  sustained_return_within_12_months_share,
  cases_started_high,
  cases_started_extensive,
  cases_started_grade0_6,
  cases_started_grade7_9,
  cases_started_grade10_12,
  repeated_years_compulsory,
  // Economic metrics (scenarios other than the baseline only), last.
  cost_sek,
  savings_sek,
  savings_short_term_sek,
  savings_long_term_sek,
  net_benefit_sek,
  roi,
  savings_terminal_sek,
  savings_education_sek,
  savings_social_services_sek,
  savings_health_sek,
  savings_labour_market_sek,
  savings_state_sek,
};

inline constexpr std::size_t kMetricCount = static_cast<std::size_t>(Metric::savings_state_sek) + 1;
inline constexpr Metric kFirstEconomicMetric = Metric::cost_sek;

/// One row of the metric table.
struct MetricInfo {
  Metric id;
  std::string_view name;      ///< the name in every output file
  std::string_view label_sv;  ///< as a Swedish report writes it
  std::string_view label_en;
  std::string_view unit;  ///< "pupil-months", "pupils", "pupils per year", "months", "SEK", ...
  int decimals;           ///< shown with this many decimals in tables and briefs
  /// The metric's value for one replication: `econ` is null for the baseline (and is only
  /// read by economic metrics). NaN where it is undefined (e.g. a wait with nobody queued).
  double (*compute)(const ReplicationOutcome& o, const EconomicResult* econ);
  bool economic() const { return id >= kFirstEconomicMetric; }
  std::size_t index() const { return static_cast<std::size_t>(id); }
  std::string_view label(bool swedish) const { return swedish ? label_sv : label_en; }
};

/// The table, in enum (= output) order.
const std::array<MetricInfo, kMetricCount>& metric_table();
inline std::size_t metric_position(Metric m) {
  return static_cast<std::size_t>(m);
}
inline const MetricInfo& metric_info(Metric m) {
  return metric_table()[metric_position(m)];
}
/// The metric of this name, if there is one.
std::optional<Metric> find_metric(std::string_view name);
/// The metric of this name; throws InputError naming `what` (e.g. "--target-se") and the
/// known names when there is none.
Metric metric_by_name(std::string_view name, std::string_view what);

/// Number of metrics of a scenario: every metric with economics, else those before it.
inline std::size_t metric_count(bool with_economics) {
  return with_economics ? kMetricCount : metric_position(kFirstEconomicMetric);
}
/// Names of the metrics of a scenario, in output order.
std::vector<std::string> metric_names(bool with_economics);
/// Per-unit metric values of one replication outcome (economics when `econ` is not null).
std::vector<double> outcome_metrics(const ReplicationOutcome& o, const EconomicResult* econ);

/// False for the metrics the count-based path (models/count_chain.hpp, docs/methods.md §4.12)
/// does not compute: the counts of what it does not follow pupil by pupil (detections,
/// sustained returns, pupils ever in high or extensive absence, the July events of grades 8-12:
/// summer school, eligibility and completion, and placements). A count-based run writes them
/// as not computed (null, empty cells), never as 0. Its other metrics are the individual
/// engine's: the pupil-months and long-term absent pupils it counts, the programme's counts,
/// waits and queue (0, or undefined, in a run without a programme whichever path runs it:
/// tests/test_count_chain.cpp checks them against the individual engine) and the economics
/// (every scenario is the baseline with the scenario's FTE: its cost, no savings).
bool computed_on_count_path(Metric m);
/// The metrics computed_on_count_path refuses, in table order.
std::vector<Metric> count_path_not_computed();
/// The metrics the count-based path computes for the whole population but not by subgroup:
/// the cost, and so the net benefit and ROI, of a gender or a grade band, which are split by
/// cases started, else by pupils ever in high or extensive absence (subgroup_economics.hpp),
/// neither of which the path has.
std::vector<Metric> count_path_not_computed_in_subgroups();

/// The count whose 0 leaves a mean wait with nobody to average over, for the waits the metric
/// table sets to 0 then (docs/methods.md §4.8): mean_wait_months -> referrals (every queued
/// pupil was referred), mean_wait_admitted_months -> cases_started; nullopt for any other
/// metric. A report shows such a wait as "–" (not applicable: nobody waited, e.g. the baseline
/// or a scenario without a programme), not as 0.
std::optional<Metric> wait_count(Metric m);

/// Subgroups of the metrics: the total, each gender and each grade band (the band a pupil
/// was in when the counted event happened). Output order; "total" is the whole population.
enum class Subgroup : std::uint8_t { total, boys, girls, grade0_6, grade7_9, grade10_12 };
inline constexpr std::size_t kSubgroupCount = 6;
std::string_view subgroup_name(Subgroup g);
/// True when the subgroup cell (gender, band) of models/simulation.hpp belongs to g: every
/// cell to the total, a gender's three cells to it, a band's two cells to it.
bool in_subgroup(Subgroup g, int gender, int band);
/// The subgroups other than the total, in output order.
inline constexpr std::array<Subgroup, kSubgroupCount - 1> kProperSubgroups = {
    Subgroup::boys, Subgroup::girls, Subgroup::grade0_6, Subgroup::grade7_9, Subgroup::grade10_12};

/// A subgroup's outcome for the metric table: its counts are the sum of the subgroup's cells
/// (simulation.hpp, OutcomeCells); of the series it keeps only what every subgroup shares
/// (the FTE by step and the school years); the others are empty.
ReplicationOutcome subgroup_outcome(const ReplicationOutcome& o, Subgroup g);

/// True when a metric's subgroups of one gender split (boys + girls), and of the bands
/// (grades 0-6 + 7-9 + 10-12), add up to its total: every count, and counts over a
/// denominator all subgroups share (per year, per FTE-year, per school month with FTE).
/// False for means and shares over the subgroup's own pupils (waits, the share of returns
/// within 12 months) and for ROI. The money metrics are additive: a subgroup's cost and
/// savings are split from the total's (analysis/subgroup_economics.hpp), so that they add up
/// to it to rounding.
bool additive_over_subgroups(Metric m);

/// The metrics of every subgroup but the total, [subgroup - 1][metric]: the non-economic
/// ones for the baseline (`base` null), every metric for a scenario against its baseline
/// `base` with parameters `e` and total economics `econ` (analysis/subgroup_economics.hpp:
/// the money split by cell; ROI by gender only, NaN for a grade band).
std::vector<std::vector<double>> subgroup_metrics(const ReplicationOutcome& o,
                                                  const ReplicationOutcome* base = nullptr,
                                                  const EconomicsParams* e = nullptr,
                                                  const EconomicResult* econ = nullptr);

}  // namespace attendsim::models
