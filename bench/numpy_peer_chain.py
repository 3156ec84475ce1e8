#!/usr/bin/python3
"""A plain vectorised NumPy simulator of the peers' 5-state chain (bench/peer_chain.py), the
yardstick of issue 17: for each PSA draw, N pupils step 36 months; each month one uniform per
pupil picks the next state by inversion on the cumulative row of its current state.

Prints pupil-months per second and the mean occupancy at month 36 beside pi0 P^36 of the base
matrix (a check that both simulators run the same chain).
Run: /usr/bin/python3 bench/numpy_peer_chain.py --pupils 100000 --draws 100
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_chain  # noqa: E402


def simulate(p, pupils, months, rng, method):
    """Occupancy by month (months x 5) of one draw's chain with matrix p.
    gather: the cumulative rows of the pupils' states gathered as an N x 4 array and compared
            with u (the plain form: the issue's 26-36 M pupil-months/s);
    take:   each of the 4 cut points gathered by np.take into its own vector (about 4x faster)."""
    cum = np.cumsum(p, axis=1)[:, :4]  # the 5th cut is 1
    cols = [np.ascontiguousarray(cum[:, k]) for k in range(4)]
    state = rng.choice(5, size=pupils, p=peer_chain.START + [0.0]).astype(np.intp)
    occ = np.empty((months, 5), dtype=np.int64)
    for t in range(months):
        u = rng.random(pupils)
        if method == "gather":
            state = (u[:, None] >= cum[state]).sum(axis=1)
        else:
            n = (u >= cols[0].take(state)).astype(np.intp)
            for k in range(1, 4):
                n += u >= cols[k].take(state)
            state = n
        occ[t] = np.bincount(state, minlength=5)
    return occ


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pupils", type=int, default=100000)
    ap.add_argument("--draws", type=int, default=100)
    ap.add_argument("--months", type=int, default=peer_chain.MONTHS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--method", choices=["gather", "take"], default="gather")
    a = ap.parse_args()
    mats = peer_chain.psa_matrices(a.draws) if a.draws > 1 else [peer_chain.monthly_matrix(peer_chain.RATES)]
    rng = np.random.default_rng(a.seed)
    start, cpu = time.perf_counter(), time.process_time()
    total = np.zeros((a.months, 5))
    for p in mats:
        total += simulate(p, a.pupils, a.months, rng, a.method)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    pm = a.pupils * a.months * len(mats)
    print("numpy (%s): %d draws x %d pupils x %d months = %d pupil-months in %.2f s wall "
          "(%.1f M/s), %.2f s CPU (%.1f M/s)"
          % (a.method, len(mats), a.pupils, a.months, pm, wall, pm / wall / 1e6, cpu,
             pm / cpu / 1e6))
    base = peer_chain.monthly_matrix(peer_chain.RATES)
    pi = np.array(peer_chain.START + [0.0]) @ np.linalg.matrix_power(base, a.months)
    print("occupancy share at month %d: simulated %s, pi0 P^t of the base matrix %s"
          % (a.months, np.round(total[-1] / total[-1].sum(), 4), np.round(pi, 4)))


if __name__ == "__main__":
    main()
