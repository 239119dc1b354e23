"""The GitHub Action: action/run.sh run as the composite action runs it
(inputs as INPUT_* variables, outputs through $GITHUB_OUTPUT, the summary in
$GITHUB_STEP_SUMMARY), against the venv's iacfix; and action.yml wired to it."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, HERE, ROOT

SCRIPT = ROOT / "action" / "run.sh"
BIN = Path(sys.executable).parent


def action(tmp_path, *args, **inputs) -> tuple[subprocess.CompletedProcess, dict]:
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(PATH=f"{BIN}{os.pathsep}{env['PATH']}", IACFIX=str(BIN / "iacfix"), IACFIX_SKIP_INSTALL="1",
               GITHUB_OUTPUT=str(outputs), GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
               RUNNER_TEMP=str(tmp_path / "runner"), INPUT_ARGS=f"--as-of {AS_OF}")
    env.update({k: str(v) for k, v in inputs.items()})
    run = subprocess.run(["bash", str(SCRIPT), *args], cwd=tmp_path / "repo", env=env, capture_output=True,
                         text=True, timeout=120)
    said = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return run, said


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(HERE / "ci_golden" / "infra", tmp_path / "repo" / "infra")
    return tmp_path / "repo"


def test_annotations_and_step_summary(tmp_path, repo):
    run, said = action(tmp_path, INPUT_PATHS="infra", INPUT_REPORT="annotations")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("::error ") == 3 and run.stdout.count("::warning ") == 2
    assert said == {"findings": "6", "failing": "5", "exit-code": "1", "sarif-file": "", "fixed": "0"}
    assert "cannot be updated after 2027-03-03" in (tmp_path / "summary.md").read_text()
    verdict = action(tmp_path, "verdict", INPUT_FAIL_ON="warning", EXIT_CODE=said["exit-code"], FAILING=said["failing"])[0]
    assert verdict.returncode == 1 and "5 findings at warning or above" in verdict.stdout
    assert action(tmp_path, "verdict", INPUT_FAIL_ON="never", EXIT_CODE="1", FAILING="5")[0].returncode == 0


def test_sarif_for_code_scanning(tmp_path, repo):
    run, said = action(tmp_path, INPUT_PATHS="infra", INPUT_REPORT="sarif", INPUT_FAIL_ON="error")
    assert run.returncode == 0, run.stderr
    sarif = json.loads(Path(said["sarif-file"]).read_text())
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 8  # 6 findings, 2 suppressed
    assert said["failing"] == "3"


def test_fix_writes_the_files_and_a_pull_request_body(tmp_path, repo):
    run, said = action(tmp_path, INPUT_PATHS="infra", INPUT_FIX="true")
    assert run.returncode == 0, run.stderr
    assert said["fixed"] == "3"
    assert '"python3.13"' in (repo / "infra" / "tf" / "main.tf").read_text()
    body = Path(said["pr-body"]).read_text()
    assert body.startswith("iacfix moved 3 end-of-life runtime values") and "## iacfix: runtime deadlines" in body


def test_a_file_that_cannot_be_read_fails_the_verdict(tmp_path, repo):
    (repo / "infra" / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [Runtime\n")
    said = action(tmp_path, INPUT_PATHS="infra")[1]
    assert said["exit-code"] == "2"
    assert action(tmp_path, "verdict", EXIT_CODE="2", FAILING="0")[0].returncode == 2


def test_action_yml_passes_what_the_script_reads():
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    assert spec["runs"]["using"] == "composite"
    script = SCRIPT.read_text()
    main, verdict = script.split("\nWORK=", 1)[1], script.split("\nWORK=", 1)[0]
    steps = {step.get("run", "").rsplit(" ", 1)[-1]: set(step.get("env") or {}) for step in spec["runs"]["steps"]
             if "run.sh" in step.get("run", "")}
    for part, given in ((main, steps['"$GITHUB_ACTION_PATH/action/run.sh"']), (verdict, steps["verdict"])):
        read = set(re.findall(r"\b(INPUT_[A-Z_]+|EXIT_CODE|FAILING)\b", part))
        assert read <= given, read - given
    outputs = {m for m in re.findall(r"steps\.run\.outputs\.([\w-]+)", (ROOT / "action.yml").read_text())}
    written = set(re.findall(r"^\s*out ([\w-]+) ", SCRIPT.read_text(), re.M))
    assert outputs <= written, outputs - written
    for name in spec["inputs"]:
        assert f"inputs.{name}" in (ROOT / "action.yml").read_text(), name


@pytest.mark.parametrize("name, matched", [
    ("template.yaml", True), ("stacks/api.template", True), ("infra/main.tf", True), ("prod.tfvars", True),
    ("x.tf.json", True), ("app/stack.py", True), ("lib/stack.ts", True), ("Dockerfile", True),
    ("svc/Dockerfile.prod", True), ("svc/Dockerfile-lambda", True), ("build.dockerfile", True),
    ("serverless.yml", True), ("svc/serverless.yaml", True), ("README.md", False), ("Dockerfile.md", True),
    ("notDockerfile", False), ("terraform.tfstate", False), ("package-lock.json5", False),
    ("svc/app.Dockerfile", True), ("uv.lock", True), ("svc/requirements-dev.txt", True), (".terraform.lock.hcl", True),
    ("notes.txt", False), ("Cargo.lock", False),
])
def test_pre_commit_hooks_match_the_files_iacfix_reads(name, matched):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"iacfix", "iacfix-fix"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["entry"].split()[0] == "iacfix"
        assert bool(re.search(hook["files"], name)) == matched, (hook["id"], name)  # pre-commit uses re.search


def test_the_verdict_follows_the_configured_fail_on_unless_the_input_names_one(tmp_path):
    (tmp_path / "repo" / "infra").mkdir(parents=True)
    (tmp_path / "repo" / "iacfix.toml").write_text('fail-on = "error"\n')
    (tmp_path / "repo" / "infra" / "main.tf").write_text(
        'resource "aws_lambda_function" "f" {\n  runtime = "python3.11"\n}\n')  # RT004: a warning
    said = action(tmp_path, INPUT_PATHS="infra")[1]
    assert said["exit-code"] == "0" and said["findings"] == "1"
    verdict = action(tmp_path, "verdict", EXIT_CODE=said["exit-code"], FAILING=said["failing"])[0]
    assert verdict.returncode == 0, verdict.stdout
    said = action(tmp_path, INPUT_PATHS="infra", INPUT_FAIL_ON="warning")[1]
    assert said["exit-code"] == "1" and said["failing"] == "1"
    verdict = action(tmp_path, "verdict", INPUT_FAIL_ON="warning", EXIT_CODE=said["exit-code"], FAILING=said["failing"])
    assert verdict[0].returncode == 1 and "1 findings at warning or above" in verdict[0].stdout


def test_pre_commit_hooks_take_every_file_a_format_claims():
    from iacfix import formats

    names = [f"sub/x{ext}" for fmt in formats.FORMATS for ext in fmt.extensions]
    names += [f"sub/{name}" for fmt in formats.FORMATS for name in fmt.filenames]
    names += ["sub/" + glob.replace("*", "prod") for fmt in formats.FORMATS for glob in fmt.globs + fmt.paths]
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        assert [n for n in names if not re.search(hook["files"], n)] == [], hook["id"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_bulk_codemod_recipe_opens_a_pull_request_per_repository_that_changes(tmp_path):
    """The README's loop, as written, over three local repositories: `gh` is a stub
    (clone from a local bare repository, record the pull request), `iacfix` judges as of AS_OF."""
    readme = (ROOT / "README.md").read_text()
    recipe = readme.split("### Bulk codemods", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "gh").write_text(f'#!/bin/bash\ncase "$1 $2" in\n'
                             f'  "repo clone") git clone -q "{tmp_path}/origins/$3.git" "$4" ;;\n'
                             f'  "pr create") basename "$(git remote get-url origin)" >> "{tmp_path}/prs" ;;\nesac\n')
    (bin_ / "iacfix").write_text(f'#!/bin/bash\nexec "{BIN / "iacfix"}" "$1" --as-of {AS_OF} "${{@:2}}"\n')
    for script in bin_.iterdir():
        script.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_}{os.pathsep}{os.environ['PATH']}", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    outdated = 'resource "aws_lambda_function" "f" {\n  runtime = "python3.9"\n}\n'
    repos = {"clean": {"main.tf": outdated.replace("python3.9", "python3.13")},
             "outdated": {"main.tf": outdated},
             "one-broken-file": {"main.tf": outdated, "broken.yaml": "AWSTemplateFormatVersion: x\nResources: [Runtime\n"}}
    for name, files in repos.items():
        work = tmp_path / "work" / name
        work.mkdir(parents=True)
        for file, text in files.items():
            (work / file).write_text(text)
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"],
                     ["clone", "-q", "--bare", ".", str(tmp_path / "origins" / f"{name}.git")]):
            subprocess.run(["git", *args], cwd=work, env=env, check=True, capture_output=True)
    (tmp_path / "repositories.txt").write_text("".join(f"{name}\n" for name in repos))
    subprocess.run(["bash", "-c", recipe], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert sorted((tmp_path / "prs").read_text().split()) == ["one-broken-file.git", "outdated.git"]


def test_iacfix_is_installed_in_a_venv_of_its_own_not_in_the_jobs_python(tmp_path, repo):
    """action.yml keeps the job's Python as it was (setup-python without updating the
    environment); run.sh makes a venv from that Python and installs iacfix there."""
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    setup = next(s for s in spec["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["update-environment"] is False
    run_step = next(s for s in spec["runs"]["steps"] if s.get("id") == "run")
    assert run_step["env"]["PYTHON"] == f"${{{{ steps.{setup['id']}.outputs.python-path }}}}"
    log = tmp_path / "pip.log"
    stub = tmp_path / "python-stub"  # stands for setup-python's interpreter: records what pip installs where
    stub.write_text(f'#!/bin/bash\nif [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && '
                    f'ln -s "{BIN / "iacfix"}" "$3/bin/iacfix"; exit; fi\n'
                    f'if [ "$1 $2" = "-m pip" ]; then echo "$0 $*" >> "{log}"; exit; fi\n'
                    f'exec "{sys.executable}" "$@"\n')
    stub.chmod(0o755)
    run, said = action(tmp_path, INPUT_PATHS="infra", IACFIX_SKIP_INSTALL="", IACFIX="", PYTHON=str(stub),
                       GITHUB_ACTION_PATH=str(ROOT))
    assert run.returncode == 0, run.stdout + run.stderr
    assert log.read_text().startswith(f"{tmp_path}/runner/iacfix-action/venv/bin/python -m pip install")
    assert str(ROOT) in log.read_text() and said["findings"] == "6"


def test_paths_may_be_given_one_per_line(tmp_path, repo):
    said = action(tmp_path, INPUT_PATHS="infra/stacks\ninfra/tf\n", INPUT_ARGS=f"--as-of {AS_OF}\n--horizon 365")[1]
    assert said["findings"] == "6"  # as for INPUT_PATHS="infra"


def test_pre_commit_hooks_keep_the_configured_excludes():
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        assert "--force-exclude" in hook["entry"].split(), hook["id"]
