#pragma once
/// A scenario simulated from the recorded baseline of its replication: only the pupils the
/// scenario changes are simulated, and the outcome equals simulate() bit for bit
/// (docs/methods.md §4.11). The record stores no draws: the diverged pupils' draws are
/// recomputed from the record's key (the pupil-month stream is counter-based, §2.4).
///
/// Why it is exact. On common random numbers a scenario's pupil and the baseline's pupil
/// consume the same engine output each month and follow the same rules (pupil_rules.hpp)
/// for as long as nobody refers the pupil: the coordinator parameters are read only for
/// pupils in the queue, in a case or after one, and the programme changes nothing else. A
/// pupil's two paths can therefore first differ only at a referral decision of the baseline
/// (a ReferralPoint: the baseline, running no programme, refers nobody) in a month when the
/// scenario's programme runs and refers the pupil. From then on the pupil is *diverged*: its
/// scenario copy s and its baseline copy b are both simulated from the recorded draws, s by
/// the scenario's rules and case book, b by the baseline's, and
///   scenario outcome = baseline outcome + sum over diverged pupil-months (s - b)
/// for every count. Every count is an integer (in a double or a uint32), so the sum is exact
/// in any order. A diverged pupil whose two copies become equal again (both moved away, or
/// both replaced by the same new entrant) rejoins the baseline, where a later referral
/// decision can make it diverge again.
///
/// What may differ between the record's parameters and the scenario's: the coordinator
/// parameters, the referral and consent probabilities and economics, which the baseline
/// never reads; and the detection parameters (p_detect_per_month, school_action_months),
/// which in the baseline set only the statuses of pupils (no programme acts on them): the
/// record keeps every school month a pupil ended in high or extensive absence (HighMonth),
/// over which the baseline's detections and referral decisions are replayed under other
/// detection parameters (same_baseline_path). Everything else shapes the baseline's paths
/// and must be equal.
#include <cstdint>

#include "models/simulation.hpp"

namespace attendsim::models {

/// True when a and b give the same baseline paths, so that a record made with one serves the
/// other: they differ at most in [coordinators], [detection] and [economics].
bool same_baseline_path(const ModelParams& a, const ModelParams& b);

/// True when a and b simulate identically in every scenario: they differ at most in
/// [economics], which the simulation never reads.
bool same_simulation(const ModelParams& a, const ModelParams& b);

/// What a simulation from a baseline cost, for benchmarks and notes.
struct FromBaselineCost {
  std::uint64_t diverged_pupil_months = 0;  ///< pupil-months simulated twice (s and b)
  std::uint64_t diverged_pupils = 0;        ///< divergences (a pupil may diverge again)
  std::uint64_t twin_pupil_months = 0;      ///< of those, school months with one shared path step
};

/// The baseline's outcome under `params`: equal to simulate(params, ScenarioSpec{},
/// record.key) (simulate_hybrid for a record of the hybrid, record.hybrid). Requires
/// same_baseline_path(record.params, params).
ReplicationOutcome baseline_from_record(const BaselineRecord& record, const ModelParams& params);

/// The scenario's outcome; equal to simulate(params, scenario, record.key) in every field
/// (simulate_hybrid(params, scenario, record.key) for a record of the hybrid: its pupils are
/// the hybrid's individuals, by id, stepped by the same rules, docs/methods.md §4.12).
/// Requires same_baseline_path(record.params, params). `baseline`, when given, receives
/// baseline_from_record(record, params) (computed on the way).
ReplicationOutcome simulate_from_baseline(const BaselineRecord& record, const ModelParams& params,
                                          const ScenarioSpec& scenario,
                                          FromBaselineCost* cost = nullptr,
                                          ReplicationOutcome* baseline = nullptr);

}  // namespace attendsim::models
