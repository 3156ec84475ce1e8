#include "models/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "models/allocation_policy.hpp"
#include "models/transitions.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

constexpr std::uint8_t kHadHighOrExtensive = 1;  ///< since the last sustained return
constexpr std::uint8_t kEligibleUpperSec = 2;
constexpr std::uint8_t kPlacedThisYear = 4;
constexpr std::uint8_t kExtensiveThisYear = 8;
constexpr std::uint8_t kRepeatThisYear = 16;
constexpr std::uint8_t kEverHighOrExtensive = 32;
constexpr int kAfterCloseMax = 36;  ///< after this many months the residual effect is dropped

/// ceil(p * 2^32), clamped to [0, 2^32]: for a 32-bit draw b, b * 2^-32 < p  <=>  b < this.
std::uint64_t threshold_bits(double p) {
  if (p <= 0) return 0;
  if (p >= 1) return 0x100000000ULL;
  return static_cast<std::uint64_t>(std::ceil(p * 0x1p32));
}

/// The low word's residual uniform (docs/methods.md 2.4). The low word l of a pupil-month
/// is first compared with the cut points 0 <= c1 <= c2 <= 2^32 (leaving, placement), which
/// split [0, 2^32) into [0, c1), [c1, c2), [c2, 2^32). Given the interval [a, b) that l
/// fell in, l - a is uniform on {0, .., b - a - 1} and independent of which interval it was:
/// (l - a) / (b - a) is a second uniform, on a grid of 1 / (b - a), for the month's other
/// event (detection or referral; summer school or repeated year; a new entrant's state).
double residual_uniform(std::uint64_t l, std::uint64_t c1, std::uint64_t c2) {
  const std::uint64_t a = l >= c2 ? c2 : (l >= c1 ? c1 : 0);
  const std::uint64_t b = l >= c2 ? 0x100000000ULL : (l >= c1 ? c2 : c1);
  return static_cast<double>(l - a) / static_cast<double>(b - a);
}

constexpr int R = static_cast<int>(State::regular);
constexpr int H = static_cast<int>(State::high);
constexpr int E = static_cast<int>(State::extensive);
constexpr int LEFT = static_cast<int>(State::left);

/// Everything one replication needs, derived once from the parameters.
class Simulator {
 public:
  Simulator(const ModelParams& p, const ScenarioSpec& sc, const StreamKey& key, Trace* trace)
      : p_(p), sc_(sc), key_(key), trace_(trace), table_(p.transitions) {
    steps_ = p.horizon_years * kMonthsPerYear;
    n_ = p.population.pupils;
    ATTENDSIM_REQUIRE(n_ > 0, "population.pupils must be > 0");
    ATTENDSIM_REQUIRE(steps_ > 0 && steps_ < 65535, "horizon must be 1..5000 years");
    policy_ = make_allocation_policy(sc.allocation_policy);
    ATTENDSIM_REQUIRE(policy_ != nullptr,
                      "unknown allocation policy '" << sc.allocation_policy << "'");
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
    first_staffed_ = sc.staffing.first_staffed_step(steps_);
    chunks_ = (n_ + kChunkPupils - 1) / kChunkPupils;
  }

  ReplicationOutcome run() {
    out_.steps = steps_;
    out_.occupancy.assign(static_cast<std::size_t>(steps_), {});
    out_.events.resize(steps_);
    initialise();
    engines_.reserve(static_cast<std::size_t>(chunks_));
    for (int c = 0; c < chunks_; ++c) {
      engines_.push_back(make_engine({key_.master_seed, key_.draw, key_.replication, kPupilPurpose,
                                      static_cast<std::uint64_t>(c)}));
    }
    for (int t = 0; t < steps_; ++t) {
      const int m = t % kMonthsPerYear;
      const double fte = sc_.staffing.fte_at(t);
      out_.events.fte[static_cast<std::size_t>(t)] = fte;
      const int slots = p_.coordinators.enabled ? case_slots(fte, p_.coordinators.caseload_per_fte,
                                                             p_.coordinators.share_fte_on_casework)
                                                : 0;
      auto& occ = out_.occupancy[static_cast<std::size_t>(t)];
      if (m < kSchoolMonthsPerYear) {
        school_month(t, m, slots > 0, occ);
        if (p_.coordinators.enabled) manage_cases(t, slots);
      } else if (m == kJulyStep) {
        year_end(t, occ);
      } else {
        new_school_year(t, occ);
      }
      if (trace_ != nullptr) {
        std::vector<Pupil> snap;
        for (auto i : trace_->pupils) snap.push_back(pupils_[i]);
        trace_->after_step.push_back(std::move(snap));
      }
    }
    for (int t = 0; t < steps_; ++t) {
      if (t % kMonthsPerYear < kSchoolMonthsPerYear) {
        for (int s = 0; s < kAttendanceStates; ++s) out_.pupil_months[s] += out_.occupancy[t][s];
      }
    }
    out_.school_years = static_cast<double>(steps_) / kMonthsPerYear;
    for (auto i : queue_) {
      const bool w = pupils_[i].status == static_cast<std::uint8_t>(PupilStatus::waiting);
      out_.queue_at_end += w;
      end_wait(pupils_[i], steps_);  // censored at the end of the horizon
    }
    out_.pupil_months_simulated =
        static_cast<std::uint64_t>(n_) * static_cast<std::uint64_t>(steps_);
    return std::move(out_);
  }

 private:
  void initialise() {
    const auto& pop = p_.population;
    const int grades = pop.grade_max - pop.grade_min + 1;
    pupils_.assign(static_cast<std::size_t>(n_), Pupil{});
    for (int c = 0; c < chunks_; ++c) {
      Engine e = make_engine({key_.master_seed, key_.draw, key_.replication, kPopulationPurpose,
                              static_cast<std::uint64_t>(c)});
      const int end = std::min(n_, (c + 1) * kChunkPupils);
      for (int i = c * kChunkPupils; i < end; ++i) {
        const std::uint64_t x1 = e();
        const std::uint64_t x2 = e();
        Pupil& p = pupils_[static_cast<std::size_t>(i)];
        p.grade = static_cast<std::uint8_t>(pop.grade_min + i % grades);
        p.gender = uniform_hi(x1) < pop.share_girls ? 1 : 0;
        const int band = static_cast<int>(band_of_grade(p.grade));
        p.band = static_cast<std::uint8_t>(band);
        p.state = static_cast<std::uint8_t>(invert(initial_cum_[band][p.gender], uniform_lo(x1)));
        // Prevalent high/extensive absence has lasted 1..12 months (uniform), others 1 month.
        p.months_in_state =
            p.state >= H ? static_cast<std::uint8_t>(1 + static_cast<int>(uniform_hi(x2) * 12)) : 1;
        if (p.grade >= 10 && uniform_lo(x2) < p_.outcomes.share_eligible_at_start_upper_sec) {
          p.flags |= kEligibleUpperSec;
        }
        if (p.state >= H) mark_high_or_extensive(p);
      }
    }
    if (trace_ != nullptr) {
      for (auto i : trace_->pupils) trace_->initial.push_back(pupils_[i]);
    }
  }

  void mark_high_or_extensive(Pupil& p) {
    p.flags |= kHadHighOrExtensive;
    if (!(p.flags & kEverHighOrExtensive)) {
      p.flags |= kEverHighOrExtensive;
      out_.eligible_pupils[p.gender] += 1;
    }
  }

  void leave(Pupil& p, int t) {
    end_wait(p, t);
    p.state = static_cast<std::uint8_t>(LEFT);
    p.status = static_cast<std::uint8_t>(PupilStatus::none);
  }

  /// A queued pupil leaves the queue at step t (admitted, withdrawn, moved, finished school,
  /// programme ended, or the horizon ended): its wait t - queued_at is counted, so that the
  /// mean wait covers every queued referral, not only those admitted (which would be
  /// biased towards short waits when capacity is scarce).
  void end_wait(const Pupil& p, int t) {
    if (p.status == static_cast<std::uint8_t>(PupilStatus::waiting)) {
      out_.wait_months_sum[p.gender] += t - p.queued_at;
    }
  }

  /// Effect scale m on the log relative risks for this pupil this month (0: none).
  double effect_scale(const Pupil& p, int t) const {
    const auto& c = p_.coordinators;
    double m;
    if (p.status == static_cast<std::uint8_t>(PupilStatus::in_case)) {
      m = (first_staffed_ >= 0 && t - first_staffed_ < c.rampup_months) ? c.rampup_effect_share
                                                                        : 1.0;
    } else if (p.after_close > 0) {
      m = std::pow(c.effect_decay_after_close, p.after_close);
    } else {
      return 0.0;
    }
    if (p.state == E) m *= c.effect_mult_extensive;
    if (p.grade <= 4) m *= c.effect_mult_grades_0_4;
    return m;
  }

  /// One school month for every pupil. The pupil is copied into a local and written back,
  /// and counters are kept in locals: uint8_t fields are char types that may alias anything,
  /// so working on the array element directly would force reloads of every invariant.
  void school_month(int t, int m, bool program_active,
                    std::array<std::uint32_t, kStates>& occ_out) {
    const auto& tp = p_.transitions;
    const auto& cp = p_.coordinators;
    const auto& dp = p_.detection;
    const int sustained = p_.outcomes.sustained_return_months;
    // u < p  <=>  bits < ceil(p 2^32) for a 32-bit draw (exact): integer compares in the loop.
    const std::uint64_t leave_bits = threshold_bits(p_leave_);
    const std::uint64_t place_bits = threshold_bits(p_leave_ + p_place_month_);
    const double p_detect = dp.p_detect_per_month;
    const int action_months = dp.school_action_months;
    const double p_refer[2] = {p_refer_[0], p_refer_[1]};
    const double p_consent = dp.p_consent;
    const auto relapse_months = static_cast<std::uint8_t>(tp.relapse_months);
    const auto none = static_cast<std::uint8_t>(PupilStatus::none);
    const auto in_case = static_cast<std::uint8_t>(PupilStatus::in_case);
    const Thresholds* const fast_rows[kBands] = {&table_.bits(0, R, 0, m), &table_.bits(1, R, 0, m),
                                                 &table_.bits(2, R, 0, m)};
    std::uint32_t occ[kStates] = {0, 0, 0, 0, 0};
    std::uint32_t sustained_n[kGenders] = {0, 0}, detected_n[kGenders] = {0, 0},
                  referred_n[kGenders] = {0, 0}, queued_n[kGenders] = {0, 0};
    std::uint32_t placed_n = 0;
    for (int c = 0; c < chunks_; ++c) {
      Engine& e = engines_[static_cast<std::size_t>(c)];
      const int end = std::min(n_, (c + 1) * kChunkPupils);
      Pupil* const pupils = pupils_.data();
      for (int i = c * kChunkPupils; i < end; ++i) {
        const std::uint64_t x1 = e();
        Pupil& w = pupils[i];
        const int s = w.state;
        if (s == LEFT) {
          ++occ[LEFT];
          continue;
        }
        const std::uint64_t leave_draw = x1 & 0xffffffffULL;  // uniform_lo(x1) * 2^32
        const int band = w.band;
        int ns = -1;
        if (s == R && w.status == none && (w.after_close | w.relapse_left) == 0 &&
            leave_draw >= leave_bits) {
          // Fast path for the common pupil-month: regular, no case, no relapse window, not
          // leaving. Same arithmetic as the general path below, restricted to this case, on
          // the pupil's bytes in place.
          ns = invert_bits(*fast_rows[band], static_cast<std::uint32_t>(x1 >> 32));
          if (ns == R) {
            const auto months = w.months_in_state;
            const auto run = w.regular_run;
            w.months_in_state = static_cast<std::uint8_t>(months + (months < 255));
            w.regular_run = static_cast<std::uint8_t>(run + (run < 255));
            if (run + 1 >= sustained && (w.flags & kHadHighOrExtensive)) {
              ++sustained_n[w.gender];
              w.flags &= static_cast<std::uint8_t>(~kHadHighOrExtensive);
            }
            ++occ[R];
            continue;
          }
        }
        Pupil q = w;
        if (leave_draw < leave_bits) {
          leave(q, t);
          w = q;
          ++occ[LEFT];
          continue;
        }
        if (s == E && !(q.flags & kPlacedThisYear) && leave_draw < place_bits) {
          q.flags |= kPlacedThisYear;
          ++placed_n;
        }
        const int bucket =
            s >= H ? duration_bucket(q.months_in_state) : (s == R ? (q.relapse_left > 0) : 0);
        if (ns >= 0) {
          // drawn on the fast path (a move out of regular)
        } else if (q.status != in_case && q.after_close == 0) {
          ns = invert_bits(table_.bits(band, s, bucket, m), static_cast<std::uint32_t>(x1 >> 32));
        } else {
          const double mfx = effect_scale(q, t);
          const Row row = modified_row(tp.base[band][s], s, table_.exit_mult(s, bucket),
                                       table_.worsen_mult(s, bucket, m),
                                       std::pow(cp.rr_improve, mfx), std::pow(cp.rr_worsen, mfx));
          ns = invert(cumulative(row), uniform_hi(x1));
        }
        // Bookkeeping of durations, returns and relapse risk.
        q.months_in_state =
            ns == s ? static_cast<std::uint8_t>(std::min(255, q.months_in_state + 1)) : 1;
        if (q.relapse_left > 0) --q.relapse_left;
        if (ns == R) {
          if (s != R && (q.flags & kHadHighOrExtensive)) q.relapse_left = relapse_months;
          q.regular_run = static_cast<std::uint8_t>(std::min(255, q.regular_run + 1));
          if (q.regular_run >= sustained && (q.flags & kHadHighOrExtensive)) {
            ++sustained_n[q.gender];
            q.flags &= static_cast<std::uint8_t>(~kHadHighOrExtensive);
          }
        } else {
          q.regular_run = 0;
          if (ns >= H) {
            if (!(q.flags & kEverHighOrExtensive)) out_.eligible_pupils[q.gender] += 1;
            q.flags |= kHadHighOrExtensive | kEverHighOrExtensive;
            if (ns == E) {
              q.flags |= kExtensiveThisYear;
              ++q.extensive_months_year;
            }
          }
        }
        if (q.after_close > 0)
          q.after_close = q.after_close < kAfterCloseMax ? q.after_close + 1 : 0;
        q.state = static_cast<std::uint8_t>(ns);
        ++occ[ns];
        // Detection, school action and referral.
        if (q.status == none) {
          if (ns >= H && residual_uniform(leave_draw, leave_bits, place_bits) < p_detect) {
            q.status = static_cast<std::uint8_t>(PupilStatus::school_action);
            q.status_months = 0;
            ++detected_n[q.gender];
          }
        } else if (q.status == static_cast<std::uint8_t>(PupilStatus::school_action)) {
          ++q.status_months;
          if (ns < H) {
            q.status = none;
          } else if (q.status_months >= action_months) {
            const double u = residual_uniform(leave_draw, leave_bits, place_bits);
            const double pr = p_refer[q.gender];
            if (program_active && u < pr * p_consent) {
              q.status = static_cast<std::uint8_t>(PupilStatus::waiting);
              q.queued_at = static_cast<std::uint16_t>(t);
              queue_.push_back(static_cast<std::uint32_t>(i));
              ++referred_n[q.gender];
              ++queued_n[q.gender];
            } else if (program_active && u < pr) {
              q.status = static_cast<std::uint8_t>(PupilStatus::declined);
              ++referred_n[q.gender];
            } else {
              q.status = none;
            }
          }
        }
        w = q;
      }
    }
    for (int k = 0; k < kStates; ++k) occ_out[k] += occ[k];
    for (int g = 0; g < kGenders; ++g) {
      out_.sustained_returns[g] += sustained_n[g];
      out_.detected[g] += detected_n[g];
      out_.referrals[g] += referred_n[g];
      out_.queued[g] += queued_n[g];
    }
    out_.events.placements[static_cast<std::size_t>(t)] += placed_n;
    out_.placements += placed_n;
  }

  void close_case(Pupil& p) {
    p.status = static_cast<std::uint8_t>(PupilStatus::none);
    p.status_months = 0;
    p.after_close = 1;
  }

  /// Closes finished cases, then fills free slots from the queue by the allocation policy.
  void manage_cases(int t, int slots) {
    const auto& cp = p_.coordinators;
    const auto in_case = static_cast<std::uint8_t>(PupilStatus::in_case);
    const auto waiting = static_cast<std::uint8_t>(PupilStatus::waiting);
    std::vector<std::uint32_t> still;
    for (auto i : cases_) {
      Pupil& p = pupils_[i];
      if (p.status != in_case) continue;  // left the municipality or the school system
      ++p.status_months;
      if (slots == 0 || p.regular_run >= cp.close_after_regular_months ||
          p.status_months >= cp.max_case_months) {
        close_case(p);
      } else {
        still.push_back(i);
      }
    }
    cases_.swap(still);
    // Referrals still waiting; a pupil who has returned to regular attendance for
    // close_after_regular_months leaves the queue (the referral is withdrawn).
    std::vector<std::uint32_t> queue;
    for (auto i : queue_) {
      Pupil& p = pupils_[i];
      if (p.status != waiting) continue;
      if (p.regular_run >= cp.close_after_regular_months) {
        end_wait(p, t);
        p.status = static_cast<std::uint8_t>(PupilStatus::none);
        out_.withdrawn_referrals += 1;
        continue;
      }
      queue.push_back(i);
    }
    queue_.swap(queue);
    if (slots == 0) {
      for (auto i : queue_) {
        end_wait(pupils_[i], t);
        pupils_[i].status = static_cast<std::uint8_t>(PupilStatus::none);
      }
      queue_.clear();
      return;
    }
    const int free = slots - static_cast<int>(cases_.size());
    if (free <= 0 || queue_.empty()) return;
    std::vector<Candidate> cand;
    cand.reserve(queue_.size());
    for (auto i : queue_) {
      const Pupil& p = pupils_[i];
      cand.push_back({i, p.queued_at, static_cast<State>(p.state), p.months_in_state,
                      static_cast<Gender>(p.gender)});
    }
    AccessCounts counts;
    for (int g = 0; g < kGenders; ++g) {
      counts.eligible[g] = out_.eligible_pupils[g];
      counts.cases_started[g] = out_.cases_started[g];
    }
    for (auto i : cases_) counts.in_case[pupils_[i].gender] += 1;
    const auto chosen = policy_->choose(cand, free, counts);
    ATTENDSIM_REQUIRE(static_cast<int>(chosen.size()) <= free,
                      "policy admitted more than free slots");
    std::vector<bool> admitted(queue_.size(), false);
    for (auto k : chosen) {
      ATTENDSIM_REQUIRE(k < queue_.size() && !admitted[k], "policy chose an invalid candidate");
      admitted[k] = true;
      Pupil& p = pupils_[queue_[k]];
      out_.cases_started[p.gender] += 1;
      end_wait(p, t);
      p.status = in_case;
      p.status_months = 0;
      p.after_close = 0;
      cases_.push_back(queue_[k]);
    }
    std::vector<std::uint32_t> rest;
    for (std::size_t k = 0; k < queue_.size(); ++k) {
      if (!admitted[k]) rest.push_back(queue_[k]);
    }
    queue_.swap(rest);
  }

  void year_end(int t, std::array<std::uint32_t, kStates>& occ) {
    const auto& o = p_.outcomes;
    const std::uint64_t leave_bits = threshold_bits(p_leave_);
    const auto ts = static_cast<std::size_t>(t);
    for (int c = 0; c < chunks_; ++c) {
      Engine& e = engines_[static_cast<std::size_t>(c)];
      const int end = std::min(n_, (c + 1) * kChunkPupils);
      for (int i = c * kChunkPupils; i < end; ++i) {
        const std::uint64_t x1 = e();
        Pupil& p = pupils_[static_cast<std::size_t>(i)];
        if (p.state == LEFT) {
          ++occ[LEFT];
          continue;
        }
        if (p.flags & kExtensiveThisYear) out_.long_term_absent_pupil_years += 1;
        const std::uint64_t l = x1 & 0xffffffffULL;
        if (l < leave_bits) {  // uniform_lo(x1) < p_leave, exactly
          leave(p, t);
          ++occ[LEFT];
          continue;
        }
        // Summer school (grades 8-9) and a repeated year (grades 10-12) never meet: they
        // share the residual of the low word.
        const double v = residual_uniform(l, leave_bits, leave_bits);
        const int s = p.state;
        if (p.grade == 9) {
          out_.grade9_finishers += 1;
          if (uniform_hi(x1) < o.p_eligible_by_state[s]) {
            p.flags |= kEligibleUpperSec;
            out_.eligible_upper_secondary += 1;
          } else {
            p.flags &= static_cast<std::uint8_t>(~kEligibleUpperSec);
          }
        }
        if ((p.grade == 8 || p.grade == 9) && s >= H &&
            v < o.p_summer_school_if_high_or_extensive_grade8_9) {
          out_.events.summer_school[ts] += 1;
          out_.summer_school += 1;
        }
        if (p.grade >= 10 && v < o.p_repeat_per_extensive_year_upper_sec * p.extensive_months_year /
                                     kSchoolMonthsPerYear) {
          p.flags |= kRepeatThisYear;
          out_.events.repeated_years[ts] += 1;
          out_.repeated_years += 1;
        }
        if (p.grade == 12 && !(p.flags & kRepeatThisYear)) {
          out_.upper_sec_finishers += 1;
          const double pc = (p.flags & kEligibleUpperSec) ? o.p_complete_if_eligible_by_state[s]
                                                          : o.p_complete_if_not_eligible;
          if (uniform_hi(x1) < pc) {
            out_.completed_upper_secondary += 1;
          } else {
            out_.events.noncompletions[ts] += 1;
          }
        }
        p.flags &= static_cast<std::uint8_t>(~(kExtensiveThisYear | kPlacedThisYear));
        p.extensive_months_year = 0;
        ++occ[p.state];
      }
    }
  }

  void new_school_year(int t, std::array<std::uint32_t, kStates>& occ) {
    const auto& pop = p_.population;
    const std::uint64_t leave_bits = threshold_bits(p_leave_);
    for (int c = 0; c < chunks_; ++c) {
      Engine& e = engines_[static_cast<std::size_t>(c)];
      const int end = std::min(n_, (c + 1) * kChunkPupils);
      for (int i = c * kChunkPupils; i < end; ++i) {
        const std::uint64_t x1 = e();
        Pupil& p = pupils_[static_cast<std::size_t>(i)];
        if (p.state == LEFT) {
          ++occ[LEFT];
          continue;
        }
        if ((x1 & 0xffffffffULL) < leave_bits) {  // uniform_lo(x1) < p_leave, exactly
          leave(p, t);
          ++occ[LEFT];
          continue;
        }
        if (p.flags & kRepeatThisYear) {
          p.flags &= static_cast<std::uint8_t>(~kRepeatThisYear);
        } else if (!pop.grade_progression) {
          // grades fixed (analytic checks): nobody moves up or out
        } else if (p.grade >= pop.grade_max) {
          if (pop.new_cohort_each_year) {
            Pupil q;
            q.grade = static_cast<std::uint8_t>(pop.grade_min);
            q.gender = uniform_hi(x1) < pop.share_girls ? 1 : 0;
            const int band = static_cast<int>(band_of_grade(q.grade));
            q.band = static_cast<std::uint8_t>(band);
            q.state = static_cast<std::uint8_t>(
                invert(initial_cum_[band][q.gender],
                       residual_uniform(x1 & 0xffffffffULL, leave_bits, leave_bits)));
            q.months_in_state = 1;
            end_wait(p, t);  // a leaver still in the queue
            p = q;
            if (p.state >= H) mark_high_or_extensive(p);
          } else {
            leave(p, t);
          }
        } else {
          ++p.grade;
          p.band = static_cast<std::uint8_t>(band_of_grade(p.grade));
        }
        ++occ[p.state];
      }
    }
    (void)t;
  }

  const ModelParams& p_;
  const ScenarioSpec& sc_;
  StreamKey key_;
  Trace* trace_;
  TransitionTable table_;
  std::unique_ptr<AllocationPolicy> policy_;
  int steps_ = 0;
  int n_ = 0;
  int chunks_ = 0;
  int first_staffed_ = -1;
  double p_refer_[kGenders] = {0, 0};
  double p_leave_ = 0;
  double p_place_month_ = 0;
  std::array<std::array<Row, kGenders>, kBands> initial_cum_{};
  std::vector<Pupil> pupils_;
  std::vector<Engine> engines_;
  std::vector<std::uint32_t> cases_;
  std::vector<std::uint32_t> queue_;
  ReplicationOutcome out_;
};

}  // namespace

Row initial_distribution(const PopulationParams& p, Band band, Gender gender) {
  const int b = static_cast<int>(band);
  const bool girl = gender == Gender::girl;
  const double w = p.prevalence[b][0] * (girl ? p.worrying_mult_girls : p.worrying_mult_boys);
  double h = p.prevalence[b][1];
  if (band != Band::grade0_6) {
    const double r = p.high_ratio_girls_vs_boys_grade7_12;
    h *= girl ? 2.0 * r / (1.0 + r) : 2.0 / (1.0 + r);
  }
  const double re = p.extensive_ratio_girls_vs_boys;
  const double x = p.prevalence[b][2] * (girl ? 2.0 * re / (1.0 + re) : 2.0 / (1.0 + re));
  const double r0 = 1.0 - w - h - x;
  ATTENDSIM_REQUIRE(r0 >= 0.0, "prevalence shares of band " << kBandNames[b] << " exceed 1");
  return {r0, w, h, x};
}

ReplicationOutcome simulate(const ModelParams& params, const ScenarioSpec& scenario,
                            const StreamKey& key, Trace* trace) {
  Simulator sim(params, scenario, key, trace);
  return sim.run();
}

}  // namespace attendsim::models
