"""JSON documents are composed without PyYAML (``formats.json_compose``) into
the tree libyaml composes: libyaml is the oracle.  Every node's kind, tag,
value, style and offsets must be the same, and a document the fast path
leaves alone must get libyaml's answer (its tree or its error) unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iacfix.formats import cloudformation
from iacfix.formats.json_compose import _PIECE, MAX_DEPTH, MAX_KEY, compose_json
from iacfix.model import ParseError

ROOT = Path(__file__).resolve().parent.parent


def flat(root) -> list:
    """Every node of a tree, depth first: kind, tag, value (a collection's length), style, offsets."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        kids = node.value if isinstance(node.value, list) else None
        out.append((type(node).__name__, node.tag, len(kids) if kids is not None else node.value,
                    node.style, node.start, node.end))
        for kid in reversed(kids or ()):
            stack.extend(reversed(kid) if isinstance(kid, tuple) else (kid,))
    return out


def outcome(compose, text: str):
    try:
        return flat(compose(text))
    except ParseError as e:
        return "error", e.message, e.offset


def same_as_libyaml(text: str, *, fast: bool) -> None:
    """``text`` composes as libyaml composes it; ``fast``: and without libyaml."""
    body = text[1:] if text.startswith("\ufeff") else text
    tree = compose_json(body)
    if fast:
        assert tree is not None, "the fast path left a document it should compose to libyaml"
    if tree is not None:
        assert flat(tree) == flat(cloudformation.compose_libyaml(text))
    assert outcome(cloudformation._compose, text) == outcome(cloudformation.compose_libyaml, text)


JSON_FILES = sorted(p for d in ("tests", "samples") for p in (ROOT / d).rglob("*.json"))


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_json_file_of_the_repository_composes_as_libyaml_does(path):
    text = path.read_text(encoding="utf-8")
    # Only JSON's surrogate escapes are left to libyaml here (which _compose rewrites).
    same_as_libyaml(text, fast=not re.search(r"\\u[dD][89a-fA-F]", text))


def test_there_are_json_files_to_compare():
    assert len(JSON_FILES) >= 20


@pytest.mark.parametrize("text", [
    '{"a":1, "b" : [true,false,null,-1.5e+3, "x\\/y\\u00e9\\"\\\\"] }  \n',
    '[1\n,2\n]', '{\t"a":\t1}', '{"a"\t: 1}', '["\\u0000", "\\b\\f\\n\\r\\t"]', "[]", "{}", "[[]]",
    '{"":""}', "\r\n{\r\n  \"k\": [ -0, 0.5, 1E5, 2e-3, 3.25E+10 ]\r\n}\r\n", '["é ü 中文 😀 \u00a0"]',
    '{"a": {"b": {"c": [{"d": null}]}}}', '{"a":1,"a":2}', "\ufeff{\"bom\": true}",
])
def test_json_forms_compose_as_libyaml_does(text):
    same_as_libyaml(text, fast=True)


@pytest.mark.parametrize("text", [
    '{"a"\n: 1}',  # a key's ':' on a later line: libyaml refuses it, JSON does not
    '\t{"a": 1}', '{"a": 1}\n\t', "[1]\t\n",  # a tab outside brackets (at a line's start libyaml refuses it)
    '["a\x7f"]', '["a\x85b"]', '["a\u2028b"]', '["\ufeff"]', '{"a": 1}\ufeff',  # what YAML reads differently
    '["\\ud83d\\ude00"]', '["\\udc00"]',  # surrogate escapes: _compose rewrites them for libyaml
    '{"a": 1,}', "[1,]", "[01]", "[1.]", "[.5]", "[+1]", "[NaN]", "[Infinity]", "[True]", "['a']", '["a"b]',
    '["\\x"]', '["\\u12"]', '["a\tb"]', '{"a" 1}', '{a: 1}', "[1 2]", '{"a": null "b": 1}', '[1] [2]', "[1] #", "[1]\n---\n[2]",
    '{"a": 1', "[", "[}", '{"a":1]', '["a": 1]', "[1],", "{} {}",
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    '{"' + "k" * MAX_KEY + '": 1}', '{"' + "k" * 1100 + '": 1}',
])
def test_what_the_fast_path_leaves_gets_libyamls_answer(text):
    assert compose_json(text.lstrip("\ufeff")) is None
    assert outcome(cloudformation._compose, text) == outcome(cloudformation.compose_libyaml, text)


def test_deep_and_long_documents_within_the_limits_compose_as_libyaml_does():
    same_as_libyaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, fast=True)
    same_as_libyaml('{"' + "k" * (MAX_KEY - 10) + '": 1}', fast=True)
    same_as_libyaml(json.dumps({f"k{i}": [i, str(i), {"x": None}] for i in range(2000)}, indent=1), fast=True)


def test_a_document_read_a_piece_at_a_time_composes_as_libyaml_does():
    """Past ``_PIECE`` characters the tokens are read a piece at a time, cut after a line break:
    whatever falls at a cut (white space, a token, a character no token matches) is read as in one piece."""
    doc = {f"Fn{i}": {"Runtime": "python3.9", "Tags": [{"Key": "k\u00e9", "Value": i * 1.5}, None, True]}
           for i in range(_PIECE // 40)}
    text = json.dumps(doc, indent="\t").replace("\n", "\r\n  \t")
    assert len(text) > 3 * _PIECE
    same_as_libyaml(text, fast=True)
    cuts = [text.find("\n", k * _PIECE) + 1 for k in (1, 2)]
    for at in cuts:
        for edit in (-3, -1, 0, 1, 2):
            i = at + edit
            same_as_libyaml(text[:i] + text[i + 1:], fast=False)  # a character cut out
            same_as_libyaml(text[:i] + "x" + text[i:], fast=False)  # one no token matches


# --- random JSON documents, written in every way JSON allows ---------------

NUMBER = st.from_regex(r"-?(0|[1-9][0-9]{0,5})(\.[0-9]{1,4})?([eE][-+]?[0-9]{1,3})?", fullmatch=True)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBER.map(lambda n: ("number", n)), st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda kids: st.one_of(
    st.lists(kids, max_size=5), st.dictionaries(st.text(max_size=8), kids, max_size=5)), max_leaves=25)
SPACE = st.sampled_from(["", " ", "  ", "\n", "\r\n", "\r", "\t", "\n    ", "\r\n\t\t", " \n "])
# YAML reads these raw characters otherwise (or refuses them): a document holding one is libyaml's
UNSURE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def write_string(draw, text: str, raw_unsure: bool) -> str:
    out = ['"']
    for ch in text:
        short = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
        must = ch in '"\\' or ch < " " or (UNSURE.match(ch) and not raw_unsure)
        how = draw(st.sampled_from(["raw", "short", "u", "U"])) if not must or ch not in '"\\' else "short"
        if must and how == "raw":
            how = "u"
        if how == "short" and ch in short:
            out.append(short[ch])
        elif how in ("u", "U") and ord(ch) < 0x10000:
            out.append(("\\u%04x" if how == "u" else "\\u%04X") % ord(ch))
        elif must:
            out.append(short.get(ch) or "\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def write(draw, value, raw_unsure: bool, depth: int = 0) -> str:
    space = lambda: draw(SPACE)  # noqa: E731
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, tuple):
        return value[1]
    if isinstance(value, str):
        return write_string(draw, value, raw_unsure)
    if isinstance(value, list):
        if not value:
            return "[" + space() + "]"
        return "[" + ",".join(space() + write(draw, v, raw_unsure, depth + 1) + space() for v in value) + "]"
    if not value:
        return "{" + space() + "}"
    return "{" + ",".join(space() + write_string(draw, k, raw_unsure) + draw(st.sampled_from(["", " ", "\t"])) + ":"
                          + space() + write(draw, v, raw_unsure, depth + 1) + space() for k, v in value.items()) + "}"


@st.composite
def documents(draw, raw_unsure: bool = False):
    root = draw(st.one_of(st.lists(VALUES, max_size=6), st.dictionaries(st.text(max_size=8), VALUES, max_size=6)))
    outside = st.sampled_from(["", " ", "\n", "\r\n", "\n\n  "])
    return draw(st.sampled_from(["", "\ufeff"])) + draw(outside) + write(draw, root, raw_unsure) + draw(outside)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_json_composes_as_libyaml_does(text):
    same_as_libyaml(text, fast=not re.search(r"\\u[dD][89a-fA-F]", text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_json_composes_as_libyaml_does_few_examples(text):
    same_as_libyaml(text, fast=not re.search(r"\\u[dD][89a-fA-F]", text))


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(raw_unsure=True), st.data())
def test_random_json_with_what_yaml_reads_otherwise_gets_libyamls_answer(text, data):
    # raw characters YAML refuses or reads as line breaks, a tab before the document,
    # a key's ':' on the next line, a character cut out: the answer is libyaml's
    cut = data.draw(st.integers(0, len(text)))
    for variant in (text, "\t" + text, text.replace('":', '"\n:', 1), text[:cut] + text[cut + 1:]):
        same_as_libyaml(variant, fast=False)


@pytest.mark.parametrize("text", [
    '{"a": 1}' + " " * (1 << 18),  # white space no token follows: at the end of the document
    '{"a": [\n' + " " * (1 << 18) + '\n1]}',  # ... and at the end of a piece (_PIECE)
    '{"a": 1,' + " " * (1 << 18) + "@}",  # ... followed by what is not JSON
])
def test_a_long_run_of_white_space_composes_as_libyaml_does(text):
    """The tokens were searched for again from each character of such a run:
    time quadratic in its length (two minutes for 64K spaces, half an hour here)."""
    same_as_libyaml(text, fast="@" not in text)
