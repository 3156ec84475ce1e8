#pragma once
/// Variance-based global sensitivity: Sobol first-order and total indices on a Saltelli design.
///
/// Design (Saltelli 2002/2010). A quasi-random Sobol sequence in 2d dimensions
/// (boost::random::sobol, Joe-Kuo direction numbers; its leading all-zero point is skipped
/// by Boost) gives N points u_k in (0,1)^{2d}; u = (bits53 + 0.5) 2^-53 from the top 53
/// bits of each 64-bit coordinate. Row k of A is coordinates 0..d-1, row k of B is
/// coordinates d..2d-1, and A_B^(i) is A with column i taken from B. The model is evaluated
/// at N (d + 2) points, laid out as [A; B; A_B^(1); ...; A_B^(d)] (row k of block j is
/// point j N + k). Callers map u to parameters by inversion, x_i = F_i^{-1}(u_i), so the
/// parameters are independent with the marginals F_i. N a power of 2 balances the sequence.
///
/// Estimators, with f_A = f(A), f_B = f(B), f_i = f(A_B^(i)) and
///   m, V = mean and variance of the 2N values {f_A, f_B} (denominator 2N - 1):
///   first order (Saltelli et al. 2010):  S_i  = (1/N) sum_k (f_B,k - m) (f_i,k - f_A,k) / V
///   total       (Jansen 1999):           ST_i = (1/(2N)) sum_k (f_A,k - f_i,k)^2 / V
/// Centring f_B by m leaves S_i unbiased (E[f_i - f_A] = 0, so a constant times it has
/// mean 0) but removes the term m (f_i - f_A), whose variance grows with m^2: without it an
/// output with a large mean (net benefit in SEK) needs a far larger N for the same CI.
/// Bootstrap: B resamples of the N row indices with replacement (the same indices for A, B
/// and every A_B^(i), so rows stay paired), V, S_i and ST_i recomputed on each; the CI is
/// the percentile interval (type-7 quantiles (1-c)/2 and (1+c)/2 of the B replicates).
/// Resample b draws its indices from make_engine({seed, 0, 0, kSobolBootstrapPurpose, b}):
/// floor(uniform53 * N), so the CIs are reproducible for a given seed.
///
/// The quasi-random points are not independent: the bootstrap treats rows as if they were,
/// which is the usual (slightly conservative for smooth f) convention of SALib.
///
/// Randomised QMC (the alternative to the bootstrap). A random digital shift XORs every
/// 64-bit Sobol coordinate j with a shift s_j before the mapping to (0, 1); the shifted
/// points keep the sequence's stratification (a digital net stays a net) and each point is
/// uniform on the cube, so the estimators on one randomisation are as (nearly) unbiased as
/// with random sampling, and K independent randomisations give K independent estimates
/// whose spread measures the real error of the quasi-random design, QMC gain included
/// (Owen 2013, Monte Carlo theory, methods and examples, ch. 17; L'Ecuyer and Lemieux 2002).
/// Randomisation q draws s_0..s_{2d-1} as the first 2d outputs of
/// make_engine({seed, 0, q, kSobolShiftPurpose, 0}). The estimate is the mean of the K
/// per-randomisation estimates, its CI mean +- t_{K-1, (1+c)/2} sd / sqrt(K).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace attendsim {

inline constexpr std::uint32_t kSobolBootstrapPurpose = 0x626f6f74U;  // "boot"
inline constexpr std::uint32_t kSobolShiftPurpose = 0x73686674U;      // "shft"

/// Unit-cube points of a Saltelli design: points[j N + k] for block j (0 = A, 1 = B,
/// 2 + i = A_B^(i)), each a vector of d coordinates in (0, 1).
struct SaltelliDesign {
  std::size_t n = 0;  ///< base sample size N
  std::size_t d = 0;  ///< number of inputs
  std::vector<std::vector<double>> points;
  std::size_t size() const { return points.size(); }
};

/// Builds the design (requires n >= 2 and 1 <= d, 2d <= the table's dimensions).
SaltelliDesign saltelli_design(std::size_t n, std::size_t d);

/// The design under randomisation q's random digital shift (seeded by `seed`).
SaltelliDesign saltelli_design(std::size_t n, std::size_t d, std::uint64_t seed, std::uint64_t q);

struct SobolIndex {
  double first_order = 0, first_order_ci_low = 0, first_order_ci_high = 0;
  double total = 0, total_ci_low = 0, total_ci_high = 0;
};

struct SobolResult {
  double variance = 0;              ///< V, the output variance over {f_A, f_B}
  std::vector<SobolIndex> indices;  ///< one per input
};

struct SobolOptions {
  int bootstrap = 500;  ///< resamples B (0: no CIs, the CI fields equal the estimates)
  std::uint64_t seed = 1;
  double confidence = 0.95;
};

/// Indices from the outputs at the design points (outputs[j N + k], layout as above).
/// Requires outputs.size() == n (d + 2), finite outputs and V > 0.
SobolResult sobol_indices(std::span<const double> outputs, std::size_t n, std::size_t d,
                          const SobolOptions& opt = {});

/// Indices from K >= 2 randomisations of the design: outputs[q n (d + 2) + j N + k] is block
/// j, row k of randomisation q. Estimates are means over the K per-randomisation estimates,
/// CIs Student t intervals over them; `variance` is the mean of the K variances V.
SobolResult sobol_indices_randomised(std::span<const double> outputs, std::size_t n, std::size_t d,
                                     std::size_t k, double confidence = 0.95);

/// Builds the design, evaluates f at each point (in point order) and estimates the indices.
SobolResult sobol_analysis(std::size_t n, std::size_t d,
                           const std::function<double(std::span<const double>)>& f,
                           const SobolOptions& opt = {});

}  // namespace attendsim
