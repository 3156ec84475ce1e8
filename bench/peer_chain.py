#!/usr/bin/python3
"""The peers' 5-state chain (issue 17) as an attendsim config and a PSA draws file.

States: regular, at risk (attendsim's "worrying"), high, long absence ("extensive"), left.
Monthly rates (a continuous-time generator Q, diagonal = minus the row's exits):
  regular -> at risk 0.060, -> left 0.003
  at risk -> regular 0.250, -> high 0.100, -> left 0.004
  high    -> at risk 0.150, -> long 0.080, -> left 0.005
  long    -> high 0.050, -> left 0.008
The monthly transition matrix is P = expm(Q). attendsim draws leaving by state with the
transition (transitions.leaving.p_leave_by_state = P[s][left]) and the attendance row given no
leaving (P[s][j] / (1 - P[s][left])), so that its row (1 - l_s) P'[s] + l_s on left is P[s].

PSA: each log-rate ~ Normal(log base, 0.2), P = expm(Q) per draw. attendsim's schema cannot say
that itself (its uncertain parameters are the entries of P, not the rates behind them), so the
draws are written here, one row per draw, for `attendsim run --draws-from`.

Writes bench/peer_chain.toml and bench/peer_chain_psa.csv (100 draws, numpy seed 17).
Run: /usr/bin/python3 bench/peer_chain.py
"""
import os

import numpy as np

STATES = ["regular", "worrying", "high", "extensive", "left"]
RATES = {  # (from, to): monthly rate
    (0, 1): 0.060, (0, 4): 0.003,
    (1, 0): 0.250, (1, 2): 0.100, (1, 4): 0.004,
    (2, 1): 0.150, (2, 3): 0.080, (2, 4): 0.005,
    (3, 2): 0.050, (3, 4): 0.008,
}
START = [0.70, 0.15, 0.10, 0.05]
MONTHS = 36
PSA_DRAWS = 100
PSA_SD = 0.2


def generator(rates):
    q = np.zeros((5, 5))
    for (i, j), r in rates.items():
        q[i, j] = r
    q[np.diag_indices(5)] = -q.sum(axis=1)
    return q


def expm(a):
    """Matrix exponential by scaling and squaring of a Taylor series (||A|| < 1 after
    scaling; 30 terms give double precision for these small rates)."""
    k = max(0, int(np.ceil(np.log2(max(np.abs(a).sum(axis=1).max(), 1e-300)))) + 4)
    b = a / 2.0**k
    term = np.eye(len(a))
    s = np.eye(len(a))
    for n in range(1, 30):
        term = term @ b / n
        s = s + term
    for _ in range(k):
        s = s @ s
    return s


def monthly_matrix(rates):
    return expm(generator(rates))


def attendsim_rows(p):
    """(rows given no leaving, leaving by state) of a 5x5 P."""
    leave = p[:4, 4].copy()
    rows = p[:4, :4] / (1.0 - leave)[:, None]
    return rows, leave


def fmt(v):
    return repr(float(v))


def config_text(p):
    rows, leave = attendsim_rows(p)
    out = []
    w = out.append
    w("# The peers' 5-state chain of issue 17, written by bench/peer_chain.py (do not edit by hand).")
    w("# regular, at risk (worrying), high, long absence (extensive), left; P = expm(Q) of the")
    w("# monthly rates in bench/peer_chain.py; 36 months with a transition in every month;")
    w("# start 70/15/10/5 %; coordinators, duration, seasonality, relapse, detection and")
    w("# placements off. PSA (each log-rate ~ Normal(log base, 0.2)): run with")
    w("#   --draws-from bench/peer_chain_psa.csv   (100 draws of P computed by the script)")
    w('name = "peer_chain"')
    w('description = "Peers\' 5-state benchmark chain (issue 17), P = expm(Q)"')
    w("")
    w("[simulation]")
    w("horizon_years = %d" % (MONTHS // 12))
    w("seed = 1")
    w("draws = 1")
    w("replications = 1")
    w("")
    w("[population]")
    w("pupils = 100000")
    w("grade_min = 0")
    w("grade_max = 0")
    w("new_cohort_each_year = false")
    w("grade_progression = false")
    w("share_girls = 0.5")
    for band in ["grade0_6", "grade7_9", "grade10_12"]:
        w("[population.prevalence.%s]" % band)
        w("worrying = %s" % fmt(START[1]))
        w("high = %s" % fmt(START[2]))
        w("extensive = %s" % fmt(START[3]))
    w("")
    w("[transitions]")
    w('months = "all"   # a transition in every month, July and August included')
    for band in ["grade0_6", "grade7_9", "grade10_12"]:
        w("[transitions.%s]   # P[s][j] / (1 - P[s][left])" % band)
        for s in range(4):
            w("%s = [%s]" % (STATES[s], ", ".join(fmt(v) for v in rows[s])))
    w("[transitions.duration]")
    w("enabled = false")
    w("high_exit_mult = [1.0, 1.0, 1.0]")
    w("extensive_exit_mult = [1.0, 1.0, 1.0]")
    w("[transitions.relapse]")
    w("enabled = false")
    w("mult = 1.0")
    w("months = 0")
    w("[transitions.seasonality]")
    w("enabled = false")
    w("worsen_mult_sep_to_jun = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]")
    w("[transitions.leaving]")
    w("enabled = true")
    w("p_leave_per_month = 0.0")
    w("p_leave_by_state = [%s]   # P[s][left]" % ", ".join(fmt(v) for v in leave))
    w("")
    w("[detection]")
    w("p_detect_per_month = 0.0")
    w("school_action_months = 2")
    w("p_refer_boys = 0.5")
    w("referral_ratio_girls_vs_boys = 1.0")
    w("p_consent = 0.85")
    w("")
    w("[coordinators]")
    w("enabled = false")
    w("caseload_per_fte = 10")
    w("share_fte_on_casework = 0.7")
    w("rampup_months = 0")
    w("rampup_effect_share = 1.0")
    w("close_after_regular_months = 3")
    w("max_case_months = 24")
    w("rr_improve_in_case = 1.0")
    w("rr_worsen_in_case = 1.0")
    w("effect_mult_extensive_vs_high = 1.0")
    w("effect_mult_grades_0_4 = 1.0")
    w("effect_decay_per_month_after_close = 0.0")
    w("")
    w("[outcomes]")
    w("sustained_return_months = 3")
    w("p_eligible_by_state = [0.9, 0.8, 0.6, 0.3]")
    w("p_complete_if_eligible_by_state = [0.9, 0.8, 0.6, 0.3]")
    w("p_complete_if_not_eligible = 0.15")
    w("share_eligible_at_start_upper_sec = 0.86")
    w("p_repeat_year_per_extensive_year_upper_sec = 0.0")
    w("p_summer_school_if_high_or_extensive_grade8_9 = 0.0")
    w("p_placement_per_year_if_extensive = 0.0")
    w("")
    w("[economics]")
    w('perspective = "municipality"')
    w("discount_rate = 0.0")
    w("cost_per_fte_year_sek = 0")
    w("team_overhead_sek_per_year = 0")
    w("cost_repeated_year_sek = 0")
    w("cost_summer_school_sek = 0")
    w("cost_placement_per_day_sek = 0")
    w("placement_months_if_placed = 0")
    w("longterm_loss_noncompletion_undiscounted_sek = 0")
    w("longterm_loss_public_share = 0.5")
    w("longterm_loss_municipal_share_of_public = 0.35")
    return "\n".join(out) + "\n"


def psa_rates(rng):
    return {k: float(np.exp(np.log(v) + PSA_SD * rng.standard_normal())) for k, v in RATES.items()}


def psa_csv(draws):
    cols = ["draw"]
    for band in ["grade0_6", "grade7_9", "grade10_12"]:
        for s in range(4):
            cols += ["transitions.%s.%s[%d]" % (band, STATES[s], j) for j in range(4)]
    cols += ["transitions.leaving.p_leave_by_state[%d]" % s for s in range(4)]
    lines = [",".join(cols)]
    for d, p in enumerate(draws):
        rows, leave = attendsim_rows(p)
        vals = [str(d)]
        for _ in range(3):
            vals += [fmt(v) for v in rows.reshape(-1)]
        vals += [fmt(v) for v in leave]
        lines.append(",".join(vals))
    return "\n".join(lines) + "\n"


def psa_matrices(n=PSA_DRAWS, seed=17):
    rng = np.random.default_rng(seed)
    return [monthly_matrix(psa_rates(rng)) for _ in range(n)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "peer_chain.toml"), "w") as f:
        f.write(config_text(monthly_matrix(RATES)))
    with open(os.path.join(here, "peer_chain_psa.csv"), "w") as f:
        f.write(psa_csv(psa_matrices()))


if __name__ == "__main__":
    main()
