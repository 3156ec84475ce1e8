#pragma once
/// The realised parameters of one model evaluation (plain values, no distributions).
/// Built from a config and a vector of parameter values by `realise()` in model_config.hpp.
#include <array>
#include <cstdint>
#include <string>

#include "models/attendance.hpp"
#include "models/economics_params.hpp"
#include "models/staffing.hpp"
#include "sim/names.hpp"

namespace attendsim::models {

using Row = std::array<double, kAttendanceStates>;
using Matrix = std::array<Row, kAttendanceStates>;

struct PopulationParams {
  int pupils = 20000;
  int grade_min = 0;
  int grade_max = 12;
  /// Pupils at start in each grade 0..12 ([population.pupils_by_band], spread evenly over a
  /// band's grades): all 0 = `pupils` spread evenly over grade_min..grade_max (pupil i in grade
  /// grade_min + i mod grades); else they sum to `pupils`, 0 outside grade_min..grade_max, and
  /// pupil i is in the grade whose block [sum of the grades below, + its count) holds i.
  std::array<int, kGradeCount> pupils_by_grade{};
  bool new_cohort_each_year = true;  ///< a new lowest-grade cohort fills the leavers' places
  bool grade_progression = true;     ///< false: grades stay fixed (for analytic checks)
  double share_girls = 0.49;
  /// Initial shares of worrying, high, extensive per band (regular is the rest).
  std::array<std::array<double, 3>, kBands> prevalence{};
  double worrying_mult_boys = 1.0;
  double worrying_mult_girls = 1.0;
  double high_ratio_girls_vs_boys_grade7_12 = 1.0;
  double extensive_ratio_girls_vs_boys = 1.0;
  bool operator==(const PopulationParams&) const = default;

  /// True when pupils_by_grade is given (not all 0).
  bool counts_by_grade() const {
    for (const int n : pupils_by_grade)
      if (n != 0) return true;
    return false;
  }
  /// True when pupils_by_grade is all 0, or sums to `pupils` with none outside
  /// grade_min..grade_max.
  bool grade_counts_consistent() const {
    long long sum = 0;
    for (int g = 0; g < kGradeCount; ++g) {
      const int n = pupils_by_grade[static_cast<std::size_t>(g)];
      if (n < 0 || (n > 0 && (g < grade_min || g > grade_max))) return false;
      sum += n;
    }
    return sum == 0 || sum == pupils;
  }
  /// Pupils at start in grade `grade` (see pupils_by_grade).
  int pupils_in_grade(int grade) const {
    if (grade < grade_min || grade > grade_max) return 0;
    if (counts_by_grade()) return pupils_by_grade[static_cast<std::size_t>(grade)];
    const int grades = grade_max - grade_min + 1, g = grade - grade_min;
    return pupils / grades + (g < pupils % grades ? 1 : 0);
  }
  /// The grade of pupil i of the initial population (see pupils_by_grade).
  int grade_of_pupil(int i) const {
    if (!counts_by_grade()) return grade_min + i % (grade_max - grade_min + 1);
    int below = 0;
    for (int g = grade_min; g < grade_max; ++g) {
      below += pupils_by_grade[static_cast<std::size_t>(g)];
      if (i < below) return g;
    }
    return grade_max;
  }
};

/// Which months carry an attendance transition (docs/methods.md §4.3, §4.9).
enum class TransitionMonths : std::uint8_t {
  school,  ///< the 10 school months; July and August only test leaving (the default)
  all,     ///< every month: July and August also take a transition step after their events
};
inline constexpr std::array<Named<TransitionMonths>, 2> kTransitionMonthsNames{{
    {TransitionMonths::school, "school"},
    {TransitionMonths::all, "all"},
}};
constexpr const auto& name_table(TransitionMonths) {
  return kTransitionMonthsNames;
}

struct TransitionParams {
  std::array<Matrix, kBands> base{};  ///< monthly matrices per band, rows sum to 1
  bool duration_enabled = true;
  std::array<double, 3> high_exit_mult{1, 1, 1};       ///< months 1-2, 3-5, 6+ in state
  std::array<double, 3> extensive_exit_mult{1, 1, 1};  ///< months 1-2, 3-5, 6+ in state
  bool relapse_enabled = true;
  double relapse_mult = 1.0;  ///< x on worsening from regular after a return from high/extensive
  int relapse_months = 6;
  bool seasonality_enabled = true;
  std::array<double, kSchoolMonthsPerYear> worsen_mult{1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  ///< Sep..Jun
  bool leaving_enabled = true;
  double p_leave_per_month = 0.0;  ///< any state, tested first on the low word (§2.4)
  /// Leaving by the state at the start of the month, drawn with the transition on the high
  /// word: the row of state s becomes (1 - l_s) P[s] with l_s on `left` (§4.3 step 3).
  Row p_leave_by_state{0, 0, 0, 0};
  TransitionMonths months = TransitionMonths::school;
  bool operator==(const TransitionParams&) const = default;
};

/// How schools' referrals answer to the team's queue (docs/methods.md §4.3 step 7).
enum class ReferralRule : std::uint8_t {
  always,         ///< every referral decision as configured, however long the queue
  queue_limit,    ///< no referral while `queue_limit` or more pupils wait
  queue_decline,  ///< p_refer x queue_half / (queue_half + pupils waiting)
};
inline constexpr std::array<Named<ReferralRule>, 3> kReferralRuleNames{{
    {ReferralRule::always, "always"},
    {ReferralRule::queue_limit, "queue_limit"},
    {ReferralRule::queue_decline, "queue_decline"},
}};
constexpr const auto& name_table(ReferralRule) {
  return kReferralRuleNames;
}

/// How the terminal events (completion or not at the end of grade 12, summer school, and the
/// count of grade-9 pupils made eligible) are counted ([outcomes] terminal_events).
enum class TerminalEvents : std::uint8_t {
  drawn,     ///< by a draw, as each pupil's event happens or not
  expected,  ///< by their probabilities given the simulated path (conditional Monte Carlo, the
             ///< same expected outcome with less noise, docs/methods.md §4.9); the eligibility
             ///< flag itself is still drawn
};
inline constexpr std::array<Named<TerminalEvents>, 2> kTerminalEventsNames{{
    {TerminalEvents::drawn, "drawn"},
    {TerminalEvents::expected, "expected"},
}};
constexpr const auto& name_table(TerminalEvents) {
  return kTerminalEventsNames;
}

struct DetectionParams {
  double p_detect_per_month = 0.35;
  int school_action_months = 2;
  double p_refer_boys = 0.5;
  double referral_ratio_girls_vs_boys = 0.8;
  double p_consent = 0.85;
  ReferralRule referral_rule = ReferralRule::always;
  double queue_limit = 0;  ///< pupils waiting (queue_limit rule)
  double queue_half = 1;   ///< pupils waiting that halve the referral probability (queue_decline)
  /// Triage at intake: while at least this many pupils wait, the team takes only pupils in
  /// extensive absence; the others stay with the school's own measures. < 0: no triage.
  double triage_queue = -1;
  bool operator==(const DetectionParams&) const = default;
};

struct CoordinatorParams {
  bool enabled = true;
  double caseload_per_fte = 10;
  double share_fte_on_casework = 0.7;
  int rampup_months = 3;
  double rampup_effect_share = 0.5;  ///< x on log-RR during ramp-up
  int close_after_regular_months = 3;
  int max_case_months = 24;
  /// Probability per school month that an open case ends for another reason than a return or
  /// max_case_months (guardians withdraw consent, the pupil is handed on to other services;
  /// docs/methods.md §4.7): 0 (the default) leaves cases to those two rules and leaving.
  double p_case_end_per_month = 0;
  double rr_improve = 1.5;
  double rr_worsen = 0.8;
  double effect_mult_extensive = 0.8;  ///< x on log-RR for pupils in extensive absence
  double effect_mult_grades_0_4 = 0.5;
  double effect_decay_after_close = 0.85;  ///< per school month, x on log-RR after a case closes
  bool operator==(const CoordinatorParams&) const = default;
};

struct OutcomeParams {
  int sustained_return_months = 3;
  Row p_eligible_by_state{0.92, 0.85, 0.65, 0.35};
  Row p_complete_if_eligible_by_state{0.90, 0.80, 0.60, 0.35};
  double p_complete_if_not_eligible = 0.15;
  double p_repeat_per_extensive_year_upper_sec = 0.25;
  /// P(repeating a year of grades 1-8) per year spent in extensive absence (x the year's
  /// share of school months in extensive absence): an assumption, no source gives a rate.
  double p_repeat_per_extensive_year_compulsory = 0;
  double p_summer_school_if_high_or_extensive_grade8_9 = 0.5;
  double p_placement_per_year_if_extensive = 0.03;
  double share_eligible_at_start_upper_sec = 0.86;  ///< for pupils already in grades 10-12 at start
  TerminalEvents terminal_events = TerminalEvents::drawn;
  bool operator==(const OutcomeParams&) const = default;
};

struct ModelParams {
  int horizon_years = 5;
  PopulationParams population;
  TransitionParams transitions;
  DetectionParams detection;
  CoordinatorParams coordinators;
  OutcomeParams outcomes;
  EconomicsParams economics;
  bool operator==(const ModelParams&) const = default;
};

}  // namespace attendsim::models
