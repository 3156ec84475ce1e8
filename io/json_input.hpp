#pragma once
/// The one way results files (summary.json, comparison.json, run.json, ...) are parsed: with
/// nlohmann_json, and strictly. A syntax error, a number beyond double (nlohmann's
/// out_of_range) and a key given twice in one object are InputErrors naming the file (and the
/// key); nlohmann alone would keep the last of two equal keys without a word.
#include <nlohmann/json.hpp>
#include <string>

namespace attendsim::models {

/// Parses `text` of the file `file` (named in messages); throws InputError.
nlohmann::ordered_json parse_json_input(const std::string& text, const std::string& file);

}  // namespace attendsim::models
