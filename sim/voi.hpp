#pragma once
/// Expected value of perfect (and partial perfect) information from PSA draws.
///
/// Net benefits are a K x D matrix NB (K parameter draws, D decision options, same units
/// for all, e.g. SEK for the population affected).
///   EVPI = (1/K) sum_k max_d NB_kd - max_d (1/K) sum_k NB_kd
/// (what a decision maker would pay to learn every parameter before choosing).
///
/// EVPPI of a parameter (or group) phi by a regression metamodel (Strong, Oakley & Brennan
/// 2014): for each option d >= 1 the incremental net benefit INB_kd = NB_kd - NB_k0 is
/// regressed on a basis of phi's draws, g_d(phi) ~ E[INB_d | phi], by least squares (Eigen
/// ColPivHouseholderQR, which also copes with rank-deficient bases); g_0 = 0. Then
///   EVPPI(phi) = (1/K) sum_k max_d g_d(phi_k) - max_d (1/K) sum_k g_d(phi_k)
/// (equivalent to regressing every NB_d, by linearity of least squares). OLS with an
/// intercept keeps mean(g_d) = mean(INB_d), so EVPPI >= 0 and the second term is the same
/// as EVPI's.
///
/// Basis (documented choice): one restricted (natural) cubic spline per parameter column
/// (Harrell's parameterisation): columns x and, for knots t_1 < ... < t_m at the sample
/// quantiles 0.05, ..., 0.95 (equally spaced in probability), the m - 2 terms
///   c_j(x) = [(x - t_j)_+^3 - (x - t_{m-1})_+^3 (t_m - t_j)/(t_m - t_{m-1})
///             + (x - t_m)_+^3 (t_{m-1} - t_j)/(t_m - t_{m-1})] / (t_m - t_1)^2,
/// which are cubic between knots and linear beyond the outer knots (stable in the tails).
/// x is standardised first. A group of parameters (e.g. a Dirichlet row) gets the additive
/// (GAM-like) sum of its members' splines plus one intercept: no interactions, which suits
/// groups whose effects are close to additive over their plausible range. m = 5 knots by
/// default, fewer when draws are scarce (m = 4 below 200 draws, 3 below 60); a constant
/// column contributes nothing. The regression smooths the simulator's noise out of
/// E[INB | phi]; its own overfitting adds a small positive bias of order
/// sd(INB) sqrt(columns / K), so an irrelevant parameter gets EVPPI ~ 0, not exactly 0.
#include <Eigen/Dense>
#include <vector>

namespace attendsim {

/// EVPI of a K x D net-benefit matrix (K >= 1, D >= 1).
double evpi(const Eigen::MatrixXd& net_benefit);

/// The regression basis for draws x (K x p, one column per parameter of the group):
/// intercept, then each column's restricted cubic spline with `knots` knots (3..7).
Eigen::MatrixXd evppi_basis(const Eigen::MatrixXd& x, int knots);

/// Knots used by default for K draws: 5, or 4 below 200 draws, or 3 below 60.
int default_evppi_knots(Eigen::Index draws);

/// EVPPI of the parameter(s) whose draws are the columns of x (K rows, as net_benefit).
/// knots = 0: default_evppi_knots(K). Requires K >= 10.
double evppi(const Eigen::MatrixXd& net_benefit, const Eigen::MatrixXd& x, int knots = 0);

}  // namespace attendsim
