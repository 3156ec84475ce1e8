#pragma once
/// Many municipalities in one run: a config whose `[[municipalities]]` list gives each
/// municipality its own population (pupils) and staffing; every other value (prevalences,
/// transitions, effects, prices) is the config's.
///
/// Each municipality is an experiment of its own (analysis/experiment.hpp), split across MPI
/// ranks like any other (sim/work_split.hpp), with:
///   - the config's parameter draws: with --draws K > 1, draw d has the same parameter values
///     in every municipality (`ParameterSet::sample(seed, d)`), as one national uncertainty;
///   - streams of its own: municipality m's master seed is the first output of the engine
///     keyed {seed, 0, 0, kMunicipalitySeedPurpose, m} (sim/streams.hpp), so municipalities
///     are independent, and a municipality's results do not depend on the others in the list.
/// The whole is unit by unit (same draw, same replication index) the sum over municipalities
/// of every metric that adds up across populations (`additive_over_municipalities`); its ROI
/// is the summed savings over the summed cost; the other metrics (means, shares, rates per
/// FTE or per staffed month) are NaN for the whole.
#include <cstdint>
#include <functional>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"

namespace attendsim::models {

/// Stream purpose tag of the municipality seeds ('MUNI').
inline constexpr std::uint32_t kMunicipalitySeedPurpose = 0x4D554E49;

/// Master seed of municipality `index` (see above).
std::uint64_t municipality_seed(std::uint64_t seed, std::size_t index);

/// The config of one municipality: `cfg` with its pupils and staffing (and no list).
ModelConfig municipality_config(const ModelConfig& cfg, const Municipality& m);

/// True when a metric of two populations is the sum of theirs: counts, pupil-months, SEK
/// (not ROI, means, shares, or rates per FTE-year or per staffed month).
bool additive_over_municipalities(Metric m);

/// Runs every municipality of cfg.municipalities with `opt` (its seed, draws, replications,
/// threads) and returns the whole. `each` is called after each municipality's experiment with
/// its config and result (e.g. to write its folder), which is then dropped: only the running
/// whole is kept, a few values per unit.
ExperimentResult run_municipalities(
    const ModelConfig& cfg, const RunOptions& opt,
    const std::function<void(const Municipality&, const ModelConfig&, const ExperimentResult&)>&
        each);

}  // namespace attendsim::models
