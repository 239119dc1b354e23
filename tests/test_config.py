"""Configuration discovery and precedence: [tool.iacfix], iacfix.toml,
.iacfix.toml found upward from the checked paths, overrides, --config,
--isolated, errors naming the key, flags winning."""

import pytest

from conftest import lambda_function


def template(*runtimes: str) -> str:
    return "Resources:\n" + "".join(lambda_function(rt, f"F{i}") for i, rt in enumerate(runtimes))


def rules(run) -> list[str]:
    assert run.code in (0, 1), run.out + run.err
    return sorted(f["rule"] for f in run.json["findings"])


def test_pyproject_is_found_from_the_checked_path_upward(iacfix, write):
    write({"repo/pyproject.toml": '[tool.iacfix]\nignore = ["RT004"]\n',
           "repo/infra/deep/t.yaml": template("python3.11", "python3.9")})
    assert rules(iacfix("check", "repo/infra/deep", "--format", "json")) == ["RT003"]
    assert rules(iacfix("check", "repo/infra/deep", "--format", "json", "--isolated")) == ["RT003", "RT004"]


def test_a_pyproject_without_the_table_is_passed_over(iacfix, write):
    write({"repo/iacfix.toml": 'select = ["RT004"]\n', "repo/infra/pyproject.toml": "[project]\nname = 'x'\n",
           "repo/infra/t.yaml": template("python3.11", "python3.9")})
    assert rules(iacfix("check", "repo/infra", "--format", "json")) == ["RT004"]


def test_dot_iacfix_toml_wins_in_its_directory_and_flags_win_over_files(iacfix, write):
    write({"r/.iacfix.toml": 'select = ["RT003"]\n', "r/iacfix.toml": 'select = ["RT004"]\n',
           "r/t.yaml": template("python3.11", "python3.9")})
    assert rules(iacfix("check", "r", "--format", "json")) == ["RT003"]
    assert rules(iacfix("check", "r", "--format", "json", "--select", "RT004")) == ["RT004"]


def test_every_key(iacfix, write, tmp_path):
    write({"iacfix.toml": 'target = "python3.12"\nhorizon = 30\nexclude = ["old"]\nextend-exclude = ["tmp*"]\n'
                          'fail-on = "error"\n[[accept]]\nfunction = "F1"\nruntime = "python3.11"\n'
                          'until = 2027-01-31\nreason = "x"\n',
           "t.yaml": template("python3.11", "python3.11"), "old/t.yaml": template("python3.9"),
           "tmp1/t.yaml": template("python3.9"), "node_modules/t.yaml": template("python3.9")})
    run = iacfix("check", ".", "--format", "json")
    # exclude replaced the defaults
    assert [f["path"] for f in run.json["findings"]] == ["node_modules/t.yaml", "t.yaml", "t.yaml"]
    assert run.code == 1  # node_modules/t.yaml: python3.9 is an error
    assert iacfix("check", "t.yaml").code == 0  # fail-on error: the warning does not fail
    fixed = iacfix("fix", "t.yaml", "--diff")
    assert fixed.out.count("+      Runtime: python3.12") == 1  # the target; F1 stays, accepted
    assert "accepted until 2027-01-31 (x)" in fixed.out


def test_catalog_is_relative_to_the_file(iacfix, write):
    write({"infra/iacfix.toml": 'catalog = "own/catalog.json"\n', "infra/own/catalog.json": "{}",
           "infra/t.yaml": template("python3.9")})
    run = iacfix("check", "infra")
    assert run.code == 2 and "own/catalog.json" in run.err and "settings from" in run.err


def test_overrides_apply_to_their_paths_and_flags_still_win(iacfix, write):
    write({"pyproject.toml": '[tool.iacfix]\nselect = ["RT003", "RT004"]\n'
                             '[[tool.iacfix.overrides]]\npaths = ["legacy/**"]\nignore = ["RT004"]\nfail-on = "error"\n',
           "legacy/a/t.yaml": template("python3.11"), "new/t.yaml": template("python3.11")})
    run = iacfix("check", ".", "--format", "json")
    assert [f["path"] for f in run.json["findings"]] == ["new/t.yaml"]
    assert iacfix("check", "legacy", "--format", "json").code == 0
    assert rules(iacfix("check", "legacy", "--format", "json", "--ignore", "RT003")) == ["RT004"]


def test_an_override_applies_to_a_directory_whose_name_begins_with_two_dots(iacfix, write):
    """``..svc/`` is inside the configuration's directory: its relative path began with "..",
    which read as "outside", so no override ever applied to it."""
    write({"iacfix.toml": '[[overrides]]\npaths = ["..svc/**"]\nignore = ["RT004"]\n',
           "..svc/t.yaml": template("python3.11"), "svc/t.yaml": template("python3.11")})
    run = iacfix("check", ".", "--format", "json")
    assert sorted({f["path"] for f in run.json["findings"] if f["rule"] == "RT004"}) == ["svc/t.yaml"]


@pytest.mark.parametrize("text, message", [
    ('horizen = 3\n', "unknown key 'horizen' (did you mean 'horizon'?"),
    ('horizon = "3"\n', "horizon must be an integer"),
    ('select = "RT003"\n', "select must be an array of strings"),
    ('fail-on = "warn"\n', 'fail-on must be one of "error", "warning", "info"'),
    ('accept = ["x"]\n', "accept must be an array of tables"),
    ('[[overrides]]\npaths = ["a"]\nexclude = ["b"]\n', "belong at the top level"),
    ('[[overrides]]\nignore = ["RT004"]\n', "paths must be a non-empty array"),
    ('[[overrides]]\npaths = ["a"]\ncolour = 1\n', "overrides[0]: unknown key 'colour'"),
    ('select = ["RT9999"]\n', "unknown rule 'RT9999'"),
    ('ignore = ["RT004", "runtime-deprecatd"]\n', "iacfix.toml: ignore: unknown rule 'runtime-deprecatd'"),
    ('[[overrides]]\npaths = ["a"]\nselect = ["RT00x"]\n', "iacfix.toml overrides[0]: select: unknown rule 'RT00x'"),
    ('select = [\n', "is not valid TOML"),
    ('[[overrides]]\npaths = ["../infra/**"]\nhorizon = 1\n', "overrides[0]: paths: '../infra/**' leaves"),
    ('[[overrides]]\npaths = ["a"]\n[[overrides]]\npaths = ["b"]\ntarget = "python9"\n',
     "'python9' is not a runtime in the catalog (see `iacfix runtimes`) (settings from "),
])
def test_unknown_keys_and_wrong_types_are_errors_naming_them(text, message, iacfix, write):
    write({"iacfix.toml": text, "t.yaml": template("python3.9")})
    run = iacfix("check", "t.yaml")
    assert run.code == 2 and message in run.err and "iacfix.toml" in run.err, run.err
    if "target" in text:
        assert run.err.rstrip().endswith("iacfix.toml overrides[1])"), run.err


def test_config_flag_names_the_file(iacfix, write):
    write({"conf/strict.toml": 'select = ["RT004"]\n', "t.yaml": template("python3.11", "python3.9")})
    assert rules(iacfix("check", "t.yaml", "--format", "json", "--config", "conf/strict.toml")) == ["RT004"]
    assert iacfix("check", "t.yaml", "--config", "conf/none.toml").code == 2


def test_the_readme_example_is_a_valid_configuration(iacfix, write):
    import re

    from conftest import CATALOG_FILE, ROOT

    section = (ROOT / "README.md").read_text().split("\n### Configuration\n", 1)[1].split("\n### ", 1)[0]
    toml = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    write({"pyproject.toml": toml, "teams/payments/t.yaml": template("python3.11"), "t.yaml": template("python3.11"),
           "ops/catalog.json": CATALOG_FILE.read_bytes(), "node_modules/pkg/t.yaml": template("python3.11"),
           "vendor/t.yaml": template("python3.11")})
    run = iacfix("check", ".", "--format", "json")  # copied as is, it keeps the default excludes (node_modules)
    assert run.code == 1 and rules(run) == ["RT004", "RT004"]
    assert iacfix("check", "t.yaml").code == 0  # fail-on = "error" at the top; "warning" under teams/payments


def test_exclude_paths_are_relative_to_the_file(iacfix, write):
    write({"repo/iacfix.toml": 'extend-exclude = ["infra/legacy/*"]\n', "repo/infra/legacy/t.yaml": template("python3.9"),
           "repo/infra/t.yaml": template("python3.9")})
    run = iacfix("check", "repo", "--format", "json")
    assert [f["path"] for f in run.json["findings"]] == ["repo/infra/t.yaml"]


def test_a_select_flag_is_not_undone_by_the_files_ignore(iacfix, write):
    write({"iacfix.toml": 'ignore = ["RT004"]\n[[overrides]]\npaths = ["legacy/**"]\nignore = ["RT003"]\n',
           "t.yaml": template("python3.11", "python3.9"), "legacy/t.yaml": template("python3.11", "python3.9")})
    run = iacfix("check", ".", "--format", "json", "--select", "RT004")
    assert sorted((f["path"], f["rule"]) for f in run.json["findings"]) == [("legacy/t.yaml", "RT004"), ("t.yaml", "RT004")]
    run = iacfix("check", ".", "--format", "json", "--select", "RT0", "--ignore", "RT003")
    assert rules(run) == ["RT004", "RT004"]
    assert rules(iacfix("check", ".", "--format", "json")) == ["RT003", "RT004"]  # the file's own ignores


def test_the_last_matching_override_decides_the_exit_as_it_decides_the_judgement(iacfix, write):
    write({"iacfix.toml": '[[overrides]]\npaths = ["teams/**"]\nfail-on = "error"\nhorizon = 0\n'
                          '[[overrides]]\npaths = ["teams/payments/**"]\nignore = ["RT003"]\n',
           "teams/payments/t.yaml": template("python3.11")})  # RT004, a warning
    run = iacfix("check", "teams", "--format", "json")
    # The second override applies on top of the top level (not of the first): fail-on stays warning.
    assert rules(run) == ["RT004"] and run.code == 1


@pytest.mark.parametrize("pattern", ["**/generated", "**/generated/**"])
def test_a_leading_double_star_also_matches_at_the_top(pattern, iacfix, write):
    write({"iacfix.toml": f'extend-exclude = ["{pattern}"]\n', "generated/a.yaml": template("python3.9"),
           "infra/generated/b.yaml": template("python3.9"), "c.yaml": template("python3.9")})
    assert [f["path"] for f in iacfix("check", ".", "--format", "json").json["findings"]] == ["c.yaml"]
    run = iacfix("check", ".", "--format", "json", "--isolated", "--exclude", pattern)
    assert [f["path"] for f in run.json["findings"]] == ["c.yaml"]


@pytest.mark.parametrize("table", [
    '[tool.iacfix]\nignore = ["RT004"]\n',
    '[ tool . "iacfix" ]\nignore = ["RT004"]\n',
    "[tool.'iacfix']\nignore = ['RT004']\n",
    'tool.iacfix.ignore = ["RT004"]\n',
    '[tool]\niacfix = { ignore = ["RT004"] }\n',
    '[tool]\niacfix.ignore = ["RT004"]\n',
    'tool = { iacfix = { ignore = ["RT004"] } }\n',
    '\ufeff[tool]\r\niacfix = { ignore = ["RT004"] }\r\n',
    '[project]\nname = "app"\n\n[[tool.iacfix.overrides]]\npaths = ["*"]\nignore = ["RT004"]\n',
])
def test_every_spelling_of_the_table_in_pyproject_is_read(iacfix, write, table):
    write({"repo/pyproject.toml": table, "repo/t.yaml": template("python3.11", "python3.9")})
    assert rules(iacfix("check", "repo", "--format", "json")) == ["RT003"]


def test_a_pyproject_that_names_iacfix_only_as_a_package_is_not_read_as_configuration(iacfix, write):
    """A project that depends on iacfix, or is iacfix, has no [tool.iacfix] table: its
    pyproject.toml is not parsed for one (tomllib stays unimported), even when it is broken."""
    write({"repo/pyproject.toml": '[project]\nname = "iacfix"\ndependencies = ["iacfix>=0.1"]\n'
                                  '[project.scripts]\niacfix = "iacfix.cli:main"\n[tool.setuptools]\n'
                                  'packages = ["iacfix"\n',  # unclosed: not TOML
           "repo/t.yaml": template("python3.11", "python3.9")})
    assert rules(iacfix("check", "repo/t.yaml", "--format", "json")) == ["RT003", "RT004"]
