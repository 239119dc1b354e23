"""Golden files: tests/golden/NAME.in.EXT -> `iacfix fix` -> NAME.out.EXT, byte for byte."""

import json
import os
import stat

import pytest

from conftest import GOLDEN

CASES = sorted(p.name for p in GOLDEN.glob("*.in.*"))
EXPECTED = json.loads((GOLDEN / "findings.json").read_text())


def test_every_case_has_output_and_findings():
    assert CASES, "no golden cases found"
    for name in CASES:
        assert (GOLDEN / name.replace(".in.", ".out.")).exists(), name
        assert name in EXPECTED, name


@pytest.mark.parametrize("name", CASES)
def test_check_finds_exactly_the_expected_sites(name, iacfix, copy_golden):
    copy_golden(name)
    run = iacfix("check", name, "--format", "json")
    got = [[f["rule"], f["line"], f["column"], f["end_line"], f["end_column"], f["runtime"]] for f in run.json["findings"]]
    assert got == EXPECTED[name]
    assert run.json["errors"] == []
    worst = {f["severity"] for f in run.json["findings"]}
    assert run.code == (1 if worst & {"error", "warning"} else 0)


@pytest.mark.parametrize("name", CASES)
def test_fix_matches_golden_bytes_and_is_idempotent(name, iacfix, copy_golden):
    path = copy_golden(name)
    os.chmod(path, 0o640)
    iacfix("fix", name)
    expected = (GOLDEN / name.replace(".in.", ".out.")).read_bytes()
    assert path.read_bytes() == expected
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    second = iacfix("fix", name, "--format", "json")
    assert second.json["fixed"] == []
    assert path.read_bytes() == expected
    assert not any(f["fixable"] for f in second.json["findings"])


@pytest.mark.parametrize("name", CASES)
def test_diff_and_dry_run_write_nothing(name, iacfix, copy_golden):
    path = copy_golden(name)
    before = path.read_bytes()
    diff = iacfix("fix", name, "--diff")
    dry = iacfix("fix", name, "--dry-run")
    assert path.read_bytes() == before
    changed = before != (GOLDEN / name.replace(".in.", ".out.")).read_bytes()
    assert (f"--- a/{name}" in diff.out) == changed
    assert ("Would fix" in dry.out) and ("Would fix 0 sites" in dry.out) != changed
