"""Formats: each knows one kind of file and nothing else (no dates, no wording).

A format module defines a ``Format`` subclass, registers it with
``@register``, and gives:

- the files it reads: ``paths`` (globs matched against a path's last
  components: ``.github/workflows/*.yml``), ``filenames`` (exact names:
  ``Dockerfile``), ``globs`` (``Dockerfile.*``, ``*.dockerfile``) and
  ``extensions`` (``.yaml``); a path claim wins over a name claim, a name
  claim over an extension claim, the longest extension among extensions
  (``.tf.json`` before ``.json``);
- ``sniff(data: bytes) -> bool``: a cheap content test for a file named on
  the command line that no name claims (default: not ours);
- ``prefilter(data: bytes) -> bool``: a cheap byte test run before any parse;
  False means the file cannot hold a site (``sniff``, ``prefilter`` and
  ``context`` see a UTF-16 or UTF-32 file as UTF-8: ``register`` sees to it);
- ``parse(text: str)``: the parsed document, or None when the file is not of
  this format after all; raise ``ParseError`` on bad syntax;
- ``locate(doc, text) -> Located | None``: every site with its exact span in
  ``text`` and a structured ``Where`` (None when the document is not of this
  format, e.g. YAML that is not a template);
- ``semantic(doc)``: the document's meaning as plain Python data (dicts,
  lists, strings), used to verify that a fix changed exactly what it meant to;
  or an object that compares with another and applies a fix's expectations
  itself (``expect(expectations)``), as CloudFormation's does so that YAML
  aliases are never expanded;
- optionally ``check_edit(old, new)``: a reason to refuse an edited text that
  the parser accepts but the format should not (JSON that libyaml reads but
  JSON parsers reject).

A format with comments names how they start in ``comment_prefixes``
(default ``("#",)``; ``()`` for none): suppression comments
(``# iacfix: ignore[RT004]``) are found by that alone.  A format may also
give ``suppressions(doc, text) -> list[suppressions.Declared]`` for suppressions
written as data (CloudFormation's ``Metadata.iacfix.ignore``).

Adding a format touches only its module and the import list at the bottom
of this file.

Most formats see one file at a time (``unit = "file"``).  A format whose
values travel between files (Terraform: variables, ``.tfvars``, locals) sets
``unit = "directory"``, lists a directory's files in ``unit_files`` and
overrides ``locate_unit``, which gets every parsed file of the unit at once.
A unit is parsed when any of its files passes the prefilter; then each file
that passes it or ``context`` is parsed.
"""

from __future__ import annotations

import fnmatch
import functools
import os

from ..unicode import as_utf8


class Format:
    name = ""
    extensions: tuple[str, ...] = ()
    filenames: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # globs over a path's last components: .github/workflows/*.yml
    unit = "file"  # or "directory": all of a directory's files are located together
    comment_prefixes: tuple[str, ...] = ("#",)  # how a comment starts (suppression comments); () if none

    def sniff(self, data: bytes) -> bool:
        """Whether a file no name claims, named on the command line, is ours."""
        return False

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
_BY_FILENAME: dict[str, Format] = {}
_GLOBS: list[tuple[str, Format]] = []
_PATHS: list[tuple[str, str, int, Format]] = []  # (glob, glob of its last component, components, format)
_BY_NAME: dict[str, Format] = {}


def _on_utf8(test):
    """A byte test (``sniff``, ``prefilter``, ``context``) that sees a UTF-16
    or UTF-32 file as UTF-8, as every format's parser then does."""

    @functools.wraps(test)
    def wrapped(*args):
        return test(*args[:-1], as_utf8(args[-1]))

    return wrapped


def register(cls):
    fmt = cls()
    for name in ("sniff", "prefilter", "context"):  # wherever they are called from
        setattr(fmt, name, _on_utf8(getattr(fmt, name)))
    FORMATS.append(fmt)
    _BY_NAME[fmt.name] = fmt
    for ext in fmt.extensions:
        _BY_EXTENSION.setdefault(ext, fmt)
    for name in fmt.filenames:
        _BY_FILENAME.setdefault(name, fmt)
    _GLOBS.extend((g, fmt) for g in fmt.globs)
    _PATHS.extend((g, g.rsplit("/", 1)[-1], g.count("/") + 1, fmt) for g in fmt.paths)
    _for_name.cache_clear()
    _claimed_by_path.cache_clear()
    return cls


def by_name(name: str):
    return _BY_NAME[name]


def for_path(path: str) -> Format | None:
    """The format whose file names claim ``path``: a path glob, an exact
    name, then a glob, then the longest matching extension; None when no
    format claims it."""
    base = os.path.basename(path)
    if _PATHS and _claimed_by_path(base):
        steps = os.path.normpath(os.path.abspath(path)).replace(os.sep, "/").split("/")
        for pattern, last, parts, fmt in _PATHS:
            if fnmatch.fnmatchcase(base, last) and fnmatch.fnmatchcase("/".join(steps[-parts:]), pattern):
                return fmt
    return _for_name(base)


@functools.lru_cache(maxsize=4096)
def _claimed_by_path(base: str) -> bool:
    """Whether a path claim's last component matches the name ``base``."""
    return any(fnmatch.fnmatchcase(base, last) for _, last, _, _ in _PATHS)


@functools.lru_cache(maxsize=4096)  # names repeat across a tree: main.tf, template.yaml, app.py
def _for_name(base: str) -> Format | None:
    fmt = _BY_FILENAME.get(base)
    if fmt is not None:
        return fmt
    for pattern, fmt in _GLOBS:
        if fnmatch.fnmatchcase(base, pattern):
            return fmt
    name = base.lower()
    dot = name.find(".", 1)
    while dot != -1:
        fmt = _BY_EXTENSION.get(name[dot:])
        if fmt is not None:
            return fmt
        dot = name.find(".", dot + 1)
    return None


def claims(name: str) -> bool:
    """Whether some format reads a file called ``name`` (discovery's test;
    a path claim's last component counts)."""
    return _for_name(name) is not None or _claimed_by_path(name)


def sniff(data: bytes) -> Format | None:
    """The first format whose content test accepts ``data``."""
    return next((f for f in FORMATS if f.sniff(data)), None)


from . import cloudformation, cdk_python, cdk_typescript, terraform, serverless, dockerfile  # noqa: E402,F401
from . import github_actions, ci_pipelines, version_files, packaging, tox_ini, python_envs  # noqa: E402,F401
from . import toolchain  # noqa: E402,F401
