"""Regular expressions compiled the first time they are used.

A module-level ``re.compile`` runs whenever its module is imported, used or
not: a one-file check imports modules whose patterns only some files need
(Python 2 syntax in handler code, a ``--max-file-size`` value, suppression
options).  ``compiled_on_use(pattern, flags)`` stands for
``re.compile(pattern, flags)`` and compiles it on first use.
"""

from __future__ import annotations

import re

_BOUND = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
          "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """The first attribute asked for compiles the pattern and binds the compiled
    pattern's methods on this object: later calls cost what a compiled
    pattern's do (one attribute lookup)."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):  # only for attributes not bound yet
        compiled = re.compile(*self._source)
        for attr in _BOUND:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"compiled_on_use({self._source[0]!r}, {self._source[1]!r})"


def compiled_on_use(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
