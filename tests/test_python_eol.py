"""End-of-life Python beyond functions (issue 13): CI workflows, version
files and packaging metadata, judged by CPython's end of life.

Golden trees (tests/golden/pyeol/NAME.in/ -> `iacfix fix --unsafe-fixes`
-> NAME.out/, byte for byte, findings in findings.json) shaped like real
repositories, then the rules of the fix one by one on small files."""

import json
import shutil

import pytest

from conftest import GOLDEN
from iacfix import formats
from iacfix.discovery import Discovery

PYEOL = GOLDEN / "pyeol"
TREES = sorted(p.name for p in PYEOL.glob("*.in") if p.is_dir())
EXPECTED = json.loads((PYEOL / "findings.json").read_text())


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _out(name):
    return PYEOL / (name[:-3] + ".out")


def test_every_tree_has_output_and_findings():
    assert set(TREES) == set(EXPECTED) and len(TREES) >= 5
    for name in TREES:
        assert set(_files(PYEOL / name)) == set(_files(_out(name))), name


@pytest.mark.parametrize("name", TREES)
def test_golden_tree(name, iacfix, tmp_path):
    shutil.copytree(PYEOL / name, tmp_path / name)
    run = iacfix("check", name, "--format", "json")
    got = [[f["path"][len(name) + 1:], f["rule"], f["line"], f["column"], f["runtime"], f["fix"] is not None]
           for f in run.json["findings"]]
    assert got == EXPECTED[name]
    assert run.json["errors"] == []
    iacfix("fix", name, "--diff")
    assert _files(tmp_path / name) == _files(PYEOL / name), "--diff wrote"
    iacfix("fix", name, "--unsafe-fixes")
    assert _files(tmp_path / name) == _files(_out(name))
    again = iacfix("fix", name, "--unsafe-fixes", "--format", "json")
    assert again.json["fixed"] == [] and not any(f["fixable"] for f in again.json["findings"])
    assert _files(tmp_path / name) == _files(_out(name))


def test_floors_move_only_with_unsafe_fixes(iacfix, tmp_path):
    shutil.copytree(PYEOL / "pep621.in", tmp_path / "p")
    before = (tmp_path / "p" / "pyproject.toml").read_text()
    run = iacfix("fix", "p", "--format", "json")
    floor, *rest = [f for f in run.json["findings"] if f["line"] < 50]  # the Hatch matrix below is fixed
    assert floor["fix"]["applicability"] == "unsafe" and not floor["fixable"]
    assert "drops support for 3.9, 3.10" in floor["fix"]["title"]
    # The tools' target versions (RT401, info) move in the floor's fix.
    assert [t["rule"] for t in rest] == ["RT401"] * 4 and all(t["fix"] == floor["fix"] for t in rest)
    after = (tmp_path / "p" / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.9"' in after and after.split("[tool.hatch")[0] == before.split("[tool.hatch")[0]


@pytest.mark.parametrize("path, owner", [
    (".github/workflows/ci.yml", "github-actions"), ("repo/.github/workflows/ci.yaml", "github-actions"),
    ("infra/workflows/ci.yml", "cloudformation"), (".github/ci.yml", "cloudformation"),
    ("pyproject.toml", "pyproject"), ("setup.cfg", "setup-cfg"), ("setup.py", "setup-py"),
    ("app.py", "cdk-python"), (".python-version", "python-version"), ("runtime.txt", "runtime-txt"),
    (".gitlab-ci.yml", "gitlab-ci"), ("ci/test.gitlab-ci.yml", "gitlab-ci"), (".circleci/config.yml", "circleci"),
    ("azure-pipelines.yml", "azure-pipelines"), ("tox.ini", "tox"), ("other/config.yml", "cloudformation"),
    ("noxfile.py", "noxfile"), ("environment.yml", "conda-environment"), ("Pipfile", "pipfile"),
    (".pre-commit-config.yaml", "pre-commit"), (".readthedocs.yaml", "readthedocs"),
    (".tool-versions", "tool-versions"),
])
def test_path_claims(path, owner):
    assert formats.for_path(path).name == owner


def test_discovery_walks_into_dot_github(write, tmp_path):
    write({".github/workflows/ci.yml": "on: push\n", ".python-version": "3.12\n", "docs/notes.txt": "x\n"})
    found = sorted(p[len(str(tmp_path)) + 1:] for p in Discovery(formats.claims).files([str(tmp_path)]))
    assert found == [".github/workflows/ci.yml", ".python-version"]


def test_a_workflow_without_python_is_never_parsed():
    gha = formats.by_name("github-actions")
    assert not gha.prefilter(b"on: push\njobs:\n  a:\n    steps:\n      - run: npm test\n")
    assert gha.prefilter(b"      - uses: actions/setup-python@v5\n")


WORKFLOW = """on: push
jobs:
  t:
    strategy:
      matrix:
        py: {py}
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{{{ matrix.py }}}}
"""


@pytest.mark.parametrize("before, after", [
    ('["3.9", "3.12"]', '["3.12"]'),
    ("['3.8', '3.9', '3.10']", "['3.13']"),  # all past end of life: the target is tested instead
    ('[3.9, "pypy-3.9", 3.11]', '["pypy-3.9", 3.11]'),  # 3.11 is still supported on AS_OF: it stays
    ('["3.9.18", "3.10", "3.12"]', '["3.9.18", "3.12"]'),  # a patch pin is reported, not removed
])
def test_a_tested_list_loses_its_end_of_life_entries(before, after, iacfix, write):
    path = write(".github/workflows/t.yml", WORKFLOW.format(py=before))
    run = iacfix("fix", ".", "--format", "json")
    assert path.read_text() == WORKFLOW.format(py=after)
    assert all(f["fixable"] is False for f in run.json["findings"])


def test_a_tested_list_names_the_supported_versions_it_does_not_test(iacfix, write):
    write(".github/workflows/t.yml", WORKFLOW.format(py='["3.9", "3.12"]'))
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["untested"] == ["3.11", "3.13", "3.14"]
    assert finding["message"].endswith("the list does not test 3.11, 3.13, 3.14")
    assert finding["fix"]["title"] == "Remove 3.9 from job t: matrix py"


def test_as_of_decides_what_is_past_end_of_life(iacfix, write):
    path = write(".github/workflows/t.yml", WORKFLOW.format(py='["3.9", "3.10", "3.12"]'))
    run = iacfix("check", ".", "--format", "json", as_of="2026-06-01")
    assert [(f["runtime"], f["rule"], f["fix"] is not None) for f in run.json["findings"]] == [
        ("3.9", "RT003", True), ("3.10", "RT005", False)]
    iacfix("fix", ".", as_of="2026-06-01")
    assert '["3.10", "3.12"]' in path.read_text()


@pytest.mark.parametrize("spec, as_of, expected", [
    (">=3.9", "2026-11-21", ">=3.11"),
    (">=3.9", "2026-06-01", ">=3.10"),  # 3.10 reaches its end of life on 2026-10-31
    ("~=3.8", "2026-11-21", "~=3.11"),
    (">= 3.9.2, <4", "2026-11-21", ">= 3.11, <4"),
    (">=3.6", "2026-11-21", ">=3.11"),  # older than the catalog: it admits 3.7, past end of life
])
def test_a_floor_rises_to_the_oldest_version_not_past_end_of_life(spec, as_of, expected, iacfix, write):
    path = write("pyproject.toml", f'[project]\nname = "x"\nrequires-python = "{spec}"\n')
    iacfix("fix", ".", "--unsafe-fixes", as_of=as_of)
    assert path.read_text() == f'[project]\nname = "x"\nrequires-python = "{expected}"\n'


@pytest.mark.parametrize("spec, why", [
    (">=3.9,<3.11", "the upper bound of '>=3.9,<3.11' excludes 3.11; change the specifier by hand"),
    (">=3.11", "3.11 is supported until 2027-10-31; raise the floor after that date"),
])
def test_a_floor_that_cannot_rise_says_why(spec, why, iacfix, write):
    write("pyproject.toml", f'[project]\nrequires-python = "{spec}"\n')
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["fix"] is None and finding["fix_unavailable"] == why


def test_no_floor_no_finding(iacfix, write):
    write("pyproject.toml", '[project]\nrequires-python = "==3.12.*"\nclassifiers = ["Programming Language :: Python :: 3.9"]\n')
    write("setup.py", "from setuptools import setup\nsetup(name='x', python_requires='>=3.12')\n")
    assert iacfix("check", ".", "--format", "json").json["findings"] == []


def test_setup_py_is_never_run(iacfix, write, tmp_path):
    write("setup.py", "import os\nos.mkdir('ran')\nfrom setuptools import setup\nsetup(python_requires='>=3.9')\n")
    iacfix("fix", ".", "--unsafe-fixes")
    assert not (tmp_path / "ran").exists()
    assert "python_requires='>=3.11'" in (tmp_path / "setup.py").read_text()


def test_broken_toml_is_an_error_at_its_place(iacfix, write):
    write("pyproject.toml", '[project]\nrequires-python = ">=3.9\n')
    run = iacfix("check", ".", "--format", "json")
    [error] = run.json["errors"]
    assert run.code == 2 and error["line"] == 2 and "TOML" in error["message"]


def test_crlf_bom_and_no_final_newline_survive(iacfix, write):
    text = '\ufeff[project]\r\nrequires-python = ">=3.9"  # floor\r\nclassifiers = [\r\n  "Programming Language :: Python :: 3.9",\r\n  "Programming Language :: Python :: 3.12",\r\n]'
    path = write("pyproject.toml", text)
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_bytes().decode("utf-8") == (
        '\ufeff[project]\r\nrequires-python = ">=3.11"  # floor\r\nclassifiers = [\r\n'
        '  "Programming Language :: Python :: 3.12",\r\n]')


def test_an_include_entry_that_extends_matrix_jobs_is_reported_not_moved(iacfix, write):
    text = WORKFLOW.format(py='["3.9", "3.12"]').replace(
        "        py: [", "        include:\n          - py: '3.9'\n            experimental: true\n"
        "          - py: '3.8'\n            os: windows-latest\n        py: [")
    path = write(".github/workflows/t.yml", text)
    run = iacfix("fix", ".", "--format", "json")
    kept = [f for f in run.json["findings"] if f["runtime"] == "3.9"]
    assert len(kept) == 2 and all(f["fix"] is None and "adds to the 3.9 jobs" in f["fix_unavailable"] for f in kept)
    # The 3.8 entry makes a job of its own (os is not in the matrix): it moves; 3.9 stays in both places.
    assert path.read_text() == text.replace("- py: '3.8'", "- py: '3.13'")
    assert iacfix("fix", ".", "--format", "json").json["fixed"] == []


def test_a_tool_target_without_a_floor_moves_on_its_own(iacfix, write):
    path = write("pyproject.toml", '[tool.ruff]\ntarget-version = "py39"  # lint for\n\n[tool.mypy]\npython_version = "3.12"\n')
    run = iacfix("check", ".", "--format", "json")
    [finding] = run.json["findings"]
    assert (finding["rule"], finding["severity"], finding["line"], finding["column"]) == ("RT401", "info", 2, 18)
    assert run.code == 0  # info only
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == '[tool.ruff]\ntarget-version = "py311"  # lint for\n\n[tool.mypy]\npython_version = "3.12"\n'


def test_an_ini_key_written_twice_is_an_error_not_a_guess(iacfix, write):
    write("tox.ini", "[tox]\nenvlist = py39\nenvlist = py310\n")
    run = iacfix("check", ".", "--format", "json")
    [error] = run.json["errors"]
    assert run.code == 2 and error["line"] == 3 and "'envlist' in section 'tox' already exists" in error["message"]


def test_versions_in_a_block_scalar_are_reported_where_written_not_rewritten(iacfix, write):
    text = ("jobs:\n  a:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n"
            "          python-version: |\n            3.9\n            3.12\n      - run: tox\n")
    path = write(".github/workflows/a.yml", text)
    run = iacfix("fix", ".", "--format", "json")
    [finding] = run.json["findings"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (7, 13, 16)
    assert finding["fix"] is None and "block scalar" in finding["fix_unavailable"]
    assert path.read_text() == text
