"""attendsim from Python: load a config, override parameters, run every CLI command, evaluate.

    import attendsim
    cfg = attendsim.load("configs/reference.toml",
                         overrides={"coordinators.rr_improve_in_case": 2.0})
    res = attendsim.run(cfg, replications=10, seed=1)
    res.summary            # pandas DataFrame, summary.csv
    attendsim.evaluate(cfg, pandas.DataFrame({"detection.p_consent": [0.7, 0.9]}),
                       metrics=["net_benefit_sek"], replications=10)

run, compare, sensitivity, threshold, calc, calibrate, synth_register, report and followup are
the CLI's commands: their keyword options are the CLI's (--sobol-n is sobol_n; defaults(command)
lists them with their defaults), filled into the same C++ struct and run by the same function,
so they write the same results folder (`out=`; a temporary one when not given), byte-identical
to the CLI's for the same seed (run.json apart: it holds the wall time). Their tables are read
from the files of that folder. A config loaded with overrides keeps the file's bytes
(config.toml of its results) and records the overrides as overrides.toml, which
`attendsim run config.toml --overrides overrides.toml` reads. evaluate() writes nothing: one row per parameter set in, metrics out, for samplers
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
           "threshold", "calc", "calibrate", "synth_register", "report", "followup", "evaluate",
           "defaults",
           "read_results", "__version__"]
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
                 interval: Optional[tuple] = None, keep_files: bool = True,
                 printed: str = ""):
        self.folder = Path(folder) if keep_files else None
        self.printed = printed  # what the CLI would have printed (calc's table, ...)
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


def defaults(command: str) -> dict:
    """The options of a command (run, compare, sensitivity, threshold, calc, calibrate, report,
    followup) with their defaults: the CLI's options (--long-name as long_name), from the one
    struct the CLI and this module fill (io/commands.hpp). 0, -1 or "" mean "as the config
    says" or "not given", as on the command line."""
    return _core.defaults(command)


def _plain(value):
    """An option's value as the C++ struct takes it (paths as strings)."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def _command(fn, first, out, options):
    """Runs fn(first, options) into `out`, or into a temporary folder that is removed once its
    tables are read."""
    temporary = out is None
    work = tempfile.mkdtemp(prefix="attendsim-") if temporary else None
    try:
        folder = os.path.join(work, "results") if temporary else os.fspath(out)
        options = {k: _plain(v) for k, v in options.items() if v is not None}
        options["out"] = folder
        r = fn(first, options)
        return Results(r["folder"], r["means"], r["interval"], keep_files=not temporary,
                       printed=r["printed"])
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)


def run(config, *, out=None, **options) -> Results:
    """`attendsim run CONFIG` with the CLI's options as keywords (draws, replications, seed,
    threads, write_draws, full_scenarios, allow_other_config, max_memory_gib, max_hours,
    draws_from; not given: the CLI's default, see defaults("run")). Writes the CLI's folder
    into `out` (a temporary one when None)."""
    return _command(_core.run, load(config), out, options)


def compare(config, *, out=None, threshold: bool = True, **options) -> Results:
    """`attendsim compare CONFIG` (options: defaults("compare"); roi_target, confidence, lang,
    ...): comparison.csv is results.comparison; threshold=False is the CLI's --no-threshold."""
    if not threshold:
        options["no_threshold"] = True
    return _command(_core.compare, load(config), out, options)


def _keys(value):
    """A comma-separated list of keys from a string or a sequence of strings."""
    if value is None or isinstance(value, str):
        return value
    return ",".join(str(v) for v in value)


def sensitivity(config, method: Optional[str] = None, *, out=None, params=None,
                **options) -> Results:
    """`attendsim sensitivity CONFIG --method psa|oneway|twoway|sobol|voi` (options:
    defaults("sensitivity"); grid, sobol_n, bootstrap, randomisations, terminal_events,
    estimator, values_per_return, ...): the method's table is results.table("psa" | "tornado" |
    "twoway" | "sobol" | "voi"). Without a method, target_se="METRIC=VALUE" (with batch and
    max_replications) adds replications until the standard error is reached:
    results.table("target_se")."""
    if method is not None:
        options["method"] = method
    options["params"] = _keys(params)
    if options.get("values_per_return") is not None:
        options["values_per_return"] = [float(v) for v in options["values_per_return"]]
    return _command(_core.sensitivity, load(config), out, options)


def threshold(config, *, out=None, param: Optional[str] = None, target=None, range=None,
              scenarios=None, **options) -> Results:
    """`attendsim threshold CONFIG`: per scenario, the value of `param` (default the
    coordinators' effect) at which net benefit is 0 (metric="roi": ROI reaches its target);
    range=(lo, hi) to search, scenarios=[names] (options: defaults("threshold"); grid, batches,
    replications, seed, ...). results.table("threshold"); into a compare folder it adds
    threshold.csv and the brief's section, as the CLI does."""
    options["param"] = param
    if target is not None:
        options["target"] = target if isinstance(target, str) else repr(float(target))
    if range is not None:
        options["range"] = range if isinstance(range, str) else ",".join(
            repr(float(v)) for v in range)
    if scenarios is not None:
        options["scenarios"] = [scenarios] if isinstance(scenarios, str) else list(scenarios)
    return _command(_core.threshold, load(config), out, options)


def calc(config, *, out=None, **options) -> Results:
    """`attendsim calc CONFIG`: the plan's own calculation beside the simulated ROI
    (options: replications, seed, threads). results.json["calc"] is calc.json; results.printed
    the CLI's table."""
    return _command(_core.calc, load(config), out, options)


def calibrate(config, *, out=None, register=None, targets=None, case_log=None, params=None,
              **options) -> Results:
    """`attendsim calibrate CONFIG --register FILE | --targets FILE [--case-log FILE]`:
    results.text["calibrated.toml"] is the calibrated config, results.json["fit"] the fit
    report (options: defaults("calibrate"); prior_draws, posterior_draws, pupils, scenario,
    fit_draws, seed, threads)."""
    options.update(register=register, targets=targets, case_log=case_log)
    if params is not None:
        options["params"] = [params] if isinstance(params, str) else [str(p) for p in params]
    return _command(_core.calibrate, load(config), out, options)


def synth_register(config, *, out, **options) -> pd.DataFrame:
    """`attendsim synth-register CONFIG --pupils N --months M --out FILE.csv`: a register
    extract simulated from the config's base parameters (options: pupils, months, seed,
    start_year), written to `out` and returned."""
    options = {k: _plain(v) for k, v in options.items() if v is not None}
    options["out"] = os.fspath(out)
    r = _core.synth_register(load(config), options)
    return pd.read_csv(r["folder"])


def report(results, *, lang: Optional[str] = None, out=None) -> Path:
    """`attendsim report RESULTS_DIR`: writes the HTML report (default
    RESULTS_DIR/report_LANG.html) and returns its path."""
    folder = results.folder if isinstance(results, Results) else results
    if folder is None:
        raise InputError("report: these results were in a temporary folder; run with out=")
    options = {k: _plain(v) for k, v in dict(lang=lang, out=out).items() if v is not None}
    return Path(_core.report(os.fspath(folder), options)["folder"])


def followup(results, observed, *, scenario: Optional[str] = None) -> pd.DataFrame:
    """`attendsim followup RESULTS_DIR OBSERVED.csv`: adds followup.csv (observed values beside
    the forecast interval) to the results folder and returns it."""
    folder = results.folder if isinstance(results, Results) else results
    if folder is None:
        raise InputError("followup: these results were in a temporary folder; run with out=")
    options = {} if scenario is None else {"scenario": scenario}
    r = _core.followup(os.fspath(folder), os.fspath(observed), options)
    return pd.read_csv(Path(r["folder"]) / "followup.csv")


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
