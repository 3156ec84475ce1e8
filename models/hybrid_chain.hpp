#pragma once
/// The hybrid of the count-based path (docs/methods.md §4.12, "The hybrid with
/// coordinators"): the pupils who have never been in high or extensive absence held as counts
/// in (grade, gender, state in {regular, worrying}, eligible for upper secondary) cells, every
/// other pupil one by one, by the individual engine's rules (PupilRules, CaseBook).
///
/// A pupil never in high or extensive absence needs no history: no had/ever flag, no relapse
/// window, no sustained-return count, no months in extensive this year, and it cannot be
/// detected (detection acts on high and extensive, §4.3 step 7), so it has status none and
/// no case. Its row is the table's row of (band, state, bucket 0, month), shared by every pupil
/// of its cell, so a cell's pupils move by a multinomial draw (count_draws.hpp). The pupils a
/// cell's multinomial sends into high or extensive become individual Pupil records, as
/// PupilRules::school_month_path leaves a pupil on its first move there, and stay individuals
/// to the end of the run (also when they return to regular).
///
/// Common random numbers: the cells never receive a pupil from the individuals (an
/// individual finishing grade_max is replaced in its own record, as in the individual
/// engine), so given the key the cells evolve identically in every scenario, and the
/// individuals are created in the same order (step, cell, k-th pupil) and so get the same ids,
/// hence the same counter-based draws (pupil-month, referral-order and case-end streams at
/// item = id). A scenario and its baseline can then differ only through their individuals, as
/// in the individual engine: a scenario is simulated from the recorded baseline
/// (record_hybrid_baseline, then simulate_from_baseline) as the individual engine's is.
///
/// Draws: the cells' binomials from the counter stream {seed, draw, replication, "coun", 1}
/// (items 2^20 cell + j of step t; the initial population at step 2^32 - 1, August's new
/// entrants at the cell index past the last); the initial individuals' months in state and
/// eligibility from {.., kHybridPurpose, 0} at (id, 0); everything else as the individual
/// engine draws it, with the individual's id as its pupil index.
#include <cstdint>
#include <string>

#include "models/simulation.hpp"

namespace attendsim::models {

inline constexpr std::uint32_t kHybridPurpose = 0x68796272U;  // "hybr"
/// The sub of the count stream ("coun") the hybrid's cells draw from (the count path's is 0).
inline constexpr std::uint64_t kHybridCellSub = 1;

/// Empty when simulate_hybrid represents `params` exactly in distribution; otherwise what it
/// cannot represent (at present nothing the individual engine runs).
std::string hybrid_unsupported(const ModelParams& params);

/// What `[simulation] count_based = true` cannot represent for `params`: the count path's
/// limits without coordinators (count_path_unsupported), the hybrid's with them.
std::string count_based_unsupported(const ModelParams& params);

/// One replication of `scenario` on the hybrid. Requires hybrid_unsupported(params) to be
/// empty. Its outcome has every count the individual engine has, equal in distribution.
ReplicationOutcome simulate_hybrid(const ModelParams& params, const ScenarioSpec& scenario,
                                   const StreamKey& key);

/// Simulates the hybrid's baseline (empty staffing) and records it, as record_baseline records
/// the individual engine's (simulation.hpp), with the individuals' ids as pupil indices: its
/// referral points, high/extensive months (unless !keep_high_months), the new entrants taking an
/// individual's place, the running count of pupils ever in high or extensive absence, and
/// `outcome` = simulate_hybrid(params, ScenarioSpec{}, key). A scenario differs from the
/// baseline only through individuals referred at a referral point (the cells and the
/// individuals' ids and draws are the same in every scenario), so
/// simulate_from_baseline(record, params', scenario) equals simulate_hybrid(params', scenario,
/// key) in every field, bit for bit, for params' as same_baseline_path allows
/// (docs/methods.md §4.12). Refuses transitions in every month, as record_baseline does.
void record_hybrid_baseline(const ModelParams& params, const StreamKey& key, BaselineRecord& record,
                            bool keep_high_months = true);
BaselineRecord record_hybrid_baseline(const ModelParams& params, const StreamKey& key);

}  // namespace attendsim::models
