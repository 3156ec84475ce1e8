#pragma once
/// Words a reader sees, in Swedish and English: scenario labels (the config's label_sv /
/// label_en, else made from the staffing level and the policies), the config's description,
/// the economic perspective. Swedish is written as a Swedish official would write it:
/// "1 heltid", "2,5 årsarbetare", "utan koordinatorer"; no code name reaches the reader.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "analysis/bridge.hpp"
#include "analysis/model_config.hpp"
#include "sim/names.hpp"

namespace attendsim::models {

enum class Language : std::uint8_t { sv, en };
inline constexpr std::array<Named<Language>, 2> kLanguageNames{{
    {Language::sv, "sv"},
    {Language::en, "en"},
}};
constexpr const auto& name_table(Language) {
  return kLanguageNames;
}

/// "sv" or "en"; anything else throws InputError naming `what`.
Language parse_language(const std::string& code, const std::string& what);
const char* language_code(Language l);

/// Pick the text of a language.
inline const std::string& in(Language l, const Bilingual& b) {
  return l == Language::sv ? b.sv : b.en;
}

/// A number as the language writes it: sv "1 234 567,5", en "1,234,567.5".
std::string format_number_in(Language l, double v, int decimals);

/// "1 heltid", "2,5 årsarbetare" / "1 FTE", "2.5 FTE".
std::string fte_words(Language l, double fte);
/// Allocation policy in words ("först till kvarn" / "first come, first served").
std::string allocation_policy_words(Language l, Allocation policy);
/// Referral policy in words; "" for as_configured.
std::string referral_policy_words(Language l, ReferralPolicy p);
/// The perspective's owner: "kommunens" / "the municipality's" ...
std::string perspective_words(Language l, Perspective p);

/// The scenario's label: the config's when given, "utan koordinatorer" / "no coordinators"
/// for the baseline, else "<peak FTE>, <allocation policy>[, <referral policy>]", where a
/// scenario of the staffing ladder names a policy only when the ladder varies it.
Bilingual scenario_labels(const ModelConfig& cfg, const ScenarioSpec& s);
/// The policies every ladder scenario shares, as a sentence ("Där inget annat anges: först
/// till kvarn."); "" when none is shared or worth saying.
std::string ladder_policy_words(const ModelConfig& cfg, Language l);
/// The config's description: description_sv / description_en (en: else description),
/// else a sentence made from the population and horizon.
std::string config_description(const ModelConfig& cfg, Language l);

/// Words of the calibration fit report (`attendsim report` on a folder with fit.json).
struct FitLabels {
  std::string section, register_intro, targets_intro, chart_title, x_axis, y_axis, observed,
      simulated, goodness, measure, value, coverage, coverage_note, msr, msr_note, rmse,
      pupil_months, transitions, pupils_first_month, runs, ess, ess_note, prior_samples, target,
      observed_value, before, after, parameter, prior, posterior, seconds, not_estimated,
      fit_only_title, no_run;
};
const FitLabels& fit_labels(Language l);
/// A grade band (grade0_6, grade7_9, grade10_12, all) in words.
std::string band_words(Language l, const std::string& band);
/// A state (worrying, high, extensive) in words.
std::string state_words(Language l, const std::string& state);
/// A calibration target's label ("KIND BAND GENDER PERIOD" as in fit.json) in words; the
/// label itself when it does not have that form.
std::string target_words(Language l, const std::string& label);
/// A step of the bridge from the plan to the simulation (analysis/bridge.hpp) in words, with
/// the plan's and the configured economics' figures (base values).
std::string bridge_step_words(Language l, BridgeStep step, const PlanInputs& plan,
                              const EconomicsParams& configured);

/// The fund's effect measure in words ("färre elever med mer än 50 % frånvaro" / ...).
std::string fund_measure_words(Language l, FundMeasure m);
/// The fund's terms as a sentence (amount, rule, when), e.g. "Fonden lånar ut 4 875 772 kr och
/// får tillbaka hela beloppet om ... senast år 2 ...".
std::string fund_terms_words(Language l, const FundTerms& terms);

/// A config key (dotted path, e.g. "detection.p_consent") in words, for a reader who does not
/// read TOML; nullopt for a key without words.
std::optional<Bilingual> config_key_words(const std::string& key);
/// The sources a config comment cites ("S12, S14, antagande"), without its other words.
std::string source_words(Language l, const std::string& comment);

}  // namespace attendsim::models
