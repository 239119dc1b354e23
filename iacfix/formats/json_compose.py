"""A JSON document composed into the node tree libyaml composes for it,
without importing PyYAML (whose import is a fifth of a one-file check).

One pattern (``_TOKENS``, through ``findall``) cuts the text into tokens; the
loop in ``_compose`` checks their order and builds the nodes; a string with
an escape is decoded by the standard library's C scanner
(``json.decoder.scanstring``), which also refuses what JSON does not allow.
Each node gets what libyaml gives it: a string is a double-quoted scalar
(style ``"``) from its opening quote to past its closing one, a number or
literal a plain scalar (style ``""``) over its text, a collection a flow one
(style ``True``) from its bracket to past its closing bracket; every tag is
the kind's default (the locator's resolver answers by kind only), every
offset counts characters.

Anything this module is not sure libyaml composes the same is left to libyaml
(``compose_json`` answers ``None``), so what is accepted, what is refused and
every error message stay libyaml's: text that is not strict JSON; characters
YAML does not allow (libyaml's "unacceptable character") or reads as line
breaks (U+0085, U+2028, U+2029) or skips (a BOM inside the text); escapes of
surrogates (``cloudformation.compose_libyaml`` rewrites those); a tab before or
after the document (libyaml refuses one at the start of a line outside
brackets); a key whose ``:`` is on a later line or more than 1,000 characters
after the key's start (libyaml's simple keys end at the line and at 1,024
characters); more than ``MAX_DEPTH`` levels of nesting.
"""

from __future__ import annotations

import re
from json.decoder import scanstring

from ..lazy_re import compiled_on_use
from .nodes import MAP, SEQ, STR, MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 200
MAX_KEY = 1000
_PIECE = 1 << 16

# Characters YAML refuses or reads otherwise than JSON, which ``_TOKENS`` lets
# through: DEL and the C1 controls, U+0085, U+2028 and U+2029 (line breaks), a
# BOM (skipped at a line's start), U+FFFE, U+FFFF and lone surrogates.  (The
# complement, what YAML allows, would take the pattern compiler 12 ms; this one
# is compiled when a document that is not ASCII needs it.)
_UNSURE = compiled_on_use("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]")
_SURROGATE_ESCAPE = compiled_on_use(r"\\u[dD][89a-fA-F]")
# One token with the white space before it: a string (its text between the
# quotes, escapes undecoded), the ':' after it on its line if it is a key, a
# number or literal, or a bracket or comma; or any other character (not JSON),
# so that white space is always followed by a match: ``findall`` starting again
# at each character of a run of white space that no token follows would take
# time quadratic in its length.  ``_compose`` refuses the other character, and
# checks that the tokens cover the text.
_TOKENS = re.compile(
    r"([ \t\n\r]*)(?:"
    r'"([^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*)"([ \t]*:)?'
    r"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)"
    r"|([{}\[\],])|([^ \t\n\r]))"
)


_JSON_START = re.compile(r"[ \t\r\n]*[{\[]")


def looks_like_json(body: str) -> bool:
    """Whether ``body`` (BOM stripped) starts, after white space, with ``{`` or ``[``."""
    return _JSON_START.match(body) is not None


def compose_json(body: str):
    """The node tree libyaml composes for ``body`` (BOM stripped), or ``None``
    when the text is not JSON this module composes exactly as libyaml does."""
    if (not body.isascii() and _UNSURE.search(body)) or "\x7f" in body:
        return None
    try:
        return _compose(body)
    except ValueError:  # scanstring's errors: not strict JSON
        return None


# What may come next (``_compose``).
_VALUE, _VALUE_OR_CLOSE, _COMMA_OR_CLOSE, _KEY, _KEY_OR_CLOSE = range(5)


def _compose(body: str):
    new, intern, findall = object.__new__, {}.setdefault, _TOKENS.findall
    if (first := _JSON_START.match(body)) is None or "\t" in body[:first.end()]:
        return None  # libyaml refuses a tab before the document at a line's start; any tab, to be sure
    pos = 0  # where the next token's white space starts
    stack: list = []  # for each collection that holds the open one: (collection, its key, whether a mapping)
    items: list = []  # the open collection's value
    root = collection = key = None  # the document, the open collection, and the key of the value being read in it
    mapping = False  # whether the open collection is a mapping
    expect = _VALUE
    size = len(body)
    while pos < size:
        # A piece at a time, cut after a line break, which no token holds: the
        # tokens of a large document are not all in memory at once.
        cut = body.find("\n", pos + _PIECE)
        cut = size if cut < 0 else cut + 1
        stop = cut  # the white space that ends the piece is not searched for a token (see _TOKENS)
        while stop > pos and body[stop - 1] in " \t\r\n":
            stop -= 1
        for space, string, colon, plain, punct, other in findall(body, pos, stop):
            start = pos + len(space)
            if punct:
                pos = start + 1
                if punct == ",":
                    if expect != _COMMA_OR_CLOSE or collection is None:
                        return None
                    expect = _KEY if mapping else _VALUE
                elif punct == "{" or punct == "[":
                    if expect > _VALUE_OR_CLOSE or len(stack) >= MAX_DEPTH:
                        return None
                    if punct == "{":
                        node = new(MappingNode)
                        node.tag = MAP
                    else:
                        node = new(SequenceNode)
                        node.tag = SEQ
                    node.value = []
                    node.style = True
                    node.start = start
                    if collection is not None:
                        items.append((key, node) if mapping else node)
                    else:
                        root = node
                    stack.append((collection, key, mapping))
                    collection, items = node, node.value
                    mapping = punct == "{"
                    expect = _KEY_OR_CLOSE if mapping else _VALUE_OR_CLOSE
                else:  # a closing bracket
                    if collection is None or (punct == "}") != mapping \
                            or (expect != _COMMA_OR_CLOSE and expect != (_KEY_OR_CLOSE if mapping else _VALUE_OR_CLOSE)):
                        return None
                    collection.end = pos
                    collection, key, mapping = stack.pop()
                    if collection is not None:
                        items = collection.value
                    expect = _COMMA_OR_CLOSE
                continue
            node = new(ScalarNode)
            node.tag = STR
            node.start = start
            if plain:
                node.value = intern(plain, plain)
                node.style = ""
                pos = node.end = start + len(plain)
            elif other:
                return None
            else:
                pos = node.end = end = start + len(string) + 2
                if "\\" in string:
                    if _SURROGATE_ESCAPE.search(string):
                        return None
                    string, after = scanstring(body, start + 1, True)
                    if after != end:  # pragma: no cover - the pattern ends a string where the scanner does
                        return None
                node.value = intern(string, string)
                node.style = '"'
                if colon:
                    pos = end + len(colon)
                    if expect < _KEY or pos - start > MAX_KEY:
                        return None
                    key = node
                    expect = _VALUE
                    continue
            if expect > _VALUE_OR_CLOSE or collection is None:
                return None
            items.append((key, node) if mapping else node)
            expect = _COMMA_OR_CLOSE
        if pos != cut:
            if body[pos:cut].strip(" \t\r\n"):
                return None  # what no token matched (it ends before the last token, which ends in no white space)
            pos = cut
    if root is None or collection is not None or "\t" in body[root.end:]:
        return None  # not one whole document; a tab after it (libyaml refuses one at a line's start)
    return root
