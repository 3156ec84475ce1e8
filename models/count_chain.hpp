#pragma once
/// The count-based path (docs/methods.md §4.12): pupils outside the referral pipeline held as
/// counts in (grade, gender, state, months in state, extensive-this-year) cells and moved by
/// multinomial draws, for large populations.
///
/// A pupil outside the referral pipeline (no programme runs, so nobody is referred, and the
/// detection statuses act on nothing, scenario_from_baseline.hpp) follows the transition
/// table of its band, state, duration bucket and school month: all pupils of one cell share
/// one row, so the numbers moving to each next state, and leaving, are multinomial given the
/// cell's count. Drawn that way, the cells' counts have the same joint distribution month by
/// month as the individual engine's (with the same exact 2^-32 probabilities), but no pupil
/// identity: the cost is per cell, not per pupil.
///
/// What it covers (this version): the no-programme run (the baseline; a scenario whose
/// coordinators never staff a case equals it). It produces the occupancy by month and state
/// (left included), the school pupil-months by state (total and subgroup cells), pupil-months,
/// school years and long-term absent pupil-years; every other count is 0 here, and the run
/// writes the metrics made of them as not computed (analysis/metrics.hpp,
/// computed_on_count_path). count_path_unsupported says which parameters it cannot represent
/// (relapse, repeated years); the config's distributions and --draws-from rows are checked
/// against it when read.
/// Draws: each (step, cell) has its own run of the counter-based stream keyed
/// {seed, draw, replication, kCountPurpose, 0}: item 2^20 cell + j, j = 0, 1, .., fed to
/// Boost.Random's binomial_distribution, so two runs whose cell holds the same count with the
/// same probabilities draw the same numbers (common random numbers at the cell level).
#include <cstdint>
#include <string>

#include "models/simulation.hpp"

namespace attendsim::models {

inline constexpr std::uint32_t kCountPurpose = 0x636f756eU;  // "coun"

/// The cells of grades grade_min..grade_max: (grade, gender, slot, flag), 14 slots (regular,
/// worrying, high and extensive by months in state 1..5 and 6+) and 2 flags; 728 for grades 0-12.
/// The path's cost is per cell and month, whatever the pupils (analysis/work_estimate.hpp).
std::size_t count_cells(int grade_min, int grade_max);

/// Empty when simulate_counts represents `params`'s no-programme run exactly in distribution
/// (for the outcomes it produces); otherwise what it cannot represent.
std::string count_path_unsupported(const ModelParams& params);

/// The no-programme run of `params` on the count-based path. Requires
/// count_path_unsupported(params) to be empty.
ReplicationOutcome simulate_counts(const ModelParams& params, const StreamKey& key);

}  // namespace attendsim::models
