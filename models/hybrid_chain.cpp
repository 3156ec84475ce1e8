#include "models/hybrid_chain.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "models/case_book.hpp"
#include "models/count_chain.hpp"
#include "models/count_draws.hpp"
#include "models/pupil_rules.hpp"
#include "models/terminal_value.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using namespace detail;

/// Cell states: regular and worrying (a cell's pupil has never been in high or extensive).
constexpr int kCellStates = 2;

class HybridSimulator {
 public:
  /// With `record` the run is the baseline's, and it also keeps what simulate_from_baseline
  /// needs (as the individual engine's record_baseline, simulation.cpp), by individual id.
  HybridSimulator(const ModelParams& p, const ScenarioSpec& sc, const StreamKey& key,
                  BaselineRecord* record = nullptr, bool keep_high_months = true)
      : p_(p),
        sc_(sc),
        key_(key),
        record_(record),
        keep_high_months_(keep_high_months),
        steps_(p.horizon_years * kMonthsPerYear),
        grades_(p.population.grade_max - p.population.grade_min + 1),
        rules_(p, sc, steps_),
        book_(sc.allocation_policy, key),
        cell_draws_({key.master_seed, key.draw, key.replication, kCountPurpose, kHybridCellSub}),
        initial_draws_({key.master_seed, key.draw, key.replication, kHybridPurpose, 0}),
        draws_(pupil_month_stream(key)),
        order_(referral_order_stream(key)),
        cells_(static_cast<std::size_t>(grades_ * kGenders * kCellStates * 2), 0),
        next_(cells_.size(), 0) {
    const std::string why = hybrid_unsupported(p);
    ATTENDSIM_REQUIRE(why.empty(),
                      "the hybrid count-based path cannot simulate this config: " << why);
    ATTENDSIM_REQUIRE(p.population.pupils > 0, "population.pupils must be > 0");
    ATTENDSIM_REQUIRE(p.population.grade_counts_consistent(),
                      "population.pupils_by_grade must sum to population.pupils");
    ATTENDSIM_REQUIRE(steps_ > 0 && steps_ < 65535, "horizon must be 1..5000 years");
    ATTENDSIM_REQUIRE(record_ == nullptr || sc.staffing.periods.empty(),
                      "only the baseline is recorded");
    // The replay (models/baseline/) steps summers by year_end and new_school_year alone.
    ATTENDSIM_REQUIRE(record_ == nullptr || p.transitions.months == TransitionMonths::school,
                      "a baseline with transitions in every month is not recorded");
    leave_p_ = static_cast<double>(rules_.leave_bits()) * 0x1p-32;
    all_months_ = p.transitions.months == TransitionMonths::all;
    block_.resize(kChunkPupils);
  }

  ReplicationOutcome run() {
    out_ = empty_outcome(steps_);
    if (record_ != nullptr) {
      record_->referral_points.clear();
      record_->high_months.clear();
      record_->replacements.clear();
      record_->derived = false;
      record_->hybrid = true;
      record_->has_high_months = keep_high_months_;
      record_->eligible_after_step.assign(static_cast<std::size_t>(steps_), {0, 0});
      generation_.clear();
    }
    initialise();
    const auto& cp = p_.coordinators;
    for (int t = 0; t < steps_; ++t) {
      const int m = t % kMonthsPerYear;
      const double fte = sc_.staffing.fte_at(t);
      out_.events.fte[static_cast<std::size_t>(t)] = fte;
      const int slots =
          cp.enabled ? case_slots(fte, cp.caseload_per_fte, cp.share_fte_on_casework) : 0;
      if (m < kSchoolMonthsPerYear) {
        school_month(t, m, slots > 0);
        if (record_ != nullptr) {
          record_->eligible_after_step[static_cast<std::size_t>(t)] = {out_.eligible_pupils[0],
                                                                       out_.eligible_pupils[1]};
        }
        if (cp.enabled)
          book_.manage(t, slots, cp, out_.eligible_pupils, pupils_.data(), out_,
                       p_.outcomes.sustained_return_months);
      } else if (m == kJulyStep) {
        july(t);
      } else {
        august(t);
      }
    }
    finish_outcome(out_);
    book_.censor(steps_, pupils_.data(), out_);
    for (const Pupil& q : pupils_) PupilRules::count_exit(q, p_.horizon_years, q.grade, out_);
    each_cell([&](std::size_t c, int g, int x, int s, int e) {
      count_cell_exit(p_.horizon_years, p_.population.grade_min + g, x, band_of_index(g), s, e,
                      cells_[c]);
    });
    finish_terminal(p_, out_);
    out_.pupil_months_simulated =
        static_cast<std::uint64_t>(p_.population.pupils) * static_cast<std::uint64_t>(steps_);
    if (record_ != nullptr) {
      ATTENDSIM_REQUIRE(pupils_.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
                        "too many individuals to record");
      record_->params = p_;
      record_->key = key_;
      record_->pupils = static_cast<int>(pupils_.size());
      record_->outcome = out_;
    }
    return std::move(out_);
  }

 private:
  std::size_t index(int g, int x, int s, int e) const {
    return static_cast<std::size_t>(((g * kGenders + x) * kCellStates + s) * 2 + e);
  }
  int band_of_index(int g) const {
    return static_cast<int>(band_of_grade(p_.population.grade_min + g));
  }

  /// Calls f(c, grade index, gender, state, eligible) for every cell, in index order.
  template <class F>
  void each_cell(F&& f) const {
    for (int g = 0; g < grades_; ++g) {
      for (int x = 0; x < kGenders; ++x) {
        for (int s = 0; s < kCellStates; ++s) {
          for (int e = 0; e < 2; ++e) f(index(g, x, s, e), g, x, s, e);
        }
      }
    }
  }

  /// July's or August's leavers of a cell of n pupils (Binomial(n, p_leave) on its draws,
  /// counted in left_); returns the pupils who stay.
  std::int64_t summer_stayers(CellBits& bits, std::int64_t n) {
    const std::int64_t leaving = binomial(bits, n, leave_p_);
    left_ += leaving;
    return n - leaving;
  }

  /// The initial (or new-entrant) state thresholds of a band and gender.
  Thresholds initial_bits(int band, int gender) const {
    const Row& cum = rules_.initial_cum(band, gender);
    return {threshold_bits(cum[0]), threshold_bits(cum[1]), threshold_bits(cum[2]), 0x100000000ULL};
  }

  /// A pupil of cell (g, x, e) in state s (high or extensive) as an individual record, months
  /// in state 1, counted among the pupils ever in high or extensive absence.
  Pupil individual(int g, int x, int e, int s) {
    Pupil q;
    q.grade = static_cast<std::uint8_t>(p_.population.grade_min + g);
    q.band = static_cast<std::uint8_t>(band_of_index(g));
    q.gender = static_cast<std::uint8_t>(x);
    q.state = static_cast<std::uint8_t>(s);
    q.months_in_state = 1;
    if (e != 0) q.flags |= kEligibleUpperSec;
    PupilRules::mark_high_or_extensive(q, out_);
    return q;
  }

  /// n pupils of a cell (gender x, band `band`, state s, eligibility e) whom the simulation
  /// stops following in year `year`, about to start grade `grade` (PupilRules::count_exit:
  /// filed under the band they are in).
  void count_cell_exit(int year, int grade, int x, int band, int s, int e, std::int64_t n) {
    if (n == 0 || grade > kLastGrade) return;
    out_.school_exits[school_exit_cell(year, grade, s, e != 0, subgroup_cell(x, band))] +=
        static_cast<double>(n);
  }

  void initialise() {
    const auto& pop = p_.population;
    const double girls = probability_2_32(pop.share_girls);
    const double eligible = probability_2_32(p_.outcomes.share_eligible_at_start_upper_sec);
    for (int g = 0; g < grades_; ++g) {
      const int grade = pop.grade_min + g;
      const std::int64_t n = pop.pupils_in_grade(grade);
      CellBits bits(cell_draws_, 0xffffffffU, static_cast<std::uint64_t>(g));
      const std::int64_t n_girls = binomial(bits, n, girls);
      for (int x : {1, 0}) {
        const auto k =
            multinomial(bits, x == 1 ? n_girls : n - n_girls, initial_bits(band_of_index(g), x));
        for (int s = 0; s < kAttendanceStates; ++s) {
          const std::int64_t j = k[static_cast<std::size_t>(s)];
          if (s < kCellStates) {
            const std::int64_t e = grade >= 10 ? binomial(bits, j, eligible) : 0;
            cells_[index(g, x, s, 1)] += e;
            cells_[index(g, x, s, 0)] += j - e;
            continue;
          }
          // Prevalent high/extensive absence: an individual with months in state 1..12
          // (1 + floor(12 hi(y))) and, in grades >= 10, eligibility lo(y) < share (§4.1).
          for (std::int64_t i = 0; i < j; ++i) {
            const std::uint64_t y = initial_draws_.at(pupils_.size(), 0);
            Pupil q = individual(g, x, 0, s);
            q.months_in_state = static_cast<std::uint8_t>(1 + static_cast<int>(uniform_hi(y) * 12));
            if (grade >= 10 && uniform_lo(y) < p_.outcomes.share_eligible_at_start_upper_sec)
              q.flags |= kEligibleUpperSec;
            pupils_.push_back(q);
          }
        }
      }
    }
  }

  /// The step-t draws of individuals begin .. end - 1, in block_.
  const std::uint64_t* fill_block(int t, std::size_t begin, std::size_t end) {
    draws_.fill(begin, static_cast<std::uint32_t>(t), end - begin, block_.data());
    return block_.data();
  }

  /// Calls f(i, x) for every individual present at the step's start (ids below `n`), in id
  /// order, with its step-t draw; counts those who leave in f.
  template <class F>
  void each_individual(int t, std::size_t n, F&& f) {
    for (std::size_t begin = 0; begin < n; begin += kChunkPupils) {
      const std::size_t end = std::min(n, begin + kChunkPupils);
      const std::uint64_t* const xs = fill_block(t, begin, end);
      for (std::size_t i = begin; i < end; ++i) {
        if (pupils_[i].state == kLeft) continue;  // counted in left_
        f(i, xs[i - begin]);
        if (pupils_[i].state == kLeft) ++left_;
      }
    }
  }

  /// The record of individual `id`'s school month t (x its draw, q after the month, d its
  /// decision), as simulation.cpp records a pupil's: a month ended in high or extensive absence
  /// (HighMonth, with the new entrants that have taken the id's place so far) and a referral
  /// decision, where no programme runs, not to refer (ReferralPoint). Called in id order.
  void record_month(std::uint32_t id, int t, std::uint64_t x, const SchoolMonth& k, const Pupil& q,
                    Decision d) {
    if (q.state != kHigh && q.state != kExtensive) return;
    const double r = residual_uniform(x & 0xffffffffULL, k.leave_bits, k.place_bits);
    const auto step = static_cast<std::uint16_t>(t);
    if (keep_high_months_) {
      const std::uint16_t generation = id < generation_.size() ? generation_[id] : 0;
      record_->high_months.push_back({id, step, generation, r, q});
    }
    if (d == Decision::not_referred) {
      Pupil at = q;
      at.status = kSchoolAction;
      record_->referral_points.push_back({id, step, r, at});
    }
  }

  void school_month(int t, int m, bool program_active) {
    const SchoolMonth k = rules_.school_month_constants(t, program_active, book_.waiting());
    MonthTally tally;
    // The individuals, by the individual engine's general path.
    each_individual(t, pupils_.size(), [&](std::size_t i, std::uint64_t x) {
      Pupil q = pupils_[i];
      const Decision d = rules_.school_month(q, x, k, -1, tally, out_);
      const auto id = static_cast<std::uint32_t>(i);
      if (d == Decision::queued) book_.add_referral(id);
      if (d == Decision::pending) {
        pending_.push_back({order_.at(id, static_cast<std::uint32_t>(t)), id,
                            residual_uniform(x & 0xffffffffULL, k.leave_bits, k.place_bits)});
      }
      if (record_ != nullptr) record_month(id, t, x, k, q, d);
      pupils_[i] = q;
    });
    // The cells: leaving, then the transition; a move into high or extensive makes an
    // individual, whose month then ends with detection (§4.3 step 7) on its own draw.
    std::fill(next_.begin(), next_.end(), 0);
    const TransitionTable& table = rules_.table();
    each_cell([&](std::size_t c, int g, int x, int s, int e) {
      const std::int64_t n = cells_[c];
      if (n == 0) return;
      CellBits bits(cell_draws_, static_cast<std::uint32_t>(t), c);
      const std::int64_t leaving = binomial(bits, n, leave_p_);
      const int band = band_of_index(g);
      const auto moved = multinomial(bits, n - leaving, table.bits(band, s, 0, m));
      left_ += leaving + moved[kLeft];
      for (int ns = 0; ns < kAttendanceStates; ++ns) {
        const std::int64_t j = moved[static_cast<std::size_t>(ns)];
        if (j == 0) continue;
        tally.occ[subgroup_cell(x, band)][ns] += static_cast<std::uint32_t>(j);
        if (ns < kCellStates) {
          next_[index(g, x, ns, e)] += j;
          continue;
        }
        for (std::int64_t i = 0; i < j; ++i) {
          Pupil q = individual(g, x, e, ns);
          if (ns == kExtensive) {  // a school month ending in extensive (school_month_path)
            q.flags |= kExtensiveThisYear;
            q.extensive_months_year = 1;
          }
          const auto id = static_cast<std::uint32_t>(pupils_.size());
          const std::uint64_t y = draws_.at(id, static_cast<std::uint32_t>(t));
          const Decision d = rules_.school_month_status(q, y, k, tally);  // detection only
          if (record_ != nullptr) record_month(id, t, y, k, q, d);
          pupils_.push_back(q);
        }
      }
    });
    cells_.swap(next_);
    // The referral decisions that read the queue, in the month's random order (§4.3 step 7).
    decide_pending(pending_, rules_, pupils_.data(), t, k.queue, tally, book_);
    for (auto& occ : tally.occ) occ[kLeft] = 0;  // left_ counts them
    add_tally(tally, t, out_);
    out_.occupancy[static_cast<std::size_t>(t)][kLeft] = static_cast<std::uint32_t>(left_);
  }

  /// n pupils of a cell (gender x, state s, eligibility e), now in grade index g, into the
  /// cells after summer month m (July or August). Under TransitionMonths::all they take the
  /// month's transition on the table's row of g's band (no seasonal multiplier, leaving by
  /// state included, §4.9); a move into high or extensive makes an individual (counted in
  /// `tally`; no detection, schools being closed, and not a school month in extensive absence).
  /// Otherwise they stay in state s.
  void summer_place(CellBits& bits, int g, int x, int s, int e, std::int64_t n, int m,
                    MonthTally& tally) {
    if (n == 0) return;
    if (!all_months_) {
      next_[index(g, x, s, e)] += n;
      return;
    }
    const int band = band_of_index(g);
    const auto moved = multinomial(bits, n, rules_.table().bits(band, s, 0, m));
    left_ += moved[kLeft];
    for (int ns = 0; ns < kAttendanceStates; ++ns) {
      const std::int64_t j = moved[static_cast<std::size_t>(ns)];
      if (j == 0) continue;
      if (ns < kCellStates) {
        next_[index(g, x, ns, e)] += j;  // counted with the cells
        continue;
      }
      tally.occ[subgroup_cell(x, band)][ns] += static_cast<std::uint32_t>(j);
      for (std::int64_t i = 0; i < j; ++i) pupils_.push_back(individual(g, x, e, ns));
    }
  }

  /// A summer step's occupancy row and sustained returns: the individuals' states (in `occ`
  /// from year_end or new_school_year, or in `tally` from summer_step), the new individuals'
  /// (in either), the cells' and the pupils left.
  void finish_summer(int t, const std::array<std::uint32_t, kStates>& occ, MonthTally& tally) {
    for (auto& o : tally.occ) o[kLeft] = 0;  // left_ counts them
    add_summer_tally(tally, t, out_);
    auto& row = out_.occupancy[static_cast<std::size_t>(t)];
    for (int s = 0; s < kAttendanceStates; ++s) row[s] += occ[static_cast<std::size_t>(s)];
    each_cell([&](std::size_t c, int, int, int s, int) {
      row[static_cast<std::size_t>(s)] += static_cast<std::uint32_t>(cells_[c]);
    });
    row[kLeft] = static_cast<std::uint32_t>(left_);
  }

  /// An individual's July or August: under TransitionMonths::all PupilRules::summer_step (the
  /// month's events, then a transition), else year_end or new_school_year.
  /// Returns true when a new entrant took the individual's place (in its own record).
  bool summer_individual(std::size_t i, std::uint64_t x, int t, bool july,
                         std::array<std::uint32_t, kStates>& occ, MonthTally& tally) {
    if (all_months_) {
      Pupil q = pupils_[i];
      const bool replaced = rules_.summer_step(q, x, rules_.summer_month_constants(t), tally, out_);
      pupils_[i] = q;
      return replaced;
    }
    if (july) {
      rules_.year_end(pupils_[i], x, t, out_, occ);
      return false;
    }
    return rules_.new_school_year(pupils_[i], x, t, out_, occ);
  }

  /// July (§4.9): the individuals by PupilRules::year_end; a cell's pupils leave, those in
  /// grade 9 are made eligible or not, those in grade 12 complete or not (nobody in a cell
  /// has a month in extensive absence, so none repeats a year or goes to summer school).
  void july(int t) {
    const auto& o = p_.outcomes;
    const bool expected = o.terminal_events == TerminalEvents::expected;
    const auto ts = static_cast<std::size_t>(t);
    std::array<std::uint32_t, kStates> occ{};
    MonthTally tally;
    each_individual(t, pupils_.size(), [&](std::size_t i, std::uint64_t x) {
      summer_individual(i, x, t, true, occ, tally);
    });
    std::fill(next_.begin(), next_.end(), 0);
    each_cell([&](std::size_t c, int g, int x, int s, int e) {
      const std::int64_t n = cells_[c];
      if (n == 0) return;
      CellBits bits(cell_draws_, static_cast<std::uint32_t>(t), c);
      const std::int64_t stay = summer_stayers(bits, n);
      const int grade = p_.population.grade_min + g;
      const auto count = [&](auto&& f) {
        f(out_.counts());
        f(out_.cell(x, band_of_index(g)));
      };
      const auto stays = static_cast<double>(stay);
      if (grade == 9) {
        count([&](OutcomeCounts& k) { k.grade9_finishers += stays; });
        const double pe = probability_2_32(o.p_eligible_by_state[static_cast<std::size_t>(s)]);
        const std::int64_t made = binomial(bits, stay, pe);
        const double n_el = expected ? stays * pe : static_cast<double>(made);
        count([&](OutcomeCounts& k) { k.eligible_upper_secondary += n_el; });
        summer_place(bits, g, x, s, 1, made, kJulyStep, tally);
        summer_place(bits, g, x, s, 0, stay - made, kJulyStep, tally);
        return;
      }
      if (grade == 12) {
        count([&](OutcomeCounts& k) { k.upper_sec_finishers += stays; });
        const double pc =
            probability_2_32(e != 0 ? o.p_complete_if_eligible_by_state[static_cast<std::size_t>(s)]
                                    : o.p_complete_if_not_eligible);
        if (expected) {
          count([&](OutcomeCounts& k) { k.completed_upper_secondary += stays * pc; });
          out_.events.noncompletions[ts] += stays * (1 - pc);
        } else {
          const std::int64_t done = binomial(bits, stay, pc);
          count(
              [&](OutcomeCounts& k) { k.completed_upper_secondary += static_cast<double>(done); });
          out_.events.noncompletions[ts] += static_cast<double>(stay - done);
        }
      }
      summer_place(bits, g, x, s, e, stay, kJulyStep, tally);
    });
    cells_.swap(next_);
    finish_summer(t, occ, tally);
  }

  /// August (§4.9): the individuals by PupilRules::new_school_year (an individual finishing
  /// grade_max is replaced by a new entrant in its own record); a cell's pupils leave, move
  /// up, or finish grade_max and are replaced by new entrants drawn together, whose pupils in
  /// high or extensive absence become individuals and the rest join the grade_min cells.
  void august(int t) {
    const auto& pop = p_.population;
    std::array<std::uint32_t, kStates> occ{};
    MonthTally tally;
    if (record_ != nullptr) generation_.resize(pupils_.size(), 0);
    each_individual(t, pupils_.size(), [&](std::size_t i, std::uint64_t x) {
      if (summer_individual(i, x, t, false, occ, tally) && record_ != nullptr) {
        ++generation_[i];
        record_->replacements.push_back(
            {static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(t)});
      }
    });
    std::fill(next_.begin(), next_.end(), 0);
    std::int64_t entrants[kGenders] = {0, 0};
    const int year = (t + 1) / kMonthsPerYear;
    each_cell([&](std::size_t c, int g, int x, int s, int e) {
      const std::int64_t n = cells_[c];
      if (n == 0) return;
      CellBits bits(cell_draws_, static_cast<std::uint32_t>(t), c);
      const std::int64_t stay = summer_stayers(bits, n);
      if (!pop.grade_progression) {
        summer_place(bits, g, x, s, e, stay, kAugustStep, tally);
      } else if (g < grades_ - 1) {
        summer_place(bits, g + 1, x, s, e, stay, kAugustStep, tally);
      } else {
        count_cell_exit(year, pop.grade_min + g + 1, x, band_of_index(g), s, e, stay);
        if (pop.new_cohort_each_year) {
          const std::int64_t girls = binomial(bits, stay, probability_2_32(pop.share_girls));
          entrants[1] += girls;
          entrants[0] += stay - girls;
        } else {
          left_ += stay;
        }
      }
    });
    if (entrants[0] + entrants[1] > 0) {
      // The new entrants' states, drawn in a run of their own (cell index past the last).
      CellBits bits(cell_draws_, static_cast<std::uint32_t>(t), cells_.size());
      for (int x : {1, 0}) {
        const auto k = multinomial(bits, entrants[x], initial_bits(band_of_index(0), x));
        for (int s = 0; s < kAttendanceStates; ++s) {
          const std::int64_t j = k[static_cast<std::size_t>(s)];
          if (s < kCellStates) {
            next_[index(0, x, s, 0)] += j;
            continue;
          }
          for (std::int64_t i = 0; i < j; ++i) pupils_.push_back(individual(0, x, 0, s));
          occ[static_cast<std::size_t>(s)] += static_cast<std::uint32_t>(j);
        }
      }
    }
    cells_.swap(next_);
    finish_summer(t, occ, tally);
  }

  const ModelParams& p_;
  const ScenarioSpec& sc_;
  StreamKey key_;
  BaselineRecord* record_ = nullptr;
  bool keep_high_months_ = true;
  /// New entrants that have taken each individual's place, when recording (HighMonth); ids
  /// past its end have none.
  std::vector<std::uint16_t> generation_;
  int steps_ = 0;
  int grades_ = 0;
  PupilRules rules_;
  CaseBook book_;
  CounterStream cell_draws_;     ///< the cells' binomials
  CounterStream initial_draws_;  ///< the initial individuals' months in state and eligibility
  CounterStream draws_;          ///< the individuals' pupil-month draws, item = id
  CounterStream order_;          ///< referral-order priorities, item = id
  bool all_months_ = false;      ///< TransitionMonths::all
  double leave_p_ = 0;
  std::int64_t left_ = 0;  ///< pupils who have left (cells and individuals)
  std::vector<std::int64_t> cells_, next_;
  std::vector<Pupil> pupils_;  ///< the individuals, by id
  std::vector<PendingReferral> pending_;
  std::vector<std::uint64_t> block_;
  ReplicationOutcome out_;
};

}  // namespace

std::string hybrid_unsupported(const ModelParams&) {
  return {};  // every config the individual engine runs (docs/methods.md §4.12)
}

std::string count_based_unsupported(const ModelParams& params) {
  return params.coordinators.enabled ? hybrid_unsupported(params) : count_path_unsupported(params);
}

ReplicationOutcome simulate_hybrid(const ModelParams& params, const ScenarioSpec& scenario,
                                   const StreamKey& key) {
  HybridSimulator sim(params, scenario, key);
  return sim.run();
}

void record_hybrid_baseline(const ModelParams& params, const StreamKey& key, BaselineRecord& record,
                            bool keep_high_months) {
  const ScenarioSpec baseline;
  HybridSimulator sim(params, baseline, key, &record, keep_high_months);
  sim.run();
}

BaselineRecord record_hybrid_baseline(const ModelParams& params, const StreamKey& key) {
  BaselineRecord record;
  record_hybrid_baseline(params, key, record);
  return record;
}

}  // namespace attendsim::models
