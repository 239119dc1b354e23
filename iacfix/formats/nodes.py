"""The node tree a YAML or JSON document composes into, without PyYAML.

libyaml's composer builds these in place of PyYAML's nodes
(``cloudformation._compose``), and ``json_compose`` builds the same tree for a
JSON document without importing ``yaml`` at all (a one-file check of a JSON
template never imports it)."""

from __future__ import annotations


class _Node:
    """A composed node, as small as it can be: a template of 50 MB composes
    into 5 million of them.  PyYAML's nodes keep a dict and two Mark objects
    each (390 bytes a node, 40 times the file); these keep their character
    offsets (BOM excluded) in two slots."""

    __slots__ = ("tag", "value", "start", "end", "style")

    def __init__(self, tag, value, start_mark, end_mark, style=None):
        self.tag, self.value, self.style = tag, value, style
        self.start = start_mark.index
        self.end = end_mark.index if end_mark is not None else self.start  # a collection's end comes later

    @property
    def start_mark(self):  # for the composer's own errors ("expected a single document"): the offset only
        import yaml

        return yaml.error.Mark("<unicode string>", self.start, 0, 0, None, None)

    @property
    def end_mark(self):
        import yaml

        return yaml.error.Mark("<unicode string>", self.end, 0, 0, None, None)

    @end_mark.setter
    def end_mark(self, mark):
        self.end = mark.index

    @property
    def flow_style(self):
        return self.style

    def __repr__(self) -> str:
        return f"{type(self).__name__}(tag={self.tag!r}, value={self.value!r})"


def _plain(self, tag, value, start_mark, end_mark, style=None):
    self.tag, self.style, self.value = tag, style, value
    self.start, self.end = start_mark.index, end_mark.index


def _interned(self, tag, value, start_mark, end_mark, style=None):
    self.tag, self.style = tag, style
    self.value = self._seen.setdefault(value, value)
    self.start, self.end = start_mark.index, end_mark.index


class ScalarNode(_Node):
    __slots__ = ()
    _seen: dict = {}  # while composing a large document (``interning``): each scalar value once

    __init__ = _plain


def interning(on: bool) -> None:
    """Whether the scalars libyaml composes from now on keep each distinct value
    once (``ScalarNode._seen``): worth it for a large document, whose repeated
    keys ("Type", "Properties"...) would otherwise each be a string of their
    own; for a small one the table costs more than it saves (11% of composing
    the bench tree's YAML templates, and their strings are gone soon after).
    Turned off, the table is emptied."""
    ScalarNode.__init__ = _interned if on else _plain
    if not on:
        ScalarNode._seen.clear()


class SequenceNode(_Node):
    __slots__ = ()


class MappingNode(_Node):
    __slots__ = ()


STR, SEQ, MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
DEFAULT_TAGS = {ScalarNode: STR, SequenceNode: SEQ, MappingNode: MAP}
