"""Support floors: the oldest Python a package says it supports
(``requires-python = ">=3.9"``, ``python_requires``, Poetry's ``python``),
as formats locate them, with what moves together with them.

A floor is not a runtime site: its fix does not move it to the fix target
but raises it to the oldest CPython not past its end of life on the
judgement date (a rule decides which; formats know no dates), together with
its ``companions``: the classifiers and tool target versions
(``Programming Language :: Python :: 3.9``, ruff's ``py39``) that name a
version below the new floor.  Each companion is a ``Site`` (value ``3.N``,
provider ``cpython``) whose ``spell`` writes a version in its own shape; an
entry of a list carries its ``ListInfo`` (a list of what is supported: its
entries below the floor leave it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field

from .model import Site, Where
from .records import dataclass


@dataclass
class Floor:
    version: str  # the floor as a CPython id: "3.9"
    start: int  # span of the version token in the specifier (the part a fix rewrites)
    end: int
    path: tuple  # where the specifier sits in the parsed document
    spec: str  # the whole specifier as written: ">=3.9,<4"
    where: Where
    # A new floor version -> (replacement text for start:end, the specifier the
    # re-parsed document must hold at ``path``).
    spell: Callable[[str], tuple[str, object]] = field(repr=False, default=None)
    blocked: str | None = None  # why it must not be rewritten, if so
    companions: list[Site] = field(default_factory=list)
    upper: tuple | None = None  # the specifier's upper bound: ((3, N), inclusive), if it has one
    # Whether the whole specifier admits a release of a minor version ((3, N)); None: only the floor counts.
    admits: Callable[[tuple], bool] | None = field(repr=False, default=None)
    provider: str = "cpython"


@dataclass
class ToolTarget:
    """A tool's target Python (ruff's and black's ``target-version``, mypy's
    ``python_version``, pyright's ``pythonVersion``): the version a tool
    lints or type-checks for.  ``floor`` is the file's support floor, which
    it moves with, if there is one."""

    site: Site
    floor: Floor | None = None
