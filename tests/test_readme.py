"""The README's test command is the one CI runs."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf8")
    command = next(line for line in ci.splitlines() if "pytest" in line)
    assert command.strip() in readme
