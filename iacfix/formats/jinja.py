"""Templated templates: Jinja (cookiecutter) syntax masked so that a YAML or
JSON parser can read the file, with every offset unchanged.

AWS SAM CLI's application templates and many cookiecutter projects are
templates of templates: ``Runtime: {{ cookiecutter.runtime }}``, resources
inside ``{%- if ... %}`` blocks, list entries inside ``{% for %}``.  No YAML
parser reads them.  ``mask`` replaces, character for character:

- ``{{ expr }}`` with a placeholder scalar: one private-use character
  (U+E000 + its index) repeated, so that it is a plain scalar anywhere a
  value or key may stand, two placeholders never read as the same key, and a
  name that holds one (``{{cookiecutter.name}}Function``) can be worded back
  as written (``unmask``);
- ``{% tag %}`` and ``{# comment #}`` with blanks;

line breaks are kept, so lines and columns stay exact.  ``{{`` and ``{%``
whose closing delimiter is not on the same line are left alone (they are not
Jinja: Python code in a ``ZipFile``, a CloudFormation dynamic reference
``{{resolve:...}}``), and so is everything between ``{% raw %}`` and
``{% endraw %}``.

A format masks only when the file holds ``{{`` or ``{%`` (``present``: a
substring test), parses the masked text, and hands the walker the original
text.  ``guard`` then turns every site that touches a masked span into an
``Unresolved`` (RT102: the value is known only when the template is
rendered) and keeps list deletions off lines that hold Jinja; ``changed``
refuses an edit that alters any Jinja delimiter or expression.  A format does
not import this module unless the file holds Jinja.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from ..model import FunctionCode, Located, Unresolved
from ..records import dataclass

_OPEN = re.compile(r"\{\{|\{%|\{#")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}")
_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_PUA, _PUA_SIZE = 0xE000, 0x1000  # placeholder characters: U+E000..U+EFFF
_PLACEHOLDER = re.compile("([\ue000-\uefff])\\1*")
_TAG_NAME = re.compile(r"\{%[-+]?\s*(\w+)")
_BLOCKS = {"if", "for", "with", "block", "macro", "call", "filter", "autoescape"}  # tags with an end tag


def present(text: str) -> bool:
    """The cheap test: could ``text`` hold Jinja at all?"""
    return "{{" in text or "{%" in text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    source: str  # the Jinja text as written
    expression: bool  # {{ }} (a placeholder) rather than {% %} / {# #} (blanks)


def spans(text: str) -> list[Span]:
    """Every Jinja construct of ``text``, in order."""
    out: list[Span] = []
    pos = 0
    comments = True  # False once a {# is never closed: no later one is (each search stays linear)
    while True:
        m = _OPEN.search(text, pos)
        if m is None:
            return out
        start, opener = m.start(), m.group()
        if opener == "{{" and text.startswith("{{resolve:", start):
            pos = start + 2  # a CloudFormation dynamic reference, not Jinja
            continue
        newline = text.find("\n", start)
        if opener == "{#":
            close = text.find("#}", start + 2) if comments else -1
            comments = close != -1
        else:  # closed on its line, or not Jinja
            close = text.find(_CLOSE[opener], start + 2, len(text) if newline == -1 else newline)
        if close == -1:
            pos = start + 2  # not closed (on its line): not Jinja
            continue
        end = close + 2
        out.append(Span(start, end, text[start:end], opener == "{{"))
        pos = end
        if opener == "{%" and _RAW.fullmatch(text, start, end):
            stop = _ENDRAW.search(text, end)
            if stop is None:
                return out
            out.append(Span(stop.start(), stop.end(), stop.group(), False))
            pos = stop.end()


@dataclass
class Masked:
    """A document parsed from masked text: the parser's tree and the spans masked."""

    root: object
    spans: list[Span]

    def names(self) -> dict[str, str]:
        return {chr(_PUA + i % _PUA_SIZE): s.source for i, s in enumerate(s for s in self.spans if s.expression)}


def mask(text: str, found: list[Span] | None = None) -> str:
    """``text`` with each Jinja construct replaced by neutral text of the same length."""
    found = spans(text) if found is None else found
    if not found:
        return text
    parts, pos, index = [], 0, 0
    for s in found:
        parts.append(text[pos:s.start])
        if s.expression:
            fill = chr(_PUA + index % _PUA_SIZE)
            index += 1
        else:
            fill = " "
        parts.append("".join(c if c in "\r\n" else fill for c in s.source))
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def parse(text: str, compose):
    """``compose`` the masked text when ``text`` holds Jinja: a ``Masked``
    document; when the masked text does not parse but the text as written
    does, that document (it was not Jinja after all); when neither parses,
    the error of the text as written, as without masking."""
    found = spans(text)
    if not found:
        return compose(text)
    try:
        return Masked(compose(mask(text, found)), found)
    except Exception:  # noqa: BLE001 - whatever the parser raises, the unmasked text decides
        return compose(text)


def unmask(value: str, names: dict[str, str]) -> str:
    """A string read from the masked document, with its placeholders written back as Jinja."""
    if not names or not any(_PUA <= ord(c) < _PUA + _PUA_SIZE for c in value):
        return value
    return _PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group()), value)


def blocks(spans_: list[Span], positions: list[int]) -> list[tuple]:
    """For each of ``positions`` (ascending), the Jinja blocks it is rendered
    in: one id per enclosing ``{% if %}``/``{% for %}``..., a new id at each
    ``{% elif %}``/``{% else %}``.  Two positions with equal answers are
    rendered together, or not at all."""
    stack: list[int] = []
    out, i = [], 0
    for pos in positions:
        while i < len(spans_) and spans_[i].start < pos:
            s = spans_[i]
            i += 1
            m = None if s.expression else _TAG_NAME.match(s.source)
            name = m.group(1) if m else ""
            if name in _BLOCKS:
                stack.append(s.start)
            elif name in ("elif", "else") and stack:
                stack[-1] = s.start
            elif name[3:] in _BLOCKS and name.startswith("end") and stack:
                stack.pop()
        out.append(tuple(stack))
    return out


def apart(doc: Masked, a: int, b: int) -> bool:
    """Whether offsets ``a`` < ``b`` of the text lie in different Jinja blocks (never rendered together as written)."""
    first, second = blocks(doc.spans, [a, b])
    return first != second


def guard(located: Located | None, doc: Masked) -> Located | None:
    """Sites that touch Jinja become RT102 notes; nothing is written inside
    or beside a Jinja construct; names are worded as written."""
    if located is None:
        return None
    starts = [s.start for s in doc.spans]
    names = doc.names()

    def touching(start: int, end: int) -> Span | None:
        # Spans are sorted and apart: only the last one starting before ``end`` can reach ``start``.
        i = bisect.bisect_right(starts, max(start, end - 1)) - 1
        return doc.spans[i] if i >= 0 and doc.spans[i].end > start else None

    sites, unresolved = [], list(located.unresolved)
    for site in located.sites:
        users = [unmask(u, names) for u in site.users]
        jinja = touching(site.start, site.end)
        if jinja is not None:
            what = "expression" if jinja.expression else "tag"
            unresolved.append(Unresolved(site.start, site.end, f"the value is written by the Jinja {what} "
                                         f"{jinja.source}: known only when the template is rendered", users,
                                         site.provider))
            continue
        site.users = users
        site.where = dataclasses.replace(site.where, name=unmask(site.where.name, names))
        if site.in_list is not None:
            for item in site.in_list.items:
                if item.delete is not None and touching(*item.delete):
                    item.delete = None  # the entry's line holds Jinja: never deleted with it
        sites.append(site)
    _hold_branched_lists(sites, doc.spans)
    for u in unresolved:
        u.users = [unmask(x, names) for x in u.users]
        u.reason = unmask(u.reason, names)
    unresolved.sort(key=lambda u: u.start)
    more = [dataclasses.replace(m, function=unmask(m.function, names)) if isinstance(m, FunctionCode) else m
            for m in located.more]  # a function's code is named as its runtime's users are
    return Located(sites, unresolved, more)


def _hold_branched_lists(sites, spans_: list[Span]) -> None:
    """A list whose runtime entries lie in different Jinja blocks (one under
    ``{% if %}``, one under ``{% else %}``) is not rewritten: removing an entry
    could leave a rendering with no runtime, or none of the target."""
    lists: dict[int, list] = {}
    for site in sites:
        if site.in_list is not None:
            lists.setdefault(id(site.in_list), []).append(site)
    for members in lists.values():
        info = members[0].in_list
        if len(members) > 1 and info.blocked is None \
                and len(set(blocks(spans_, sorted(s.start for s in members)))) > 1:
            info.blocked = ("the list's entries are in different Jinja blocks ({% if %}/{% else %}, {% for %}): "
                            "removing one could leave a rendering without a runtime; change it by hand")


def changed(old: str, new: str) -> str | None:
    """Why an edit of a templated file is refused: it changed Jinja."""
    if "{" not in old and "{" not in new:
        return None
    if [s.source for s in spans(old)] != [s.source for s in spans(new)]:
        return "the edit would change a Jinja expression or tag"
    return None
