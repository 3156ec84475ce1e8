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
/// Combined estimators (SobolEstimator::combined, the default). Each index has two unbiased
/// numerators on the same design: for V_i (first order) Saltelli's T_S = (1/N) sum (f_B - m)
/// (f_i - f_A) and Jansen's T_J = V - (1/(2N)) sum (f_B - f_i)^2 (Saltelli et al. 2010,
/// table 2); for VT_i (total) Jansen's (1/(2N)) sum (f_A - f_i)^2 and the complement
/// V - (1/N) sum (f_A - m)(f_i - f_B) (V minus Saltelli's estimate of the closed index of
/// the other inputs, which A and A_B^(i) share). Their variances differ by the size of the
/// index: for a linear Gaussian model the first-order ones are (2 S + S^2) V^2 / N and
/// 2 (1 - S)^2 V^2 / N, so Saltelli's wins for small indices and Jansen's for large ones
/// (and conversely for the totals; cf. Owen 2013, "Better estimation of small Sobol'
/// indices"). Each index takes w X + (1 - w) Y of its two, with the minimum-variance weight
/// w = (s_YY - s_XY) / (s_XX + s_YY - 2 s_XY) from the sample (co)variances of the two
/// numerators' per-row terms (V's per-row term v_k = ((f_A,k - m)^2 + (f_B,k - m)^2) / 2
/// standing in for V in the Jansen and complement forms), clamped to [0, 1]. Any fixed w
/// keeps the combination unbiased; estimating w costs O(1/N), and every bootstrap resample
/// re-estimates it, so the CIs include its uncertainty. With noise, each numerator is
/// corrected as below (the Jansen first-order form by the noise part of (f_B - f_i)^2, the
/// complement by that of f_A (f_i - f_B)). SobolEstimator::saltelli_jansen keeps the plain
/// pair (Saltelli first order, Jansen total).
///
/// Noise (a stochastic model, sobol_indices_replicated). When the model is run R >= 2
/// times at every point, f_r(x) = g(x) + e_r(x) with e_r a mean-zero noise, the estimators
/// are applied to the replication means f = (1/R) sum_r f_r, and each quadratic form is
/// corrected by its noise part, estimated without bias from the residuals z_r = f_r - f:
///   V_g  = V - (1/2N) sum over the 2N points of A and B of  s2(x) / R,
///          s2(x) = sum_r z_r(x)^2 / (R - 1)
///   S_i  = [ (1/N) sum_k (f_B - m)(f_i - f_A) - (1/N) sum_k c_ik ] / V_g,
///          c_ik = sum_r z_r(B_k) (z_r(A_B^i_k) - z_r(A_k)) / (R (R - 1))
///   ST_i = [ (1/(2N)) sum_k (f_A - f_i)^2 - (1/(2N)) sum_k t_ik ] / V_g,
///          t_ik = sum_r (z_r(A_k) - z_r(A_B^i_k))^2 / (R (R - 1))
/// (E[(f_A - f_i)^2] = (g_A - g_i)^2 + Var(e_A - e_i) / R, and t_ik is unbiased for the
/// second term; likewise V and c_ik.) This is the nested Monte Carlo setting of Mazo (2023,
/// arXiv:2210.08807): N explorations of the inputs, R repetitions at each; the corrections
/// remove the O(1/R) bias of the plain plug-in estimators, and when the rows' random
/// numbers are independent the row bootstrap sees the noise's share of the error too. The
/// subtracted parts are reported (noise_variance, first_order_noise, total_noise). With
/// R = 1 nothing can be corrected and the estimators are the plain ones above.
///
/// Not identifiable. An output that none of the inputs moves has no variance to share out:
/// its indices are 0/0. It is reported as not identifiable (SobolResult::identifiable false,
/// NaN indices, a note) instead of an error, so that the other outputs of the same design
/// keep their indices, when
///   (a) within every row k its value is the same at every point A_k, B_k, A_B^(i)_k of
///       every replication r (the points of a row share their random numbers, so an output
///       the inputs do not touch is exactly equal across the row: no input moves it), or
///   (b) V = 0 (it does not vary over the design), or
///   (c) V_g <= 0: its variance over the design is no larger than its replication noise
///       (the inputs may move it, but by less than the noise can show).
/// With K randomisations the output is not identifiable when any randomisation says so.
/// A bootstrap resample whose V_g is not positive is skipped; when none is left the CIs are
/// NaN.
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
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/names.hpp"

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
  /// The noise parts subtracted from S_i and ST_i, in index units (NaN when R = 1).
  double first_order_noise = 0, total_noise = 0;
};

struct SobolResult {
  double variance = 0;        ///< V, the variance of the (replication-mean) outputs of A and B
  double noise_variance = 0;  ///< its noise part, V - V_g (NaN when R = 1)
  std::vector<SobolIndex> indices;  ///< one per input
  /// False when the output cannot be attributed to the inputs (see "Not identifiable"); the
  /// indices are then NaN and `note` says why.
  bool identifiable = true;
  std::string note;
};

enum class SobolEstimator { combined, saltelli_jansen };
inline constexpr std::array<Named<SobolEstimator>, 2> kSobolEstimatorNames{{
    {SobolEstimator::combined, "combined"},
    {SobolEstimator::saltelli_jansen, "saltelli-jansen"},
}};
constexpr const auto& name_table(SobolEstimator) {
  return kSobolEstimatorNames;
}

struct SobolOptions {
  int bootstrap = 500;  ///< resamples B (0: no CIs, the CI fields equal the estimates)
  std::uint64_t seed = 1;
  double confidence = 0.95;
  SobolEstimator estimator = SobolEstimator::combined;
};

/// Indices from the outputs at the design points (outputs[j N + k], layout as above).
/// Requires outputs.size() == n (d + 2) and finite outputs.
SobolResult sobol_indices(std::span<const double> outputs, std::size_t n, std::size_t d,
                          const SobolOptions& opt = {});

/// Noise-corrected indices from R replications at every point: outputs[(j N + k) R + r]
/// (see "Noise" above; R = 1 gives sobol_indices). An output that is not identifiable (see
/// above) gives NaN indices with identifiable = false.
SobolResult sobol_indices_replicated(std::span<const double> outputs, std::size_t n, std::size_t d,
                                     std::size_t reps, const SobolOptions& opt = {});

/// Indices from K >= 2 randomisations of the design, R replications at each point:
/// outputs[q N (d + 2) R + (j N + k) R + r]. Estimates are means over the K
/// per-randomisation (noise-corrected) estimates, CIs Student t intervals over them;
/// `variance` and the noise parts are the means of the K.
SobolResult sobol_indices_randomised(std::span<const double> outputs, std::size_t n, std::size_t d,
                                     std::size_t k, std::size_t reps = 1, double confidence = 0.95,
                                     SobolEstimator estimator = SobolEstimator::combined);

/// Builds the design, evaluates f at each point (in point order) and estimates the indices.
SobolResult sobol_analysis(std::size_t n, std::size_t d,
                           const std::function<double(std::span<const double>)>& f,
                           const SobolOptions& opt = {});

}  // namespace attendsim
