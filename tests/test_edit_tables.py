"""Fast input -> output tables for the edit layer: splicing, positions, and the
fixes built for one value or one list (no CLI, no files)."""

import pytest

from conftest import CFN_HEAD, lambda_function, locate
from iacfix.edits import Positions, apply_edits
from iacfix.fixes import Refused, expected_document, merge, replace_value, rewrite_list
from iacfix.formats.cloudformation import CloudFormation
from iacfix.model import Edit

CFN = CloudFormation()


@pytest.mark.parametrize("text, edits, out", [
    ("abc", [Edit(1, 2, "XY")], "aXYc"),
    ("abc", [Edit(2, 3, ""), Edit(0, 1, "")], "b"),
    ("abc", [Edit(3, 3, "!")], "abc!"),
    ("\ufeffa\r\nb", [Edit(4, 5, "c")], "\ufeffa\r\nc"),
])
def test_apply_edits(text, edits, out):
    assert apply_edits(text, edits) == out


def test_overlapping_edits_are_refused():
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, ""), Edit(2, 4, "")])


@pytest.mark.parametrize("text, offsets, expected", [
    ("a\nbc\n", [0, 2, 3, 5], [(1, 1), (2, 1), (2, 2), (3, 1)]),
    ("\ufeffab", [1, 2], [(1, 1), (1, 2)]),  # the BOM is not a column
    ("a\r\nb", [3], [(2, 1)]),
    ("a\rb\rc", [2, 4], [(2, 1), (3, 1)]),  # old Mac line ends count
    ("a\nb\nc", [4, 0, 2], [(3, 1), (1, 1), (2, 1)]),  # lookups may go backwards
])
def test_positions(text, offsets, expected):
    pos = Positions(text)
    assert [pos.at(o) for o in offsets] == expected


def _template(body: str):
    text = CFN_HEAD + body
    return text, locate("cloudformation", text)


def _fixed(text, located, target="python3.13", values=("python3.9", "python3.8", "python3.10")):
    """Apply the fix each flagged site would get, as the runtime checker builds them."""
    sites = [s for s in located.sites if s.value in values]
    edits, expect = [], []
    lists = {}
    for s in sites:
        if s.in_list is None:
            e, x = replace_value(s, target)
            edits += e
            expect += x
        else:
            lists.setdefault(id(s.in_list), (s.in_list, []))[1].append(s)
    fixing = {id(s) for s in sites}
    for info, flagged in lists.values():
        e, x = rewrite_list(info, flagged, target, text, fixing)
        edits += e
        expect += x
    new = apply_edits(text, merge(edits, text))
    assert CFN.semantic(CFN.parse(new)) == expected_document(CFN.semantic(CFN.parse(text)), expect)
    return new


LAYER = "Resources:\n  L:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n      CompatibleRuntimes:{}\n"


@pytest.mark.parametrize("value, out", [
    ("python3.9", "python3.13"),
    ("'python3.9'", "'python3.13'"),
    ('"python3.9"  # old', '"python3.13"  # old'),
    ("&rt python3.9", "&rt python3.13"),
    ("python3.12", "python3.12"),
])
def test_replace_value_keeps_quotes_comments_and_anchors(value, out):
    text, located = _template("Resources:\n" + lambda_function(value))
    assert _fixed(text, located) == text.replace(value, out)


@pytest.mark.parametrize("entries, out", [
    (" [python3.9, python3.12]", " [python3.13, python3.12]"),
    (" [python3.8, python3.9, python3.12]", " [python3.13, python3.12]"),
    (" [python3.12, python3.13, python3.9]", " [python3.12, python3.13]"),
    ("\n        - python3.8   # a\n        - python3.9   # b\n        - python3.12\n",
     "\n        - python3.13   # a\n        - python3.12\n"),
    ("\n        - python3.12\n        - python3.9", "\n        - python3.12\n        - python3.13"),
    ("\n        - python3.13\n        - python3.9", "\n        - python3.13"),  # no final newline kept
])
def test_rewrite_list_holds_the_target_once_and_no_flagged_entry(entries, out):
    text, located = _template(LAYER.format(entries))
    assert _fixed(text, located) == text.replace(entries, out)


def test_a_list_holding_an_alias_is_not_rewritten():
    text, located = _template("Metadata:\n  old: &old python3.9\n" + LAYER.format(" [python3.8, *old]"))
    with pytest.raises(Refused, match="alias"):
        _fixed(text, located)
