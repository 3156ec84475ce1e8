#pragma once
/// The funding file of `attendsim allocate` (TOML; schema in app/cmd_allocate.cpp and
/// configs/stockholm_2014_funding.toml): read and validated, every problem an InputError
/// naming file, line and key.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/funding_allocation.hpp"

namespace attendsim::config {
class Document;
}

namespace attendsim::models {

struct FundingCase {
  std::string name;
  std::string unit_name;
  FundingRule rule;
  std::vector<FundingRequest> requests;
};

/// Reads and validates FUNDING.toml.
FundingCase load_funding_case(const std::string& path);
/// Validates a parsed funding document.
FundingCase parse_funding_case(const config::Document& doc);

/// "1 134 896": groups of three digits separated by spaces, as in the seed's table.
std::string sek_text(std::int64_t v);

}  // namespace attendsim::models
