"""Issue 13 under review: real-world shaped files that the first cut got
wrong (each test names the defect it pins down)."""

import pytest


def test_crlf_tox_ini_and_setup_cfg_are_read_and_keep_their_line_ends(iacfix, write):
    # Windows checkouts (core.autocrlf) write CRLF: an INI section header
    # ending in \r must still be a section.
    tox = write("tox.ini", "[tox]\r\nenvlist = py39, py312\r\n\r\n[testenv:lint]\r\nbasepython = python3.9\r\n")
    cfg = write("setup.cfg", "[metadata]\r\nname = x\r\nclassifiers =\r\n"
                "    Programming Language :: Python :: 3.9\r\n    Programming Language :: Python :: 3.12\r\n"
                "\r\n[options]\r\npython_requires = >=3.9\r\n")
    run = iacfix("check", ".", "--format", "json")
    assert [(f["path"], f["line"], f["column"], f["runtime"]) for f in run.json["findings"]] == [
        ("setup.cfg", 8, 21, "3.9"), ("tox.ini", 2, 11, "3.9"), ("tox.ini", 5, 20, "3.9")]
    iacfix("fix", ".", "--unsafe-fixes")
    assert tox.read_bytes() == b"[tox]\r\nenvlist = py312\r\n\r\n[testenv:lint]\r\nbasepython = python3.13\r\n"
    assert cfg.read_bytes() == (b"[metadata]\r\nname = x\r\nclassifiers =\r\n"
                                b"    Programming Language :: Python :: 3.12\r\n"
                                b"\r\n[options]\r\npython_requires = >=3.11\r\n")


def test_tox4_base_python_is_read_and_a_python_factor_in_the_env_name_blocks_the_move(iacfix, write):
    # tox 4 spells it base_python (basepython is its alias); tox 4 refuses an
    # environment whose name's pyXY factor conflicts with its base_python.
    text = ("[tox]\nenv_list = py312, type\n\n[testenv:type]\nbase_python = python3.10\n\n"
            "[testenv:py39-lint]\nbasepython = python3.9\n")
    path = write("tox.ini", text)
    run = iacfix("fix", ".", "--format", "json")
    found = {(f["line"], f["runtime"]): f for f in run.json["findings"]}
    assert set(found) == {(8, "3.9")}  # line 5 was fixed
    assert found[8, "3.9"]["fix"] is None
    assert "py39" in found[8, "3.9"]["fix_unavailable"]
    assert path.read_text() == text.replace("base_python = python3.10", "base_python = python3.13")


DIGEST = "sha256:" + "ab" * 32


def test_an_image_pinned_by_digest_is_reported_not_retagged(iacfix, write):
    # With a digest the tag is ignored: python:3.13@sha256:<3.10's digest> still runs 3.10.
    text = (f"jobs:\n  t:\n    runs-on: ubuntu-latest\n    container: python:3.10-slim@{DIGEST}\n"
            "    services:\n      py:\n        image: python:3.9\n    steps:\n      - run: pytest\n")
    path = write(".github/workflows/ci.yml", text)
    gitlab = write(".gitlab-ci.yml", f"test:\n  image: docker.io/library/python:3.9@{DIGEST}\n  script: [pytest]\n")
    run = iacfix("fix", ".", "--format", "json")
    [pinned, gl] = sorted((f for f in run.json["findings"] if f["fix"] is None), key=lambda f: f["path"])
    assert (pinned["line"], pinned["runtime"]) == (4, "3.10") and "digest" in pinned["fix_unavailable"]
    assert gl["runtime"] == "3.9" and "digest" in gl["fix_unavailable"]
    assert path.read_text() == text.replace("image: python:3.9", "image: python:3.13")
    assert gitlab.read_text() == f"test:\n  image: docker.io/library/python:3.9@{DIGEST}\n  script: [pytest]\n"


@pytest.mark.parametrize("spec, expected", [
    (">3.8", ">=3.11"),  # an exclusive floor admits 3.8.1: it is a floor, and becomes an inclusive one
    ("> 3.9, <4", ">=3.11, <4"),
    (">=3", ">=3.11"),  # a floor naming only the major version admits 3.0 and up
    (">=2.7, !=3.0.*, !=3.1.*, !=3.2.*", ">=3.11, !=3.0.*, !=3.1.*, !=3.2.*"),  # the classic 2-and-3 floor
    (">=3.9,!=3.9.1,<4", ">=3.11,!=3.9.1,<4"),
])
def test_floors_written_the_other_ways_real_projects_write_them(spec, expected, iacfix, write):
    path = write("setup.py", f"from setuptools import setup\nsetup(name='x', python_requires='{spec}')\n")
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["rule"] == "RT003" and finding["fix"] is not None
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == f"from setuptools import setup\nsetup(name='x', python_requires='{expected}')\n"


@pytest.mark.parametrize("spec, runtime", [
    ("~=3.9.0", "3.9"),  # compatible release of a patch: 3.9.* only, <3.10
    ("~3.9", "3.9"),  # Poetry's tilde: >=3.9,<3.10
    (">=2.7,<3", None),  # Python 2 only: no CPython the catalog knows
])
def test_a_floor_with_an_implied_upper_bound_is_not_raised_past_it(spec, runtime, iacfix, write):
    text = f'[tool.poetry.dependencies]\npython = "{spec}"\n'
    path = write("pyproject.toml", text)
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert all(f["fix"] is None for f in findings)
    if runtime is not None:
        [finding] = findings
        assert finding["runtime"] == runtime and "upper bound" in finding["fix_unavailable"]
    else:
        assert [f["rule"] for f in findings] == ["RT101"]
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == text


@pytest.mark.slow
def test_a_long_env_list_is_checked_in_linear_time(iacfix, write):
    # 45,000 versions in one env_list (factor products): each finding used to
    # scan the whole list to say what it does not test (70 s; now ~3 s).
    import time

    groups = ",".join(f"py3{{{','.join(str(i) for i in range(5, 14))}}}-d{k}" for k in range(5000))
    write("tox.ini", f"[tox]\nenvlist = {groups}\n")
    start = time.monotonic()
    run = iacfix("check", ".", "--format", "json")
    assert time.monotonic() - start < 30
    assert len(run.json["findings"]) == 5000 * 7  # 3.5, 3.6 unknown (RT101), 3.7-3.10 (RT003), 3.11 (RT005)


GITLAB = """variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

.tests: &tests
  image: python:${PYTHON_VERSION}-slim
  script: [tox]

.base:
  image:
    name: python:$PY
    entrypoint: [""]

test:
  <<: *tests
  parallel:
    matrix:
      - PYTHON_VERSION: ["3.9", "3.10", "3.12"]

lint:
  extends: [.other, .base]
  variables:
    PY: "3.9"
  script: [ruff check .]
"""


def test_gitlab_jobs_that_inherit_their_image_resolve_it_to_their_own_matrix_and_variables(iacfix, write):
    # GitLab projects share the image through a hidden job: a YAML merge key or extends:.
    path = write(".gitlab-ci.yml", GITLAB)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["runtime"]) for f in run.json["findings"]] == [(17, "3.9"), (17, "3.10"), (22, "3.9")]
    iacfix("fix", ".")
    assert path.read_text() == GITLAB.replace('["3.9", "3.10", "3.12"]', '["3.12"]').replace(
        'PY: "3.9"', 'PY: "3.13"')


def test_conda_python_with_a_channel_or_a_wildcard_is_read(iacfix, write):
    text = ("name: proj\nchannels: [conda-forge]\ndependencies:\n  - conda-forge::python=3.10\n"
            "  - python=3.9.*  # the series\n  - numpy=1.26\n")
    path = write("environment.yml", text)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["column"], f["runtime"]) for f in run.json["findings"]] == [(4, 25, "3.10"), (5, 12, "3.9")]
    iacfix("fix", ".")
    assert path.read_text() == text.replace("python=3.10", "python=3.13").replace("python=3.9.*", "python=3.13.*")


def test_a_tox_range_of_versions_is_reported_and_counted_as_tested(iacfix, write):
    # tox 4 expands numeric ranges in a brace group: py3{8-10, 11, 13-14}.
    text = "[tox]\nenv_list = py3{7, 8-10, 11, 13-14}, lint\n"
    path = write("tox.ini", text)
    run = iacfix("fix", ".", "--format", "json")
    found = [(f["runtime"], f["column"], f["fix"] is None) for f in run.json["findings"]]
    assert found == [("3.8", 16, True), ("3.9", 16, True), ("3.10", 16, True), ("3.11", 22, True)]  # after the fix
    assert all(f["untested"] == ["3.12"] for f in run.json["findings"])
    assert "range 8-10" in run.json["findings"][0]["fix_unavailable"]
    assert path.read_text() == text.replace("{7, ", "{")


UV = """on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.9", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
        with:
          python-version: ${{ matrix.python-version }}
          enable-cache: true
      - run: uv run pytest
  docs:
    runs-on: ubuntu-latest
    steps:
      - uses: conda-incubator/setup-miniconda@v3
        with:
          python-version: "3.10"
          auto-update-conda: true
"""


def test_setup_uv_and_setup_miniconda_python_versions_are_read(iacfix, write):
    # Both install the interpreter their python-version input names, as setup-python does.
    path = write(".github/workflows/ci.yml", UV)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["runtime"]) for f in run.json["findings"]] == [(7, "3.9"), (20, "3.10")]
    assert "setup-miniconda python-version" in run.json["findings"][1]["message"]
    iacfix("fix", ".")
    assert path.read_text() == UV.replace('["3.9", "3.12"]', '["3.12"]').replace('"3.10"', '"3.13"')


AZURE = """trigger: [main]
variables:
  pythonVersion: '3.9'
stages:
- stage: Build
  variables:
  - name: buildPython
    value: 3.10
  - group: secrets
  jobs:
  - job: Build
    steps:
    - task: UsePythonVersion@0
      inputs:
        versionSpec: $(buildPython)
- stage: Lint
  jobs:
  - job: Lint
    steps:
    - task: UsePythonVersion@0
      inputs:
        versionSpec: '$(pythonVersion)'
    - task: UsePythonVersion@0
      inputs:
        versionSpec: '$(pythonVersion)'
"""


def test_azure_version_spec_from_pipeline_and_stage_variables(iacfix, write):
    path = write("azure-pipelines.yml", AZURE)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["runtime"]) for f in run.json["findings"]] == [(3, "3.9"), (8, "3.10")]
    iacfix("fix", ".")
    assert path.read_text() == AZURE.replace("'3.9'", "'3.13'").replace("value: 3.10", "value: 3.13")


def test_a_basepython_with_an_inline_comment_is_read(iacfix, write):
    # As in pytest's own tox.ini: tox 4 strips the comment.
    text = "[tox]\nenvlist = py312\n\n[testenv:docs]\nbasepython = python3.9 # Sync with .readthedocs.yaml\n"
    path = write("tox.ini", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (5, 20, 23)
    iacfix("fix", ".")
    assert path.read_text() == text.replace("python3.9 #", "python3.13 #")


SETUP_PY = '''from setuptools import setup

PY = "3.12"

if __name__ == "__main__":
    setup(
        name="pkg",
        python_requires=">=3.9",
        classifiers=[
            "Programming Language :: Python :: 3",
            "Programming Language :: Python :: 3.9",  # oldest
            "Programming Language :: Python :: " + PY,
            "Programming Language :: Python :: 3.10",
        ],
    )
'''


def test_setup_py_classifiers_with_a_computed_entry_still_move_with_the_floor(iacfix, write):
    path = write("setup.py", SETUP_PY)
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == SETUP_PY.replace(">=3.9", ">=3.11").replace(
        '            "Programming Language :: Python :: 3.9",  # oldest\n', "").replace(
        '            "Programming Language :: Python :: 3.10",\n', "")


def test_mypy_python_version_written_as_a_toml_float_is_read_and_written_as_a_string(iacfix, write):
    # mypy reads python_version = 3.9 (a float); 3.10 would be the float 3.1, so the fix writes a string.
    text = '[tool.mypy]\npython_version = 3.9  # float\nstrict = true\n'
    path = write("pyproject.toml", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["rule"], finding["line"], finding["column"], finding["runtime"]) == ("RT401", 2, 18, "3.9")
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == '[tool.mypy]\npython_version = "3.11"  # float\nstrict = true\n'


@pytest.mark.parametrize("spec", ["^2.7 || ^3.6", ">=2.7,<2.8 || >=3.8", "~3.9 || ^3.12"])
def test_a_poetry_union_of_constraints_is_reported_not_rewritten(spec, iacfix, write):
    # Raising one constraint of a union leaves the others admitting what they did.
    text = f'[tool.poetry.dependencies]\npython = "{spec}"\n'
    path = write("pyproject.toml", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["rule"] == "RT003" and finding["fix"] is None and "||" in finding["fix_unavailable"]
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == text


INCLUDE = """name: tests
on: [push, pull_request]
jobs:
  tox:
    runs-on: ${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        include:
          - {python-version: "3.9", os: ubuntu-latest, toxenv: py39}
          - python-version: "3.10"
            os: windows-latest
            toxenv: py310-windows
          - python-version: "3.10"
            os: macos-latest
          - python-version: "3.12"
            os: ubuntu-latest
            toxenv: py312
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
      - run: pipx run tox -e ${{ matrix.toxenv }}
"""


def test_an_include_entry_whose_other_keys_name_its_version_is_not_moved(iacfix, write):
    # Moving python-version alone would run tox's py39 environment on 3.13, which tox refuses.
    path = write(".github/workflows/tests.yml", INCLUDE)
    run = iacfix("fix", ".", "--format", "json")
    kept = {f["line"]: f["fix_unavailable"] for f in run.json["findings"]}
    assert set(kept) == {10, 11}
    assert "toxenv: py39" in kept[10] and "toxenv: py310-windows" in kept[11]
    assert path.read_text() == INCLUDE.replace('- python-version: "3.10"\n            os: macos',
                                               '- python-version: "3.13"\n            os: macos')


EXCLUDE = """jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest, windows-latest]
        python-version: ["3.8", "3.9", "3.12"]
        exclude:
          - os: macos-latest
            python-version: "3.8"
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
"""


def test_a_matrix_version_an_exclude_entry_names_is_reported_not_removed(iacfix, write):
    # Without 3.8 in the matrix the exclude: entry names a value the matrix lacks (actionlint rejects it).
    path = write(".github/workflows/ci.yml", EXCLUDE)
    run = iacfix("fix", ".", "--format", "json")
    [kept] = run.json["findings"]
    assert kept["runtime"] == "3.8" and "exclude: entry 1" in kept["fix_unavailable"]
    assert path.read_text() == EXCLUDE.replace('["3.8", "3.9", "3.12"]', '["3.8", "3.12"]')


CIRCLE = """version: 2.1
jobs:
  test:
    parameters:
      python-version:
        type: string
        default: "3.9"
    docker:
      - image: cimg/python:<< parameters.python-version >>
    steps: [checkout]
workflows:
  main:
    jobs:
      - test
      - test:
          name: test-310
          python-version: "3.10"
      - test:
          matrix:
            parameters:
              python-version: ["3.8", "3.12"]
"""


def test_circleci_image_parameter_default_and_job_arguments_are_resolved(iacfix, write):
    path = write(".circleci/config.yml", CIRCLE)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["runtime"]) for f in run.json["findings"]] == [(7, "3.9"), (17, "3.10"), (21, "3.8")]
    iacfix("fix", ".")
    assert path.read_text() == CIRCLE.replace('default: "3.9"', 'default: "3.13"').replace(
        'python-version: "3.10"', 'python-version: "3.13"').replace('["3.8", "3.12"]', '["3.12"]')


REUSABLE = """on:
  workflow_call:
    inputs:
      python-version:
        type: string
        default: "3.9"
  workflow_dispatch:
    inputs:
      python-version:
        default: '3.10'
jobs:
  test:
    uses: org/shared/.github/workflows/tox.yml@v2
    with:
      python-version: "3.9"
      python-versions: '["3.9", "3.12"]'
  local:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ inputs.python-version }}
"""


def test_reusable_workflow_inputs_named_python_version_are_read(iacfix, write):
    # setup-python's input name, passed on to a called workflow or given a default.
    path = write(".github/workflows/ci.yml", REUSABLE)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["rule"], f["runtime"]) for f in run.json["findings"]] == [
        (6, "RT003", "3.9"), (10, "RT003", "3.10"), (15, "RT003", "3.9"), (22, "RT102", None)]
    iacfix("fix", ".")
    assert path.read_text() == REUSABLE.replace('"3.9"\n', '"3.13"\n').replace("'3.10'", "'3.13'")


ACTION = """name: setup
description: Set up the project's Python and dependencies
inputs:
  python-version:
    description: The Python to install
    default: "3.9"
runs:
  using: composite
  steps:
    - uses: actions/setup-python@v5
      with:
        python-version: ${{ inputs.python-version }}
    - uses: actions/setup-python@v5
      with:
        python-version: 3.10
    - run: pip install -e .
      shell: bash
"""


def test_a_local_composite_action_is_read(iacfix, write):
    path = write(".github/actions/setup/action.yml", ACTION)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["rule"]) for f in run.json["findings"]] == [(6, "RT003"), (12, "RT102"), (15, "RT003")]
    iacfix("fix", ".")
    assert path.read_text() == ACTION.replace('"3.9"', '"3.13"').replace("3.10", "3.13")


def test_composite_actions_are_claimed_by_their_path_only():
    from iacfix import formats

    assert formats.for_path(".github/actions/setup/action.yml").name == "github-action"
    assert formats.for_path("action.yml").name == "cloudformation"  # as before: not every action.yml is ours


OBJECTS = """jobs:
  test:
    runs-on: ${{ matrix.config.os }}
    strategy:
      matrix:
        config:
          - {os: ubuntu-latest, python: "3.9", name: "Python 3.9"}
          - {os: ubuntu-latest, python: "3.10"}
          - {os: windows-latest, python: "3.12"}
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.config.python }}
"""


def test_a_matrix_of_objects_is_resolved_entry_by_entry(iacfix, write):
    path = write(".github/workflows/ci.yml", OBJECTS)
    run = iacfix("fix", ".", "--format", "json")
    [kept] = run.json["findings"]
    assert kept["line"] == 7 and "name: Python 3.9" in kept["fix_unavailable"]
    assert path.read_text() == OBJECTS.replace('python: "3.10"', 'python: "3.13"')


def test_a_setup_python_semver_x_range_is_read(iacfix, write):
    # setup-python takes semver ranges: 3.9.x is any 3.9 release.
    text = ("jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n"
            "        with:\n          python-version: '3.9.x'\n")
    path = write(".github/workflows/ci.yml", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["line"], finding["column"], finding["runtime"]) == (7, 28, "3.9")
    iacfix("fix", ".")
    assert path.read_text() == text.replace("'3.9.x'", "'3.13.x'")


def test_a_tool_target_stays_with_a_floor_that_cannot_rise(iacfix, write):
    # The package supports 3.9 only: linting for 3.11 would accept what 3.9 rejects.
    text = '[project]\nrequires-python = "~=3.9.0"\n\n[tool.ruff]\ntarget-version = "py39"\n'
    path = write("pyproject.toml", text)
    run = iacfix("fix", ".", "--unsafe-fixes", "--format", "json")
    floor, target = run.json["findings"]
    assert floor["fix"] is None and target["rule"] == "RT401" and target["fix"] is None
    assert target["fix_unavailable"].startswith("moves with the floor '~=3.9.0', which is not raised")
    assert path.read_text() == text


def test_a_tool_target_below_a_floor_within_the_horizon_still_rises_to_it(iacfix, write):
    text = '[project]\nrequires-python = ">=3.11"\n\n[tool.ruff]\ntarget-version = "py39"\n'
    path = write("pyproject.toml", text)
    iacfix("fix", ".", "--unsafe-fixes")
    assert path.read_text() == text.replace("py39", "py311")


def test_a_pyproject_floor_of_python_2_is_read_even_with_no_3_in_the_file(iacfix, write):
    write("pyproject.toml", '[project]\nname = "x"\nrequires-python = ">=2.7"\n')
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["rule"], finding["runtime"]) == ("RT003", "3.7")


@pytest.mark.parametrize("written, fixed", [("cpython-3.9\n", "cpython-3.13\n"), ("cpython@3.10\n", "cpython@3.13\n"),
                                            ("3.9\n", "3.13\n"), ("pypy@3.9\n", "pypy@3.9\n")])
def test_uv_python_version_requests_name_cpython(written, fixed, iacfix, write):
    path = write(".python-version", written)
    iacfix("fix", ".")
    assert path.read_text() == fixed


ANCHORED = """jobs:
  a:
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: &py "3.9"
  b:
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: *py
"""


def test_an_anchored_version_is_moved_once_for_every_alias(iacfix, write):
    # It used to be refused as "not written as a plain or quoted literal": the span began at &py.
    path = write(".github/workflows/ci.yml", ANCHORED)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["column"]) for f in run.json["findings"]] == [(6, 31), (6, 31)]
    assert all(f["fix"] is not None for f in run.json["findings"])
    iacfix("fix", ".")
    assert path.read_text() == ANCHORED.replace('&py "3.9"', '&py "3.13"')


PRE_COMMIT = """default_language_version:
  python: "3.9"
repos:
  - repo: local
    hooks:
      - id: lint
        name: lint
        entry: ruff check
        language: python
        language_version: 3.10
      - id: rubocop
        name: rubocop
        entry: rubocop
        language: ruby
        language_version: 3.2.2
"""


def test_pre_commit_bare_versions_are_read_where_the_language_is_python(iacfix, write):
    path = write(".pre-commit-config.yaml", PRE_COMMIT)
    run = iacfix("check", ".", "--format", "json")
    assert [(f["line"], f["runtime"]) for f in run.json["findings"]] == [(2, "3.9"), (10, "3.10")]
    iacfix("fix", ".")
    assert path.read_text() == PRE_COMMIT.replace('"3.9"', '"3.13"').replace("3.10", "3.13")


def test_a_hatch_environment_python_is_moved(iacfix, write):
    text = '[tool.hatch.envs.lint]\npython = "3.9"\ndependencies = ["ruff"]\n\n[tool.hatch.envs.docs]\npython = "3.12"\n'
    path = write("pyproject.toml", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["line"], finding["column"], finding["runtime"]) == (2, 10, "3.9")
    iacfix("fix", ".")
    assert path.read_text() == text.replace('"3.9"', '"3.13"')
