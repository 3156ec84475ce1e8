"""Every command of the module against the CLI (issues #19, #12): the module fills the
command's own option struct (io/commands.hpp) and calls the CLI's function, so its folder is the
CLI's byte for byte for the same seed and options; a bad option raises InputError naming it;
and a results folder made with overrides records them so that `attendsim run` reruns it.
Small configs (Mora and Uppsala 2018 cut to a few hundred pupils): a few seconds in all."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import attendsim

SECONDS = re.compile(r"seconds")


def run_cli(cli, *args):
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True)


def small(source: Path, folder: Path, pupils: int) -> Path:
    """`source` with [population] pupils set to `pupils` (the file otherwise unchanged)."""
    text = source.read_text()
    text, n = re.subn(r"(?m)^pupils = \d+", f"pupils = {pupils}", text, count=1)
    assert n == 1
    out = folder / source.name
    out.write_text(text)
    return out


@pytest.fixture(scope="module")
def mora_small(source_dir, tmp_path_factory) -> Path:
    return small(source_dir / "configs" / "mora_2019.toml", tmp_path_factory.mktemp("cfg"), 400)


@pytest.fixture(scope="module")
def uppsala_small(source_dir, tmp_path_factory) -> Path:
    return small(source_dir / "configs" / "uppsala_2018.toml", tmp_path_factory.mktemp("cfg"), 600)


def without_times(value):
    """A JSON value without the wall times it records (every key naming seconds)."""
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if not SECONDS.search(k)}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def assert_same_folder(a: Path, b: Path, skip_keys=()):
    """The same files, byte for byte; JSON files but for their wall times (and `skip_keys`)."""
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        if name.endswith(".json"):
            ja = without_times(json.loads((a / name).read_text()))
            jb = without_times(json.loads((b / name).read_text()))
            for k in skip_keys:
                ja.pop(k, None)
                jb.pop(k, None)
            assert ja == jb, name
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


# ---- the same bytes as the CLI ---------------------------------------------------------------

def test_threshold_matches_cli(cli, mora_small, tmp_path):
    opts = ["--replications", 4, "--batches", 2, "--grid", 3, "--seed", 2, "--threads", 2]
    r = run_cli(cli, "threshold", mora_small, *opts, "--quiet", "--out", tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    res = attendsim.threshold(mora_small, replications=4, batches=2, grid=3, seed=2, threads=2,
                              out=tmp_path / "py")
    assert_same_folder(tmp_path / "cli", tmp_path / "py")
    assert len(res.table("threshold")) >= 1


def test_threshold_into_a_compare_folder_adds_the_brief_section(cli, mora_small, tmp_path):
    """Into a compare folder threshold adds threshold.csv and decision.md's section, as the
    CLI does (the same function)."""
    for who in ("cli", "py"):
        attendsim.compare(mora_small, draws=1, replications=2, seed=4, threads=2,
                          threshold=False, out=tmp_path / who)
    r = run_cli(cli, "threshold", mora_small, "--replications", 4, "--batches", 2, "--grid", 3,
                "--seed", 4, "--range", "1,3", "--quiet", "--out", tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    attendsim.threshold(mora_small, replications=4, batches=2, grid=3, seed=4, range=(1, 3),
                        out=tmp_path / "py")
    assert_same_folder(tmp_path / "cli", tmp_path / "py")
    assert "threshold.csv" in {p.name for p in (tmp_path / "py").iterdir()}


def test_calc_matches_cli(cli, uppsala_small, tmp_path):
    r = run_cli(cli, "calc", uppsala_small, "--replications", 2, "--seed", 3, "--threads", 2,
                "--out", tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    res = attendsim.calc(uppsala_small, replications=2, seed=3, threads=2, out=tmp_path / "py")
    assert_same_folder(tmp_path / "cli", tmp_path / "py")
    assert res.printed == r.stdout  # the CLI's table, word for word
    # The plan's own figure, from the seed (13 638 200 SEK of savings for 4 875 772 SEK): 2.80.
    assert res.json["calc"]["plan"]["return_per_sek"] == pytest.approx(13638200 / 4875772)
    # Without out= the folder is temporary and the table is still there.
    assert attendsim.calc(uppsala_small, replications=2, seed=3).printed == r.stdout


def test_target_se_matches_cli(cli, mora_small, tmp_path):
    opts = ["--target-se", "sustained_returns=50", "--batch", 4, "--max-replications", 8,
            "--seed", 6]
    r = run_cli(cli, "sensitivity", mora_small, *opts, "--quiet", "--out", tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    res = attendsim.sensitivity(mora_small, target_se="sustained_returns=50", batch=4,
                                max_replications=8, seed=6, out=tmp_path / "py")
    assert_same_folder(tmp_path / "cli", tmp_path / "py")
    assert res.table("target_se").shape[0] >= 1


def test_report_and_followup_match_cli(cli, mora_small, tmp_path):
    attendsim.compare(mora_small, draws=3, replications=2, seed=5, threads=2, threshold=False,
                      out=tmp_path / "cli")
    shutil.copytree(tmp_path / "cli", tmp_path / "py")
    r = run_cli(cli, "report", tmp_path / "cli", "--lang", "en")
    assert r.returncode == 0, r.stderr
    html = attendsim.report(tmp_path / "py", lang="en")
    assert html == tmp_path / "py" / "report_en.html"
    assert html.read_bytes() == (tmp_path / "cli" / "report_en.html").read_bytes()
    observed = tmp_path / "observed.csv"
    scenario = list(json.loads((tmp_path / "cli" / "summary.json").read_text())["scenarios"])[1]
    observed.write_text(f"scenario,metric,value\n{scenario},sustained_returns,3\n")
    r = run_cli(cli, "followup", tmp_path / "cli", observed, "--quiet")
    assert r.returncode == 0, r.stderr
    table = attendsim.followup(tmp_path / "py", observed)
    assert_same_folder(tmp_path / "cli", tmp_path / "py")
    assert list(table["metric"]) == ["sustained_returns"]


def test_calibrate_matches_cli(cli, mora_small, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("target,band,gender,period,value,se\n"
                       "prevalence_high_or_extensive,grade7_9,all,Y1,0.12,0.02\n")
    opts = ["--targets", targets, "--params", "transitions.relapse.mult", "--prior-draws", 6,
            "--pupils", 200, "--seed", 7, "--threads", 2]
    r = run_cli(cli, "calibrate", mora_small, *opts, "--quiet", "--out", tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    res = attendsim.calibrate(mora_small, targets=targets, params=["transitions.relapse.mult"],
                              prior_draws=6, pupils=200, seed=7, threads=2, out=tmp_path / "py")
    assert_same_folder(tmp_path / "cli", tmp_path / "py")
    # Not given: the CLI's default, 200 posterior draws or fewer when fewer prior samples.
    assert len(res.table("posterior_draws")) == 6
    assert "calibrated.toml" in res.text


def test_synth_register_matches_cli(cli, mora_small, tmp_path):
    r = run_cli(cli, "synth-register", mora_small, "--pupils", 50, "--months", 14, "--seed", 3,
                "--out", tmp_path / "cli.csv")
    assert r.returncode == 0, r.stderr
    table = attendsim.synth_register(mora_small, pupils=50, months=14, seed=3,
                                     out=tmp_path / "py.csv")
    assert (tmp_path / "py.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    # 14 calendar months from September hold 12 school months (10 + September and October).
    assert table["year_month"].nunique() == 12
    with pytest.raises(attendsim.InputError, match="--months"):
        attendsim.synth_register(mora_small, pupils=50, months=0, out=tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_defaults_are_the_structs():
    """The defaults the CLI documents in its --help (and DESIGN.md), read from the structs."""
    d = attendsim.defaults("sensitivity")
    assert d["grid"] == 5 and d["sobol_n"] == 64 and d["terminal_events"] == "expected"
    assert attendsim.defaults("threshold")["param"] == "coordinators.rr_improve_in_case"
    assert attendsim.defaults("run")["seed"] == -1  # not given: the config's [simulation] seed
    with pytest.raises(attendsim.InputError, match="no command 'tornado'"):
        attendsim.defaults("tornado")


# ---- bad options name the option ------------------------------------------------------------

@pytest.mark.parametrize("call, option", [
    (lambda c, o: attendsim.threshold(c, grid=1, out=o), "--grid"),
    (lambda c, o: attendsim.threshold(c, metric="cost", out=o), "--metric"),
    (lambda c, o: attendsim.calc(c, replications=-3, out=o), "--replications"),
    (lambda c, o: attendsim.sensitivity(c, target_se="roi=abc", out=o), "--target-se"),
    (lambda c, o: attendsim.sensitivity(c, "twoway", grid=99, out=o), "--grid"),
    (lambda c, o: attendsim.compare(c, lang="fr", out=o), "--lang"),
    (lambda c, o: attendsim.calibrate(c, targets=o / "none.csv", params=["x"], prior_draws=1,
                                      out=o), "--prior-draws"),
    (lambda c, o: attendsim.run(c, replictions=3, out=o), "'replictions'"),
    (lambda c, o: attendsim.run(c, seed="one", out=o), "'seed'"),
    # The work limits of the CLI hold in the module too (the same options struct).
    (lambda c, o: attendsim.run(c, replications=1000, max_hours=1e-5, out=o), "--max-hours"),
    (lambda c, o: attendsim.compare(c, max_hours=0, out=o), "--max-hours"),
    (lambda c, o: attendsim.sensitivity(c, "sobol", sobol_n=100000000, out=o),
     "--max-memory-gib"),
    (lambda c, o: attendsim.calc(c, replications=100000, max_hours=1e-4, out=o), "--max-hours"),
])
def test_bad_options_raise_naming_the_option(mora_small, tmp_path, call, option):
    with pytest.raises(attendsim.InputError) as e:
        call(mora_small, tmp_path / "out")
    assert option in str(e.value)
    assert not (tmp_path / "out").exists()


def test_bad_report_options_name_the_option(mora_small, tmp_path):
    attendsim.run(mora_small, replications=2, seed=1, out=tmp_path / "res")
    with pytest.raises(attendsim.InputError, match="--lang"):
        attendsim.report(tmp_path / "res", lang="fr")
    with pytest.raises(attendsim.InputError, match="--out must name an .html file"):
        attendsim.report(tmp_path / "res", out=tmp_path / "report.txt")
    missing = tmp_path / "obs.csv"
    missing.write_text("metric,value\nno_such_metric,1\n")
    with pytest.raises(attendsim.InputError, match="no_such_metric"):
        attendsim.followup(tmp_path / "res", missing)


# ---- overrides: the folder records them, and `attendsim run` reruns them ---------------------

def test_overrides_are_recorded_and_rerun_by_the_cli(cli, mora_small, tmp_path):
    overrides = {"detection.p_consent": 0.5 + 1 / 3,  # no short decimal form: every bit
                 "coordinators.rr_improve_in_case": {"base": 2.0, "dist": "lognormal",
                                                     "mu": 0.69, "sigma": 0.2},
                 "population.pupils": 300}
    cfg = attendsim.load(mora_small, overrides=overrides)
    py = attendsim.run(cfg, replications=3, seed=9, threads=2, write_draws=True,
                       out=tmp_path / "py")
    folder = tmp_path / "py"
    # The config's own bytes, comments and all; the overrides beside them, in the order given.
    assert (folder / "config.toml").read_bytes() == mora_small.read_bytes()
    text = (folder / "overrides.toml").read_text()
    keys = [line.split(" = ")[0] for line in text.splitlines() if not line.startswith("#")]
    assert keys == list(overrides)
    # A float in its shortest exact form (Python's repr is one such form), a dict inline.
    assert f"detection.p_consent = {overrides['detection.p_consent']!r}\n" in text
    assert "coordinators.rr_improve_in_case = { base = 2.0, dist = " in text
    run_json = json.loads((folder / "run.json").read_text())
    assert run_json["overrides_file"] == "overrides.toml"
    assert run_json["config_hash"] == cfg.hash != attendsim.load(mora_small).hash
    # Rerun from what the folder records: the same results, byte for byte.
    r = run_cli(cli, "run", folder / "config.toml", "--overrides", folder / "overrides.toml",
                "--seed", run_json["seed"], "--replications", run_json["replications"],
                "--draws", run_json["draws"], "--write-draws", "--quiet", "--out",
                tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    assert_same_folder(folder, tmp_path / "cli", skip_keys=("config_file",))
    # The overridden values are what ran: fewer pupils than the file's 400.
    assert py.means["baseline"] != attendsim.run(mora_small, replications=3, seed=9).means[
        "baseline"]


def test_a_bad_overrides_file_names_its_line_and_key(cli, mora_small, tmp_path):
    bad = tmp_path / "overrides.toml"
    bad.write_text("# two overrides\npopulation.pupils = 300\ndetection.p_consent = 1.5\n")
    r = run_cli(cli, "run", mora_small, "--overrides", bad, "--quiet", "--out", tmp_path / "x")
    assert r.returncode == 2
    assert f"{bad}:3: key 'detection.p_consent'" in r.stderr
    assert not (tmp_path / "x").exists()
    with pytest.raises(attendsim.InputError, match=r"<overrides>:\d+: key 'detection\.p_consent'"):
        attendsim.load(mora_small, overrides={"detection.p_consent": 1.5})
