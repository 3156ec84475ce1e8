#include "models/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "models/case_book.hpp"
#include "models/plain_month.hpp"
#include "models/pupil_rules.hpp"
#include "models/terminal_value.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using namespace detail;

/// Everything one replication needs, derived once from the parameters. With a record, the
/// run is the baseline's and it also keeps what scenario_from_baseline.cpp needs.
class Simulator {
 public:
  Simulator(const ModelParams& p, const ScenarioSpec& sc, const StreamKey& key, Trace* trace,
            BaselineRecord* record, bool keep_high_months, const EngineOptions& options)
      : keep_high_months_(keep_high_months),
        kernel_(options.plain_kernel && plain_month_kernel_available()),
        p_(p),
        sc_(sc),
        key_(key),
        trace_(trace),
        record_(record),
        steps_(p.horizon_years * kMonthsPerYear),
        n_(p.population.pupils),
        rules_(p, sc, steps_),
        book_(sc.allocation_policy, key),
        draws_(pupil_month_stream(key)),
        order_(referral_order_stream(key)) {
    ATTENDSIM_REQUIRE(n_ > 0, "population.pupils must be > 0");
    ATTENDSIM_REQUIRE(p.population.grade_counts_consistent(),
                      "population.pupils_by_grade must sum to population.pupils");
    ATTENDSIM_REQUIRE(steps_ > 0 && steps_ < 65535, "horizon must be 1..5000 years");
    ATTENDSIM_REQUIRE(record_ == nullptr || sc.staffing.periods.empty(),
                      "only the baseline is recorded");
    // The replay (models/baseline/) steps summers by year_end and new_school_year alone.
    ATTENDSIM_REQUIRE(record_ == nullptr || p.transitions.months == TransitionMonths::school,
                      "a baseline with transitions in every month is not recorded");
    chunks_ = (n_ + kChunkPupils - 1) / kChunkPupils;
  }

  ReplicationOutcome run() {
    if (record_ != nullptr) {
      record_->pupils = n_;
      record_->referral_points.clear();
      record_->high_months.clear();
      record_->replacements.clear();
      record_->derived = false;
      record_->hybrid = false;
      record_->has_high_months = keep_high_months_;
      generation_.assign(static_cast<std::size_t>(n_), 0);
      record_->eligible_after_step.assign(static_cast<std::size_t>(steps_), {0, 0});
      return run_steps<true>();
    }
    return run_steps<false>();
  }

 private:
  template <bool kRecord>
  ReplicationOutcome run_steps() {
    out_.steps = steps_;
    out_.occupancy.assign(static_cast<std::size_t>(steps_), {});
    out_.events.resize(steps_);
    out_.queue_length.assign(static_cast<std::size_t>(steps_), 0.0);
    out_.open_cases.assign(static_cast<std::size_t>(steps_), 0.0);
    out_.school_exits.assign(school_exit_cells(p_.horizon_years), 0.0);
    initialise();
    std::array<double, kSubgroupCells> referred_before{};  // for the trace
    block_.resize(static_cast<std::size_t>(std::min(n_, kChunkPupils)));
    for (int t = 0; t < steps_; ++t) {
      const int m = t % kMonthsPerYear;
      const double fte = sc_.staffing.fte_at(t);
      out_.events.fte[static_cast<std::size_t>(t)] = fte;
      const int slots = p_.coordinators.enabled ? case_slots(fte, p_.coordinators.caseload_per_fte,
                                                             p_.coordinators.share_fte_on_casework)
                                                : 0;
      if (m < kSchoolMonthsPerYear) {
        school_month<kRecord>(t, m, slots > 0);
        if constexpr (kRecord) {
          record_->eligible_after_step[static_cast<std::size_t>(t)] = {out_.eligible_pupils[0],
                                                                       out_.eligible_pupils[1]};
        }
        if (p_.coordinators.enabled)
          book_.manage(t, slots, p_.coordinators, out_.eligible_pupils, pupils_.data(), out_,
                       p_.outcomes.sustained_return_months);
      } else {
        summer_month<kRecord>(t, m == kJulyStep);
      }
      if (trace_ != nullptr) {
        std::vector<Pupil> snap;
        for (auto i : trace_->pupils) snap.push_back(pupils_[i]);
        trace_->after_step.push_back(std::move(snap));
        std::array<double, kSubgroupCells> referred{};
        for (int c = 0; c < kSubgroupCells; ++c) {
          const auto& r = out_.cells[static_cast<std::size_t>(c)].referrals;
          referred[static_cast<std::size_t>(c)] =
              r[0] + r[1] - referred_before[static_cast<std::size_t>(c)];
          referred_before[static_cast<std::size_t>(c)] = r[0] + r[1];
        }
        trace_->referrals.push_back(referred);
      }
    }
    finish_outcome(out_);
    book_.censor(steps_, pupils_.data(), out_);
    for (const Pupil& q : pupils_) PupilRules::count_exit(q, p_.horizon_years, q.grade, out_);
    finish_terminal(p_, out_);
    out_.pupil_months_simulated =
        static_cast<std::uint64_t>(n_) * static_cast<std::uint64_t>(steps_);
    if constexpr (kRecord) {
      record_->params = p_;
      record_->key = key_;
      record_->outcome = out_;
    }
    return std::move(out_);
  }

  void initialise() {
    pupils_.assign(static_cast<std::size_t>(n_), Pupil{});
    for (int c = 0; c < chunks_; ++c) {
      Engine e = make_engine({key_.master_seed, key_.draw, key_.replication, kPopulationPurpose,
                              static_cast<std::uint64_t>(c)});
      const int end = std::min(n_, (c + 1) * kChunkPupils);
      for (int i = c * kChunkPupils; i < end; ++i) {
        const std::uint64_t x1 = e();
        const std::uint64_t x2 = e();
        pupils_[static_cast<std::size_t>(i)] = rules_.initial_pupil(i, x1, x2, out_);
      }
    }
    if (trace_ != nullptr) {
      for (auto i : trace_->pupils) trace_->initial.push_back(pupils_[i]);
    }
  }

  /// One school month for every pupil, in pupil order: the plain pupil-months of whole groups
  /// of 16 in the AVX-512 kernel (models/plain_month.hpp) where the CPU has it, the rest by
  /// school_pupil_month (fast paths, else the general rules). Counters are kept in a local
  /// tally: uint8_t fields are char types that may alias anything, so working on the outcome
  /// directly would force reloads of every invariant.
  template <bool kRecord>
  void school_month(int t, int m, bool program_active) {
    const SchoolMonth k = rules_.school_month_constants(t, program_active, book_.waiting());
    if (m == 0) count_cells();
    MonthTally tally;
    const MonthPaths paths = month_paths(m);
    // The plain pupil-months of whole groups of 16 pupils in AVX-512 lanes where the CPU has
    // them (models/plain_month.hpp), every other pupil-month in the loop below.
    const bool kernel =
        kernel_ &&
        plain_month_constants(p_, rules_.table(), k, kRecord || p_.detection.p_detect_per_month > 0,
                              cells_present(), plain_);
    each_pupil(
        t, kernel, tally,
        [&](int i, std::uint64_t x) { general_school_month<kRecord>(i, x, k, -1, tally); },
        [&](int i, std::uint64_t x) { school_pupil_month<kRecord>(i, x, k, paths, tally); });
    // The referral decisions that read the queue, in the month's random order (§4.3 step 7).
    decide_pending(pending_, rules_, pupils_.data(), t, k.queue, tally, book_);
    // The pupils that the loop did not count: those left before the month, and the regular
    // pupils of the fast path that stayed regular (the rest of their cell, whose size does
    // not change between Augusts).
    for (int c = 0; c < kSubgroupCells; ++c) {
      auto& occ = tally.occ[c];
      occ[kLeft] += cell_left_[static_cast<std::size_t>(c)];
      cell_left_[static_cast<std::size_t>(c)] = occ[kLeft];
      std::uint32_t counted = 0;
      for (int s = 0; s < kStates; ++s) counted += occ[s];
      occ[kRegular] += cell_pupils_[static_cast<std::size_t>(c)] - counted;
    }
    add_tally(tally, t, out_);
  }

  /// The rows of a school month's scalar fast paths.
  struct MonthPaths {
    const Thresholds* regular[kBands];
    int m = 0;
    int sustained = 0;            ///< sustained_return_months
    bool stay_high_fast = false;  ///< stays in high or extensive take the fast path (no
                                  ///< detection, no record)
  };
  MonthPaths month_paths(int m) const {
    const TransitionTable& table = rules_.table();
    return {{&table.bits(0, kRegular, 0, m), &table.bits(1, kRegular, 0, m),
             &table.bits(2, kRegular, 0, m)},
            m,
            p_.outcomes.sustained_return_months,
            p_.detection.p_detect_per_month <= 0};
  }

  /// One school month of pupil i on draw x, in the scalar loop. The common pupil-month
  /// (regular, no case, no relapse window, not leaving) takes a fast path on the pupil's bytes
  /// in place, and so does a pupil without status, case or window who stays in worrying (or,
  /// when nobody is detected, in high or extensive absence); every other goes through
  /// PupilRules::school_month (general_school_month; tests/test_fast_path.cpp checks them
  /// against it). Regular pupils of the fast path that stay regular are not counted in the
  /// tally: school_month counts them as the rest of their cell.
  template <bool kRecord>
  [[gnu::always_inline]] void school_pupil_month(int i, std::uint64_t x, const SchoolMonth& k,
                                                 const MonthPaths& paths, MonthTally& tally) {
    Pupil& w = pupils_[static_cast<std::size_t>(i)];
    const int s = w.state;
    if (s == kLeft) return;  // counted from cell_left_ after the loop
    int ns = -1;
    if (s == kRegular && w.status == kNone && (w.after_close | w.relapse_left) == 0 &&
        (x & 0xffffffffULL) >= k.leave_bits) {
      // Fast path: the same arithmetic as PupilRules::school_month, restricted to this case.
      ns = invert_bits(*paths.regular[w.band], static_cast<std::uint32_t>(x >> 32));
      if (ns == kRegular) {
        const auto months = w.months_in_state;
        const auto run = w.regular_run;
        w.months_in_state = static_cast<std::uint8_t>(months + (months < 255));
        w.regular_run = static_cast<std::uint8_t>(run + (run < 255));
        if (run + 1 >= paths.sustained && (w.flags & kHadHighOrExtensive)) {
          ++tally.sustained[cell_of(w)];
          w.flags &= static_cast<std::uint8_t>(~kHadHighOrExtensive);
        }
        return;
      }
    } else if (s != kRegular && w.status == kNone &&
               (w.after_close | w.relapse_left | w.case_start) == 0 &&
               (s < kHigh ||
                (!kRecord && paths.stay_high_fast && (w.flags & kEverHighOrExtensive))) &&
               (x & 0xffffffffULL) >= (s == kExtensive ? k.place_bits : k.leave_bits)) {
      // Fast path of a stay outside regular: no leaving, placement, detection or record.
      const int bucket = s >= kHigh ? duration_bucket(w.months_in_state) : 0;
      ns = invert_bits(rules_.table().bits(w.band, s, bucket, paths.m),
                       static_cast<std::uint32_t>(x >> 32));
      if (ns == s) {
        const auto months = w.months_in_state;
        w.months_in_state = static_cast<std::uint8_t>(months + (months < 255));
        w.regular_run = 0;
        if (s >= kHigh) {
          w.flags |= kHadHighOrExtensive | kEverHighOrExtensive;
          if (s == kExtensive) {
            w.flags |= kExtensiveThisYear;
            ++w.extensive_months_year;
          }
        }
        ++tally.occ[cell_of(w)][s];
        return;
      }
    }
    general_school_month<kRecord>(i, x, k, ns, tally);
  }

  /// One school month of pupil i on draw x by the general rules (PupilRules::school_month),
  /// with its referral, pending decision and record. `ns` is the next state when already
  /// drawn by the same inversion, else -1.
  template <bool kRecord>
  void general_school_month(int i, std::uint64_t x, const SchoolMonth& k, int ns,
                            MonthTally& tally) {
    Pupil& w = pupils_[static_cast<std::size_t>(i)];
    Pupil q = w;
    const Decision d = rules_.school_month(q, x, k, ns, tally, out_);
    const auto pupil = static_cast<std::uint32_t>(i);
    if (d == Decision::queued) book_.add_referral(pupil);
    if (d == Decision::pending) {
      pending_.push_back({order_.at(pupil, static_cast<std::uint32_t>(k.t)), pupil,
                          residual_uniform(x & 0xffffffffULL, k.leave_bits, k.place_bits)});
    }
    if constexpr (kRecord) {
      if (q.state == kHigh || q.state == kExtensive) {
        const double r = residual_uniform(x & 0xffffffffULL, k.leave_bits, k.place_bits);
        const auto step = static_cast<std::uint16_t>(k.t);
        if (keep_high_months_)
          record_->high_months.push_back({pupil, step, generation_[pupil], r, q});
        if (d == Decision::not_referred) {
          Pupil at = q;
          at.status = kSchoolAction;
          record_->referral_points.push_back({pupil, step, r, at});
        }
      }
    }
    w = q;
  }

  /// Every pupil's step-t draw, in pupil order and chunk by chunk: with `kernel`, each whole
  /// group of 16 through the plain-month kernel (plain_), then `general(i, x)` for the lanes it
  /// returns, in order; `scalar(i, x)` for the rest of a chunk, or every pupil without it.
  template <class General, class Scalar>
  void each_pupil(int t, bool kernel, MonthTally& tally, General&& general, Scalar&& scalar) {
    for (int c = 0; c < chunks_; ++c) {
      const int begin = c * kChunkPupils;
      const int end = std::min(n_, begin + kChunkPupils);
      const std::uint64_t* const xs = fill_block(t, begin, end);
      int i = begin;
      if (kernel) {
        for (; i + 16 <= end; i += 16) {
          const std::uint64_t* const x16 = xs + (i - begin);
          for (std::uint32_t rest = plain_month16(pupils_.data() + i, x16, plain_, tally);
               rest != 0; rest &= rest - 1) {
            const int lane = std::countr_zero(rest);
            general(i + lane, x16[lane]);
          }
        }
      }
      for (; i < end; ++i) scalar(i, xs[i - begin]);
    }
  }

  /// Bit c: subgroup cell c has pupils this school year.
  std::uint32_t cells_present() const {
    std::uint32_t bits = 0;
    for (int c = 0; c < kSubgroupCells; ++c)
      if (cell_pupils_[static_cast<std::size_t>(c)] > 0) bits |= 1U << c;
    return bits;
  }

  /// Pupils and pupils left, by subgroup cell, at the start of a school year: a pupil's cell
  /// changes only in August, and a pupil who leaves stays in its cell.
  void count_cells() {
    cell_pupils_.fill(0);
    cell_left_.fill(0);
    for (const Pupil& q : pupils_) {
      const auto c = static_cast<std::size_t>(cell_of(q));
      ++cell_pupils_[c];
      cell_left_[c] += q.state == kLeft;
    }
  }

  /// July (end-of-year events) or August (a new school year) for every pupil; under
  /// TransitionMonths::all each pupil also takes a transition step (PupilRules::summer_step).
  template <bool kRecord>
  void summer_month(int t, bool july) {
    const bool transitions = p_.transitions.months == TransitionMonths::all;
    const SchoolMonth k = rules_.summer_month_constants(t);
    const TransitionTable& table = rules_.table();
    const int grade_max = p_.population.grade_max;
    const bool progression = p_.population.grade_progression;
    MonthTally tally;  // under TransitionMonths::all
    auto& occ = out_.occupancy[static_cast<std::size_t>(t)];
    // Under transitions in every month, the plain pupil-months of whole groups of 16 in the
    // AVX-512 kernel where the CPU has it (models/plain_month.hpp); the new cells of August
    // are not known before the month, so all cells are counted.
    const bool kernel =
        transitions && kernel_ &&
        plain_month_constants(p_, table, k, false, (1U << kSubgroupCells) - 1, plain_);
    auto step = [&](int i, std::uint64_t x) {
      Pupil& p = pupils_[static_cast<std::size_t>(i)];
      bool replaced = false;
      if (transitions) {
        if (summer_stay(p, x, k, july, table, grade_max, progression, tally)) return;
        Pupil q = p;
        replaced = rules_.summer_step(q, x, k, tally, out_);
        p = q;
      } else if (july) {
        rules_.year_end(p, x, t, out_, occ);
      } else {
        replaced = rules_.new_school_year(p, x, t, out_, occ);
      }
      if (kRecord && replaced) {
        ++generation_[static_cast<std::size_t>(i)];
        record_->replacements.push_back(
            {static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(t)});
      }
    };
    each_pupil(t, kernel, tally, step, step);
    if (transitions) add_summer_tally(tally, t, out_);
  }

  /// The fast path of a summer month under TransitionMonths::all: a pupil outside the
  /// referral pipeline (status none, no case, window or after-close months) whose July or
  /// August has no event (it does not leave; in July no long-term absent year to count, not in
  /// grades 8-12, whose year ends draw events; in August no repeated year and not finishing
  /// grade_max) and who stays in its state. The same arithmetic as PupilRules::summer_step,
  /// restricted to this case (tests/test_fast_path.cpp checks it against it): July's year_end
  /// then only clears the year's flags, August's new_school_year only moves the pupil up a
  /// grade, and the transition step is school_month_path's stay. Returns false, with the
  /// pupil unchanged, for every other pupil-month (summer_step takes it).
  bool summer_stay(Pupil& w, std::uint64_t x, const SchoolMonth& k, bool july,
                   const TransitionTable& table, int grade_max, bool progression,
                   MonthTally& tally) const {
    const int s = w.state;
    if (s == kLeft || w.status != kNone || (w.after_close | w.relapse_left | w.case_start) != 0 ||
        (x & 0xffffffffULL) < k.leave_bits)
      return false;
    int grade = w.grade;
    if (july) {
      if ((w.flags & kExtensiveThisYear) || grade >= 8) return false;
    } else {
      if (w.flags & kRepeatThisYear) return false;
      if (progression) {
        if (grade >= grade_max) return false;
        ++grade;
      }
    }
    // A pupil in high or extensive absence has been counted among those ever there.
    if (s >= kHigh && !(w.flags & kEverHighOrExtensive)) return false;
    const int band = static_cast<int>(band_of_grade(grade));
    const int bucket = s >= kHigh ? duration_bucket(w.months_in_state) : 0;
    if (invert_bits(table.bits(band, s, bucket, k.m), static_cast<std::uint32_t>(x >> 32)) != s)
      return false;
    if (july) w.flags &= static_cast<std::uint8_t>(~kPlacedThisYear);  // year_end's clearing
    w.grade = static_cast<std::uint8_t>(grade);
    w.band = static_cast<std::uint8_t>(band);
    const auto months = w.months_in_state;
    w.months_in_state = static_cast<std::uint8_t>(months + (months < 255));
    if (s == kRegular) {
      const auto run = w.regular_run;
      w.regular_run = static_cast<std::uint8_t>(run + (run < 255));
      if (run + 1 >= p_.outcomes.sustained_return_months && (w.flags & kHadHighOrExtensive)) {
        ++tally.sustained[cell_of(w)];
        w.flags &= static_cast<std::uint8_t>(~kHadHighOrExtensive);
      }
    } else {
      w.regular_run = 0;
      if (s >= kHigh) w.flags |= kHadHighOrExtensive;
    }
    ++tally.occ[cell_of(w)][s];
    return true;
  }

  /// The step-t draws of pupils begin .. end - 1 (one chunk), in block_.
  const std::uint64_t* fill_block(int t, int begin, int end) {
    draws_.fill(static_cast<std::uint64_t>(begin), static_cast<std::uint32_t>(t),
                static_cast<std::size_t>(end - begin), block_.data());
    return block_.data();
  }

  bool keep_high_months_ = true;
  bool kernel_ = false;  ///< the AVX-512 kernel steps the plain pupil-months
  const ModelParams& p_;
  const ScenarioSpec& sc_;
  StreamKey key_;
  Trace* trace_;
  BaselineRecord* record_;
  int steps_ = 0;
  int n_ = 0;
  int chunks_ = 0;
  PupilRules rules_;
  CaseBook book_;
  std::vector<Pupil> pupils_;
  std::vector<std::uint16_t> generation_;  ///< per pupil, when recording (HighMonth)
  std::array<std::uint32_t, kSubgroupCells> cell_pupils_{};  ///< pupils by cell this school year
  std::array<std::uint32_t, kSubgroupCells> cell_left_{};    ///< of them, left so far
  CounterStream draws_;
  CounterStream order_;                   ///< referral-order priorities (§4.3 step 7)
  std::vector<PendingReferral> pending_;  ///< this month's pending referral decisions
  std::vector<std::uint64_t> block_;      ///< one chunk's draws of the step
  PlainMonth plain_;                      ///< the kernel's constants of the school month
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

bool scenario_has_cases(const ModelParams& params, const ScenarioSpec& scenario) {
  const auto& c = params.coordinators;
  if (!c.enabled) return false;
  const int steps = params.horizon_years * kMonthsPerYear;
  for (int t = 0; t < steps; ++t) {
    if (case_slots(scenario.staffing.fte_at(t), c.caseload_per_fte, c.share_fte_on_casework) > 0)
      return true;
  }
  return false;
}

ReplicationOutcome idle_scenario(const ReplicationOutcome& baseline, const ScenarioSpec& scenario) {
  ReplicationOutcome out = baseline;
  for (int t = 0; t < out.steps; ++t)
    out.events.fte[static_cast<std::size_t>(t)] = scenario.staffing.fte_at(t);
  return out;
}

ReplicationOutcome simulate(const ModelParams& params, const ScenarioSpec& scenario,
                            const StreamKey& key, Trace* trace, const EngineOptions& options) {
  Simulator sim(params, scenario, key, trace, nullptr, true, options);
  return sim.run();
}

void record_baseline(const ModelParams& params, const StreamKey& key, BaselineRecord& record,
                     bool keep_high_months, const EngineOptions& options) {
  const ScenarioSpec baseline;
  Simulator sim(params, baseline, key, nullptr, &record, keep_high_months, options);
  sim.run();
}

BaselineRecord record_baseline(const ModelParams& params, const StreamKey& key) {
  BaselineRecord record;
  record_baseline(params, key, record);
  return record;
}

}  // namespace attendsim::models
