"""Fail the run in CI when any test was skipped.

Locally a test may skip for a reason of the machine (no PostgreSQL server binaries, one core);
CI's machines have everything, so a skip there means a test that must run did not. `.ci/run`
sets `CI_FORBID_SKIPS=1`; CI systems that set `CI=true` get the same rule.
"""
from __future__ import annotations

import os

import pytest


def _forbidden() -> bool:
    return any(os.environ.get(name, "").lower() in {"1", "true", "yes"} for name in ("CI_FORBID_SKIPS", "CI"))


class SkipGuard:
    def __init__(self) -> None:
        self.skipped: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.skipped.append(f"{report.nodeid}: {reason}")

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.skipped and exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.skipped:
            terminalreporter.section("tests CI must run were skipped", red=True)
            for line in self.skipped:
                terminalreporter.line(line)


def pytest_configure(config: pytest.Config) -> None:
    if _forbidden():
        config.pluginmanager.register(SkipGuard(), "skip_guard")
