"""pytest setup for tests/python: the attendsim package from the build tree (CTest sets
PYTHONPATH=build/python), the CLI binary in ATTENDSIM_BIN and the source tree in
ATTENDSIM_SOURCE_DIR."""
import os
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("ATTENDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def source_dir() -> Path:
    return SOURCE


@pytest.fixture(scope="session")
def cli() -> str:
    binary = os.environ.get("ATTENDSIM_BIN", str(SOURCE / "build" / "attendsim"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"attendsim binary not found: {binary} (set ATTENDSIM_BIN)")
    return binary


@pytest.fixture(scope="session")
def mora(source_dir) -> Path:
    return source_dir / "configs" / "mora_2019.toml"
