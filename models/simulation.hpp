#pragma once
/// One replication of the attendance model: `simulate(params, scenario, key)`.
///
/// A pure function of its inputs: no files, no threads, no globals. The scenario fixes the
/// staffing schedule and the policies; the key fixes the random streams. Baseline and
/// scenario called with the same key see the same pupils and the same draws (common random
/// numbers): every pupil-month consumes exactly one 64-bit output x, draw (i, t) of the pupil-month
/// stream, whatever happens to the pupil (stream derivation version 3, docs/methods.md 2.4). Its
/// high word hi(x) and low word lo(x) are two uniforms; lo(x) is first cut at the leaving
/// (and placement) probabilities, and its residual r within the interval it fell in is a
/// third uniform, independent of the first two:
///   school month: hi transition, lo leaving then placement, r detection or referral+consent
///   July:         hi eligibility (grade 9) or completion (grade 12), lo leaving,
///                 r summer school (grades 8-9) or repeated year (grades 10-12)
///   August:       hi new entrant's gender, lo leaving, r new entrant's state
/// (the events that share r never happen to one pupil in one month).
/// Pupil i's output at step t is draw (i, t) of the counter-based stream keyed
/// {seed, draw, replication, kPupilPurpose, 0} (pupil_month_stream, sim/counter_stream.hpp):
/// addressable, so that a recorded baseline needs no stored draws. Initial pupils are in
/// chunks of kChunkPupils; chunk c's come from the mt19937_64 stream {.., kPopulationPurpose, c}.
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/economics_params.hpp"
#include "models/params.hpp"
#include "models/policies/allocation_policy.hpp"
#include "models/staffing.hpp"
#include "sim/counter_stream.hpp"
#include "sim/streams.hpp"

namespace attendsim::models {

inline constexpr std::uint32_t kPopulationPurpose = 0x706f7075U;  // "popu"
inline constexpr std::uint32_t kPupilPurpose = 0x7075706dU;       // "pupm"
inline constexpr int kChunkPupils = 4096;

/// The pupil-month draws of the replication keyed `key` (its purpose and sub are ignored):
/// pupil i's output at step t is pupil_month_stream(key).at(i, t).
inline CounterStream pupil_month_stream(const StreamKey& key) {
  return CounterStream({key.master_seed, key.draw, key.replication, kPupilPurpose, 0});
}

/// Who is referred: as the detection parameters say, or girls at the boys' probability.
enum class ReferralPolicy : std::uint8_t { as_configured, equal_referral };
inline constexpr std::array<Named<ReferralPolicy>, 2> kReferralPolicyNames{{
    {ReferralPolicy::as_configured, "as_configured"},
    {ReferralPolicy::equal_referral, "equal_referral"},
}};
constexpr const auto& name_table(ReferralPolicy) {
  return kReferralPolicyNames;
}

struct ScenarioSpec {
  std::string name = "baseline";
  StaffingSchedule staffing;  ///< empty: no coordinators (the baseline)
  Allocation allocation_policy = Allocation::fifo;
  ReferralPolicy referral_policy = ReferralPolicy::as_configured;
};

/// What defines a pupil's attendance path: two pupils equal in these fields take the same
/// path step on the same draw, whatever their case fields (the scenario-from-baseline replay
/// relies on it, docs/methods.md §4.11). A field that the transition rules read belongs here.
struct PupilPath {
  std::uint8_t state = 0;
  std::uint8_t months_in_state = 0;
  std::uint8_t grade = 0;
  std::uint8_t gender = 0;
  std::uint8_t regular_run = 0;  ///< consecutive school months in regular
  std::uint8_t flags = 0;
  std::uint8_t relapse_left = 0;  ///< school months of relapse risk left
  std::uint8_t after_close = 0;   ///< school months since a case closed (0: none)
  std::uint8_t extensive_months_year = 0;
  std::uint8_t band = 0;  ///< Band of `grade` (kept in step with it)
  /// Step of the current or last case's start + 1 (0: none), kept for 12 months: a
  /// sustained return within 12 months of the start is counted once.
  std::uint16_t case_start = 0;
  bool operator==(const PupilPath&) const = default;
};

/// What belongs to a pupil's school action, referral and case.
struct PupilCase {
  std::uint8_t status = 0;         ///< PupilStatus
  std::uint8_t status_months = 0;  ///< months in school action, or in the current case
  std::uint16_t queued_at = 0;     ///< step of referral
  bool operator==(const PupilCase&) const = default;
};

/// The counters' ranges bound the config (io/config_schema.cpp), so that no counter wraps.
/// The one-byte month counters status_months, regular_run and months_in_state are compared
/// with school_action_months, max_case_months and close_after_regular_months: those are at
/// most kMaxCounterMonths (status_months then never passes it; regular_run and months_in_state
/// stop at it). The 16-bit step numbers queued_at and case_start hold every step + 1 of a
/// horizon of at most kMaxHorizonYears.
inline constexpr int kMaxCounterMonths =
    std::numeric_limits<decltype(PupilCase::status_months)>::max();
inline constexpr int kMaxHorizonYears = 100;
static_assert(std::numeric_limits<decltype(PupilPath::regular_run)>::max() >= kMaxCounterMonths &&
              std::numeric_limits<decltype(PupilPath::months_in_state)>::max() >=
                  kMaxCounterMonths);
static_assert(kMaxHorizonYears * kMonthsPerYear + 1 <=
                  std::numeric_limits<decltype(PupilCase::queued_at)>::max() &&
              kMaxHorizonYears * kMonthsPerYear + 1 <=
                  std::numeric_limits<decltype(PupilPath::case_start)>::max());

/// Per-pupil state: 16 bytes, its path part and its case part.
struct Pupil : PupilPath, PupilCase {
  PupilPath& path() { return *this; }
  const PupilPath& path() const { return *this; }
  PupilCase& case_part() { return *this; }
  const PupilCase& case_part() const { return *this; }
  bool operator==(const Pupil&) const = default;
};
static_assert(sizeof(Pupil) == 16, "pupil state must stay small");

enum class PupilStatus : std::uint8_t {
  none = 0,
  school_action = 1,
  waiting = 2,
  in_case = 3,
  declined = 4
};

/// The counts of one replication. Every member is a double (or an array of doubles) that
/// holds a whole count, so that a scenario simulated from the baseline adds its diverged
/// pupils' differences to them word by word (pupil_rules.hpp add_difference) and two outcomes
/// compare with ==. A new count is a new member here, and nothing else needs to list it.
struct OutcomeCounts {
  double long_term_absent_pupil_years =
      0;  ///< sum over years of pupils with >= 1 month in extensive
  double sustained_returns[kGenders] = {0, 0};
  double detected[kGenders] = {0, 0};  ///< pupils detected (distinct detections)
  double referrals[kGenders] = {0, 0};
  double cases_started[kGenders] = {0, 0};
  double queued[kGenders] = {0, 0};  ///< referrals with consent that entered the queue
  /// Months waited by every queued referral, until admission, withdrawal, leaving, the end of
  /// the programme or (censored) the end of the horizon.
  double wait_months_sum[kGenders] = {0, 0};
  double eligible_pupils[kGenders] = {0, 0};  ///< distinct pupils ever in high or extensive
  double repeated_years = 0;                  ///< every repeated year, compulsory ones included
  double repeated_years_compulsory = 0;       ///< repeated years of grades 1-8
  double summer_school = 0;
  double placements = 0;
  double grade9_finishers = 0;
  double eligible_upper_secondary = 0;
  double upper_sec_finishers = 0;
  double completed_upper_secondary = 0;
  double queue_at_end = 0;
  double withdrawn_referrals = 0;  ///< waiting pupils who returned to regular before a slot
  /// Months waited by the referrals that were admitted (a part of wait_months_sum), by gender.
  double admitted_wait_months_sum[kGenders] = {0, 0};
  /// Referral decisions the referral rule or triage turned into no referral (the pupil
  /// stays with the school's own measures), by gender.
  double referrals_held_back[kGenders] = {0, 0};
  /// Case mix at admission: cases started by the pupil's state and grade band that month.
  double admitted_by_state[kAttendanceStates] = {0, 0, 0, 0};
  double admitted_by_band[kBands] = {0, 0, 0};
  /// Cases whose pupil made a sustained return within 12 months of the case's start.
  double returns_within_12_months[kGenders] = {0, 0};
  /// Pupil-months per attendance state in school months (the occupancy's sum, counted).
  double school_pupil_months[kAttendanceStates] = {0, 0, 0, 0};
  /// Pupils waiting after each school month's case management, summed over the months.
  double queue_pupil_months = 0;
  bool operator==(const OutcomeCounts&) const = default;
};

/// Subgroup cells: gender x grade band, cell = gender * kBands + band. Every count is
/// counted in the total and in the cell of the pupil it is about (its band at the time of
/// the event), so that a subgroup's count is the sum of its cells and the cells of a count
/// sum exactly to its total (whole numbers, or multiples of 2^-32 below 2^21).
inline constexpr int kSubgroupCells = kGenders * kBands;
inline int subgroup_cell(int gender, int band) {
  return gender * kBands + band;
}

/// The counts of each subgroup cell.
struct OutcomeCells {
  std::array<OutcomeCounts, kSubgroupCells> cells{};
};

/// The counts as one array of words, in member order.
using CountWords = std::array<double, sizeof(OutcomeCounts) / sizeof(double)>;
static_assert(sizeof(OutcomeCounts) == sizeof(CountWords), "OutcomeCounts holds doubles only");
inline CountWords count_words(const OutcomeCounts& c) {
  return std::bit_cast<CountWords>(c);
}
inline OutcomeCounts counts_from_words(const CountWords& w) {
  return std::bit_cast<OutcomeCounts>(w);
}

/// The rest of one replication's outcome: per-step series and what is derived from them.
struct OutcomeSeries {
  int steps = 0;
  /// occupancy[t][s]: pupils in state s at the end of step t (s = left included).
  std::vector<std::array<std::uint32_t, kStates>> occupancy;
  EventSeries events;
  std::array<double, kAttendanceStates> pupil_months{};  ///< school months only
  double school_years = 0;
  /// Pupils waiting and cases open after each school month's case management, by step.
  std::vector<double> queue_length;
  std::vector<double> open_cases;
  /// Pupils the simulation stops following before they finish grade 12, by exit year, grade
  /// to start, state and eligibility (models/terminal_value.hpp, school_exit_cell).
  std::vector<double> school_exits;
  std::uint64_t pupil_months_simulated = 0;
};

/// One replication's outcome: its series and its counts. A field belongs in one of the two
/// parts (checked below), so that the baseline replay cannot forget it.
struct ReplicationOutcome : OutcomeSeries, OutcomeCounts, OutcomeCells {
  OutcomeCounts& counts() { return *this; }
  const OutcomeCounts& counts() const { return *this; }
  OutcomeCounts& cell(int gender, int band) { return cells[subgroup_cell(gender, band)]; }
  /// Applies f to the total counts and to the counts of the cell (gender, band).
  template <class F>
  void count(int gender, int band, F&& f) {
    f(counts());
    f(cell(gender, band));
  }
};
static_assert(sizeof(ReplicationOutcome) ==
                  sizeof(OutcomeSeries) + sizeof(OutcomeCounts) + sizeof(OutcomeCells),
              "a field of ReplicationOutcome belongs in OutcomeCounts, OutcomeCells or "
              "OutcomeSeries");

/// Optional observer (tests, calibration): the state of selected pupils after each step, and
/// the referrals made in each step by subgroup cell (all pupils, not only the selected: taken
/// once per step from the replication's own counter, so they add up to it exactly).
struct Trace {
  std::vector<std::uint32_t> pupils;
  std::vector<std::vector<Pupil>> after_step;  ///< [step][i]
  std::vector<Pupil> initial;
  std::vector<std::array<double, kSubgroupCells>> referrals;  ///< [step][cell]
};

/// How the engine steps its pupils; the same bytes either way (tests/test_plain_month.cpp).
struct EngineOptions {
  /// Plain pupil-months of 16 pupils in AVX-512 lanes where the CPU has them
  /// (models/plain_month.hpp); false: every pupil-month in the scalar loop.
  bool plain_kernel = true;
};

ReplicationOutcome simulate(const ModelParams& params, const ScenarioSpec& scenario,
                            const StreamKey& key, Trace* trace = nullptr,
                            const EngineOptions& options = {});

/// A pupil in school action who reached the referral decision in the baseline (where no
/// programme runs, so nobody is referred): where a scenario's pupils can first differ from
/// the baseline's (docs/methods.md §4.11).
struct ReferralPoint {
  std::uint32_t pupil = 0;
  std::uint16_t step = 0;
  double u = 0;  ///< the residual uniform of the decision
  Pupil state;   ///< the pupil at the decision (status school_action, this month's state)
};

/// A school month that a pupil ended in high or extensive absence, in the baseline: the
/// months in which detection and referral decisions are taken (§4.3 step 7), from which
/// they can be replayed under other detection parameters.
struct HighMonth {
  std::uint32_t pupil = 0;
  std::uint16_t step = 0;
  std::uint16_t generation = 0;  ///< new entrants that have taken this pupil's place so far
  double r = 0;                  ///< the month's residual uniform
  Pupil state;                   ///< the pupil after the month (status: the record's)
};

/// A new entrant taking pupil `pupil`'s place in August of step `step`.
struct Replacement {
  std::uint32_t pupil = 0;
  std::uint16_t step = 0;
  bool operator==(const Replacement&) const = default;
};

/// The no-coordinator baseline of one replication, with what a scenario needs to be
/// simulated from it instead of from scratch (models/baseline/scenario_from_baseline.hpp).
struct BaselineRecord {
  ModelParams params;
  StreamKey key;
  ReplicationOutcome outcome;  ///< equal to simulate(params, ScenarioSpec{}, key)
  int pupils = 0;              ///< pupils (individuals on the hybrid) indexed 0 .. pupils - 1
  /// True for a record made by derive_baseline. The draws pupil i consumed at step t are not
  /// stored: they are pupil_month_stream(key).at(i, t) (§2.4).
  bool derived = false;
  /// True for a record of the hybrid's baseline (record_hybrid_baseline, models/hybrid_chain.hpp):
  /// its pupils are the hybrid's individuals, pupil i the individual with id i (`pupils` the
  /// number of ids ever created), and its outcome is simulate_hybrid's. The replay treats both
  /// kinds alike (docs/methods.md §4.12); derive_baseline refuses it.
  bool hybrid = false;
  /// False when recorded without high_months (record_baseline's keep_high_months): such a
  /// record serves only scenarios with the record's own detection parameters.
  bool has_high_months = true;
  std::vector<ReferralPoint> referral_points;  ///< in step order, then pupil order
  std::vector<HighMonth> high_months;          ///< in step order, then pupil order
  std::vector<Replacement> replacements;       ///< in step order, then pupil order
  /// Running count of pupils ever in high or extensive absence, after school month t.
  std::vector<std::array<double, kGenders>> eligible_after_step;
};

/// Simulates the baseline (empty staffing) and records it.
BaselineRecord record_baseline(const ModelParams& params, const StreamKey& key);
/// The same into `record`, reusing its buffers (every field is overwritten). Without
/// `keep_high_months` the record keeps no HighMonth (about 8 % of pupil-months at 32 bytes
/// each on the reference): enough for scenarios with the record's own detection parameters,
/// which is every scenario of a run, compare or PSA unit (run_experiment).
void record_baseline(const ModelParams& params, const StreamKey& key, BaselineRecord& record,
                     bool keep_high_months = true, const EngineOptions& options = {});

/// True when the scenario has a case slot in some month of the horizon (coordinators
/// enabled and round(fte x caseload x share on casework) > 0). Without one no pupil is referred
/// or enters a case, so the scenario's outcome is the baseline's (same key) but for its FTE
/// series: idle_scenario.
bool scenario_has_cases(const ModelParams& params, const ScenarioSpec& scenario);
/// The outcome of a scenario without case slots from the baseline's outcome: the same, with
/// the scenario's FTE by step.
ReplicationOutcome idle_scenario(const ReplicationOutcome& baseline, const ScenarioSpec& scenario);

/// Initial cumulative state distribution for a band and gender (prevalence with gender
/// multipliers, regular = 1 - rest).
Row initial_distribution(const PopulationParams& p, Band band, Gender gender);

}  // namespace attendsim::models
