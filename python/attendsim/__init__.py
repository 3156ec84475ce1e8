"""attendsim from Python: load a config, override parameters, run, compare, sensitivity, evaluate.

    import attendsim
    cfg = attendsim.load("configs/reference.toml",
                         overrides={"coordinators.rr_improve_in_case": 2.0})
    res = attendsim.run(cfg, replications=10, seed=1)
    res.summary            # pandas DataFrame, summary.csv
    attendsim.evaluate(cfg, pandas.DataFrame({"detection.p_consent": [0.7, 0.9]}),
                       metrics=["net_benefit_sek"], replications=10)

run, compare and sensitivity do what the CLI's commands do with the same options and write the
same results folder (`out=`; a temporary one when not given), byte-identical to the CLI's for
the same seed (run.json apart: it holds the wall time). Their tables are read from the files of
that folder. evaluate() writes nothing: one row per parameter set in, metrics out, for samplers
and optimisers. The simulation runs without the GIL, so Python threads can simulate at once.
Bad input raises attendsim.InputError (a ValueError) with the CLI's FILE:LINE: key '...' message.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import InputError

__all__ = ["Config", "InputError", "Results", "load", "run", "compare", "sensitivity",
           "evaluate", "read_results", "__version__"]
__version__ = _core.__version__

Config = _core.Config


def load(config: Union[str, os.PathLike, Mapping, Config],
         overrides: Optional[Mapping[str, object]] = None) -> Config:
    """A config from a TOML file or a dict (the TOML's tables as nested dicts), with
    `overrides` {dotted key: value} applied (a number, a string, or a dict for a distribution,
    e.g. {"base": 0.85, "dist": "beta", "a": 25.8, "b": 4.6}). Every key and value is checked
    as the CLI checks a config; a bad one raises InputError naming it."""
    overrides = dict(overrides or {})
    if isinstance(config, Config):
        if overrides:
            raise InputError("overrides: give them with the config's file or dict, "
                             "not with a loaded Config")
        return config
    if isinstance(config, Mapping):
        return _core.load_dict(dict(config), overrides)
    return _core.load_file(os.fspath(config), overrides)


class Results:
    """A results folder: its CSV files as DataFrames (summary, occupancy, draws, comparison,
    and every other table by name: results.table("twoway")), its JSON files as dicts, and the
    exact (unrounded) mean of every metric by scenario in `means`."""

    def __init__(self, folder: Union[str, os.PathLike], means: Optional[dict] = None,
                 interval: Optional[tuple] = None, keep_files: bool = True):
        self.folder = Path(folder) if keep_files else None
        self.means = means or {}
        self.interval = interval  # (start, end) of the simulation on time.monotonic()'s clock
        self.tables: dict[str, pd.DataFrame] = {}
        self.json: dict[str, object] = {}
        self.text: dict[str, str] = {}
        base = Path(folder)
        for path in sorted(base.iterdir()):
            if path.suffix == ".csv":
                self.tables[path.stem] = pd.read_csv(path)
            elif path.suffix == ".json":
                self.json[path.stem] = json.loads(path.read_text(encoding="utf-8"))
            elif path.suffix in (".md", ".toml"):
                self.text[path.name] = path.read_text(encoding="utf-8")

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise KeyError(f"no {name}.csv in these results (have: {', '.join(sorted(self.tables))})")
        return self.tables[name]

    summary = property(lambda self: self.table("summary"))
    occupancy = property(lambda self: self.table("occupancy"))
    draws = property(lambda self: self.table("draws"))
    comparison = property(lambda self: self.table("comparison"))

    def metric(self, name: str, scenario: Optional[str] = None, subgroup: str = "total") -> pd.Series:
        """One metric's summary row(s) (mean, se, ci_low, ...) from summary.csv."""
        s = self.summary
        s = s[(s["metric"] == name) & (s.get("subgroup", "total") == subgroup)]
        if scenario is not None:
            s = s[s["scenario"] == scenario]
        return s.set_index("scenario")

    def __repr__(self) -> str:
        where = str(self.folder) if self.folder else "(temporary folder, removed)"
        return f"<attendsim.Results {where}: {', '.join(sorted(self.tables))}>"


def read_results(folder: Union[str, os.PathLike]) -> Results:
    """A results folder written by the CLI or by this module."""
    return Results(folder)


def _command(fn, config, out, options, *args):
    cfg = load(config)
    temporary = out is None
    work = tempfile.mkdtemp(prefix="attendsim-") if temporary else None
    try:
        folder = os.path.join(work, "results") if temporary else os.fspath(out)
        options = {k: v for k, v in options.items() if v is not None}
        options["out"] = folder
        r = fn(cfg, options, *args)
        return Results(r["folder"], r["means"], r["interval"], keep_files=not temporary)
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)


def _options(draws, replications, seed, threads, write_draws, full_scenarios,
             allow_other_config, draws_from):
    return dict(draws=draws, replications=replications, seed=seed, threads=threads,
                write_draws=write_draws, full_scenarios=full_scenarios,
                allow_other_config=allow_other_config,
                draws_from=os.fspath(draws_from) if draws_from is not None else None)


def run(config, *, out=None, draws: Optional[int] = None, replications: Optional[int] = None,
        seed: Optional[int] = None, threads: Optional[int] = None, write_draws: bool = False,
        full_scenarios: bool = False, allow_other_config: bool = False,
        draws_from=None) -> Results:
    """`attendsim run CONFIG` with the same options (None: the config's [simulation] value)."""
    return _command(_core.run, config, out,
                    _options(draws, replications, seed, threads, write_draws, full_scenarios,
                             allow_other_config, draws_from))


def compare(config, *, out=None, draws: Optional[int] = None,
            replications: Optional[int] = None, seed: Optional[int] = None,
            threads: Optional[int] = None, write_draws: bool = False,
            full_scenarios: bool = False, allow_other_config: bool = False, draws_from=None,
            roi_target: Optional[float] = None, confidence: Optional[float] = None,
            lang: str = "sv", threshold: bool = True) -> Results:
    """`attendsim compare CONFIG`: comparison.csv is results.comparison; threshold=False is
    the CLI's --no-threshold."""
    return _command(_core.compare, config, out,
                    _options(draws, replications, seed, threads, write_draws, full_scenarios,
                             allow_other_config, draws_from),
                    -1.0 if roi_target is None else float(roi_target),
                    -1.0 if confidence is None else float(confidence), lang, bool(threshold))


def sensitivity(config, method: str, *, params: Union[str, Sequence[str], None] = None,
                out=None, draws: Optional[int] = None, replications: Optional[int] = None,
                seed: Optional[int] = None, threads: Optional[int] = None,
                full_scenarios: bool = False, allow_other_config: bool = False,
                draws_from=None, grid: int = 5, sobol_n: int = 64, bootstrap: int = 500,
                randomisations: int = 1, terminal_events: str = "expected",
                estimator: str = "combined",
                values_per_return: Optional[Sequence[float]] = None) -> Results:
    """`attendsim sensitivity CONFIG --method psa|oneway|twoway|sobol|voi`: the method's table
    is results.table("psa" | "tornado" | "twoway" | "sobol" | "voi")."""
    if params is not None and not isinstance(params, str):
        params = ",".join(params)
    return _command(_core.sensitivity, config, out,
                    _options(draws, replications, seed, threads, False, full_scenarios,
                             allow_other_config, draws_from),
                    method, params or "", int(grid), int(sobol_n), int(bootstrap),
                    int(randomisations), terminal_events, estimator,
                    None if values_per_return is None else [float(v) for v in values_per_return])


def evaluate(config, params, *, names: Optional[Sequence[str]] = None,
             metrics: Optional[Iterable[str]] = None, scenario: Optional[str] = None,
             replications: Optional[int] = None, seed: Optional[int] = None,
             threads: Optional[int] = None, with_se: bool = False,
             full_scenarios: bool = False, terminal_events: str = "config") -> pd.DataFrame:
    """The model as a function: one row per parameter set in, metrics out, no files.

    `params` is a DataFrame whose columns are dotted parameter keys, or a 2-D array with
    `names`. Each row is simulated `replications` times on the streams of a single run (common
    random numbers across rows), so row i equals run(load(config, overrides=row i)) bit for
    bit. Returns the input columns and the mean of each metric (all by default) of `scenario`
    (default: the config's coordinator scenario); with_se adds METRIC_se columns.
    terminal_events "expected" counts completion, summer school and eligibility by their
    probabilities, as sensitivity does (the same expectation, less noise); "config" (the
    default) as the config says, as run does."""
    if isinstance(params, pd.DataFrame):
        names = [str(c) for c in params.columns]
        values = params.to_numpy(dtype=float)
        index = params.index
    else:
        values = np.asarray(params, dtype=float)
        if values.ndim == 1:
            values = values.reshape(1, -1)
        if names is None:
            raise InputError("evaluate: give names= (one dotted key per column) with an array")
        names = [str(n) for n in names]
        index = None
    cfg = load(config)
    r = _core.evaluate(cfg, names, np.ascontiguousarray(values), scenario or "",
                       list(metrics or []), int(replications or 0),
                       -1 if seed is None else int(seed), int(threads or 0), bool(full_scenarios),
                       terminal_events)
    out = pd.DataFrame(values, columns=names, index=index)
    means = pd.DataFrame(r["mean"], columns=r["metrics"], index=out.index)
    out = pd.concat([out, means], axis=1)
    if with_se:
        se = pd.DataFrame(r["se"], columns=[m + "_se" for m in r["metrics"]], index=out.index)
        out = pd.concat([out, se], axis=1)
    out.attrs["interval"] = r["interval"]
    return out
