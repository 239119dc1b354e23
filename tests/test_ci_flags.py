"""Baseline, exit flags, statistics, colour, .gitignore, default excludes, missing paths, --version."""

import json
import os

import pytest

from conftest import lambda_function


def template(*runtimes: str, names=None) -> str:
    return "Resources:\n" + "".join(lambda_function(rt, (names or [f"F{i}" for i in range(len(runtimes))])[i])
                                    for i, rt in enumerate(runtimes))


def found(run) -> list[tuple[str, str]]:
    return [(f["path"], f["rule"]) for f in run.json["findings"]]


def test_baseline_survives_a_line_move_and_reports_only_new_findings(iacfix, write, tmp_path):
    path = write("t.yaml", template("python3.9", "python3.11", names=["Api", "Worker"]))
    run = iacfix("check", ".", "--write-baseline", "baseline.json")
    assert run.code == 0 and "wrote 2 findings" in run.err
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert {e["location"] for e in entries} == {"resource Api Runtime used by Api", "resource Worker Runtime used by Worker"}
    assert not any("line" in e for e in entries)
    # Lines move (a description above, a new function first); one more finding appears.
    path.write_text("Description: moved\n" + template("python3.10", "python3.9", "python3.11",
                                                      names=["New", "Api", "Worker"]))
    run = iacfix("check", ".", "--baseline", "baseline.json", "--format", "json")
    assert [(f["rule"], f["used_by"]) for f in run.json["findings"]] == [("RT003", ["New"])] and run.code == 1
    text = iacfix("check", ".", "--baseline", "baseline.json").out
    assert text.rstrip().endswith("2 more held back by the baseline.")


def test_a_baseline_that_is_not_one_is_a_usage_error(iacfix, write):
    write({"t.yaml": template("python3.9"), "b.json": '{"version": 7}'})
    run = iacfix("check", ".", "--baseline", "b.json")
    assert run.code == 2 and "not an iacfix baseline" in run.err


@pytest.mark.parametrize("args, code", [((), 1), (("--exit-zero",), 0), (("--fail-on", "error"), 0),
                                        (("--fail-on", "info"), 1), (("--fail-on", "warning"), 1)])
def test_exit_flags(args, code, iacfix, write):
    write("t.yaml", template("python3.11"))  # one warning
    assert iacfix("check", ".", *args).code == code


def test_fail_on_info_counts_info_findings(iacfix, write):
    write("t.yaml", template("python9.99"))  # RT101, info
    assert iacfix("check", ".").code == 0
    assert iacfix("check", ".", "--fail-on", "info").code == 1


def test_statistics_count_per_rule_and_runtime(iacfix, write):
    write("t.yaml", template("python3.11", "python3.11", "python3.9"))
    assert iacfix("check", ".", "--statistics").out.splitlines() == [
        "2  RT004  python3.11  runtime-os-end-of-life  2 fixable",
        "1  RT003  python3.9   runtime-deprecated      1 fixable"]


def test_show_fixes_lists_fixes(iacfix, write):
    write("t.yaml", template("python2.7", "python3.9"))
    out = iacfix("check", ".", "--show-fixes").out
    assert "t.yaml:5:16: RT001 fix (unsafe): Replace python2.7 with python3.13 (unsafe: crosses a major version)" \
           " [not applied: --unsafe-fixes]" in out
    assert "t.yaml:9:16: RT003 fix (safe): Replace python3.9 with python3.13" in out
    assert "t.yaml:9:16: fixed RT003: Replace python3.9 with python3.13" in iacfix("fix", ".", "--show-fixes").out


@pytest.mark.parametrize("env, coloured", [({}, False), ({"FORCE_COLOR": "1"}, True),
                                           ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True), ({"NO_COLOR": "1"}, False)])
def test_colour_follows_force_color_and_no_color(env, coloured, iacfix, write, monkeypatch):
    for k in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    write("t.yaml", template("python3.11"))
    assert ("\x1b[" in iacfix("check", ".").out) == coloured


def test_gitignore_is_respected_like_git(iacfix, write, tmp_path):
    os.mkdir(tmp_path / ".git")
    write({".gitignore": "build/\n*.gen.yaml\n!keep.gen.yaml\n/top.yaml\n",
           "build/t.yaml": template("python3.9"), "a/build/t.yaml": template("python3.9"),
           "x.gen.yaml": template("python3.9"), "keep.gen.yaml": template("python3.9"),
           "top.yaml": template("python3.9"), "sub/top.yaml": template("python3.9"),
           "sub/.gitignore": "*.yaml\n!ok.yaml\n", "sub/ok.yaml": template("python3.9"),
           "sub/deeper/no.yaml": template("python3.9")})
    paths = sorted(p for p, _ in found(iacfix("check", ".", "--format", "json")))
    assert paths == ["keep.gen.yaml", "sub/ok.yaml"]
    assert len(found(iacfix("check", ".", "--format", "json", "--no-respect-gitignore"))) == 8
    # Walking a subdirectory still reads the .gitignore files above it, up to the repository's top.
    assert found(iacfix("check", "sub", "--format", "json")) == [("sub/ok.yaml", "RT003")]
    # A file named on the command line is always read.
    assert found(iacfix("check", "x.gen.yaml", "--format", "json")) == [("x.gen.yaml", "RT003")]


@pytest.mark.parametrize("folder", [".serverless", ".terragrunt-cache", ".aws-sam"])
def test_build_folders_are_excluded_by_default(folder, iacfix, write):
    write({f"{folder}/t.yaml": template("python3.9"), "t.yaml": template("python3.13")})
    assert found(iacfix("check", ".", "--format", "json")) == []


def test_a_missing_path_is_said_to_be_missing(iacfix, write):
    write("t.yaml", template("python3.13"))
    run = iacfix("check", "t.yaml", "nope.yaml")
    assert run.code == 2 and "1 path given does not exist" in run.out and "could not be read" not in run.out


def test_version(iacfix):
    from iacfix import __version__

    assert iacfix("--version").out.strip() == f"iacfix, version {__version__}"


class _Terminal:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, text):
        self.text += text

    def flush(self):
        pass


@pytest.mark.parametrize("tty, ci, quiet, shown", [(True, None, False, True), (False, None, False, False),
                                                   (True, "true", False, False), (True, None, True, False)])
def test_progress_only_on_a_terminal_outside_ci_after_a_second(tty, ci, quiet, shown, monkeypatch):
    from iacfix import ci_options
    from iacfix.config import Config
    from iacfix.reports import Output

    terminal = _Terminal(tty)
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(ci_options, "PROGRESS_AFTER", 0.0)
    monkeypatch.delenv("CI", raising=False)
    if ci:
        monkeypatch.setenv("CI", ci)
    settings = ci_options.Settings(config=Config(), output=Output(), quiet=quiet)
    with settings.progress() as tick:
        if tick:
            tick(1234)
    assert ("\riacfix: 1,234 files read" in terminal.text) == shown
    assert terminal.text.endswith("\r\x1b[K") == shown  # the line is cleared before the output
    monkeypatch.setattr(ci_options, "PROGRESS_AFTER", 3600.0)  # runs shorter than that never show it
    terminal.text = ""
    with settings.progress() as tick:
        if tick:
            tick(5)
    assert terminal.text == ""


@pytest.mark.parametrize("flag", ["--output-file", "--write-baseline"])
def test_an_output_that_cannot_be_written_is_a_usage_error_before_the_run(flag, iacfix, write):
    write("t.yaml", template("python3.9"))
    run = iacfix("check", ".", flag, "no/such/dir/out.json")
    assert run.code == 2 and f"{flag} no/such/dir/out.json: cannot write there" in run.err


@pytest.mark.slow
def test_baseline_property_lines_and_order_never_matter(tmp_path):
    from collections import Counter

    from hypothesis import given, settings, strategies as st

    from conftest import make_options
    from iacfix import baseline
    from iacfix.engine import process_file

    runtimes = st.sampled_from(["python3.9", "python3.10", "python3.11", "nodejs18.x", "python2.7"])

    @settings(max_examples=60, deadline=None)
    @given(st.lists(runtimes, min_size=1, max_size=6), st.randoms(use_true_random=False), runtimes)
    def check(chosen, rnd, extra):
        def findings(text):
            path = tmp_path / "t.yaml"
            path.write_text(text)
            return process_file(str(path), make_options())

        blocks = [lambda_function(rt, f"F{i}") for i, rt in enumerate(chosen)]
        before = findings("Resources:\n" + "".join(blocks))
        known = Counter(baseline.key(f) for f in before.findings)
        rnd.shuffle(blocks)
        lines = "".join(blocks).splitlines(keepends=True)
        for _ in range(rnd.randint(1, 5)):
            lines.insert(rnd.randint(0, len(lines)), "# moved\n")
        after = findings("Description: x\n\nResources:\n" + "".join(lines))
        assert baseline.apply([after], known) == len(before.findings) and after.findings == []
        grown = findings("Resources:\n" + "".join(lines) + lambda_function(extra, "New"))
        baseline.apply([grown], known)
        assert [f.users for f in grown.findings] == [["New"]]

    check()


def test_a_gitignored_terraform_file_is_not_taken_in_by_its_directory(iacfix, write, tmp_path):
    os.mkdir(tmp_path / ".git")
    write({".gitignore": "generated.tf\n",
           "infra/main.tf": 'resource "aws_lambda_function" "f" {\n  runtime = "python3.12"\n}\n',
           "infra/generated.tf": 'resource "aws_lambda_function" "g" {\n  runtime = "python3.9"\n}\n'})
    assert found(iacfix("check", ".", "--format", "json")) == []
    assert found(iacfix("check", ".", "--format", "json", "--no-respect-gitignore")) == [("infra/generated.tf", "RT003")]


def test_a_baseline_keeps_a_file_name_that_is_not_utf8(iacfix, write, tmp_path):
    write(b"bad\xff.yaml".decode("utf-8", "surrogateescape"), template("python3.9"))
    assert iacfix("check", ".", "--write-baseline", "b.json").code == 0
    run = iacfix("check", ".", "--baseline", "b.json")
    assert run.code == 0 and "1 more held back by the baseline" in run.out


def test_a_file_named_on_the_command_line_takes_in_no_gitignored_sibling(iacfix, write, tmp_path):
    # pre-commit names the staged main.tf; the developer's local .auto.tfvars is ignored by git
    os.mkdir(tmp_path / ".git")
    write({".gitignore": "*.auto.tfvars\n",
           "infra/main.tf": 'variable "rt" {\n  default = "python3.12"\n}\n'
                            'resource "aws_lambda_function" "f" {\n  runtime = var.rt\n}\n',
           "infra/local.auto.tfvars": 'rt = "python3.9"\n'})
    assert found(iacfix("check", "infra/main.tf", "--format", "json")) == []
    assert found(iacfix("check", "infra", "--format", "json")) == []
    assert found(iacfix("check", "infra/main.tf", "--format", "json", "--no-respect-gitignore")) == [
        ("infra/local.auto.tfvars", "RT003")]


@pytest.mark.parametrize("preview", ["--dry-run", "--diff"])
def test_a_fix_preview_does_not_fail_on_findings_the_baseline_holds(preview, iacfix, write):
    write("t.yaml", template("python3.9", "python3.11"))
    assert iacfix("check", ".", "--write-baseline", "b.json").code == 0
    run = iacfix("fix", ".", preview, "--baseline", "b.json")
    assert run.code == 0 and "2 more held back by the baseline" in run.out, run.out
    write("u.yaml", template("python3.10"))  # a new finding still fails the preview
    assert iacfix("fix", ".", preview, "--baseline", "b.json").code == 1


def test_a_gitignore_saved_with_a_bom_is_read_as_git_reads_it(iacfix, write, tmp_path):
    os.mkdir(tmp_path / ".git")  # git skips a UTF-8 BOM (Notepad, PowerShell 5 write one)
    write({"build/t.yaml": template("python3.9"), "t.yaml": template("python3.9")})
    (tmp_path / ".gitignore").write_bytes(b"\xef\xbb\xbfbuild/\r\n")
    assert found(iacfix("check", ".", "--format", "json")) == [("t.yaml", "RT003")]


def test_a_gitignore_line_git_cannot_read_is_passed_over_as_git_does(iacfix, write, tmp_path):
    os.mkdir(tmp_path / ".git")
    write({".gitignore": "!\nbuild/\n\\\n", "build/t.yaml": template("python3.9"), "t.yaml": template("python3.9")})
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 1 and found(run) == [("t.yaml", "RT003")], run.err


def test_an_override_pattern_that_cannot_be_read_is_a_configuration_error(iacfix, write):
    write({"iacfix.toml": '[[overrides]]\npaths = ["!"]\nhorizon = 1\n', "t.yaml": template("python3.9")})
    run = iacfix("check", ".")
    assert run.code == 2 and "iacfix.toml overrides[0]: paths: '!'" in run.err, run.out + run.err


@pytest.mark.parametrize("pattern", ["./generated", "./generated/", "./infra/../generated"])
def test_an_exclude_written_as_a_path_from_here_excludes_it(pattern, iacfix, write):
    write({"generated/a.yaml": template("python3.9"), "c.yaml": template("python3.9")})
    assert found(iacfix("check", ".", "--format", "json", "--exclude", pattern)) == [("c.yaml", "RT003")]


def test_force_exclude_applies_the_excludes_to_files_named_on_the_command_line(iacfix, write, tmp_path):
    # pre-commit names every staged file; the configuration's excludes must still hold (ruff's --force-exclude)
    write({"iacfix.toml": 'extend-exclude = ["legacy"]\n', "legacy/t.yaml": template("python3.9"),
           "node_modules/p/t.yaml": template("python3.9"), "t.yaml": template("python3.11")})
    named = ("legacy/t.yaml", "node_modules/p/t.yaml", "t.yaml")
    assert len(found(iacfix("check", *named, "--format", "json"))) == 3  # named: always read
    run = iacfix("check", *named, "--format", "json", "--force-exclude")
    assert found(run) == [("t.yaml", "RT004")] and run.code == 1
    assert iacfix("check", "legacy/t.yaml", "--force-exclude").code == 0
    assert iacfix("fix", "legacy/t.yaml", "--force-exclude").code == 0
    assert (tmp_path / "legacy" / "t.yaml").read_text() == template("python3.9")  # not fixed


@pytest.mark.parametrize("lines, path, ignored", [
    (["a/c", "!a/"], "a/c/", True),  # the negation names the directory a only
    (["*", "!a/"], "a/", False),
    (["a/**"], "a/c/", True), (["a/**"], "a/", None),
    (["**/d"], "x/y/d", True), (["/t.yaml"], "x/t.yaml", None), (["t.yaml/"], "t.yaml", None),
    (["[ab].yaml", "!b.yaml"], "b.yaml", False), (["x?.yaml"], "x1.yaml", True), (["\\#x"], "#x", True),
    (["a/**/t.yaml"], "a/t.yaml", True), (["a/**/t.yaml"], "a/c/d/t.yaml", True), (["doc/*.txt"], "doc/x/y.txt", None),
])
def test_gitignore_patterns_match_the_entry_itself(lines, path, ignored):
    from iacfix.gitignore import _Spec, pattern

    assert _Spec([p for p in map(pattern, lines) if p]).verdict(path) is ignored
