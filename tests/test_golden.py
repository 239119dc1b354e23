"""Golden files: tests/golden/NAME.in.EXT -> `iacfix fix` -> NAME.out.EXT, byte
for byte; and golden trees (a Terraform directory whose values travel between
files): tests/golden/NAME.in/ -> `iacfix fix` -> NAME.out/."""

import json
import os
import shutil
import stat

import pytest

from conftest import GOLDEN, golden_out

CASES = sorted(p.name for p in GOLDEN.glob("*.in.*"))
TREES = sorted(p.name for p in GOLDEN.glob("*.in") if p.is_dir())
EXPECTED = json.loads((GOLDEN / "findings.json").read_text())


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_case_has_output_and_findings():
    assert CASES and TREES, "no golden cases found"
    for name in CASES:
        assert golden_out(name).exists(), name
        assert name in EXPECTED, name
    for name in TREES:
        assert set(_files(GOLDEN / name)) == set(_files(golden_out(name))), name
        assert name in EXPECTED, name


@pytest.mark.parametrize("name", TREES)
def test_tree_fix_matches_golden_bytes_and_is_idempotent(name, iacfix, tmp_path):
    shutil.copytree(GOLDEN / name, tmp_path / name)
    run = iacfix("check", name, "--format", "json")
    got = [[f["path"], f["rule"], f["line"], f["column"], f["end_line"], f["end_column"], f["runtime"]]
           for f in run.json["findings"]]
    assert got == EXPECTED[name]
    dry = iacfix("fix", name, "--diff")
    assert _files(tmp_path / name) == _files(GOLDEN / name), "--diff wrote"
    iacfix("fix", name)
    assert _files(tmp_path / name) == _files(golden_out(name))
    changed = [p for p, data in _files(GOLDEN / name).items() if data != _files(golden_out(name))[p]]
    assert sorted(line[len(f"--- a/{name}/"):] for line in dry.out.splitlines() if line.startswith("--- a/")) == changed
    again = iacfix("fix", name, "--format", "json")
    assert again.json["fixed"] == [] and not any(f["fixable"] for f in again.json["findings"])


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
    expected = golden_out(name).read_bytes()
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
    changed = before != golden_out(name).read_bytes()
    assert (f"--- a/{name}" in diff.out) == changed
    assert ("Would fix" in dry.out) and ("Would fix 0 sites" in dry.out) != changed
