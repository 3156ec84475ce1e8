#pragma once
/// The threshold analysis in words, for decision.md and the HTML report, in Swedish and
/// English: "the coordinators' effect would need to be at least 1.9 for the net benefit to
/// be positive". Swedish text names parameters and scenarios in Swedish, never by key or
/// code name.
#include <functional>
#include <string>
#include <vector>

#include "analysis/threshold.hpp"
#include "io/labels.hpp"

namespace attendsim::models {

/// Scenario code name -> the label a reader sees.
using ScenarioLabeler = std::function<std::string(const std::string&)>;

/// The parameter in words ("koordinatorernas effekt" / "the coordinators' effect"); a key
/// without words of its own is "den valda parametern" in Swedish and its key in English.
std::string threshold_parameter_words(Language l, const std::string& path);

/// One sentence per scenario (without the label): what the parameter would need to be for
/// the scenario to pay, or that it pays / does not pay anywhere within the range.
std::string threshold_sentence(Language l, const ThresholdRow& row);

/// One line for the brief's recommendation: what the parameter would need to be for the
/// scenario `label` to pay ("För att 5 årsarbetare ska löna sig behöver koordinatorernas
/// effekt (...) vara minst 3,39; i dag antas 1,50."), or that it does not pay within the range.
std::string threshold_headline(Language l, const ThresholdRow& row, const std::string& label);

/// decision.md's section "Vad som krävs för att det ska löna sig" / "What it would take to
/// pay", between the markers <!-- brytpunkt --> and <!-- /brytpunkt --> (so that a later
/// threshold run can replace it). "" when `rows` is empty.
std::string threshold_markdown(const std::vector<ThresholdRow>& rows, const ScenarioLabeler& label,
                               Language l);

/// `md` with its threshold section replaced by `section` (appended when it has none).
std::string with_threshold_section(const std::string& md, const std::string& section);

/// The language of an existing decision.md (its first heading): Swedish unless it starts
/// with the English title.
Language decision_language(const std::string& md);

/// The report's section: heading, introduction and one list item per scenario (HTML, escaped).
std::string threshold_html(const std::vector<ThresholdRow>& rows, const ScenarioLabeler& label,
                           Language l);

}  // namespace attendsim::models
