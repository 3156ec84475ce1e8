#include "models/baseline/scenario_from_baseline.hpp"

#include <algorithm>
#include <limits>

#include "models/case_book.hpp"
#include "models/pupil_rules.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using namespace detail;

/// The parameters that shape the baseline's paths: a copy without those that only a
/// scenario reads (coordinators, referral, consent), those that only set the baseline's
/// detection statuses (replayed, §4.11) and economics.
ModelParams path_part(ModelParams p) {
  p.coordinators = CoordinatorParams{};
  p.detection = DetectionParams{};
  p.economics = EconomicsParams{};
  return p;
}

bool same_detection(const DetectionParams& a, const DetectionParams& b) {
  return a.p_detect_per_month == b.p_detect_per_month &&
         a.school_action_months == b.school_action_months;
}

/// A diverged pupil's scenario copy s and baseline copy b are *twins* while they differ at
/// most in status, status_months and queued_at and s is neither in a case nor after one (b
/// never is): then they take the same path step (PupilRules::school_month_path). They are
/// twins when they diverge (the scenario only referred s), and stay so until s enters a
/// case. Most diverged pupils are twins: waiting in the queue, or declined.
void copy_path_fields(const Pupil& from, Pupil& to) {
  to.path() = from.path();
}

/// The school-month step before step t (the June before a September).
int previous_school_step(int t) {
  return t % kMonthsPerYear == 0 ? t - (kMonthsPerYear - kSchoolMonthsPerYear + 1) : t - 1;
}

/// The baseline's detection and referral decisions (§4.3 step 7) under detection
/// parameters `d`, replayed over the record's high/extensive months: its referral points
/// and the detections of `out` (by gender, in the total and in each subgroup cell). A pupil in
/// school action keeps that status only through consecutive school months in high or extensive
/// absence (summers do not interrupt them, a school month below high or a new entrant in its place
/// does); nothing else in the baseline depends on the statuses.
void replay_detection(const BaselineRecord& rec, const DetectionParams& d,
                      std::vector<ReferralPoint>& points, ReplicationOutcome& out) {
  const auto n = static_cast<std::size_t>(rec.pupils);
  std::vector<std::uint8_t> status(n, kNone), months(n, 0);
  std::vector<int> last(n, -kMonthsPerYear);
  std::vector<std::uint16_t> generation(n, 0);
  points.clear();
  out.detected[0] = out.detected[1] = 0;
  for (auto& c : out.cells) c.detected[0] = c.detected[1] = 0;
  for (const HighMonth& h : rec.high_months) {
    const std::size_t i = h.pupil;
    std::uint8_t st = status[i], sm = months[i];
    if (st == kSchoolAction &&
        (generation[i] != h.generation || last[i] != previous_school_step(h.step)))
      st = kNone;
    if (st == kNone) {
      if (h.r < d.p_detect_per_month) {
        st = kSchoolAction;
        sm = 0;
        const int g = h.state.gender;
        out.count(g, h.state.band, [g](OutcomeCounts& o) { o.detected[g] += 1; });
      }
    } else {
      ++sm;
      if (sm >= d.school_action_months) {
        Pupil at = h.state;
        at.status = kSchoolAction;
        at.status_months = sm;
        points.push_back({h.pupil, h.step, h.r, at});
        st = kNone;
      }
    }
    status[i] = st;
    months[i] = sm;
    last[i] = h.step;
    generation[i] = h.generation;
  }
}

/// The diverged pupils' states are scattered over the n pupils (one cache line each):
/// fetching them this many pupils ahead hides most of the memory latency.
constexpr std::size_t kPrefetchAhead = 16;
inline void prefetch(const void* p) {
  __builtin_prefetch(p, 0, 1);
}

}  // namespace

bool same_baseline_path(const ModelParams& a, const ModelParams& b) {
  return path_part(a) == path_part(b);
}

bool same_simulation(const ModelParams& a, const ModelParams& b) {
  ModelParams x = a, y = b;
  x.economics = y.economics = EconomicsParams{};
  return x == y;
}

ReplicationOutcome baseline_from_record(const BaselineRecord& record, const ModelParams& params) {
  ATTENDSIM_REQUIRE(same_baseline_path(record.params, params),
                    "a baseline record serves only parameters that differ from its own at most "
                    "in coordinator, detection, referral, consent and economic parameters");
  ReplicationOutcome out = record.outcome;
  if (!same_detection(record.params.detection, params.detection)) {
    ATTENDSIM_REQUIRE(record.has_high_months,
                      "a record without high months serves only its own detection parameters");
    std::vector<ReferralPoint> points;
    replay_detection(record, params.detection, points, out);
  }
  return out;
}

ReplicationOutcome simulate_from_baseline(const BaselineRecord& record, const ModelParams& params,
                                          const ScenarioSpec& scenario, FromBaselineCost* cost,
                                          ReplicationOutcome* baseline) {
  ATTENDSIM_REQUIRE(same_baseline_path(record.params, params),
                    "a scenario can be simulated from a baseline only when the two differ at most "
                    "in coordinator, detection, referral, consent and economic parameters");
  const int steps = record.outcome.steps;
  const int n = record.pupils;
  // The baseline under these parameters: the record's, or with its detection decisions
  // replayed. Its copies of diverged pupils follow the same parameters, with no programme.
  ReplicationOutcome base = record.outcome;
  std::vector<ReferralPoint> replayed;
  const bool replay = !same_detection(record.params.detection, params.detection);
  ATTENDSIM_REQUIRE(!replay || record.has_high_months,
                    "a record without high months serves only its own detection parameters");
  if (replay) replay_detection(record, params.detection, replayed, base);
  const std::vector<ReferralPoint>& points = replay ? replayed : record.referral_points;
  const ScenarioSpec no_programme;
  const PupilRules rules_s(params, scenario, steps), rules_b(params, no_programme, steps);
  // The pupil-months' draws, recomputed from the record's key (nothing stored, §2.4).
  const CounterStream draws = pupil_month_stream(record.key);
  const CounterStream order = referral_order_stream(record.key);
  std::vector<PendingReferral> pending;
  CaseBook book(scenario.allocation_policy, record.key);
  // The two copies of the diverged pupils (entries of other pupils are unused), the diverged
  // pupils in index order, and the per-copy counts.
  std::vector<Pupil> s_pupils(static_cast<std::size_t>(n)), b_pupils(static_cast<std::size_t>(n));
  std::vector<std::uint8_t> twin(static_cast<std::size_t>(n), 0);
  std::vector<std::uint32_t> members, joined, merged;
  ReplicationOutcome acc_s = empty_outcome(steps), acc_b = empty_outcome(steps);
  FromBaselineCost spent;
  ReplicationOutcome path_only;  // the counts of shared path steps, which cancel: unused
  auto point = points.begin();
  const auto points_end = points.end();
  constexpr std::uint32_t kNoPupil = std::numeric_limits<std::uint32_t>::max();
  // Pupils whose copies agree again rejoin the baseline (checked as each is stepped; a copy
  // equal to its twin is neither waiting nor in a case, so the month's case management
  // leaves it alone). Their index may linger in the case book with a status that is neither
  // waiting nor in a case, which `manage` drops.
  const auto rejoins = [&](std::uint32_t i) {
    const Pupil& s = s_pupils[i];
    const Pupil& b = b_pupils[i];
    if (s.state == kLeft && b.state == kLeft) return true;
    if (s.status != b.status || s.status_months != b.status_months || s.queued_at != b.queued_at)
      return false;
    return twin[i] || s == b;  // twins have equal path fields
  };
  std::vector<std::uint32_t> kept;
  for (int t = 0; t < steps; ++t) {
    const auto step = static_cast<std::uint32_t>(t);
    spent.diverged_pupil_months += members.size();
    if (t % kMonthsPerYear < kSchoolMonthsPerYear) {
      const double fte = scenario.staffing.fte_at(t);
      const auto& cp = params.coordinators;
      const int slots =
          cp.enabled ? case_slots(fte, cp.caseload_per_fte, cp.share_fte_on_casework) : 0;
      const SchoolMonth ks = rules_s.school_month_constants(t, slots > 0, book.waiting());
      const SchoolMonth kb = rules_b.school_month_constants(t, false, 0);
      MonthTally tally_s, tally_b;
      joined.clear();
      kept.clear();
      // A pending decision of a diverged pupil (the referral points' are pushed below).
      const auto pend = [&](std::uint32_t i, std::uint64_t x, const ReferralPoint* rp) {
        pending.push_back({order.at(i, step), i,
                           residual_uniform(x & 0xffffffffULL, ks.leave_bits, ks.place_bits), rp});
      };
      // A pupil on the baseline's path at its referral decision: the scenario decides.
      const auto decide_point = [&](const ReferralPoint& rp) {
        const std::uint32_t ip = rp.pupil;
        Pupil q = rp.state;
        const Decision d = rules_s.refer(q, rp.u, t, ks.program_active, ks.queue, tally_s);
        if (d == Decision::not_referred) return;  // as in the baseline: no divergence
        if (d == Decision::queued) book.add_referral(ip);
        s_pupils[ip] = q;
        b_pupils[ip] = rp.state;
        b_pupils[ip].status = kNone;  // the baseline's decision
        twin[ip] = 1;
        joined.push_back(ip);
        ++spent.diverged_pupils;
      };
      // The diverged pupils and this month's referral points, merged in pupil order: the
      // order in which the full simulation would meet them (and fill the queue).
      std::size_t a = 0;
      while (true) {
        const std::uint32_t im = a < members.size() ? members[a] : kNoPupil;
        const std::uint32_t ip = point != points_end && point->step == t ? point->pupil : kNoPupil;
        if (im == kNoPupil && ip == kNoPupil) break;
        if (im <= ip) {
          // A diverged pupil; a referral point of its baseline copy is the baseline's alone.
          if (im == ip) ++point;
          ++a;
          if (a + kPrefetchAhead < members.size()) {
            const std::uint32_t ahead = members[a + kPrefetchAhead];
            prefetch(&s_pupils[ahead]);
            prefetch(&b_pupils[ahead]);
          }
          const std::uint64_t x = draws.at(im, step);
          Pupil& sp = s_pupils[im];
          Pupil& bp = b_pupils[im];
          if (twin[im] && (sp.status == kInCase || sp.after_close != 0)) twin[im] = 0;
          if (twin[im] && sp.state != kLeft && (x & 0xffffffffULL) >= ks.leave_bits) {
            // One path step for both copies (it is the same, and its counts cancel in
            // s - b), then each copy's own status step. The path fields are copied one by
            // one: a 16-byte load of bytes just stored one by one would stall.
            MonthTally discarded;
            Pupil q = sp;  // a local the compiler can keep in registers
            rules_s.school_month_path(q, x, ks, -1, discarded, path_only);
            if (q.state == kLeft) {
              // Left by state with the transition (p_leave_by_state): `leave` ended s's wait
              // into the discarded counts, the one count of the path step that reads the
              // status; it is s's alone. b's status ends as `leave` leaves it.
              PupilRules::end_wait(sp, t, acc_s);
              bp.status = kNone;
            }
            sp = q;
            copy_path_fields(q, bp);
            ++spent.twin_pupil_months;
            const Decision d = rules_s.school_month_status(sp, x, ks, tally_s);
            if (d == Decision::queued) book.add_referral(im);
            if (d == Decision::pending) pend(im, x, nullptr);
            rules_b.school_month_status(bp, x, kb, tally_b);
          } else {
            const Decision d = rules_s.school_month(sp, x, ks, -1, tally_s, acc_s);
            if (d == Decision::queued) book.add_referral(im);
            if (d == Decision::pending) pend(im, x, nullptr);
            rules_b.school_month(bp, x, kb, -1, tally_b, acc_b);
          }
          if (!rejoins(im)) kept.push_back(im);
          continue;
        }
        // A pupil on the baseline's path at its referral decision: the scenario decides.
        const ReferralPoint& rp = *point++;
        if (rules_s.defers(rp.u, rp.state.gender, ks.program_active)) {
          pending.push_back({order.at(ip, step), ip, rp.u, &rp});
          continue;
        }
        decide_point(rp);
      }
      // The referral decisions that read the queue, in the month's random order, as the full
      // simulation takes them (§4.3 step 7).
      if (!pending.empty()) {
        order_pending(pending);
        for (const PendingReferral& r : pending) {
          if (r.point != nullptr) {
            decide_point(*r.point);
          } else if (rules_s.refer(s_pupils[r.pupil], r.u, t, true, ks.queue, tally_s) ==
                     Decision::queued) {
            book.add_referral(r.pupil);
          }
        }
        pending.clear();
        std::sort(joined.begin(), joined.end());
      }
      if (!joined.empty()) {
        merged.clear();
        std::merge(kept.begin(), kept.end(), joined.begin(), joined.end(),
                   std::back_inserter(merged));
        kept.swap(merged);
      }
      add_tally(tally_s, t, acc_s);
      add_tally(tally_b, t, acc_b);
      if (cp.enabled) {
        const auto& base_eligible = record.eligible_after_step[static_cast<std::size_t>(t)];
        const double eligible[kGenders] = {
            base_eligible[0] + acc_s.eligible_pupils[0] - acc_b.eligible_pupils[0],
            base_eligible[1] + acc_s.eligible_pupils[1] - acc_b.eligible_pupils[1]};
        book.manage(t, slots, cp, eligible, s_pupils.data(), acc_s,
                    params.outcomes.sustained_return_months);
      }
    } else {
      const bool july = t % kMonthsPerYear == kJulyStep;
      auto& occ_s = acc_s.occupancy[static_cast<std::size_t>(t)];
      auto& occ_b = acc_b.occupancy[static_cast<std::size_t>(t)];
      kept.clear();
      for (std::size_t a = 0; a < members.size(); ++a) {
        const std::uint32_t i = members[a];
        if (a + kPrefetchAhead < members.size()) {
          const std::uint32_t ahead = members[a + kPrefetchAhead];
          prefetch(&s_pupils[ahead]);
          prefetch(&b_pupils[ahead]);
        }
        const std::uint64_t x = draws.at(i, step);
        if (july) {
          rules_s.year_end(s_pupils[i], x, t, acc_s, occ_s);
          rules_b.year_end(b_pupils[i], x, t, acc_b, occ_b);
        } else {
          rules_s.new_school_year(s_pupils[i], x, t, acc_s, occ_s);
          rules_b.new_school_year(b_pupils[i], x, t, acc_b, occ_b);
        }
        if (!rejoins(i)) kept.push_back(i);
      }
    }
    members.swap(kept);
  }
  book.censor(steps, s_pupils.data(), acc_s);
  // The pupils still diverged at the end; the others are the baseline's, counted in `base`.
  const int years = steps / kMonthsPerYear;
  for (auto i : members) {
    PupilRules::count_exit(s_pupils[i], years, s_pupils[i].grade, acc_s);
    PupilRules::count_exit(b_pupils[i], years, b_pupils[i].grade, acc_b);
  }
  ReplicationOutcome out = base;
  add_difference(out, acc_s, acc_b);
  for (int t = 0; t < steps; ++t)
    out.events.fte[static_cast<std::size_t>(t)] = scenario.staffing.fte_at(t);
  finish_outcome(out);
  finish_terminal(params, out);
  if (cost != nullptr) *cost = spent;
  if (baseline != nullptr) *baseline = std::move(base);
  return out;
}

}  // namespace attendsim::models
