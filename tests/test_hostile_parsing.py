"""Hostile inputs, generated here: each must end in well under a second with a
finding or an error at a location, never in minutes, gigabytes or a crash.
Time bounds are generous (the point is minutes against a fraction of a
second), so that a loaded machine never makes them flake."""

import subprocess
import time

import pytest

from test_cli import FN

SLOW = 10  # seconds: far above what each case takes, far below what it took before

def timed(iacfix, *args):
    start = time.monotonic()
    run = iacfix(*args)
    elapsed = time.monotonic() - start
    assert elapsed < SLOW, f"iacfix {' '.join(args)} took {elapsed:.1f} s"
    return run


# -- YAML aliases --------------------------------------------------------------

def if_chain(levels: int) -> str:
    """Each level an !If whose two branches alias the level below: 2^levels paths to one scalar."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Conditions:", "  C: !Equals [a, b]", "Metadata:",
             "  i0: &i0 python3.9"]
    lines += [f"  i{k}: &i{k} !If [C, *i{k - 1}, *i{k - 1}]" for k in range(1, levels + 1)]
    lines += ["Resources:", "  F:", "    Type: AWS::Lambda::Function", "    Properties:", f"      Runtime: *i{levels}"]
    return "\n".join(lines) + "\n"


def laughs(levels: int, section: str = "Metadata") -> str:
    """A "billion laughs": each level a list of ten aliases of the level below."""
    names = "abcdefghijklmnop"
    lines = [] if section == "Transform" else ["AWSTemplateFormatVersion: '2010-09-09'"]
    lines += [f"{section}:", "  a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  {names[k]}: &{names[k]} [{', '.join(['*' + names[k - 1]] * 10)}]" for k in range(1, levels)]
    lines += ["Resources:", "  F:", "    Type: AWS::Lambda::Function", "    Properties:", "      Runtime: python3.9"]
    return "\n".join(lines) + "\n"


def test_an_if_chain_of_aliases_is_followed_once_per_node(iacfix, tmp_path):
    text = if_chain(16)  # 65,536 paths to one scalar: 30 s and more before
    p = tmp_path / "t.yaml"
    p.write_text(text)
    run = timed(iacfix, "check", "t.yaml", "--format", "json")
    [finding] = run.json["findings"]
    assert (finding["line"], finding["column"], finding["used_by"]) == (5, 11, ["F"])
    diff = timed(iacfix, "fix", "t.yaml", "--diff")
    assert "-  i0: &i0 python3.9\n+  i0: &i0 python3.13\n" in diff.out
    timed(iacfix, "fix", "t.yaml")
    assert p.read_text() == text.replace("&i0 python3.9", "&i0 python3.13")


@pytest.mark.parametrize("command", [("check",), ("fix",), ("fix", "--diff")])
def test_aliases_expanding_past_the_budget_are_an_error_at_a_location(iacfix, tmp_path, command):
    text = if_chain(20)  # minutes before
    p = tmp_path / "t.yaml"
    p.write_text(text)
    (tmp_path / "good.yaml").write_text(FN.format(runtime="python3.9"))
    run = timed(iacfix, *command, ".", "--format", "json")
    assert run.code == 2 and p.read_text() == text
    [error] = run.json["errors"]
    assert (error["path"], error["line"]) == ("t.yaml", 24) and "more than 1,000,000 nodes" in error["message"]
    assert any(f["path"] == "good.yaml" for f in run.json["findings"] + run.json.get("fixed", []))


@pytest.mark.parametrize("command", [("check",), ("fix",), ("fix", "--diff")])
@pytest.mark.parametrize("section", ["Metadata", "Transform"])
def test_a_billion_laughs_is_an_error_not_gigabytes(iacfix, tmp_path, command, section):
    text = laughs(10, section)  # 10^10 nodes: past 2 GB and a MemoryError before
    p = tmp_path / "t.yaml"
    p.write_text(text)
    run = timed(iacfix, *command, "t.yaml")
    assert run.code == 2 and p.read_text() == text
    assert f"t.yaml:{8 if section == 'Metadata' else 7}:6: error: YAML aliases expand this node to more than" in run.out


def test_aliases_within_the_budget_are_fixed_without_expanding_them(iacfix, tmp_path):
    text = laughs(5).replace("Runtime: python3.9", "Runtime: &rt python3.9\n      Description: *e")
    text += "  G:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: *rt\n"
    p = tmp_path / "t.yaml"
    p.write_text(text)
    timed(iacfix, "fix", "t.yaml")
    assert p.read_text() == text.replace("&rt python3.9", "&rt python3.13")


def test_a_recursive_alias_is_an_error(iacfix, tmp_path):
    (tmp_path / "t.yaml").write_text(FN.format(runtime="python3.9") + "Metadata:\n  X: &x [a, *x]\n")
    run = timed(iacfix, "fix", "t.yaml")
    assert run.code == 2 and "t.yaml:8:6: error: a YAML alias refers to a node that contains it" in run.out


def test_a_parameter_whose_default_refers_to_itself_ends(iacfix, tmp_path):
    text = FN.format(runtime="!Ref P") + "Parameters:\n  P:\n    Type: String\n    Default: !Ref P\n"
    (tmp_path / "t.yaml").write_text(text)
    run = timed(iacfix, "check", "t.yaml", "--format", "json")
    assert run.json["errors"] == [] and [f["rule"] for f in run.json["findings"]] == ["RT102"]


def test_no_yaml_tag_is_ever_constructed(iacfix, tmp_path):
    pwned = tmp_path / "pwned"
    text = FN.format(runtime="python3.9") + f"Metadata:\n  X: !!python/object/apply:os.system ['touch {pwned}']\n"
    p = tmp_path / "t.yaml"
    p.write_text(text)
    timed(iacfix, "fix", "t.yaml")
    assert not pwned.exists() and p.read_text() == text.replace("python3.9", "python3.13")


# -- encodings and duplicate keys ----------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_read_and_written_back_in_their_encoding(iacfix, tmp_path, encoding):
    text = "\ufeff" + FN.format(runtime="python3.9  # é ☃ 😀").replace("\n", "\r\n")
    p = tmp_path / "t.yaml"
    p.write_bytes(text.encode(encoding))
    run = iacfix("check", "t.yaml", "--format", "json")
    [finding] = run.json["findings"]
    assert (run.code, finding["line"], finding["column"], finding["runtime"]) == (1, 6, 16, "python3.9")
    assert iacfix("fix", "t.yaml").code == 0
    assert p.read_bytes() == text.replace("python3.9", "python3.13").encode(encoding)


def test_a_utf16_file_that_does_not_decode_is_an_error_at_its_position(iacfix, tmp_path):
    data = ("\ufeff" + FN.format(runtime="python3.9")).encode("utf-16-le")
    at = data.index("Runtime".encode("utf-16-le"))
    (tmp_path / "t.yaml").write_bytes(data[:at] + b"\x00\xdc" + data[at:])  # a lone low surrogate
    run = iacfix("check", "t.yaml")
    assert run.code == 2 and "t.yaml:6:7: error: not valid UTF-16 (bytes 00 dc at byte" in run.out


@pytest.mark.parametrize("text, line, column", [
    (FN.format(runtime="python3.12") + "      Runtime: python3.8\n", 7, 7),
    (FN.format(runtime="!Ref P") + "Parameters:\n  P:\n    Type: String\n    Default: python3.12\n"
     "    Default: python3.8\n", 11, 5),
    ("Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.12\n    Runtime: python3.8\n"
     "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.b}\n", 5, 5),
    (FN.format(runtime="!FindInMap [M, a, rt]") + "Mappings:\n  M:\n    a: {rt: python3.12, rt: python3.8}\n", 9, 25),
    (FN.format(runtime="python3.12") + "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
     "      Runtime: python3.8\n", 7, 3),
])
def test_a_key_written_twice_where_a_runtime_is_read_is_an_error(iacfix, tmp_path, text, line, column):
    p = tmp_path / "t.yaml"
    p.write_text(text)
    for command in ("check", "fix"):
        run = iacfix(command, "t.yaml", "--format", "json")
        [error] = run.json["errors"]
        assert run.code == 2 and (error["line"], error["column"]) == (line, column) and p.read_text() == text
        assert error["message"].startswith("duplicate key")


def test_a_key_written_twice_elsewhere_is_no_error_and_never_rewritten_through(iacfix, tmp_path):
    text = (FN.format(runtime="!Sub ['python${V}', {V: '3.9', V: '3.12'}]") +
            "Metadata:\n  Notes: {a: 1, a: 2}\n")
    p = tmp_path / "t.yaml"
    p.write_text(text)
    run = iacfix("fix", "t.yaml", "--format", "json")
    assert run.json["errors"] == [] and p.read_text() == text
    assert "not fixed, file left unchanged" in run.out


# -- diffs -----------------------------------------------------------------------

def functions(n: int, newline: str = "\n") -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for i in range(n):
        lines += [f"  Fn{i}:", "    Type: AWS::Lambda::Function", "    Properties:", "      Handler: index.handler",
                  "      Runtime: python3.9", f"      Description: function {i}"]
    return newline.join(lines) + newline


def patched(tmp_path, name: str, original: bytes, diff: str) -> bytes:
    """``original`` with ``diff`` applied by ``patch -p1``."""
    (tmp_path / name).write_bytes(original)
    subprocess.run(["patch", "-p1", "-s", "--no-backup-if-mismatch"], input=diff.encode(), cwd=tmp_path, check=True)
    return (tmp_path / name).read_bytes()


def test_a_diff_of_thousands_of_changes_is_built_from_the_edits(iacfix, tmp_path):
    text = functions(3000)  # 16 s in difflib before
    p = tmp_path / "t.yaml"
    p.write_text(text)
    run = timed(iacfix, "fix", "t.yaml", "--diff", "-j", "1")
    assert run.out.count("\n-      Runtime: python3.9\n+      Runtime: python3.13\n") == 3000
    assert run.out.count("\n@@ ") == 1  # every change within 6 lines of the next: one hunk
    assert patched(tmp_path, "t.yaml", text.encode(), run.out) == text.replace("python3.9", "python3.13").encode()


@pytest.mark.parametrize("newline, final", [("\n", True), ("\n", False), ("\r\n", True), ("\r\n", False),
                                            ("\r", True), ("\r", False)])
def test_diffs_apply_with_patch(iacfix, tmp_path, newline, final):
    """Two hunks (a bucket of 20 lines between two functions), the last change on the last line."""
    lines = functions(2).splitlines() + ["  Bucket:", "    Type: AWS::S3::Bucket", "    Properties:", "      Tags:"]
    lines += [f"        - {{Key: k{i}, Value: v}}" for i in range(20)]
    lines += ["  Last:", "    Type: AWS::Lambda::Function", "    Properties:", "      Runtime: python3.9"]
    text = newline.join(lines) + (newline if final else "")
    p = tmp_path / "t.yaml"
    p.write_bytes(text.encode())
    [diff] = iacfix("fix", "t.yaml", "--diff", "--format", "json").json["diffs"]  # JSON: the diff with its CRs, exactly
    diff = diff["diff"]
    assert diff.startswith("--- a/t.yaml\n+++ b/t.yaml\n@@ ") and p.read_bytes() == text.encode()
    assert diff.count("\n@@ ") == (1 if newline == "\r" else 2)  # patch sees a lone-CR file as one line
    assert patched(tmp_path, "t.yaml", text.encode(), diff) == text.replace("python3.9", "python3.13").encode()


def test_unified_diff_of_random_edits_applies_with_patch(tmp_path):
    import random

    from iacfix.edits import apply_edits
    from iacfix.fixing import unified_diff
    from iacfix.model import Edit

    rng = random.Random(7)
    pieces = ["a", "  key: value", "", "- python3.9", "x" * 3]
    for case in range(60):
        old = "".join(rng.choice(pieces) + rng.choice(["\n", "\n", "\r\n", "\r"]) for _ in range(rng.randint(1, 30)))
        old = old if rng.random() < 0.7 else old.rstrip("\r\n") + "z"
        points = sorted(rng.randint(0, len(old)) for _ in range(2 * rng.randint(1, 5)))
        edits = [Edit(points[i], points[i + 1], rng.choice(["", "python3.13", "new\n", "\nand\nmore\n", "r\r"]))
                 for i in range(0, len(points), 2)]
        new = apply_edits(old, edits)
        for given in (edits, None):  # without the edits: one change spanning every difference
            diff = unified_diff(old, new, "t", given)
            assert (diff == "") == (old == new)
            if diff:
                assert patched(tmp_path, "t", old.encode(), diff) == new.encode(), (case, old, edits)


# -- nesting -------------------------------------------------------------------

DEEP = 100_000
TS = "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
PY = "from aws_cdk import aws_lambda as _lambda\n"
TF = 'resource "aws_lambda_function" "f" {\n  runtime = "python3.9"\n'


@pytest.mark.parametrize("name, text, line, column", [
    ("array.ts", TS + "const x = " + "[" * DEEP + "lambda.Runtime.PYTHON_3_9" + "]" * DEEP + ";\n", 2, 258),
    ("parens.ts", TS + "const x = " + "(" * DEEP + "lambda.Runtime.PYTHON_3_9" + ")" * DEEP + ";\n", 2, 258),
    ("list.tf", TF + "  tags = " + "[" * DEEP + "]" * DEEP + "\n}\n", 3, 91),
    ("parens.tf", TF.replace('"python3.9"', "(" * DEEP + '"python3.9"' + ")" * DEEP) + "}\n", 2, 258),
    ("main.tf.json", '{"resource": {"aws_lambda_function": {"f": {"runtime": "python3.9", "tags": '
     + "[" * DEEP + "]" * DEEP + "}}}}", 1, 318),
    ("attributes.py", PY + "x = a" + ".b" * DEEP + "\n", 2, 1),  # ast.parse: RecursionError
    ("nots.py", PY + "x = " + "not " * DEEP + "y\n", 2, 1),  # ast.parse: MemoryError
    ("deep.py", PY + "x = a" + ".b" * 400 + "\n", 2, 5),  # parsed, deeper than the walker goes
])
def test_deep_nesting_is_an_error_at_a_location(iacfix, tmp_path, name, text, line, column):
    p = tmp_path / name
    p.write_text(text)
    for command in ("check", "fix"):
        run = timed(iacfix, command, name, "--format", "json")
        [error] = run.json["errors"]
        assert run.code == 2 and p.read_text() == text
        assert (error["line"], error["column"]) == (line, column) and "nested" in error["message"], error


def test_intrinsic_functions_nested_past_what_is_followed_are_reported_there(iacfix, tmp_path):
    runtime = "!If [C, " * 900 + "python3.9" + ", python3.12]" * 900
    (tmp_path / "t.yaml").write_text(FN.format(runtime=runtime))
    run = timed(iacfix, "check", "t.yaml", "--format", "json")
    assert run.json["errors"] == []
    [deep] = [f for f in run.json["findings"] if f["rule"] == "RT102"]
    assert (deep["line"], deep["column"]) == (6, 16 + 8 * 100) and "more than 100 functions deep" in deep["message"]


# -- size ------------------------------------------------------------------------

PEAK = """
import resource, sys
from iacfix.cli import main
try:
    main(["check", "-j", "1", sys.argv[1]])
except SystemExit:
    pass
try:  # this process's own peak: ru_maxrss also keeps the peak of the pytest process it was forked from
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak * 1024, file=sys.stderr)
"""


def test_a_large_template_is_checked_in_a_small_multiple_of_its_size(tmp_path):
    """Ten MB of S3 buckets (about 1,000,000 YAML nodes) and a few functions:
    PyYAML's nodes took 43 times the file (2.2 GB for 50 MB) and the garbage
    collector walked them again and again (48 s for 50 MB)."""
    import sys

    chunks = ["AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"]
    for i in range(45_000):
        chunks.append(f"  Bucket{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: bucket-{i}\n"
                      f"      Tags:\n        - Key: team\n          Value: platform-{i % 97}\n"
                      "        - Key: env\n          Value: prod\n")
        if i % 1000 == 0:
            chunks.append(f"  Fn{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.9\n")
    p = tmp_path / "big.yaml"
    p.write_text("".join(chunks))
    size = p.stat().st_size
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-c", PEAK, str(p)], capture_output=True, text=True, cwd=tmp_path,
                         check=True)
    elapsed = time.monotonic() - start
    peak = int(run.stderr.split()[-1])
    assert run.stdout.count("RT003") == 45 and elapsed < 30, (elapsed, run.stdout[-300:])
    assert peak < 80 * 2**20 + 25 * size, f"peak {peak / 2**20:.0f} MiB for {size / 2**20:.0f} MiB"
