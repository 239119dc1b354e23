"""Work done once and reused within a run (issue 15) gives the answers fresh work gives:
handler code parsed once per text, inline code read once per text, a walked file's
duplicate key built from its root, line positions looked up in any order, paths shown
relative to the working directory."""

import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iacfix.edits import Positions
from iacfix.readiness import shown

INLINE = """AWSTemplateFormatVersion: '2010-09-09'
{padding}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.9
      Handler: index.handler
      Code:
        ZipFile: |
          import json
{body}
"""

CODE_URI = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
{padding}Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.9
      Handler: app.handler
      CodeUri: code/
"""


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line holding ``needle``: the oracle, read off the file itself."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _readiness(run) -> dict:
    return {(f["path"], f["rule"], f["line"]) for f in run.json["findings"] if f["rule"].startswith("RT3")}


@pytest.mark.parametrize("body, needle", [
    ("          import cgi\n          def handler(event, context):\n              return cgi.escape('x')", "import cgi"),
    ("          def handler(event, context):\n              print 'hello'", "print 'hello'"),  # Python 2
])
def test_the_same_inline_code_in_several_templates_is_reported_at_each_ones_lines(iacfix, write, body, needle):
    texts = {f"t{n}/template.yaml": INLINE.format(padding="Description: >\n" + "  padding\n" * n, body=body)
             for n in range(3)}
    write(texts)
    run = iacfix("check", "t0", "t1", "t2", "--format", "json")
    found = _readiness(run)
    assert len(found) == 3
    assert {(path, line) for path, _, line in found} == {(p, _line_of(t, needle)) for p, t in texts.items()}


def test_identical_handler_files_in_several_code_directories_are_each_reported_there(iacfix, write):
    handler = "import json\n\nimport imp\n\n\ndef handler(event, context):\n    return imp\n"
    for n in range(3):
        write(f"s{n}/template.yaml", CODE_URI.format(padding="Description: >\n" + "  x\n" * n))
        write(f"s{n}/code/app.py", handler)
    run = iacfix("check", ".", "--format", "json")
    found = {(path, line) for path, rule, line in _readiness(run)}
    assert found == {(f"s{n}/code/app.py", _line_of(handler, "import imp")) for n in range(3)}


def test_a_directory_named_in_several_spellings_is_walked_once(iacfix, write, tmp_path):
    write("d/e/t.yaml", INLINE.format(padding="", body="          pass"))
    run = iacfix("check", "d", "d/", "./d", "d//", str(tmp_path / "d"), "d/e/../e", "--format", "json")
    assert [f["path"] for f in run.json["findings"]] == ["d/e/t.yaml"]


def _offsets(text: str, picks) -> list[int]:
    """Offsets into ``text`` (its end included), none inside a CRLF: spans never split one."""
    return [o for o in (p % (len(text) + 1) for p in picks) if text[o - 1:o + 1] != "\r\n"]


def _naive(text: str, offset: int) -> tuple[int, int]:
    """Line and column by counting: CRLF, LF and a lone CR end a line; the BOM is no column."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    if line == 1 and text.startswith("\ufeff") and offset > 0:
        col -= 1
    return line, col


@pytest.mark.parametrize("seed", range(20))
def test_positions_looked_up_in_any_order_match_counting(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(["a", "bc", "\n", "\r\n", " ", "é"]) for _ in range(200))
    text = ("\ufeff" if seed % 2 else "") + text
    offsets = _offsets(text, [rng.randrange(len(text) + 1) for _ in range(50)])
    positions = Positions(text)
    assert [positions.at(o) for o in offsets] == [_naive(text, o) for o in offsets]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "\n", "\r\n", "\r", "\ufeff", "x y"]), max_size=60).map("".join),
       st.lists(st.integers(min_value=0, max_value=200), max_size=20))
def test_positions_match_counting_for_any_text_and_order(text, offsets):
    offsets = _offsets(text, offsets)
    positions = Positions(text)
    assert [positions.at(o) for o in offsets] == [_naive(text, o) for o in offsets]


@pytest.mark.parametrize("path", [
    "a/b.py", "./a//b.py", "a/./b/../c.py", ".", "a/..", "../x/y.py", "..x/y.py", "a/../../y.py",
    "{cwd}/a/b.py", "{cwd}//a/./b.py", "{cwd}", "{parent}/other/x.py", "/", "{cwd}x/y.py",
])
def test_shown_paths_are_what_relpath_says(monkeypatch, tmp_path, path):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    path = path.format(cwd=os.getcwd(), parent=os.path.dirname(os.getcwd()))
    rel = os.path.relpath(path)
    assert shown.__wrapped__(path) == (path if rel.startswith("..") else rel).replace(os.sep, "/")


def _deepest_by_full_walk(tree, limit: int):
    """The oracle: every node visited, the first (in document order) deeper than ``limit``."""
    cursor, depth = tree.walk(), 0
    while True:
        if cursor.goto_first_child():
            depth += 1
            if depth > limit:
                return cursor.node.start_byte
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return None
            depth -= 1


def _nested(rng, depth: int, kind: str) -> str:
    if depth == 0:
        return rng.choice(['"x"', "1", "[1, 2]"] + (["var.a", "{a = 1}"] if kind == "hcl" else ['{"a": 1}']))
    inner = _nested(rng, depth - 1, kind)
    if kind == "json":
        return rng.choice([f"[{inner}, 1]", f'{{"a": {inner}}}'])
    return rng.choice([f"[{inner}, 1]", f"{{a = {inner}}}", f"f({inner})", f"({inner})", f"var.c ? {inner} : 1"])


@pytest.mark.parametrize("kind", ["hcl", "json"])
def test_nesting_depth_is_found_where_a_full_walk_finds_it(kind):
    from iacfix.formats.nesting import check_depth
    from iacfix.formats.terraform.loading import _parser
    from iacfix.model import ParseError

    rng, too_deep = random.Random(15), 0
    for _ in range(150):
        values = [_nested(rng, rng.randint(0, 40), kind) for _ in range(rng.randint(1, 4))]
        text = ("{" + ", ".join(f'"v{i}": {v}' for i, v in enumerate(values)) + "}" if kind == "json"
                else "\n".join(f"locals {{\n  v{i} = {v}\n}}" for i, v in enumerate(values)))
        tree = _parser(kind).parse(text.encode())
        for limit in (5, 20, 40, 80, 250):
            try:
                check_depth(tree, text.encode(), text, limit)
                found = None
            except ParseError as e:
                found = e.offset
            assert found == _deepest_by_full_walk(tree, limit)
            too_deep += found is not None
    assert too_deep > 100  # the limits are reached, not only respected


def test_parsed_trees_kept_stay_within_their_budget():
    from iacfix import readiness

    texts = [f"x{n} = {n}\n" + "# padding\n" * 2_000 for n in range(40)]  # 20,000 characters each
    big = "y = 1\n" + "# padding\n" * (readiness.PARSED_CHARS // 30)
    for text in texts + [big] + texts[:5]:
        assert readiness.parsed(text).body  # a tree, cached or not
        kept = sum(map(len, readiness._PARSED))
        assert kept == readiness._parsed_chars[0] <= readiness.PARSED_CHARS
    assert big not in readiness._PARSED
    with pytest.raises(SyntaxError):  # a text that does not parse says so each time it is read
        readiness.parsed("def f(:\n")
    with pytest.raises(SyntaxError):
        readiness.parsed("def f(:\n")


def test_a_parse_error_kept_for_a_text_holds_no_frames_of_those_who_read_it():
    """The SyntaxError kept for a text is raised afresh each time: raising the kept one would
    attach each reader's frames to it, and with them every result the reader was making."""
    from iacfix import readiness

    text = "def broken(:\n    pass\n"
    for _ in range(2):
        with pytest.raises(SyntaxError) as caught:
            readiness.parsed(text)
        assert caught.value.lineno == 1
    kept = readiness._PARSED[text]
    assert isinstance(kept, SyntaxError) and kept.__traceback__ is None and kept is not caught.value
