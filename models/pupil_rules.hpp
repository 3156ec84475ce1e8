#pragma once
/// The rules of one pupil-month (docs/methods.md §4.3-4.9), internal to models/.
///
/// Shared by the full simulation (models/simulation.cpp) and the scenario simulated from a
/// recorded baseline (models/baseline/scenario_from_baseline.cpp), so that both apply exactly the
/// same arithmetic to a pupil: the second is bit-identical to the first only because no
/// rule exists twice. Frequent counts go to a MonthTally (kept in registers by the loops),
/// rare ones straight into the ReplicationOutcome.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/simulation.hpp"
#include "models/terminal_value.hpp"
#include "models/transitions.hpp"

namespace attendsim::models::detail {

inline constexpr std::uint8_t kHadHighOrExtensive = 1;  ///< since the last sustained return
inline constexpr std::uint8_t kEligibleUpperSec = 2;
inline constexpr std::uint8_t kPlacedThisYear = 4;
inline constexpr std::uint8_t kExtensiveThisYear = 8;
inline constexpr std::uint8_t kRepeatThisYear = 16;
inline constexpr std::uint8_t kEverHighOrExtensive = 32;
inline constexpr int kAfterCloseMax =
    36;  ///< after this many months the residual effect is dropped

inline constexpr int kRegular = static_cast<int>(State::regular);
inline constexpr int kHigh = static_cast<int>(State::high);
inline constexpr int kExtensive = static_cast<int>(State::extensive);
inline constexpr int kLeft = static_cast<int>(State::left);

inline constexpr auto kNone = static_cast<std::uint8_t>(PupilStatus::none);
inline constexpr auto kSchoolAction = static_cast<std::uint8_t>(PupilStatus::school_action);
inline constexpr auto kWaiting = static_cast<std::uint8_t>(PupilStatus::waiting);
inline constexpr auto kInCase = static_cast<std::uint8_t>(PupilStatus::in_case);
inline constexpr auto kDeclined = static_cast<std::uint8_t>(PupilStatus::declined);

/// ceil(p * 2^32), clamped to [0, 2^32]: for a 32-bit draw b, b * 2^-32 < p  <=>  b < this.
inline std::uint64_t threshold_bits(double p) {
  if (p <= 0) return 0;
  if (p >= 1) return 0x100000000ULL;
  return static_cast<std::uint64_t>(std::ceil(p * 0x1p32));
}

/// p rounded up to a multiple of 2^-32: ceil(p 2^32) 2^-32, the exact probability that a
/// 32-bit uniform u = b 2^-32 is below p.
inline double probability_2_32(double p) {
  return static_cast<double>(threshold_bits(p)) * 0x1p-32;
}

/// The low word's residual uniform (docs/methods.md 2.4). The low word l of a pupil-month
/// is first compared with the cut points 0 <= c1 <= c2 <= 2^32 (leaving, placement), which
/// split [0, 2^32) into [0, c1), [c1, c2), [c2, 2^32). Given the interval [a, b) that l
/// fell in, l - a is uniform on {0, .., b - a - 1} and independent of which interval it was:
/// (l - a) / (b - a) is a second uniform, on a grid of 1 / (b - a), for the month's other
/// event (detection or referral; summer school or repeated year; a new entrant's state).
inline double residual_uniform(std::uint64_t l, std::uint64_t c1, std::uint64_t c2) {
  const std::uint64_t a = l >= c2 ? c2 : (l >= c1 ? c1 : 0);
  const std::uint64_t b = l >= c2 ? 0x100000000ULL : (l >= c1 ? c2 : c1);
  return static_cast<double>(l - a) / static_cast<double>(b - a);
}

/// The subgroup cell of a pupil (simulation.hpp).
inline int cell_of(const PupilPath& p) {
  return subgroup_cell(p.gender, p.band);
}

/// Counts of one month's frequent events, by subgroup cell (gender x band).
struct MonthTally {
  std::uint32_t occ[kSubgroupCells][kStates] = {};
  std::uint32_t sustained[kSubgroupCells] = {}, detected[kSubgroupCells] = {},
                referred[kSubgroupCells] = {}, queued[kSubgroupCells] = {},
                held_back[kSubgroupCells] = {}, placed[kSubgroupCells] = {};
  /// The referrals with consent so far this month, all cells (the sum of `queued`): the
  /// pupils who joined the queue since the last case management, in pupil order.
  int queued_in_month = 0;
};

/// Adds a school month's tally to an outcome (occupancy of step t included), to the total
/// counts and to each cell's.
inline void add_tally(const MonthTally& k, int t, ReplicationOutcome& out) {
  auto& occ = out.occupancy[static_cast<std::size_t>(t)];
  for (int c = 0; c < kSubgroupCells; ++c) {
    const int g = c / kBands;
    for (int s = 0; s < kStates; ++s) occ[s] += k.occ[c][s];
    for (OutcomeCounts* o : {&out.counts(), &out.cells[static_cast<std::size_t>(c)]}) {
      for (int s = 0; s < kAttendanceStates; ++s) o->school_pupil_months[s] += k.occ[c][s];
      o->sustained_returns[g] += k.sustained[c];
      o->detected[g] += k.detected[c];
      o->referrals[g] += k.referred[c];
      o->queued[g] += k.queued[c];
      o->referrals_held_back[g] += k.held_back[c];
      o->placements += k.placed[c];
    }
    out.events.placements[static_cast<std::size_t>(t)] += k.placed[c];
  }
}

/// The totals derived from the occupancy once all steps are done: pupil-months per state
/// (school months only) and school years.
inline void finish_outcome(ReplicationOutcome& out) {
  for (int s = 0; s < kAttendanceStates; ++s) out.pupil_months[s] = 0;
  for (int t = 0; t < out.steps; ++t) {
    if (t % kMonthsPerYear < kSchoolMonthsPerYear) {
      for (int s = 0; s < kAttendanceStates; ++s)
        out.pupil_months[s] += out.occupancy[static_cast<std::size_t>(t)][s];
    }
  }
  out.school_years = static_cast<double>(out.steps) / kMonthsPerYear;
}

/// An outcome of `steps` steps with every count 0.
inline ReplicationOutcome empty_outcome(int steps) {
  ReplicationOutcome o;
  o.steps = steps;
  o.occupancy.assign(static_cast<std::size_t>(steps), {});
  o.events.resize(steps);
  o.queue_length.assign(static_cast<std::size_t>(steps), 0.0);
  o.open_cases.assign(static_cast<std::size_t>(steps), 0.0);
  o.school_exits.assign(school_exit_cells(steps / kMonthsPerYear), 0.0);
  return o;
}

/// out += plus - minus for the occupancy, the event series (but FTE) and every count (all
/// integer-valued: exact in any order). The per-step FTE, the derived pupil-months and school
/// years are not counts and are set apart.
inline void add_difference(ReplicationOutcome& out, const ReplicationOutcome& plus,
                           const ReplicationOutcome& minus) {
  for (std::size_t t = 0; t < out.occupancy.size(); ++t) {
    for (int s = 0; s < kStates; ++s)
      out.occupancy[t][s] = out.occupancy[t][s] + plus.occupancy[t][s] - minus.occupancy[t][s];
  }
  auto series = [](std::vector<double>& o, const std::vector<double>& p,
                   const std::vector<double>& m) {
    for (std::size_t t = 0; t < o.size(); ++t) o[t] += p[t] - m[t];
  };
  series(out.events.repeated_years, plus.events.repeated_years, minus.events.repeated_years);
  series(out.events.repeated_years_compulsory, plus.events.repeated_years_compulsory,
         minus.events.repeated_years_compulsory);
  series(out.events.summer_school, plus.events.summer_school, minus.events.summer_school);
  series(out.events.placements, plus.events.placements, minus.events.placements);
  series(out.events.noncompletions, plus.events.noncompletions, minus.events.noncompletions);
  series(out.queue_length, plus.queue_length, minus.queue_length);
  series(out.open_cases, plus.open_cases, minus.open_cases);
  series(out.school_exits, plus.school_exits, minus.school_exits);
  auto words = [](OutcomeCounts& to, const OutcomeCounts& add, const OutcomeCounts& sub) {
    CountWords o = count_words(to);
    const CountWords p = count_words(add), m = count_words(sub);
    for (std::size_t i = 0; i < o.size(); ++i) o[i] += p[i] - m[i];
    to = counts_from_words(o);
  };
  words(out.counts(), plus.counts(), minus.counts());
  for (std::size_t c = 0; c < out.cells.size(); ++c)
    words(out.cells[c], plus.cells[c], minus.cells[c]);
}

/// What happened at a pupil's referral decision this month.
enum class Decision : std::uint8_t {
  none,          ///< no decision this month
  not_referred,  ///< considered, not referred (or no programme running): status none
  queued,        ///< referred with consent: joins the queue
  declined,      ///< referred, consent refused
  pending,       ///< under a rule that reads the queue: decided after the pupil loop
};

/// Purpose of the stream that orders a month's referral decisions (§4.3 step 7): its own
/// stream, so that no other draw changes.
inline constexpr std::uint32_t kReferralOrderPurpose = 0x7265666fU;  // "refo"

/// The referral-order priorities of the replication keyed `key`: pupil i's at step t is
/// referral_order_stream(key).at(i, t), a uniform 64-bit word, fresh every month.
inline CounterStream referral_order_stream(const StreamKey& key) {
  return CounterStream({key.master_seed, key.draw, key.replication, kReferralOrderPurpose, 0});
}

/// A referral decision that waits for the month's end (Decision::pending): the pupil, the
/// uniform u of its decision, its priority this month, and (on the scenario simulated from
/// the baseline) the referral point it came from, else null.
struct PendingReferral {
  std::uint64_t priority = 0;
  std::uint32_t pupil = 0;
  double u = 0;
  const ReferralPoint* point = nullptr;
};

/// A month's pending referrals in the order they are decided: by priority (a seeded random
/// permutation of the pupils, fresh every month; ties by pupil index), not by pupil index.
inline void order_pending(std::vector<PendingReferral>& v) {
  std::sort(v.begin(), v.end(), [](const PendingReferral& a, const PendingReferral& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.pupil < b.pupil;
  });
}

/// The constants of one school month.
struct SchoolMonth {
  int t = 0;  ///< step
  int m = 0;  ///< school month 0..9
  bool program_active = false;
  int queue = 0;                 ///< pupils waiting after the last case management
  std::uint64_t leave_bits = 0;  ///< c1 of §2.4
  std::uint64_t place_bits = 0;  ///< c2 of §2.4
  /// False for July and August under TransitionMonths::all: no placement, and the month does
  /// not count among the school year's months in extensive absence.
  bool school = true;
};

/// Adds a summer month's tally (TransitionMonths::all) to an outcome: its occupancy and
/// sustained returns (no school pupil-months; no detection, referral or placement in summer).
inline void add_summer_tally(const MonthTally& k, int t, ReplicationOutcome& out) {
  auto& occ = out.occupancy[static_cast<std::size_t>(t)];
  for (int c = 0; c < kSubgroupCells; ++c) {
    const int g = c / kBands;
    for (int s = 0; s < kStates; ++s) occ[s] += k.occ[c][s];
    for (OutcomeCounts* o : {&out.counts(), &out.cells[static_cast<std::size_t>(c)]})
      o->sustained_returns[g] += k.sustained[c];
  }
}

/// A scenario's rules for one pupil-month, derived once from the parameters.
class PupilRules {
 public:
  PupilRules(const ModelParams& p, const ScenarioSpec& sc, int steps)
      : p_(p), table_(p.transitions) {
    const auto& d = p.detection;
    p_refer_[0] = d.p_refer_boys;
    p_refer_[1] = std::min(1.0, d.p_refer_boys * d.referral_ratio_girls_vs_boys);
    if (sc.referral_policy == ReferralPolicy::equal_referral) {
      p_refer_[0] = p_refer_[1] = std::max(p_refer_[0], p_refer_[1]);
    }
    p_leave_ = p.transitions.leaving_enabled ? p.transitions.p_leave_per_month : 0.0;
    p_place_month_ = 1.0 - std::pow(1.0 - p.outcomes.p_placement_per_year_if_extensive,
                                    1.0 / kSchoolMonthsPerYear);
    for (int b = 0; b < kBands; ++b) {
      for (int g = 0; g < kGenders; ++g) {
        initial_cum_[b][g] = cumulative(
            initial_distribution(p.population, static_cast<Band>(b), static_cast<Gender>(g)));
      }
    }
    first_staffed_ = sc.staffing.first_staffed_step(steps);
    leave_bits_ = threshold_bits(p_leave_);
    reads_queue_ = d.referral_rule != ReferralRule::always || d.triage_queue >= 0;
  }

  const TransitionTable& table() const { return table_; }
  const Row& initial_cum(int band, int gender) const { return initial_cum_[band][gender]; }
  std::uint64_t leave_bits() const { return leave_bits_; }

  SchoolMonth school_month_constants(int t, bool program_active, int queue) const {
    return {t,     t % kMonthsPerYear, program_active,
            queue, leave_bits_,        threshold_bits(p_leave_ + p_place_month_)};
  }
  /// The constants of July or August's transition step (TransitionMonths::all).
  SchoolMonth summer_month_constants(int t) const {
    return {t, t % kMonthsPerYear, false, 0, leave_bits_, leave_bits_, false};
  }

  /// The thresholds of the row pupil q in state s (duration bucket `bucket`) takes this
  /// month: the table's outside a case, else the base row with the case's effect (§4.5).
  Thresholds row_bits(const Pupil& q, int s, int bucket, const SchoolMonth& k) const {
    if (q.status != kInCase && q.after_close == 0) return table_.bits(q.band, s, bucket, k.m);
    const auto& cp = p_.coordinators;
    const double mfx = effect_scale(q, k.t);
    const Row row = modified_row(p_.transitions.base[q.band][s], s, table_.exit_mult(s, bucket),
                                 table_.worsen_mult(s, bucket, k.m), std::pow(cp.rr_improve, mfx),
                                 std::pow(cp.rr_worsen, mfx));
    return thresholds(cumulative(row), table_.leave_by_state(s));
  }

  /// The duration bucket of the table row of a pupil in state s.
  static int bucket_of(const Pupil& q, int s) {
    return s >= kHigh ? duration_bucket(q.months_in_state)
                      : (s == kRegular ? (q.relapse_left > 0) : 0);
  }

  /// The factor on a pupil's referral probability from the referral rule and triage, with
  /// `queue` pupils waiting (§4.3 step 7): 1 under `always` without triage.
  double queue_factor(int state, int queue) const {
    const auto& d = p_.detection;
    if (d.triage_queue >= 0 && queue >= d.triage_queue && state != kExtensive) return 0.0;
    switch (d.referral_rule) {
      case ReferralRule::always:
        return 1.0;
      case ReferralRule::queue_limit:
        return queue < d.queue_limit ? 1.0 : 0.0;
      case ReferralRule::queue_decline:
        return d.queue_half / (d.queue_half + queue);
    }
    return 1.0;
  }

  /// A queued pupil leaves the queue at step t (admitted, withdrawn, moved, finished school,
  /// programme ended, or the horizon ended): its wait t - queued_at is counted, so that the
  /// mean wait covers every queued referral, not only those admitted (which would be
  /// biased towards short waits when capacity is scarce).
  static void end_wait(const Pupil& p, int t, ReplicationOutcome& out) {
    if (p.status == kWaiting)
      out.count(p.gender, p.band,
                [&](OutcomeCounts& o) { o.wait_months_sum[p.gender] += t - p.queued_at; });
  }

  /// A pupil still in school that the simulation stops following in year `year` (at step
  /// 12 year), about to start grade `grade`: counted for the value past the horizon.
  static void count_exit(const Pupil& p, int year, int grade, ReplicationOutcome& out) {
    if (p.state == kLeft || grade > kLastGrade) return;
    out.school_exits[school_exit_cell(year, grade, p.state, (p.flags & kEligibleUpperSec) != 0,
                                      cell_of(p))] += 1;
  }

  static void leave(Pupil& p, int t, ReplicationOutcome& out) {
    end_wait(p, t, out);
    p.state = static_cast<std::uint8_t>(kLeft);
    p.status = kNone;
  }

  static void mark_high_or_extensive(Pupil& p, ReplicationOutcome& out) {
    p.flags |= kHadHighOrExtensive;
    if (!(p.flags & kEverHighOrExtensive)) {
      p.flags |= kEverHighOrExtensive;
      out.count(p.gender, p.band, [&](OutcomeCounts& o) { o.eligible_pupils[p.gender] += 1; });
    }
  }

  /// Effect scale m on the log relative risks for this pupil this month (0: none).
  double effect_scale(const Pupil& p, int t) const {
    const auto& c = p_.coordinators;
    double m;
    if (p.status == kInCase) {
      m = (first_staffed_ >= 0 && t - first_staffed_ < c.rampup_months) ? c.rampup_effect_share
                                                                        : 1.0;
    } else if (p.after_close > 0) {
      m = std::pow(c.effect_decay_after_close, p.after_close);
    } else {
      return 0.0;
    }
    if (p.state == kExtensive) m *= c.effect_mult_extensive;
    if (p.grade <= 4) m *= c.effect_mult_grades_0_4;
    return m;
  }

  /// Whether a referral decision with uniform u waits for the end of the month's pupil loop
  /// (Decision::pending): under a rule that reads the queue (or triage), with the programme
  /// active, when u is below the unscaled referral probability, that is, when the queue can
  /// change the decision. Such decisions are then taken in the order of order_pending (a
  /// seeded permutation, fresh every month), so that who gets the queue's last places does
  /// not depend on the pupil index. Any other decision does not depend on the queue.
  bool defers(double u, int gender, bool program_active) const {
    return program_active && reads_queue_ && u < p_refer_[gender];
  }

  /// The referral decision of a pupil in school action for school_action_months (§4.3 7),
  /// with u the residual uniform of its pupil-month and `queue` pupils waiting after the last
  /// case management. The rule reads the queue as referrals arrive: Q = queue + the pupils
  /// queued earlier this month (k.queued_in_month, in pupil order), so a queue_limit holds
  /// within the month. The rule scales the referral probability, so the decision still takes
  /// the one uniform u: a decision the rule turns into no referral (u below the unscaled
  /// probability, not below the scaled one) is counted as held back.
  Decision refer(Pupil& q, double u, int t, bool program_active, int queue, MonthTally& k) const {
    const double pr0 = p_refer_[q.gender];
    const double pr =
        p_.detection.referral_rule == ReferralRule::always && p_.detection.triage_queue < 0
            ? pr0
            : pr0 * queue_factor(q.state, queue + k.queued_in_month);
    if (program_active && u < pr * p_.detection.p_consent) {
      q.status = kWaiting;
      q.queued_at = static_cast<std::uint16_t>(t);
      ++k.referred[cell_of(q)];
      ++k.queued[cell_of(q)];
      ++k.queued_in_month;
      return Decision::queued;
    }
    if (program_active && u < pr) {
      q.status = kDeclined;
      ++k.referred[cell_of(q)];
      return Decision::declined;
    }
    if (program_active && u < pr0) ++k.held_back[cell_of(q)];
    q.status = kNone;
    return Decision::not_referred;
  }

  /// One school month of a pupil (§4.3), on the general path. `ns_hint` is the next state
  /// when the caller has already drawn it by the same inversion (the fast path's move out
  /// of regular), else -1. x is the pupil-month's engine output.
  Decision school_month(Pupil& q, std::uint64_t x, const SchoolMonth& k, int ns_hint,
                        MonthTally& tally, ReplicationOutcome& out) const {
    if (!school_month_path(q, x, k, ns_hint, tally, out)) return Decision::none;
    return school_month_status(q, x, k, tally);
  }

  /// The path part of a school month (§4.3 steps 1-6): leaving, placement, the transition
  /// and the bookkeeping of durations, returns and relapse. Returns false when the pupil has
  /// left (before or now). It reads the status only as `in a case` and changes it only by
  /// leaving: two pupils that differ only in status, status_months and queued_at, neither in
  /// a case nor after one, take the same path step.
  [[gnu::always_inline]] bool school_month_path(Pupil& q, std::uint64_t x, const SchoolMonth& k,
                                                int ns_hint, MonthTally& tally,
                                                ReplicationOutcome& out) const {
    const int s = q.state;
    const int cell = cell_of(q);
    if (s == kLeft) {
      ++tally.occ[cell][kLeft];
      return false;
    }
    const std::uint64_t leave_draw = x & 0xffffffffULL;  // uniform_lo(x) * 2^32
    if (leave_draw < k.leave_bits) {
      leave(q, k.t, out);
      ++tally.occ[cell][kLeft];
      return false;
    }
    if (s == kExtensive && !(q.flags & kPlacedThisYear) && leave_draw < k.place_bits) {
      q.flags |= kPlacedThisYear;
      ++tally.placed[cell];
    }
    // A case's 12 months for a sustained return are over (the count is once per case).
    if (q.case_start != 0 && k.t + 1 - q.case_start > kMonthsPerYear) q.case_start = 0;
    const int band = q.band;
    int ns = ns_hint;
    if (ns >= 0) {
      // drawn by the caller (a move out of regular on the fast path, a summer step)
    } else if (q.status != kInCase && q.after_close == 0) {
      ns = invert_bits(table_.bits(band, s, bucket_of(q, s), k.m),
                       static_cast<std::uint32_t>(x >> 32));
    } else {
      ns = invert_bits(row_bits(q, s, bucket_of(q, s), k), static_cast<std::uint32_t>(x >> 32));
    }
    if (ns == kLeft) {  // leaving by state, drawn with the transition
      leave(q, k.t, out);
      ++tally.occ[cell][kLeft];
      return false;
    }
    // Bookkeeping of durations, returns and relapse risk.
    q.months_in_state =
        ns == s ? static_cast<std::uint8_t>(std::min(255, q.months_in_state + 1)) : 1;
    if (q.relapse_left > 0) --q.relapse_left;
    if (ns == kRegular) {
      if (s != kRegular && (q.flags & kHadHighOrExtensive))
        q.relapse_left = static_cast<std::uint8_t>(p_.transitions.relapse_months);
      q.regular_run = static_cast<std::uint8_t>(std::min(255, q.regular_run + 1));
      if (q.regular_run >= p_.outcomes.sustained_return_months && (q.flags & kHadHighOrExtensive)) {
        ++tally.sustained[cell];
        q.flags &= static_cast<std::uint8_t>(~kHadHighOrExtensive);
        if (q.case_start != 0) {  // within 12 months of a case's start (cleared after)
          out.count(q.gender, band,
                    [&](OutcomeCounts& o) { o.returns_within_12_months[q.gender] += 1; });
          q.case_start = 0;
        }
      }
    } else {
      q.regular_run = 0;
      if (ns >= kHigh) {
        if (!(q.flags & kEverHighOrExtensive))
          out.count(q.gender, band, [&](OutcomeCounts& o) { o.eligible_pupils[q.gender] += 1; });
        q.flags |= kHadHighOrExtensive | kEverHighOrExtensive;
        if (ns == kExtensive && k.school) {
          q.flags |= kExtensiveThisYear;
          ++q.extensive_months_year;
        }
      }
    }
    if (q.after_close > 0) q.after_close = q.after_close < kAfterCloseMax ? q.after_close + 1 : 0;
    q.state = static_cast<std::uint8_t>(ns);
    ++tally.occ[cell][ns];
    return true;
  }

  /// The status part of a school month (§4.3 step 7) of a pupil still present after its
  /// path part: detection, school action and the referral decision, on the month's new state.
  Decision school_month_status(Pupil& q, std::uint64_t x, const SchoolMonth& k,
                               MonthTally& tally) const {
    const std::uint64_t leave_draw = x & 0xffffffffULL;
    const int ns = q.state;
    if (ns == kLeft) return Decision::none;  // left with the transition (leaving by state)
    if (q.status == kNone) {
      // (r >= 0: no detection, and no division, when p_detect is 0)
      if (ns >= kHigh && p_.detection.p_detect_per_month > 0 &&
          residual_uniform(leave_draw, k.leave_bits, k.place_bits) <
              p_.detection.p_detect_per_month) {
        q.status = kSchoolAction;
        q.status_months = 0;
        ++tally.detected[cell_of(q)];
      }
    } else if (q.status == kSchoolAction) {
      ++q.status_months;
      if (ns < kHigh) {
        q.status = kNone;
      } else if (q.status_months >= p_.detection.school_action_months) {
        const double u = residual_uniform(leave_draw, k.leave_bits, k.place_bits);
        if (defers(u, q.gender, k.program_active)) return Decision::pending;
        return refer(q, u, k.t, k.program_active, k.queue, tally);
      }
    }
    return Decision::none;
  }

  /// July (§4.9): end-of-year events of one pupil; occ counts its state after them.
  void year_end(Pupil& p, std::uint64_t x, int t, ReplicationOutcome& out,
                std::array<std::uint32_t, kStates>& occ) const {
    const auto& o = p_.outcomes;
    const auto ts = static_cast<std::size_t>(t);
    if (p.state == kLeft) {
      ++occ[kLeft];
      return;
    }
    const auto count = [&](auto&& f) { out.count(p.gender, p.band, f); };
    if (p.flags & kExtensiveThisYear)
      count([](OutcomeCounts& n) { n.long_term_absent_pupil_years += 1; });
    const std::uint64_t l = x & 0xffffffffULL;
    if (l < leave_bits_) {  // uniform_lo(x) < p_leave, exactly
      leave(p, t, out);
      ++occ[kLeft];
      return;
    }
    // Summer school (grades 8-9) and a repeated year (grades 10-12) never meet: they
    // share the residual of the low word.
    const double v = residual_uniform(l, leave_bits_, leave_bits_);
    const int s = p.state;
    // With expected terminal events a count adds the event's probability rounded up to a
    // multiple of 2^-32, P(hi(x) < p) = ceil(p 2^32) 2^-32 exactly for the 32-bit draws:
    // such sums are exact in any order while below 2^21, so the scenario simulated from a
    // baseline stays bit-identical (scenario_from_baseline.hpp).
    const bool expected = o.terminal_events == TerminalEvents::expected;
    if (p.grade == 9) {
      count([](OutcomeCounts& n) { n.grade9_finishers += 1; });
      const bool eligible = uniform_hi(x) < o.p_eligible_by_state[s];
      if (eligible) {
        p.flags |= kEligibleUpperSec;
      } else {
        p.flags &= static_cast<std::uint8_t>(~kEligibleUpperSec);
      }
      const double n_el =
          expected ? probability_2_32(o.p_eligible_by_state[s]) : (eligible ? 1 : 0);
      count([&](OutcomeCounts& c) { c.eligible_upper_secondary += n_el; });
    }
    if ((p.grade == 8 || p.grade == 9) && s >= kHigh) {
      const double ss = o.p_summer_school_if_high_or_extensive_grade8_9;
      const double n_ss = expected ? probability_2_32(ss) : (v < ss ? 1 : 0);
      out.events.summer_school[ts] += n_ss;
      count([&](OutcomeCounts& c) { c.summer_school += n_ss; });
    }
    if (p.grade >= 10 && v < o.p_repeat_per_extensive_year_upper_sec * p.extensive_months_year /
                                 kSchoolMonthsPerYear) {
      p.flags |= kRepeatThisYear;
      out.events.repeated_years[ts] += 1;
      count([](OutcomeCounts& c) { c.repeated_years += 1; });
    }
    // A repeated year in compulsory school (grades 1-8) on the high word, which July leaves
    // unused below grade 9: no other draw moves, and a probability of 0 changes nothing.
    if (p.grade >= 1 && p.grade <= 8 &&
        uniform_hi(x) < o.p_repeat_per_extensive_year_compulsory * p.extensive_months_year /
                            kSchoolMonthsPerYear) {
      p.flags |= kRepeatThisYear;
      out.events.repeated_years[ts] += 1;
      out.events.repeated_years_compulsory[ts] += 1;
      count([](OutcomeCounts& c) {
        c.repeated_years += 1;
        c.repeated_years_compulsory += 1;
      });
    }
    if (p.grade == 12 && !(p.flags & kRepeatThisYear)) {
      count([](OutcomeCounts& c) { c.upper_sec_finishers += 1; });
      const double pc = (p.flags & kEligibleUpperSec) ? o.p_complete_if_eligible_by_state[s]
                                                      : o.p_complete_if_not_eligible;
      if (expected) {
        const double c = probability_2_32(pc);
        count([&](OutcomeCounts& k) { k.completed_upper_secondary += c; });
        out.events.noncompletions[ts] += 1 - c;
      } else if (uniform_hi(x) < pc) {
        count([](OutcomeCounts& k) { k.completed_upper_secondary += 1; });
      } else {
        out.events.noncompletions[ts] += 1;
      }
    }
    p.flags &= static_cast<std::uint8_t>(~(kExtensiveThisYear | kPlacedThisYear));
    p.extensive_months_year = 0;
    ++occ[p.state];
  }

  /// July or August under TransitionMonths::all (§4.9): the month's events as year_end and
  /// new_school_year take them, then a transition step on the high word (school_month_path
  /// with k = summer_month_constants(t)). In July the transition is drawn first on the June
  /// state, and the events that year_end draws on the high word (eligibility, completion)
  /// take the high word's residual within the chosen state's interval instead. A pupil who
  /// leaves, or is replaced by a new entrant in August, takes no transition. The pupil's
  /// state after the month is counted in `tally`. Returns true when a new entrant took the
  /// pupil's place.
  bool summer_step(Pupil& p, std::uint64_t x, const SchoolMonth& k, MonthTally& tally,
                   ReplicationOutcome& out) const {
    std::array<std::uint32_t, kStates> uncounted{};
    if (p.state == kLeft) {
      ++tally.occ[cell_of(p)][kLeft];
      return false;
    }
    if (k.m == kJulyStep) {
      const int s = p.state;
      const auto hi = static_cast<std::uint32_t>(x >> 32);
      const Thresholds th = row_bits(p, s, bucket_of(p, s), k);
      const int ns = invert_bits(th, hi);
      // year_end reads the high word in grades 9 and 12 only.
      const std::uint64_t events_x = p.grade == 9 || p.grade == 12
                                         ? (residual_bits(th, hi, ns) << 32) | (x & 0xffffffffULL)
                                         : x;
      year_end(p, events_x, k.t, out, uncounted);
      if (p.state == kLeft) {
        ++tally.occ[cell_of(p)][kLeft];
        return false;
      }
      school_month_path(p, x, k, ns, tally, out);
      return false;
    }
    if (new_school_year(p, x, k.t, out, uncounted) || p.state == kLeft) {
      ++tally.occ[cell_of(p)][p.state];
      return p.state != kLeft;
    }
    school_month_path(p, x, k, -1, tally, out);
    return false;
  }

  /// Pupil i of the initial population (§4.1) from its two population-stream outputs;
  /// counts it among the pupils ever in high or extensive absence when it starts there.
  Pupil initial_pupil(int i, std::uint64_t x1, std::uint64_t x2, ReplicationOutcome& out) const {
    const auto& pop = p_.population;
    Pupil p;
    p.grade = static_cast<std::uint8_t>(pop.grade_of_pupil(i));
    p.gender = uniform_hi(x1) < pop.share_girls ? 1 : 0;
    const int band = static_cast<int>(band_of_grade(p.grade));
    p.band = static_cast<std::uint8_t>(band);
    p.state = static_cast<std::uint8_t>(invert(initial_cum_[band][p.gender], uniform_lo(x1)));
    // Prevalent high/extensive absence has lasted 1..12 months (uniform), others 1 month.
    p.months_in_state =
        p.state >= kHigh ? static_cast<std::uint8_t>(1 + static_cast<int>(uniform_hi(x2) * 12)) : 1;
    if (p.grade >= 10 && uniform_lo(x2) < p_.outcomes.share_eligible_at_start_upper_sec) {
      p.flags |= kEligibleUpperSec;
    }
    if (p.state >= kHigh) mark_high_or_extensive(p, out);
    return p;
  }

  /// The new entrant in grade_min that takes a leaver's place in August (§4.9), from the
  /// pupil-month's x; counted among the pupils ever in high or extensive when it starts there.
  Pupil new_entrant(std::uint64_t x, ReplicationOutcome& out) const {
    const auto& pop = p_.population;
    Pupil q;
    q.grade = static_cast<std::uint8_t>(pop.grade_min);
    q.gender = uniform_hi(x) < pop.share_girls ? 1 : 0;
    const int band = static_cast<int>(band_of_grade(q.grade));
    q.band = static_cast<std::uint8_t>(band);
    q.state = static_cast<std::uint8_t>(
        invert(initial_cum_[band][q.gender],
               residual_uniform(x & 0xffffffffULL, leave_bits_, leave_bits_)));
    q.months_in_state = 1;
    if (q.state >= kHigh) mark_high_or_extensive(q, out);
    return q;
  }

  /// August (§4.9): leaving, then grade progression or a new entrant in the pupil's place.
  /// Returns true when a new entrant took the pupil's place.
  bool new_school_year(Pupil& p, std::uint64_t x, int t, ReplicationOutcome& out,
                       std::array<std::uint32_t, kStates>& occ) const {
    const auto& pop = p_.population;
    if (p.state == kLeft) {
      ++occ[kLeft];
      return false;
    }
    if ((x & 0xffffffffULL) < leave_bits_) {  // uniform_lo(x) < p_leave, exactly
      leave(p, t, out);
      ++occ[kLeft];
      return false;
    }
    bool replaced = false;
    if (p.flags & kRepeatThisYear) {
      p.flags &= static_cast<std::uint8_t>(~kRepeatThisYear);
    } else if (!pop.grade_progression) {
      // grades fixed (analytic checks): nobody moves up or out
    } else if (p.grade >= pop.grade_max) {
      // Moving on from grade_max before grade 12: the schooling continues outside the
      // simulated population (valued past the horizon, terminal_value.hpp).
      count_exit(p, (t + 1) / kMonthsPerYear, p.grade + 1, out);
      if (pop.new_cohort_each_year) {
        end_wait(p, t, out);  // a leaver still in the queue
        p = new_entrant(x, out);
        replaced = true;
      } else {
        leave(p, t, out);
      }
    } else {
      ++p.grade;
      p.band = static_cast<std::uint8_t>(band_of_grade(p.grade));
    }
    ++occ[p.state];
    return replaced;
  }

 private:
  const ModelParams& p_;
  TransitionTable table_;
  int first_staffed_ = -1;
  bool reads_queue_ = false;  ///< the referral rule or triage reads the queue
  double p_refer_[kGenders] = {0, 0};
  double p_leave_ = 0;
  double p_place_month_ = 0;
  std::uint64_t leave_bits_ = 0;
  std::array<std::array<Row, kGenders>, kBands> initial_cum_{};
};

/// The month's pending referral decisions (§4.3 step 7), in their random order (order_pending)
/// on the queue of the last case management `queue`: a referral with consent joins `book`'s
/// queue (CaseBook::add_referral). Clears `pending`. The individual engine and the hybrid
/// (hybrid_chain.cpp) both end their month's pupils with it.
template <class Book>
void decide_pending(std::vector<PendingReferral>& pending, const PupilRules& rules, Pupil* pupils,
                    int t, int queue, MonthTally& tally, Book& book) {
  if (pending.empty()) return;
  order_pending(pending);
  for (const PendingReferral& r : pending) {
    if (rules.refer(pupils[r.pupil], r.u, t, true, queue, tally) == Decision::queued)
      book.add_referral(r.pupil);
  }
  pending.clear();
}

}  // namespace attendsim::models::detail
