#include "models/count_chain.hpp"

#include <algorithm>
#include <vector>

#include "models/count_draws.hpp"
#include "models/pupil_rules.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using namespace detail;

/// Months in state kept exactly up to this many (the duration buckets need 1-2, 3-5, 6+).
constexpr int kMonthsKept = 6;
/// Slots of a (grade, gender): regular, worrying, high by months 1..6+, extensive by 1..6+.
constexpr int kSlots = 2 + 2 * kMonthsKept;

int state_of_slot(int slot) {
  return slot < 2 ? slot : (slot < 2 + kMonthsKept ? kHigh : kExtensive);
}
int months_of_slot(int slot) {
  return slot < 2 ? 1 : 1 + (slot - 2) % kMonthsKept;
}
int slot_of(int state, int months) {
  if (state < kHigh) return state;
  return 2 + (state - kHigh) * kMonthsKept + std::min(months, kMonthsKept) - 1;
}

class CountSimulator {
 public:
  CountSimulator(const ModelParams& p, const StreamKey& key)
      : p_(p),
        rules_(p, ScenarioSpec{}, p.horizon_years * kMonthsPerYear),
        draws_({key.master_seed, key.draw, key.replication, kCountPurpose, 0}),
        steps_(p.horizon_years * kMonthsPerYear),
        grades_(p.population.grade_max - p.population.grade_min + 1),
        cells_(count_cells(p.population.grade_min, p.population.grade_max), 0),
        next_(cells_.size(), 0) {
    const std::string why = count_path_unsupported(p);
    ATTENDSIM_REQUIRE(why.empty(), "the count-based path cannot simulate this config: " << why);
    ATTENDSIM_REQUIRE(p.population.grade_counts_consistent(),
                      "population.pupils_by_grade must sum to population.pupils");
    leave_p_ = static_cast<double>(rules_.leave_bits()) * 0x1p-32;
  }

  ReplicationOutcome run() {
    out_ = empty_outcome(steps_);
    initialise();
    for (int t = 0; t < steps_; ++t) {
      const int m = t % kMonthsPerYear;
      if (m < kSchoolMonthsPerYear) {
        school_month(t, m);
      } else if (m == kJulyStep) {
        july(t);
      } else {
        august(t);
      }
    }
    finish_outcome(out_);
    finish_terminal(p_, out_);
    out_.pupil_months_simulated =
        static_cast<std::uint64_t>(p_.population.pupils) * static_cast<std::uint64_t>(steps_);
    return std::move(out_);
  }

 private:
  std::size_t index(int grade_index, int gender, int slot, int flag) const {
    return static_cast<std::size_t>(((grade_index * kGenders + gender) * kSlots + slot) * 2 + flag);
  }
  int band_of_index(int grade_index) const {
    return static_cast<int>(band_of_grade(p_.population.grade_min + grade_index));
  }

  /// The new pupils of (grade_index, gender) in their initial states: n of them, drawn from
  /// bits; months in state 1 (new entrants) or uniform on 1..12 (initial population).
  void enter(CellBits& bits, int grade_index, int gender, std::int64_t n, bool initial) {
    const int band = band_of_index(grade_index);
    const Row& cum = rules_.initial_cum(band, gender);
    const Thresholds th = {threshold_bits(cum[0]), threshold_bits(cum[1]), threshold_bits(cum[2]),
                           0x100000000ULL};
    const auto k = multinomial(bits, n, th);
    for (int s = 0; s < kAttendanceStates; ++s) {
      std::int64_t left = k[static_cast<std::size_t>(s)];
      if (s >= kHigh && initial) {
        // 1 + floor(12 u): months 1..5 with probability 1/12 each, 6 or more with 7/12.
        for (int months = 1; months < kMonthsKept && left > 0; ++months) {
          const std::int64_t j = binomial(bits, left, 1.0 / (12 - (months - 1)));
          next_[index(grade_index, gender, slot_of(s, months), 0)] += j;
          left -= j;
        }
        next_[index(grade_index, gender, slot_of(s, kMonthsKept), 0)] += left;
      } else {
        next_[index(grade_index, gender, slot_of(s, 1), 0)] += left;
      }
    }
  }

  void initialise() {
    const auto& pop = p_.population;
    const double girls = probability_2_32(pop.share_girls);
    std::fill(next_.begin(), next_.end(), 0);
    for (int g = 0; g < grades_; ++g) {
      const std::int64_t n = pop.pupils_in_grade(pop.grade_min + g);
      CellBits bits(draws_, 0xffffffffU, static_cast<std::uint64_t>(g));
      const std::int64_t n_girls = binomial(bits, n, girls);
      enter(bits, g, 1, n_girls, true);
      enter(bits, g, 0, n - n_girls, true);
    }
    cells_.swap(next_);
  }

  /// Moves n pupils of (slot, flag) and gender x by the row `th` (leaving by state
  /// included) into the cells of grade index g: a stay adds a month, a move starts at 1 month, a
  /// move into extensive in a school month sets the flag; leavers are added to left_. The pupils in
  /// each attendance state after the move are added to occ (when given).
  void move(CellBits& bits, int g, int x, int slot, int flag, std::int64_t n, const Thresholds& th,
            bool school, std::array<std::int64_t, kAttendanceStates>* occ) {
    const int s = state_of_slot(slot);
    const int months = months_of_slot(slot);
    const auto k = multinomial(bits, n, th);
    left_ += k[kLeft];
    for (int ns = 0; ns < kAttendanceStates; ++ns) {
      const std::int64_t j = k[static_cast<std::size_t>(ns)];
      if (j == 0) continue;
      const int to = ns == s ? slot_of(s, months + 1) : slot_of(ns, 1);
      next_[index(g, x, to, flag | (school && ns == kExtensive ? 1 : 0))] += j;
      if (occ != nullptr) (*occ)[static_cast<std::size_t>(ns)] += j;
    }
  }

  /// The table row of a cell's pupils in school month (or July, August) m, for band `band`.
  const Thresholds& row_of(int band, int slot, int m) const {
    const int s = state_of_slot(slot);
    const int bucket = s >= kHigh ? duration_bucket(months_of_slot(slot)) : 0;
    return rules_.table().bits(band, s, bucket, m);
  }

  /// A cell with pupils at the step being drawn: its indices, its count and the pupils who
  /// stay after its leavers.
  struct CellStep {
    int g, x, slot, flag;
    std::int64_t n, stay;
  };

  /// Walks the cells with pupils at step t in index order: for each, its run of draws
  /// (CellBits), whose first binomial is the cell's leavers (added to left_), then
  /// f(bits, cell) for the pupils who stay.
  template <class F>
  void each_cell_after_leaving(int t, F&& f) {
    for (int g = 0; g < grades_; ++g) {
      for (int x = 0; x < kGenders; ++x) {
        for (int slot = 0; slot < kSlots; ++slot) {
          for (int flag = 0; flag < 2; ++flag) {
            const std::size_t c = index(g, x, slot, flag);
            const std::int64_t n = cells_[c];
            if (n == 0) continue;
            CellBits bits(draws_, static_cast<std::uint32_t>(t), c);
            const std::int64_t leaving = binomial(bits, n, leave_p_);
            left_ += leaving;
            f(bits, CellStep{g, x, slot, flag, n, n - leaving});
          }
        }
      }
    }
  }

  void school_month(int t, int m) {
    std::fill(next_.begin(), next_.end(), 0);
    std::array<std::array<std::int64_t, kAttendanceStates>, kSubgroupCells> occ{};
    each_cell_after_leaving(t, [&](CellBits& bits, const CellStep& c) {
      const int band = band_of_index(c.g);
      move(bits, c.g, c.x, c.slot, c.flag, c.stay, row_of(band, c.slot, m), true,
           &occ[static_cast<std::size_t>(subgroup_cell(c.x, band))]);
    });
    cells_.swap(next_);
    auto& row = out_.occupancy[static_cast<std::size_t>(t)];
    for (int c = 0; c < kSubgroupCells; ++c) {
      for (int s = 0; s < kAttendanceStates; ++s) {
        const auto j =
            static_cast<double>(occ[static_cast<std::size_t>(c)][static_cast<std::size_t>(s)]);
        row[static_cast<std::size_t>(s)] += static_cast<std::uint32_t>(j);
        out_.school_pupil_months[s] += j;
        out_.cells[static_cast<std::size_t>(c)].school_pupil_months[s] += j;
      }
    }
    row[kLeft] = static_cast<std::uint32_t>(left_);
  }

  /// July: the flagged pupils count as long-term absent pupil-years, leavers are drawn, the
  /// flags clear; under TransitionMonths::all the pupils who stay then take July's transition.
  void july(int t) {
    const bool transitions = p_.transitions.months == TransitionMonths::all;
    std::fill(next_.begin(), next_.end(), 0);
    each_cell_after_leaving(t, [&](CellBits& bits, const CellStep& c) {
      const int band = band_of_index(c.g);
      if (c.flag != 0) {
        const auto years = static_cast<double>(c.n);
        out_.long_term_absent_pupil_years += years;
        out_.cell(c.x, band).long_term_absent_pupil_years += years;
      }
      if (transitions) {  // the year's flag cleared
        move(bits, c.g, c.x, c.slot, 0, c.stay, row_of(band, c.slot, kJulyStep), false, nullptr);
      } else {
        next_[index(c.g, c.x, c.slot, 0)] += c.stay;
      }
    });
    cells_.swap(next_);
    count_occupancy(t);
  }

  /// August: leavers are drawn; grades move up, and grade_max's pupils are replaced by new
  /// entrants in grade_min or leave; under TransitionMonths::all the pupils who moved up (or
  /// stayed, without progression) then take August's transition in their new grade's band,
  /// while new entrants take none.
  void august(int t) {
    const auto& pop = p_.population;
    const bool transitions = p_.transitions.months == TransitionMonths::all;
    std::fill(next_.begin(), next_.end(), 0);
    std::int64_t entrants[kGenders] = {0, 0};
    each_cell_after_leaving(t, [&](CellBits& bits, const CellStep& c) {
      const std::int64_t n = c.stay;
      int to = c.g;  // the pupils' grade index this school year, or -1: gone
      if (!pop.grade_progression) {
        // grades fixed
      } else if (c.g == grades_ - 1) {
        // Moving on from grade_max: replaced by new entrants in grade_min, or gone.
        if (pop.new_cohort_each_year) {
          const std::int64_t girls = binomial(bits, n, probability_2_32(pop.share_girls));
          entrants[1] += girls;
          entrants[0] += n - girls;
        } else {
          left_ += n;
        }
        to = -1;
      } else {
        to = c.g + 1;
      }
      if (to < 0) return;
      if (transitions) {
        move(bits, to, c.x, c.slot, c.flag, n, row_of(band_of_index(to), c.slot, kAugustStep),
             false, nullptr);
      } else {
        next_[index(to, c.x, c.slot, c.flag)] += n;
      }
    });
    if (entrants[0] + entrants[1] > 0) {
      // The new entrants' states, drawn in a run of their own (cell index past the last).
      CellBits bits(draws_, static_cast<std::uint32_t>(t), cells_.size());
      enter(bits, 0, 1, entrants[1], false);
      enter(bits, 0, 0, entrants[0], false);
    }
    cells_.swap(next_);
    count_occupancy(t);
  }

  /// Step t's occupancy from the cells after it (and the pupils left so far).
  void count_occupancy(int t) {
    auto& row = out_.occupancy[static_cast<std::size_t>(t)];
    for (int g = 0; g < grades_; ++g) {
      for (int x = 0; x < kGenders; ++x) {
        for (int slot = 0; slot < kSlots; ++slot) {
          for (int flag = 0; flag < 2; ++flag) {
            row[static_cast<std::size_t>(state_of_slot(slot))] +=
                static_cast<std::uint32_t>(cells_[index(g, x, slot, flag)]);
          }
        }
      }
    }
    row[kLeft] = static_cast<std::uint32_t>(left_);
  }

  const ModelParams& p_;
  PupilRules rules_;
  CounterStream draws_;
  int steps_ = 0;
  int grades_ = 0;
  double leave_p_ = 0;
  std::int64_t left_ = 0;
  std::vector<std::int64_t> cells_, next_;
  ReplicationOutcome out_;
};

}  // namespace

std::size_t count_cells(int grade_min, int grade_max) {
  return static_cast<std::size_t>((grade_max - grade_min + 1) * kGenders * kSlots * 2);
}

std::string count_path_unsupported(const ModelParams& params) {
  const auto& tr = params.transitions;
  if (tr.relapse_enabled && tr.relapse_mult != 1.0)
    return "[transitions.relapse] (a relapse window needs each pupil's return history)";
  if (params.population.grade_max >= 10 &&
      params.outcomes.p_repeat_per_extensive_year_upper_sec > 0)
    return "repeated years in grades 10-12 (outcomes.p_repeat_per_extensive_year_upper_sec > 0)";
  if (params.outcomes.p_repeat_per_extensive_year_compulsory > 0)
    return "repeated years in compulsory school "
           "(outcomes.p_repeat_year_per_extensive_year_compulsory > 0)";
  return {};
}

ReplicationOutcome simulate_counts(const ModelParams& params, const StreamKey& key) {
  CountSimulator sim(params, key);
  return sim.run();
}

}  // namespace attendsim::models
