#pragma once
/// What `attendsim allocate` shows and writes: the allocation table as the seed prints it
/// (names padded by display width, SEK grouped in threes, totals, the remainder and who shared
/// it) and allocation.csv (one row per applicant and a total row, through the quoting CSV
/// writer sim/csv.hpp).
#include <iosfwd>
#include <string>

#include "analysis/funding_allocation.hpp"
#include "io/funding_reader.hpp"

namespace attendsim::models {

/// The allocation table with its header and the remainder's explanation.
void print_funding_table(std::ostream& os, const FundingCase& c, const FundingAllocation& a);

/// allocation.csv: applicant,units,requested_sek,allocated_sek and a total row.
std::string allocation_csv(const FundingAllocation& a);

}  // namespace attendsim::models
