#pragma once
/// A baseline record derived from another one whose parameters differ only in the initial
/// state of the population (docs/methods.md §4.11): bit-identical to recording it.
///
/// Why it is exact. The initial-state parameters ([population] prevalence, gender
/// multipliers and ratios, share_girls; [outcomes] share_eligible_at_start_upper_sec) are
/// read only when a pupil enters the simulation: the initial population, and the new entrants
/// who take leavers' places in August. With the same streams, a pupil whose entry is the same
/// under both parameter sets follows the same path in both. So the derivation draws the
/// initial population under both (cheap: two population-stream outputs per pupil), and for
/// each of the source's replacements of a pupil that has not diverged computes both new
/// entrants; a pupil whose two versions differ is *diverged* and both versions are stepped
/// (the source's rules and the new ones, on the source's recorded draws) until they agree
/// again. Then, as in scenario_from_baseline.hpp, every count of the new record is the
/// source's plus the sum over the diverged pupil-months of (new - old), exact because every
/// count is an integer (or a multiple of 2^-32); the high/extensive months, referral points
/// and replacements are the source's for the pupils that have not diverged and the new
/// versions' for those that have, in the same step-then-pupil order as a recording.
/// On the reference a change in one prevalence share diverges about 1 % of pupils.
///
/// Neither record stores draws: both recompute them from their key (§2.4). Its detection decisions
/// are made with the source's detection parameters (a scenario replays its own,
/// scenario_from_baseline.hpp).
#include "models/simulation.hpp"

namespace attendsim::models {

/// True when a record made with `a` can be derived for `b`: their baselines differ at most
/// in the initial-state parameters above (and in what a record serves anyway: coordinator,
/// detection and economic parameters).
bool derivable_baseline(const ModelParams& a, const ModelParams& b);

/// The record of `params`'s baseline (with the source's detection parameters), derived from
/// `source`, into `out` (buffers reused). Requires derivable_baseline(source.params, params)
/// and that `source` is not itself derived.
void derive_baseline(const BaselineRecord& source, const ModelParams& params, BaselineRecord& out);

}  // namespace attendsim::models
