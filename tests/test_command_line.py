"""The command line without click (iacfix.command): every option each command
took under click is still listed in its help and still accepted; usage errors
keep click's shape (usage line, hint, ``Error: ...``, exit 2); ``--as-of``
takes exactly what click.DateTime(formats=["%Y-%m-%d"]) took."""

import datetime as dt
import subprocess
import sys

import pytest

from conftest import invoke
from iacfix.cli import date

CI = ["-o", "--output-file", "--max-annotations", "--exit-zero", "--fail-on", "--statistics", "-q", "--quiet",
      "--show-fixes", "--force-exclude", "--respect-gitignore", "--no-respect-gitignore", "--config", "--isolated",
      "--baseline", "--write-baseline"]
COMMON = ["--as-of", "--horizon", "--catalog", "--select", "--ignore", "--unsafe-fixes", "--exclude", "--format",
          "-j", "--jobs", "--max-file-size", "--accept", "--resolve", "--no-cache", "--cache-dir", *CI, "--target"]
# Written out from the click version's --help: an option dropped from a declaration fails here.
OPTIONS = {
    "check": COMMON,
    "fix": [*COMMON, "--diff", "--dry-run", "--follow-links-out"],
    "plan": ["--as-of", "--horizon", "--catalog", "--target", "--accept", "--resolve", "--exclude", "--format", "-j",
             "--jobs"],
    "runtimes": ["--as-of", "--horizon", "--catalog", "--provider", "--family", "--format"],
    "explain": [],
    "rules": [],
}


def test_the_group_help_lists_every_command_and_its_options():
    got = invoke(["--help"])
    assert got.exit_code == 0 and got.stdout.startswith("Usage: iacfix [OPTIONS] COMMAND [ARGS]...\n")
    commands = got.stdout.split("\nCommands:\n")[1]
    assert [line.split()[0] for line in commands.splitlines()] == sorted(OPTIONS)
    assert "  --version   Show the version and exit." in got.stdout and "  -h, --help  " in got.stdout
    assert invoke(["--version"]).stdout == "iacfix, version 0.1.0\n"


@pytest.mark.parametrize("command", sorted(OPTIONS))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_each_command_help_lists_every_option_it_accepts(command, flag):
    got = invoke([command, flag])
    assert got.exit_code == 0 and got.stderr == ""
    listed = got.stdout.split("\nOptions:\n")[1]
    terms = {word.rstrip(",") for line in listed.splitlines() if line.startswith("  -")
             for word in line.split()[:4] if word.startswith("-")}
    assert terms == {*OPTIONS[command], "-h", "--help"}


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_each_listed_option_is_accepted(command, tmp_path, monkeypatch):
    """Each option parses: after --help, a flag still shows the help and an option wanting a value says so;
    neither is 'No such option', and nothing runs."""
    monkeypatch.chdir(tmp_path)
    for option in OPTIONS[command]:
        got = invoke([command, "--help", option])
        assert got.exit_code == 0 or got.stderr == f"Error: Option {option!r} requires an argument.\n", got.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["check", "--bogus"], "No such option '--bogus'. Did you mean '--jobs'?"),
    (["check", "--as-o", "2026-01-01"], "No such option '--as-o'. (Did you mean one of: '--as-of', '--fail-on'?)"),
    (["check", "--as-of", "nope"], "Invalid value for '--as-of': 'nope' does not match the format '%Y-%m-%d'."),
    (["check", "-j", "0"], "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1."),
    (["check", "--horizon", "abc"], "Invalid value for '--horizon': 'abc' is not a valid integer range."),
    (["check", "--max-file-size", "0"], "Invalid value for '--max-file-size': '0' is less than one byte"),
    (["check", "--format", "x"], "Invalid value for '--format': 'x' is not one of 'text', 'json', 'github', "
                                 "'sarif', 'gitlab', 'markdown'."),
    (["check", "--select", "BOGUS"], "Invalid value: unknown rule 'BOGUS' (see `iacfix rules`)"),
    (["fix", "--target", "x"], "--target 'x' is not a runtime in the catalog (see `iacfix runtimes`)"),
    (["explain"], "Missing argument 'RULE'."),
    (["rules", "extra"], "Got unexpected extra argument (extra)"),
])
def test_a_usage_error_shows_the_usage_then_the_error_and_exits_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    got = invoke(args)
    usage = {"check": "[OPTIONS] [PATHS]...", "fix": "[OPTIONS] [PATHS]...", "explain": "[OPTIONS] RULE",
             "rules": "[OPTIONS]"}[args[0]]
    assert (got.exit_code, got.stdout) == (2, "")
    assert got.stderr == (f"Usage: iacfix {args[0]} {usage}\nTry 'iacfix {args[0]} --help' for help.\n\n"
                          f"Error: {message}\n")


def test_a_directory_given_for_a_file_is_refused_by_name(tmp_path):
    got = invoke(["check", "--config", str(tmp_path), str(tmp_path)])
    assert got.exit_code == 2 and got.stderr.endswith(f"Error: Invalid value for '--config': File "
                                                      f"{str(tmp_path)!r} is a directory.\n")


def test_an_option_missing_its_value_and_an_unknown_command(tmp_path):
    assert invoke(["check", "--as-of"]).stderr == "Error: Option '--as-of' requires an argument.\n"
    got = invoke(["chek"])
    assert got.exit_code == 2 and got.stderr.endswith("Error: No such command 'chek'. Did you mean 'check'?\n")
    bare = invoke([])
    assert bare.exit_code == 2 and bare.stderr == invoke(["--help"]).stdout


def test_options_and_paths_mix_in_any_order_and_take_attached_values(tmp_path, write):
    write("a/t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n    Type: AWS::Lambda::Function\n"
                      "    Properties:\n      Runtime: python3.9\n")
    write("b/t.yaml", (tmp_path / "a/t.yaml").read_text())
    split = invoke(["check", str(tmp_path / "a"), "--as-of", "2026-11-21", str(tmp_path / "b"), "-qj1"])
    joined = invoke(["check", "--as-of=2026-11-21", "-j", "1", "--quiet", "--", str(tmp_path / "a"),
                     str(tmp_path / "b")])
    assert split.exit_code == joined.exit_code == 1 and split.stdout == joined.stdout
    assert split.stdout.count("RT003") == 2


def _strptime(value: str):
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None


@pytest.mark.parametrize("value", ["2026-11-21", "2026-1-5", "2026-01- 5", "2024-02-29", "2026-02-29", "2026-13-01",
                                   "20260105", "2026-11-21 ", " 2026-11-21", "2026-11-21T00:00", "0000-01-01",
                                   "2026-1-05", "2026-11-31", "2026/11/21", "", "٢٠٢٦-11-21", "2026-+1-05"])
def test_as_of_takes_what_strptime_took(value):
    """The oracle is the format click gave strptime."""
    expected = _strptime(value)
    try:
        got = date(value)
    except ValueError as e:
        assert expected is None, value
        assert str(e) == f"{value!r} does not match the format '%Y-%m-%d'."
    else:
        assert got == expected, value


@pytest.mark.slow
def test_as_of_takes_what_strptime_took_for_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=500, deadline=None)
    @given(st.from_regex(r"[0-9 ]{1,5}-[0-9 +]{1,3}-[0-9 ]{1,3}", fullmatch=True) | st.text(max_size=12))
    def agree(value):
        expected = _strptime(value)
        try:
            assert date(value) == expected
        except ValueError:
            assert expected is None

    agree()


def test_a_closed_pipe_ends_the_run_quietly(tmp_path, write):
    """``iacfix check . | head -1``: no traceback once the reader is gone."""
    for i in range(400):
        write(f"t{i}.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n"
                            "    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.9\n")
    run = subprocess.run(f"{sys.executable} -m iacfix check . --as-of 2026-11-21 -j1 | head -1", shell=True,
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.stdout.count("\n") == 1 and "Traceback" not in run.stderr and "Error" not in run.stderr
