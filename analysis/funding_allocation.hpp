#pragma once
/// Funding allocation with a per-unit cap and a shared remainder (the Stockholm 2014 rule).
///
/// Source: Stockholm's 2014 distribution of 10 MSEK to school-social services pilot projects
/// (S4 in shared/EVIDENCE.md, seed 003), stated here in general form. Applicant i (a district)
/// runs u_i units (schools) and requests q_i SEK. With budget B, cap per unit c and remainder
/// threshold T (all whole SEK):
///
///   base_i   = min(q_i, c * u_i)                       every applicant, first
///   R        = B - sum_i base_i                        the remainder (must be >= 0)
///   eligible = { i : q_i - c * u_i > T }               asked for MORE than T above its cap
///   extra_i  = water-filling of R over the eligible, per unit, never beyond q_i:
///              round k: A = eligible applicants not yet at their request, P = what is left
///              of R, U = sum_{i in A} u_i. Every i in A with headroom h_i = q_i - base_i
///              <= P * u_i / U gets extra_i = h_i (exactly its request) and leaves A; P drops
///              by those amounts and the round is repeated. When no one in A is at its
///              ceiling, each i in A gets the exact share P * u_i / U, rounded to whole SEK
///              by largest remainder (below).
///   alloc_i  = base_i + extra_i
///   unallocated = P if A became empty with P > 0 (no eligible applicant can take more),
///              else 0; sum_i alloc_i + unallocated = B exactly.
///
/// Rounding (largest remainder, Hamilton): in the final round each i in A first gets
/// floor(P * u_i / U); the L = P - sum floor(...) SEK left over (L < |A|) go one each to the
/// applicants with the largest remainders (P * u_i mod U; one common denominator U, so the
/// integers compare exactly), ties to the earlier applicant in input order. No applicant
/// passes its request: one that is not at its ceiling has h_i > P * u_i / U, so h_i is at
/// least the rounded-up share, and an exact (remainder 0) share never receives a leftover SEK.
///
/// Worked check on the seed (c = 625 000, T = 25 000, B = 10 000 000): the bases sum to
/// 9 094 792, so R = 905 208; the eligible are Rinkeby-Kista (4 units), Enskede-Årsta-Vantör
/// (1), Spånga-Tensta (1) and Hässelby-Vällingby (2), 8 units; Älvsjö (1 unit, excess exactly
/// 25 000, not more than T) is not. 905 208 / 8 = 113 151 SEK per unit exactly, and no one
/// reaches its request: 625 000 + 113 151 = 738 151, Rinkeby-Kista 2 500 000 + 4 * 113 151 =
/// 2 952 604, Hässelby-Vällingby 1 250 000 + 2 * 113 151 = 1 476 302 (the seed's table).
///
/// Only eligible applicants share the remainder: what they cannot take stays unallocated
/// even if an ineligible applicant (Älvsjö) still has headroom, as the seed's rule reads.
/// All money is int64 SEK; the limits below keep every product P * u_i below 2^63.
#include <cstdint>
#include <string>
#include <vector>

namespace attendsim::models {

/// Largest amount (budget, cap, threshold, request) accepted: 10^12 SEK.
inline constexpr std::int64_t kMaxFundingSek = 1'000'000'000'000;
/// Largest number of units of one applicant and of all applicants together.
inline constexpr std::int64_t kMaxFundingUnits = 1'000'000;

/// One applicant (a district): how many units (schools) it runs and what it asked for.
struct FundingRequest {
  std::string name;                ///< label only; the algorithm does not need it unique
  std::int64_t units = 0;          ///< >= 1
  std::int64_t requested_sek = 0;  ///< >= 0
};

/// The rule's parameters (see the file comment).
struct FundingRule {
  std::int64_t budget_sek = 0;        ///< B >= 0
  std::int64_t cap_per_unit_sek = 0;  ///< c >= 0
  std::int64_t threshold_sek = 0;     ///< T >= 0, per applicant (not per unit)
};

/// What one applicant gets; `allocated_sek = base_sek + extra_sek <= requested_sek`.
struct FundingShare {
  std::string name;
  std::int64_t units = 0;
  std::int64_t requested_sek = 0;
  std::int64_t cap_sek = 0;             ///< c * u_i
  std::int64_t base_sek = 0;            ///< min(q_i, c * u_i)
  std::int64_t extra_sek = 0;           ///< share of the remainder
  std::int64_t allocated_sek = 0;       ///< base + extra
  bool eligible_for_remainder = false;  ///< q_i - c * u_i > T
  bool reached_request = false;         ///< eligible and allocated_sek == requested_sek
};

/// The allocation, applicants in input order, with the totals.
struct FundingAllocation {
  std::vector<FundingShare> applicants;
  std::int64_t budget_sek = 0;
  std::int64_t total_units = 0;
  std::int64_t requested_total_sek = 0;
  std::int64_t base_total_sek = 0;
  std::int64_t remainder_sek = 0;        ///< R = B - sum base
  std::int64_t allocated_total_sek = 0;  ///< sum alloc_i = B - unallocated
  std::int64_t unallocated_sek = 0;      ///< part of R no eligible applicant could take
  std::int64_t eligible_units = 0;       ///< units of the eligible applicants
  int redistribution_rounds = 0;  ///< water-filling rounds (0 when R or the eligible set is empty)
};

/// min(q_i, c * u_i) for one applicant; lets callers check sum base <= B before allocating.
std::int64_t base_allocation_sek(const FundingRule& rule, const FundingRequest& request);

/// Applies the rule of the file comment. Preconditions (PreconditionError otherwise): at least
/// one applicant; B, c, T and every q_i in [0, kMaxFundingSek]; every u_i >= 1 and
/// sum u_i <= kMaxFundingUnits; sum_i base_i <= B.
FundingAllocation allocate_funding(const FundingRule& rule,
                                   const std::vector<FundingRequest>& requests);

}  // namespace attendsim::models
