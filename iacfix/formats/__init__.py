"""Formats: each knows one kind of file and nothing else.

A format module defines a class with ``name``, ``extensions``, and:

- ``prefilter(data: bytes) -> bool``: a cheap byte test run before any parse;
  False means the file cannot hold a site;
- ``parse(text: str)``: the parsed document, or None when the file is not of
  this format after all; raise ``ParseError`` on bad syntax;
- ``locate(doc, text) -> Located | None``: every runtime site with its exact
  span in ``text`` (None when the document is not of this format, e.g. YAML
  that is not a template);
- ``semantic(doc)``: the document's meaning as plain Python data (dicts,
  lists, strings), used to verify that a fix changed exactly what it meant to;
- optionally ``check_edit(old, new)``: a reason to refuse an edited text that
  the parser accepts but the format should not (JSON that libyaml reads but
  JSON parsers reject).

subclasses ``Format`` and registers it with ``@register``.  Adding a format
touches only its module and the import list at the bottom of this file.

Most formats see one file at a time (``unit = "file"``).  A format whose
values travel between files (Terraform: variables, ``.tfvars``, locals) sets
``unit = "directory"``, lists a directory's files in ``unit_files`` and
overrides ``locate_unit``, which gets every parsed file of the unit at once.
A unit is parsed when any of its files passes the prefilter; then each file
that passes it or ``context`` is parsed.
"""

from __future__ import annotations

import os


class Format:
    name = ""
    extensions: tuple[str, ...] = ()
    unit = "file"  # or "directory": all of a directory's files are located together

    def check_edit(self, old: str, new: str) -> str | None:
        return None

    def context(self, path: str, data: bytes) -> bool:
        """Directory units: whether a file the prefilter rejects may still hold
        what leads to a site elsewhere in its unit, and so must be parsed."""
        return False

    def locate_unit(self, parsed: dict) -> dict:
        """{path: (doc, text)} -> {path: Located | None}; one file at a time unless overridden."""
        return {path: self.locate(doc, text) for path, (doc, text) in parsed.items()}

    def unit_files(self, directory: str) -> list[str]:  # pragma: no cover - directory units only
        raise NotImplementedError


FORMATS: list[Format] = []
_BY_EXTENSION: dict[str, Format] = {}
_BY_NAME: dict[str, Format] = {}


def register(cls):
    fmt = cls()
    FORMATS.append(fmt)
    _BY_NAME[fmt.name] = fmt
    for ext in fmt.extensions:
        _BY_EXTENSION.setdefault(ext, fmt)
    return cls


def by_name(name: str):
    return _BY_NAME[name]


def extensions() -> frozenset[str]:
    return frozenset(ext for f in FORMATS for ext in f.extensions)


def for_path(path: str):
    """The format that owns ``path`` by its longest matching extension
    (``.tf.json`` before ``.json``), or the first format as a content sniffer
    for files named explicitly with another extension."""
    name = os.path.basename(path).lower()
    dot = name.find(".", 1)
    while dot != -1:
        f = _BY_EXTENSION.get(name[dot:])
        if f is not None:
            return f
        dot = name.find(".", dot + 1)
    return FORMATS[0]


from . import cloudformation, cdk_python, cdk_typescript, terraform  # noqa: E402,F401
