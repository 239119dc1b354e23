"""Files that name the Python a project runs on, one token at a time:

- ``.python-version`` (pyenv, uv, rye): one version per line, the first is
  used; ``3.9`` (uv: ``cpython-3.9``, ``cpython@3.9``) moves to the target,
  ``3.9.18`` is reported (a patch pin);
- ``runtime.txt`` (Heroku and others): ``python-3.9.18`` or ``python-3.12``;
- ``.tool-versions`` (asdf, mise): ``python 3.9.18 3.10.4``.

A file is read as lines of whitespace-separated tokens (``#`` starts a
comment); its meaning is that list of lists, so a fix is verified token by
token.  Anything that is not a CPython ``3.N`` version (``system``,
``pypy3.10``, ``3.13t``) is left alone.
"""

from __future__ import annotations

import re

from ..model import Located, Where
from . import Format, register
from .pyversions import version_site

_TOKEN = re.compile(r"[^\s#]+|#.*")


def tokens(text: str) -> list[list[tuple[str, int]]]:
    """Each line's tokens with their offsets; a comment ends a line."""
    out, pos = [], 0
    for line in text.split("\n"):
        row = []
        for m in _TOKEN.finditer(line):
            if m.group().startswith("#"):
                break
            row.append((m.group(), pos + m.start()))
        out.append(row)
        pos += len(line) + 1
    return out


class _VersionFile(Format):
    where = Where("ci")
    prefix = ""  # what a token holds before its version: "python-" in runtime.txt

    def prefilter(self, data: bytes) -> bool:
        return b"3." in data

    def parse(self, text: str):
        return tokens(text)

    def semantic(self, doc):
        return [[t.lstrip("\ufeff") for t, _ in row] for row in doc]

    def versions(self, doc):
        """(line, token index, token) of the tokens that name a version."""
        for i, row in enumerate(doc):
            for j, (token, start) in enumerate(row):
                yield i, j, token.lstrip("\ufeff"), start + (1 if token.startswith("\ufeff") else 0)

    prefixes: tuple[str, ...] = ()  # other spellings of the same: uv's cpython-3.9, cpython@3.9

    def locate(self, doc, text: str) -> Located | None:
        sites = []
        for i, j, token, start in self.versions(doc):
            prefix = next((p for p in self.prefixes if token.startswith(p)), self.prefix)
            if not token.startswith(prefix):
                continue
            whole = (prefix, "") if prefix else None
            site = version_site(token[len(prefix):], start + len(prefix), (i, j), self.where,
                                "version-file", whole=whole)
            if site is not None:
                sites.append(site)
        return Located(sites, [])


@register
class PythonVersionFile(_VersionFile):
    name = "python-version"
    filenames = (".python-version",)
    where = Where("ci", ".python-version", "interpreter")
    prefixes = ("cpython-", "cpython@")  # uv's requests


@register
class RuntimeTxt(_VersionFile):
    name = "runtime-txt"
    filenames = ("runtime.txt",)
    where = Where("ci", "runtime.txt", "python version")
    prefix = "python-"

    def locate(self, doc, text: str) -> Located | None:
        located = super().locate(doc, text)
        return located if any(t.startswith("python-") for _, _, t, _ in self.versions(doc)) else None


@register
class ToolVersions(_VersionFile):
    name = "tool-versions"
    filenames = (".tool-versions",)
    where = Where("ci", ".tool-versions", "python")

    def versions(self, doc):
        for i, j, token, start in super().versions(doc):
            if j > 0 and doc[i][0][0].lstrip("\ufeff") == "python":
                yield i, j, token, start
