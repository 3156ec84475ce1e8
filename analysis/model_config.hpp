#pragma once
/// A model config as read (io/config_schema.hpp reads it from TOML): the uncertain parameters
/// with their setters, the structure, the scenario and the optional tables.
///
/// Every numeric model parameter may be a number or a distribution written as an inline
/// table, e.g. `p_consent = { base = 0.85, dist = "beta", a = 25.8, b = 4.6 }` (`base`
/// optional: the distribution's mean, or its median for a lognormal). Transition rows may
/// carry a Dirichlet concentration for PSA. See configs/reference.toml for the full schema.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/params.hpp"
#include "models/simulation.hpp"
#include "sim/parameters.hpp"

namespace attendsim::models {

struct RunSettings {
  std::uint64_t seed = 1;
  int draws = 1;
  int replications = 20;
  /// [simulation] count_based: every replication on the count-based path (models/count_chain.hpp;
  /// only without coordinators).
  bool count_based = false;
};

/// A plan's own back-of-envelope calculation (the kind the Uppsala application used):
/// inputs only; `analysis/plan_calculator.hpp` computes the totals.
struct PlanInputs {
  bool present = false;
  double cost_of_effort_sek = 0;
  double avoided_repeated_years = 0;
  double cost_per_repeated_year_sek = 0;
  double avoided_summer_school = 0;
  double cost_summer_school_sek = 0;
  double completers_gained = 0;
  double saving_per_completer_sek = 0;
};

/// How a fund (e.g. a social investment fund, S1) is repaid; analysis/fund.hpp evaluates it.
enum class FundRule {
  effect,           ///< the whole amount, once the effect measure reaches the threshold
  share_of_savings  ///< a share of the savings realised each year, up to the amount
};
/// The effect measure of FundRule::effect, a scenario against no coordinators.
enum class FundMeasure {
  fewer_extensive_absent,  ///< pupils in extensive absence, mean over the year's school months
  avoided_repeated_years,  ///< cumulative from the start
  avoided_noncompletions   ///< cumulative from the start (within the horizon)
};

/// A fund's terms (optional [fund] table): the amount it lends, the rule by which it is
/// repaid, and when. The fund looks at the end of each year 1..by_year of the horizon.
struct FundTerms {
  bool present = false;
  double amount_sek = 0;
  FundRule rule = FundRule::effect;
  FundMeasure measure = FundMeasure::fewer_extensive_absent;
  double threshold = 0;         ///< effect rule: the measure must be >= threshold (> 0)
  int by_year = 2;              ///< last year (of the horizon) the fund looks at
  double share_of_savings = 0;  ///< share_of_savings rule: share repaid, in (0, 1]
  int repay_over_years = 1;     ///< effect rule: years over which the amount is paid back
};

/// The scenario set of `attendsim compare` (optional [compare] table). Scenarios are the
/// product staffing_levels_fte x allocation_policies x referral_policies, each staffing
/// level applied with the timing of the configured schedule (the months it has FTE > 0),
/// plus explicit [[compare.scenario]] entries. Defaults: levels 1, 2, 3, 5, 8 FTE with the
/// configured policies.
struct CompareSpec {
  std::vector<double> staffing_levels_fte{1, 2, 3, 5, 8};
  std::vector<Allocation> allocation_policies;    ///< empty: the configured one
  std::vector<ReferralPolicy> referral_policies;  ///< empty: the configured one
  std::vector<ScenarioSpec> explicit_scenarios;
  std::string reference_scenario;  ///< named reference for paired differences ("" = none)
  double roi_target = 1.0;
  double confidence = 0.8;
  /// compare samples the parameters' distributions: `draws` parameter draws (1 = base values
  /// only), each simulated `replications_per_draw` times on common random numbers.
  int draws = 100;
  int replications_per_draw = 2;
};

/// A text a reader sees, in Swedish and English ("" when the config gives none).
struct Bilingual {
  std::string sv;
  std::string en;
};

/// One municipality of a config that lists several (`[[municipalities]]`): its own population
/// and staffing; every other value is the config's (analysis/municipalities.hpp).
struct Municipality {
  std::string name;
  int pupils = 0;
  /// Pupils by grade ([municipalities.pupils_by_band]); all 0 = spread evenly over the grades.
  std::array<int, kGradeCount> pupils_by_grade{};
  StaffingSchedule staffing;
  /// The municipality's queue_limit and team_overhead_sek_per_year as factors on the config's
  /// parameters (its value / the config's base; docs/methods.md §6); none = the config's own.
  std::optional<double> queue_limit_factor;
  std::optional<double> team_overhead_factor;
};

struct ModelConfig {
  std::string file;
  std::string text;  ///< raw config bytes (hashed into run.json; config.toml of its results)
  /// The bytes of the overrides applied over `text` (`--overrides FILE`, or the Python
  /// module's overrides=; overrides.toml of its results), "" when none.
  std::string overrides;
  std::string name;
  std::string description;
  Bilingual description_text;  ///< description_sv / description_en (en falls back to description)
  /// Scenario labels by scenario name: label_sv / label_en of [coordinators] and of each
  /// [[compare.scenario]]. Scenarios without one get a label made from their staffing and
  /// policies (io/labels.hpp).
  std::map<std::string, Bilingual> scenario_labels;
  ParameterSet parameters;
  /// setters[i] writes the value of parameters[i] into a ModelParams.
  std::vector<std::function<void(ModelParams&, double)>> setters;
  ModelParams structure;  ///< everything that is not an uncertain parameter
  ScenarioSpec scenario;  ///< the configured staffing and policies
  RunSettings run;
  PlanInputs plan;  ///< optional [plan] table
  FundTerms fund;   ///< optional [fund] table
  CompareSpec compare;
  std::vector<Municipality> municipalities;  ///< empty: the config is one population
  /// Where [coordinators] enabled is written, "FILE:LINE" ("FILE" when the line is unknown),
  /// for a command that needs a programme to name it (compare refuses enabled = false).
  std::string coordinators_enabled_at;
};

/// The scenarios `attendsim compare` runs: baseline first, then the ladder and explicit ones.
std::vector<ScenarioSpec> comparison_scenarios(const ModelConfig& cfg);

/// Model parameters for a vector of parameter values (base, a PSA draw, a design point).
/// Probability rows are renormalised to sum exactly to 1.
ModelParams realise(const ModelConfig& cfg, const std::vector<double>& values);

/// Hex FNV-1a hash of the config text, for provenance; with overrides, of the text, a NUL
/// byte and the overrides' text (the effective config: another hash than the file's).
std::string config_hash(const ModelConfig& cfg);

}  // namespace attendsim::models
