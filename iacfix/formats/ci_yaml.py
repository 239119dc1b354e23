"""What CI formats written in YAML share: composing with exact offsets (the
libyaml composer CloudFormation uses), reading a node tree, and making a
Python version site of a scalar, of an image reference, or of each entry of
a list of tested versions."""

from __future__ import annotations

import re

from ..model import Item, ListInfo, Located, Site, Unresolved, Where
from . import pyversions
from . import Format
from .cloudformation import MappingNode, ScalarNode, SequenceNode, _compose, _get, _Meaning, _retyped, _str

__all__ = ["MappingNode", "ScalarNode", "SequenceNode", "YamlFormat", "compose", "Sites", "get", "meaning", "text_of"]


_ANCHOR = re.compile(r"&[^\s,\[\]{}]+[ \t]+")


def compose(text: str):
    return _compose(text)


def meaning(root):
    return _Meaning(root)


get = _get  # the value of a key in a mapping node (the first, if written twice)
text_of = _str  # a plain or quoted scalar's string (not a tagged one)


def items(node):
    return node.value if isinstance(node, MappingNode) else ()


def _speller(quote: str):
    """Write a version where the value is the version: a plain scalar that
    YAML would read as another value (3.10 is the number 3.1) gets quotes."""

    def spell(target: str):
        q = quote or ('"' if _retyped(target) else "")
        return f"{q}{target}{q}", target

    return spell


class Sites:
    """Collects the Python version sites of one YAML document."""

    def __init__(self, text: str):
        self.text = text
        self.shift = 1 if text.startswith("\ufeff") else 0
        self.sites: list[Site] = []
        self.unresolved: list[Unresolved] = []

    def span(self, node) -> tuple[int, int]:
        start = node.start + self.shift
        if self.text.startswith("&", start):  # an anchored value (&py "3.9"): the value after its anchor
            anchor = _ANCHOR.match(self.text, start)
            start = anchor.end() if anchor and anchor.end() <= node.end + self.shift else start
        return start, node.end + self.shift

    def quote(self, node) -> str | None:
        """The scalar's quote ("", "'", '"'), or None when its text is not
        exactly quote + value + quote (escapes, folding, block scalars)."""
        q = {None: "", "": "", "'": "'", '"': '"'}.get(node.style)
        start, end = self.span(node)
        if q is None or self.text[start:end] != f"{q}{node.value}{q}":
            return None
        return q

    def scalar(self, node, path: tuple, where: Where, kind: str = "ci", list_info: ListInfo | None = None):
        """A version written as the whole scalar (``'3.9'``, ``3.10``); returns its site."""
        value = text_of(node)
        if value is None:
            return None
        q = self.quote(node)
        start, _ = self.span(node)
        site = pyversions.version_site(value, start + len(q or ""), path, where, kind, quote=q,
                                       list_info=list_info)
        if site is not None:
            if q is not None:
                site.spell = _speller(q)
            self.sites.append(site)
        return site

    def image(self, node, path: tuple, where: Where, kind: str = "ci-image"):
        """A ``python:3.N[-variant]`` image reference: the site is the version
        inside it; returns the matrix key its tag names instead, if it does."""
        value = text_of(node)
        if value is None:
            return None
        found = pyversions.image_version(value)
        if found is None:
            return pyversions.matrix_key(value) if "python" in value else None
        site = self.part(node, *found, path, where, kind)
        if site is not None and "@" in value[found[0]:] and site.blocked is None:
            # The digest, not the tag, selects the image: a new tag before the old digest still runs the old Python.
            site.blocked = (f"pinned by digest ({value[value.index('@', found[0]) + 1:][:19]}...), which selects the "
                            "image whatever the tag says; change the tag and the digest together by hand")
        return None

    def part(self, node, offset: int, token: str, path: tuple, where: Where, kind: str = "ci"):
        """A version ``token`` at ``offset`` inside a scalar's value
        (``python:3.9-slim``, ``python=3.9``, ``python3.9``): the fix writes
        only the token; returns its site."""
        value = text_of(node)
        q = self.quote(node)
        start = self.span(node)[0] + len(q or "") + offset
        site = pyversions.version_site(token, start, path, where, kind, quote=q,
                                       whole=(value[:offset], value[offset + len(token):]))
        if site is not None:
            self.sites.append(site)
        return site

    def tested(self, node, path: tuple, where: Where, kind: str = "ci-matrix") -> None:
        """Each version of a list of tested versions (a block or flow sequence)."""
        if not isinstance(node, SequenceNode):
            if text_of(node) is not None:
                self.scalar(node, path, where, kind)
            return
        entries = []
        for entry in node.value:
            value = text_of(entry)
            start, end = self.span(entry)
            entries.append(Item(value if value is not None else None, start, end, delete=self._line_of(entry)))
        info = pyversions.tested_list(path, entries, flow=bool(node.style))
        for i, entry in enumerate(node.value):
            self.scalar(entry, (*path, i), where, kind, list_info=info)

    def _line_of(self, node) -> tuple[int, int] | None:
        """The whole line of a block-list entry, when it holds nothing else."""
        start, end = self.span(node)
        line_start = self.text.rfind("\n", 0, start) + 1
        newline = self.text.find("\n", end)
        line_end = len(self.text) if newline == -1 else newline + 1
        before, after = self.text[line_start:start], self.text[end:line_end].strip()
        if before.strip() != "-" or (after and not after.startswith("#")):
            return None
        return line_start, line_end

    def unknown(self, node, reason: str) -> None:
        start, end = self.span(node)
        self.unresolved.append(Unresolved(start, end, reason, provider=pyversions.PROVIDER))

    def located(self) -> Located:
        return Located(sorted(self.sites, key=lambda s: s.start), self.unresolved)


class YamlFormat(Format):
    """A YAML file whose top level is a mapping, walked by ``walker(text).walk(root)``."""

    walker = Sites
    needle = b"python"  # the prefilter: a file without it is never parsed

    def prefilter(self, data: bytes) -> bool:
        return self.needle in data

    def parse(self, text: str):
        return compose(text)

    def locate(self, doc, text: str) -> Located | None:
        if not isinstance(doc, MappingNode):
            return None
        found = self.walker(text)
        found.walk(doc)
        return found.located()

    def semantic(self, doc):
        return meaning(doc)
