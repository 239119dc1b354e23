"""Terraform: module directories as units, python-hcl2 as an independent oracle,
and random formatting around runtime attributes (hypothesis)."""

import json
import re
import shutil
import tempfile
from pathlib import Path

import hcl2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AS_OF, GOLDEN, golden_out

TARGETS = {"python3.13", "python313", "3.13", "PYTHON|3.13"}
RUNTIME = re.compile(r"^(python3\.?\d+|3\.\d+|PYTHON\|3\.\d+)$")
IN_STRING = re.compile(r'"(python3\.?\d+|3\.\d+|PYTHON\|3\.\d+)"')


def _oracle(text: str) -> dict:
    return hcl2.loads(text, serialization_options=hcl2.SerializationOptions(with_comments=False))


def _unquote(v):
    return v[1:-1] if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] == '"' else v


def _in_string(s: str) -> str:
    """A condition such as contains(["python3.9", "python3.12"], var.x) with its runtimes blurred."""
    return re.sub(r'"RT"(\s*,\s*"RT")*', '"RT"', IN_STRING.sub('"RT"', s))


def same_but_runtimes(before, after, where="") -> None:
    """``after`` means what ``before`` means, apart from runtime values moved to
    a target and runtime list entries dropped."""
    if isinstance(before, dict):
        assert isinstance(after, dict) and before.keys() == after.keys(), where
        for k in before:
            same_but_runtimes(before[k], after[k], f"{where}.{k}")
    elif isinstance(before, list):
        assert isinstance(after, list), where
        if len(before) == len(after):
            for i, (a, b) in enumerate(zip(before, after)):
                same_but_runtimes(a, b, f"{where}[{i}]")
        else:
            kept = [_unquote(v) for v in after]
            assert len(after) < len(before) and all(v in TARGETS or v in map(_unquote, before) for v in kept), where
            assert all(RUNTIME.match(str(_unquote(v))) for v in before if _unquote(v) not in kept), where
    elif before != after:
        a, b = _unquote(before), _unquote(after)
        if isinstance(a, str) and a.startswith("${") and isinstance(b, str):
            assert _in_string(a) == _in_string(b), where
        else:
            assert RUNTIME.match(str(a)) and b in TARGETS, f"{where}: {before!r} -> {after!r}"


def _hcl_pairs():
    for src in sorted(GOLDEN.glob("tf_*.in.tf")):
        yield src.name, src, golden_out(src.name)
    for tree in sorted(p for p in GOLDEN.glob("tf_*.in") if p.is_dir()):
        for src in sorted(tree.rglob("*")):
            if src.suffix in (".tf", ".tfvars"):
                out = golden_out(tree.name) / src.relative_to(tree)
                yield f"{tree.name}/{src.relative_to(tree)}", src, out


@pytest.mark.slow
@pytest.mark.parametrize("name, before, after", list(_hcl_pairs()), ids=lambda x: x if isinstance(x, str) else "")
def test_python_hcl2_reads_every_golden_fix_as_the_same_config_but_runtimes(name, before, after):
    same_but_runtimes(_oracle(before.read_text(encoding="utf-8-sig")), _oracle(after.read_text(encoding="utf-8-sig")))


@pytest.mark.slow
def test_the_oracle_sees_a_change_other_than_a_runtime():
    before = _oracle('resource "aws_lambda_function" "f" {\n  runtime = "python3.9"\n  handler = "a.b"\n}\n')
    after = _oracle('resource "aws_lambda_function" "f" {\n  runtime = "python3.13"\n  handler = "a.c"\n}\n')
    with pytest.raises(AssertionError):
        same_but_runtimes(before, after)


FN = 'resource "aws_lambda_function" "api" {\n  runtime = var.runtime\n}\n'
VARS = 'variable "runtime" {\n  default = "python3.9"\n}\n'


def test_naming_one_file_takes_its_directory_as_the_module(iacfix, write):
    write({"main.tf": FN, "variables.tf": VARS})
    run = iacfix("check", "main.tf", "--format", "json")
    assert [(f["path"], f["line"], f["runtime"], f["used_by"]) for f in run.json["findings"]] == [
        ("variables.tf", 2, "python3.9", ["aws_lambda_function.api"])]
    both = iacfix("check", ".", "main.tf", "variables.tf", "--format", "json")
    assert both.json["findings"] == run.json["findings"]  # one unit, not three


def test_an_excluded_sibling_is_not_read(iacfix, write):
    write({"main.tf": FN, "variables.tf": VARS})
    run = iacfix("check", "main.tf", "--exclude", "variables.tf", "--format", "json")
    assert [(f["rule"], f["path"]) for f in run.json["findings"]] == [("RT102", "main.tf")]
    assert "var.runtime is not declared" in run.json["findings"][0]["message"]


def test_syntax_error_is_reported_left_alone_and_the_rest_is_fixed(iacfix, tmp_path, write):
    broken = 'resource "aws_lambda_function" "b" {\n  runtime = "python3.9"\n  handler = \n}\n'
    write({"main.tf": FN, "variables.tf": VARS, "broken.tf": broken})
    run = iacfix("fix", ".", "--format", "json")
    assert run.code == 2
    assert [(e["path"], e["line"]) for e in run.json["errors"]] == [("broken.tf", 3)]
    assert (tmp_path / "broken.tf").read_text() == broken
    assert 'default = "python3.13"' in (tmp_path / "variables.tf").read_text()
    json_broken = '{"resource": {"aws_lambda_function": {"f": {"runtime": "python3.9",}}}}'
    path = write("x.tf.json", json_broken)
    again = iacfix("fix", "x.tf.json")
    assert again.code == 2 and "x.tf.json:1:" in again.out and path.read_text() == json_broken


def test_json_names_each_provider_and_its_own_runtime_id(iacfix, tmp_path):
    shutil.copyfile(GOLDEN / "tf_resources.in.tf", tmp_path / "main.tf")
    run = iacfix("check", "main.tf", "--format", "json")
    seen = {(f["provider"], f["runtime"]) for f in run.json["findings"] if f["runtime"]}
    assert {("gcp", "python38"), ("gcp", "python310"), ("azure", "3.9"), ("azure", "3.8"), ("aws", "python3.9")} <= seen
    gcp = next(f for f in run.json["findings"] if f["runtime"] == "python38")
    assert gcp["deadlines"] == {"deprecation": "2024-10-14", "decommission": "2025-10-14"}


def test_target_is_spelled_per_provider(iacfix, tmp_path):
    shutil.copyfile(GOLDEN / "tf_resources.in.tf", tmp_path / "main.tf")
    iacfix("fix", "main.tf", "--target", "python3.12")
    text = (tmp_path / "main.tf").read_text()
    assert 'runtime = "python312"' in text and 'python_version = "3.12"' in text and '"PYTHON|3.12"' in text
    assert 'runtime       = "python3.12" # pinned in 2021' in text


def test_a_local_module_outside_the_scanned_tree_still_informs_the_caller(iacfix, write):
    write({
        "modules/fn/main.tf": 'variable "py" {\n  default = "python3.9"\n}\n'
                              'resource "aws_lambda_function" "this" {\n  runtime = var.py\n}\n',
        "envs/prod/main.tf": 'module "fn" {\n  source = "../../modules/fn"\n  py     = "python3.10"\n}\n',
    })
    run = iacfix("check", "envs/prod", "--format", "json")
    assert [(f["path"], f["runtime"], f["used_by"]) for f in run.json["findings"]] == [
        ("envs/prod/main.tf", "python3.10", ["module.fn.aws_lambda_function.this"])]


def test_module_cycles_and_self_references_end(iacfix, write):
    write({
        "a/main.tf": 'module "b" {\n  source = "../b"\n  runtime = "python3.9"\n}\n'
                     'locals {\n  x = local.x\n}\nresource "aws_lambda_function" "f" {\n  runtime = local.x\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n  runtime = "python3.8"\n}\n',
    })
    run = iacfix("check", ".", "--format", "json")
    assert run.json["errors"] == []
    assert {(f["path"], f["rule"]) for f in run.json["findings"]} >= {("a/main.tf", "RT102")}


# --- property: random but valid formatting around runtime attributes -----------

PYTHONS = ["python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13"]
blank = st.sampled_from([" ", "  ", "\t", "   "])
comment = st.sampled_from(["", " # note", " // note", " /* note */"])
newline = st.sampled_from(["\n", "\r\n"])


@st.composite
def configs(draw):
    nl = draw(newline)
    parts = []
    for i in range(draw(st.integers(1, 4))):
        pad = draw(blank)
        kind = draw(st.sampled_from(["fn", "layer", "gcp", "azure", "local"]))
        rt = draw(st.sampled_from(PYTHONS))
        note = draw(comment)
        if kind == "fn":
            parts.append(f'resource "aws_lambda_function" "f{i}" {{{nl}{pad}runtime{draw(blank)}={draw(blank)}"{rt}"{note}{nl}'
                         f'{pad}handler = "app.h"{nl}}}{nl}')
        elif kind == "layer":
            entries = draw(st.lists(st.sampled_from(PYTHONS), min_size=1, max_size=4, unique=True))
            if draw(st.booleans()):
                body = "[" + f",{draw(blank)}".join(f'"{e}"' for e in entries) + "]"
            else:
                body = "[" + nl + "".join(f'{pad}{pad}"{e}",{draw(comment)}{nl}' for e in entries) + pad + "]"
            parts.append(f'resource "aws_lambda_layer_version" "l{i}" {{{nl}{pad}compatible_runtimes = {body}{nl}}}{nl}')
        elif kind == "gcp":
            parts.append(f'resource "google_cloudfunctions2_function" "g{i}" {{{nl}{pad}build_config {{{nl}'
                         f'{pad}{pad}runtime = "{rt.replace(".", "")}"{note}{nl}{pad}}}{nl}}}{nl}')
        elif kind == "azure":
            parts.append(f'resource "azurerm_linux_function_app" "a{i}" {{{nl}{pad}site_config {{{nl}'
                         f'{pad}{pad}application_stack {{{nl}{pad}{pad}{pad}python_version = "{rt[6:]}"{note}{nl}'
                         f'{pad}{pad}}}{nl}{pad}}}{nl}}}{nl}')
        else:
            parts.append(f'locals {{{nl}{pad}rt{i} = "{rt}"{note}{nl}}}{nl}'
                         f'resource "aws_lambda_function" "lf{i}" {{{nl}{pad}runtime = local.rt{i}{nl}}}{nl}')
    text = draw(st.sampled_from(["", "# header" + nl])) + nl.join(parts)
    return text if draw(st.booleans()) else text.rstrip("\r\n")


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_fix_changes_only_runtime_values_and_is_idempotent(text):
    from conftest import invoke

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "main.tf"
        path.write_bytes(text.encode())
        first = invoke(["fix", str(path), "--as-of", AS_OF], catch_exceptions=True)
        assert first.exit_code in (0, 1), first.output
        fixed = path.read_bytes().decode()
        same_but_runtimes(_oracle(text), _oracle(fixed))
        # Only the quoted values changed: every other line, ending and comment is where it was.
        strip = re.compile(r'"(python3\.?\d+|3\.\d+)",?\s*(#.*|//.*|/\*.*\*/)?')
        assert [strip.sub("", ln) for ln in fixed.splitlines(True) if strip.sub("", ln).strip() not in ("", )] == \
            [strip.sub("", ln) for ln in text.splitlines(True) if strip.sub("", ln).strip() not in ("", )]
        assert fixed.endswith(("\n",)) == text.endswith(("\n",))
        second = invoke(["fix", str(path), "--as-of", AS_OF], catch_exceptions=True)
        assert path.read_bytes().decode() == fixed and "Fixed 0 sites" in second.output
        for old in ("python3.8", "python3.9", "python3.10", "python3.11", "python38", "python39", '"3.9"', '"3.8"'):
            assert old not in fixed


# --- found by review: each of these once lost a fix, crashed or misjudged -------


def test_a_file_linked_into_several_directories_is_reported_once_and_never_written_twice(iacfix, write):
    shared = "".join(f'  rt_{i} = "python3.9"\n' for i in range(300))
    locals_tf = write("shared/locals.tf", "locals {\n" + shared + "}\n")
    for i in range(300):
        main = write(f"envs/e{i:03d}/main.tf", f'resource "aws_lambda_function" "f" {{\n  runtime = local.rt_{i}\n}}\n')
        main.with_name("locals.tf").symlink_to("../../shared/locals.tf")
    before = locals_tf.read_bytes()
    run = iacfix("fix", "envs", "-j", "2", "--format", "json")
    assert locals_tf.read_bytes() == before  # nobody wrote it from a stale copy
    assert len(run.json["findings"]) == 300 and {f["path"] for f in run.json["findings"]} == {"envs/e000/locals.tf"}
    assert "linked into several directories" in json.dumps(run.json["not_fixed"])
    assert run.code == 1


def test_a_cycle_of_local_modules_ends(iacfix, write):
    write({
        "main.tf": 'resource "aws_lambda_function" "root" {\n  runtime = "python3.9"\n}\n'
                   'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\nmodule "me" {\n  source = "./"\n}\n',
    })
    run = iacfix("check", "main.tf", "--format", "json")
    assert run.json["errors"] == [] and [f["rule"] for f in run.json["findings"]] == ["RT003"]


def test_lists_read_by_index_and_validations_iacfix_cannot_keep_are_not_rewritten(iacfix, write):
    main = write("main.tf", (
        'variable "rts" {\n  default = ["python3.13", "python3.9"]\n}\n'
        'resource "aws_lambda_layer_version" "l" {\n  compatible_runtimes = var.rts\n}\n'
        'resource "aws_lambda_function" "f" {\n  runtime = var.rts[1]\n}\n'
        'variable "rt" {\n  default = "python3.9"\n  validation {\n'
        '    condition     = var.rt == "python3.9" || var.rt == "python3.10"\n    error_message = "no"\n  }\n}\n'
        'resource "aws_lambda_function" "g" {\n  runtime = var.rt\n}\n'
        'variable "many" {\n  default = ["python3.9"]\n  validation {\n'
        '    condition     = alltrue([for r in var.many : contains(["python3.9", "python3.12"], lower(r))])\n'
        '    error_message = "no"\n  }\n}\n'
        'resource "aws_lambda_layer_version" "m" {\n  compatible_runtimes = var.many\n}\n'))
    run = iacfix("fix", "main.tf", "--format", "json")
    text = main.read_text()
    assert 'default = ["python3.13", "python3.9"]' in text and 'default = "python3.9"' in text
    assert 'contains(["python3.13", "python3.12"], lower(r))' in text and 'default = ["python3.13"]' in text
    reasons = " ".join(f["message"] for f in run.json["findings"])
    assert "read by index" in reasons and "validation names a runtime outside a contains" in reasons


def test_one_value_for_two_providers_is_reported_not_rewritten(iacfix, write):
    main = write("main.tf", 'variable "rt" {\n  default = "python39"\n}\n'
                            'resource "google_cloudfunctions_function" "g" {\n  runtime = var.rt\n}\n'
                            'resource "aws_lambda_function" "f" {\n  runtime = var.rt\n}\n'
                            'module "gcf" {\n  source  = "GoogleCloudPlatform/cloud-functions/google"\n'
                            '  runtime = "python39"\n}\n')
    run = iacfix("fix", "main.tf", "--format", "json")
    text = main.read_text()
    assert 'default = "python39"' in text and 'runtime = "python313"' in text
    shared = next(f for f in run.json["findings"] if f["line"] == 2)
    assert shared["fixable"] is False and "spells runtimes differently" in shared["message"]


def test_for_each_maps_try_lookup_dynamic_blocks_escapes_and_unset_values(iacfix, write):
    write("main.tf", (
        'locals {\n  fns = {\n    api = { runtime = "python3.9" }\n  }\n  m = { a = "python3.11" }\n}\n'
        'resource "aws_lambda_function" "fn" {\n  for_each = local.fns\n  runtime  = each.value.runtime\n}\n'
        'resource "aws_lambda_function" "t" {\n  runtime = try(local.nope, "python3.8")\n}\n'
        'resource "aws_lambda_function" "l" {\n  runtime = lookup(local.m, "k", "python3.10")\n}\n'
        'resource "google_cloudfunctions2_function" "d" {\n  dynamic "build_config" {\n    for_each = [1]\n'
        '    content {\n      runtime = "python39"\n    }\n  }\n}\n'
        'resource "aws_lambda_function" "esc" {\n  runtime = "python3.\\u0039"\n}\n'
        'variable "runtime" {\n  default = ""\n}\n'
        'resource "aws_lambda_function" "img" {\n  runtime = var.runtime == "" ? null : var.runtime\n}\n'))
    run = iacfix("check", "main.tf", "--format", "json")
    got = {(f["line"], f["rule"], f["runtime"], f["fixable"], f["provider"]) for f in run.json["findings"]}
    assert got == {(3, "RT003", "python3.9", True, "aws"), (5, "RT004", "python3.11", True, "aws"),
                   (12, "RT003", "python3.8", True, "aws"), (12, "RT102", None, False, "aws"),
                   (15, "RT003", "python3.10", True, "aws"), (21, "RT001", "python39", True, "gcp"),
                   (26, "RT003", "python3.9", False, "aws")}
