#include "analysis/funding_allocation.hpp"

#include <algorithm>
#include <cstddef>

#include "sim/error.hpp"

namespace attendsim::models {

std::int64_t base_allocation_sek(const FundingRule& rule, const FundingRequest& request) {
  return std::min(request.requested_sek, rule.cap_per_unit_sek * request.units);
}

namespace {

void check_preconditions(const FundingRule& rule, const std::vector<FundingRequest>& requests) {
  ATTENDSIM_REQUIRE(!requests.empty(), "funding allocation needs at least one applicant");
  ATTENDSIM_REQUIRE(rule.budget_sek >= 0 && rule.budget_sek <= kMaxFundingSek,
                    "budget_sek must be in [0, " << kMaxFundingSek << "], got " << rule.budget_sek);
  ATTENDSIM_REQUIRE(
      rule.cap_per_unit_sek >= 0 && rule.cap_per_unit_sek <= kMaxFundingSek,
      "cap_per_unit_sek must be in [0, " << kMaxFundingSek << "], got " << rule.cap_per_unit_sek);
  ATTENDSIM_REQUIRE(
      rule.threshold_sek >= 0 && rule.threshold_sek <= kMaxFundingSek,
      "threshold_sek must be in [0, " << kMaxFundingSek << "], got " << rule.threshold_sek);
  std::int64_t total_units = 0;
  for (const auto& r : requests) {
    ATTENDSIM_REQUIRE(r.units >= 1 && r.units <= kMaxFundingUnits,
                      "applicant '" << r.name << "': units must be in [1, " << kMaxFundingUnits
                                    << "], got " << r.units);
    ATTENDSIM_REQUIRE(r.requested_sek >= 0 && r.requested_sek <= kMaxFundingSek,
                      "applicant '" << r.name << "': requested_sek must be in [0, "
                                    << kMaxFundingSek << "], got " << r.requested_sek);
    total_units += r.units;
    ATTENDSIM_REQUIRE(total_units <= kMaxFundingUnits,
                      "the applicants' units must sum to at most " << kMaxFundingUnits);
  }
}

}  // namespace

FundingAllocation allocate_funding(const FundingRule& rule,
                                   const std::vector<FundingRequest>& requests) {
  check_preconditions(rule, requests);
  FundingAllocation out;
  out.budget_sek = rule.budget_sek;
  out.applicants.reserve(requests.size());
  for (const auto& r : requests) {
    FundingShare s;
    s.name = r.name;
    s.units = r.units;
    s.requested_sek = r.requested_sek;
    s.cap_sek = rule.cap_per_unit_sek * r.units;
    s.base_sek = base_allocation_sek(rule, r);
    s.eligible_for_remainder = r.requested_sek - s.cap_sek > rule.threshold_sek;
    out.total_units += r.units;
    out.requested_total_sek += r.requested_sek;
    out.base_total_sek += s.base_sek;
    if (s.eligible_for_remainder) out.eligible_units += r.units;
    out.applicants.push_back(std::move(s));
  }
  ATTENDSIM_REQUIRE(out.base_total_sek <= rule.budget_sek, "the capped requests sum to "
                                                               << out.base_total_sek
                                                               << " SEK, more than the budget of "
                                                               << rule.budget_sek << " SEK");
  out.remainder_sek = rule.budget_sek - out.base_total_sek;

  // Water-filling over the eligible applicants (indices in input order). An eligible applicant
  // has q_i - c*u_i > T >= 0, so its headroom q_i - base_i = q_i - c*u_i is > 0.
  std::vector<std::size_t> active;
  for (std::size_t i = 0; i < out.applicants.size(); ++i) {
    if (out.applicants[i].eligible_for_remainder) active.push_back(i);
  }
  std::int64_t pool = out.remainder_sek;
  while (pool > 0 && !active.empty()) {
    ++out.redistribution_rounds;
    std::int64_t units = 0;
    for (const auto i : active) units += out.applicants[i].units;
    // Ceiling test h_i <= P * u_i / U, in integers: h_i * U <= P * u_i.
    std::vector<std::size_t> below;
    std::int64_t taken = 0;
    for (const auto i : active) {
      auto& a = out.applicants[i];
      const std::int64_t headroom = a.requested_sek - a.base_sek;
      if (headroom * units <= pool * a.units) {
        a.extra_sek = headroom;
        taken += headroom;
      } else {
        below.push_back(i);
      }
    }
    if (below.size() < active.size()) {
      pool -= taken;
      active = std::move(below);
      continue;
    }
    // Nobody at a ceiling: exact shares P * u_i / U, largest-remainder rounding.
    std::int64_t handed_out = 0;
    std::vector<std::int64_t> remainders(active.size());
    for (std::size_t k = 0; k < active.size(); ++k) {
      auto& a = out.applicants[active[k]];
      a.extra_sek = pool * a.units / units;
      remainders[k] = pool * a.units % units;
      handed_out += a.extra_sek;
    }
    std::vector<std::size_t> order(active.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    // Stable: equal remainders keep input order, so ties go to the earlier applicant.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return remainders[x] > remainders[y]; });
    const std::int64_t leftover = pool - handed_out;  // 0 <= leftover < active.size()
    for (std::int64_t k = 0; k < leftover; ++k) {
      out.applicants[active[order[static_cast<std::size_t>(k)]]].extra_sek += 1;
    }
    pool = 0;
  }
  out.unallocated_sek = pool;

  for (auto& a : out.applicants) {
    a.allocated_sek = a.base_sek + a.extra_sek;
    a.reached_request = a.eligible_for_remainder && a.allocated_sek == a.requested_sek;
    out.allocated_total_sek += a.allocated_sek;
  }
  ATTENDSIM_REQUIRE(out.allocated_total_sek + out.unallocated_sek == rule.budget_sek,
                    "internal: allocation does not add up to the budget");
  return out;
}

}  // namespace attendsim::models
