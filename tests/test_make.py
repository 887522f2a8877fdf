"""The two commands a new user runs, and the developer's quick loop: `make test` first
makes sure of the system tools the tests need (scripts/test-tools), `make test-fast`
leaves out only the browser and the slow tests."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / "scripts" / "test-tools"


def fake(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def bare_path(tmp_path) -> Path:
    """A PATH with none of the tools: only a stand-in for `id`, set by each test."""
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def run_script(folder: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "FACTCHECK_CHROMIUM"}
    return subprocess.run(
        ["/bin/sh", str(SCRIPT)],
        env=clean | {"PATH": str(folder)} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_a_way_to_install_it_names_the_command_and_runs_nothing(bare_path):
    fake(bare_path, "id", "echo 1000")  # not root, and no sudo on the PATH

    result = run_script(bare_path)

    assert result.returncode == 1
    assert "The tests need chromium wrk, which this machine lacks" in result.stderr
    assert "    sudo apt-get install -y chromium wrk" in result.stderr


def test_as_root_it_installs_what_is_missing_with_apt(bare_path, tmp_path):
    log = tmp_path / "apt.log"
    fake(bare_path, "id", "echo 0")
    # Debian's package manager, played here: it logs its arguments and "installs".
    fake(
        bare_path,
        "apt-get",
        f'echo "$@" >> {log}; /usr/bin/touch {bare_path}/wrk; /bin/chmod +x {bare_path}/wrk',
    )
    fake(bare_path, "chromium", "exit 0")

    result = run_script(bare_path)

    assert result.returncode == 0, result.stderr
    assert "Installing wrk for the tests: apt-get install -y wrk" in result.stderr
    assert log.read_text().splitlines() == ["install -y -q wrk"]


def test_with_passwordless_sudo_it_installs_through_sudo(bare_path, tmp_path):
    log = tmp_path / "sudo.log"
    fake(bare_path, "id", "echo 1000")
    fake(bare_path, "sudo", f'[ "$2" = true ] && exit 0; printf "%s\\n" "$*" >> {log}; shift; "$@"')
    fake(
        bare_path,
        "apt-get",
        f"/usr/bin/touch {bare_path}/chromium {bare_path}/wrk; /bin/chmod +x {bare_path}/*",
    )

    result = run_script(bare_path)

    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == ["-n apt-get install -y -q chromium wrk"]


def test_an_install_that_fails_says_what_is_still_missing(bare_path):
    fake(bare_path, "id", "echo 0")
    fake(bare_path, "apt-get", "exit 100")

    result = run_script(bare_path)

    assert result.returncode == 1
    assert "Could not install chromium wrk" in result.stderr


def test_with_everything_present_it_says_nothing(bare_path):
    fake(bare_path, "id", "echo 1000")
    fake(bare_path, "wrk", "exit 0")
    fake(bare_path, "my-chromium", "exit 0")

    result = run_script(bare_path, FACTCHECK_CHROMIUM=str(bare_path / "my-chromium"))

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def make_commands(target: str) -> list[str]:
    """The commands `make TARGET` would run, in order (make -n runs none of them), as a
    new user's `make` would: without the variables of a `make` running these tests
    (CI's `make test PYTEST_ARGS=…` passes them down through MAKEFLAGS)."""
    inherited = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "PYTEST_ARGS"}
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", target],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in inherited},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_test_makes_sure_of_the_tools_then_lints_types_and_runs_everything():
    commands = make_commands("test")
    steps = [next(i for i, c in enumerate(commands) if word in c) for word in STEPS]
    assert steps == sorted(steps), commands
    # Over the CPUs (pytest-xdist), but nothing left out.
    assert commands[-1] == ".venv/bin/python -m pytest -n auto "


STEPS = ["scripts/test-tools", "ruff check", "ruff format --check", "mypy", "-m pytest"]


def test_make_test_fast_leaves_out_only_the_browser_and_the_slow_tests():
    (command,) = [c for c in make_commands("test-fast") if "-m pytest" in c]
    marker = shlex.split(command)[shlex.split(command).index("-m", 2) + 1]
    assert marker == "not browser and not slow"

    # What the loop leaves out is what the opposite expression collects.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", f"not ({marker})"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    left_out = {re.sub(r"::.*", "", line) for line in result.stdout.splitlines() if "::" in line}
    browser = {str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "browser").glob("test_*.py")}
    # The slow ones: the bench's smoke test, the 5-second load run, the XSS sweep,
    # retraining the check-worthiness model and measuring source captures.
    assert left_out == browser | {
        "tests/test_bench.py",
        "tests/test_training.py",
        "tests/test_load.py",
        "tests/test_hostile_input.py",
        "tests/test_evidence_measure.py",
    }


def test_this_run_has_a_test_database_of_its_own(db, tmp_path_factory):
    """Two runs in one checkout never share a test database (a fixed file once made the
    second run fail with "attempt to write a readonly database")."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        assert Path(name).parent == tmp_path_factory.getbasetemp()
    else:
        assert name.endswith(f"_{os.getpid()}")
