"""iacfix rules: one module per concern, registered with ``@register``.

A rule is a small class with an id (``code``), a name, a severity, a one-line
summary, the URL its facts come from, tags, and a docstring written like
ruff's (What it does / Why is this bad / Example / Fix safety) that
``iacfix explain CODE`` prints.  Lifecycle data is not here: it lives in
``catalog.json`` beside this file and reaches rules as ``Runtime`` rows.

Rules of kind ``lifecycle`` judge a known runtime against dates; the judge asks
them in registration order and the first that applies speaks for the site.
Rules of kind ``unknown`` and ``unresolved`` describe sites the catalog cannot
judge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iacfix.catalog import Catalog, Runtime

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}
RUNTIMES_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


@dataclass(frozen=True)
class Context:
    """What a rule judges against: the date of judgement and the horizon."""

    as_of: dt.date
    horizon_days: int
    catalog: Catalog

    @property
    def horizon_end(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.horizon_days)


class Rule:
    code: str = ""
    name: str = ""
    kind: str = "lifecycle"  # lifecycle | unknown | unresolved
    severity: str = WARNING
    summary: str = ""
    url: str = RUNTIMES_PAGE
    tags: tuple[str, ...] = ()
    fixable: bool = True

    def applies(self, rt: Runtime, ctx: Context) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def headline(self, rt: Runtime, ctx: Context) -> str:  # pragma: no cover - interface
        raise NotImplementedError


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    rule = cls()
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    RULES[rule.code] = rule
    return cls


def by_kind(kind: str) -> list[Rule]:
    return [r for r in RULES.values() if r.kind == kind]


# Registration order is the judge's order of precedence for lifecycle rules.
from . import update_blocked, create_blocked, deprecated, os_end_of_life, deprecation_soon  # noqa: E402,F401
from . import unknown_runtime, unresolved_runtime  # noqa: E402,F401
