"""iacfix rules: what a finding means, and the checkers that make findings.

A **rule** is a small class with an id (``code``), a name, a severity, a
one-line summary, the URL its facts come from, tags, and a docstring written
like ruff's (What it does / Why is this bad / Example / Fix safety) that
``iacfix explain CODE`` prints.  It is registered with ``@register``.

A **checker** turns what a format located (``Site``, ``Unresolved``, and
whatever later formats locate) into ``Finding``s, each with its ``Fix`` or
the reason it has none.  It declares the located types it ``consumes`` and is
registered with ``@checker``.  Adding a rule is its module plus one line in
the import list at the bottom of this file.

Lifecycle data is not here: it lives in ``catalog.json`` beside this file and
reaches rules as ``Runtime`` rows.  Which lifecycle rule speaks for a runtime
is decided in one place, ``lifecycle.classify``.
"""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass, field

from iacfix.catalog import Catalog, Runtime

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}
RUNTIMES_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


@dataclass(frozen=True)
class Context:
    """What checkers judge against: the date, the horizon, the catalog, the fix
    target (None: no runtime of its family is fit to move to), the rules the
    run selected, and whether unsafe fixes are applied."""

    as_of: dt.date
    horizon_days: int
    catalog: Catalog
    target: Runtime | None = None
    enabled: frozenset[str] | None = None  # None: every rule; an empty set: none
    unsafe_fixes: bool = False
    no_target: str = ""  # why there is no target, when there is none
    accepts: tuple = ()  # risk acceptances (iacfix.acceptance.Acceptance)
    resolve: bool = False  # ask pip whether each function's requirements have wheels for the target (--resolve)
    roots: tuple = ()  # the real paths this run may write under (fix); empty: anywhere
    _targets: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)  # answers that hold for the run

    @property
    def horizon_end(self) -> dt.date:
        try:
            return self.as_of + dt.timedelta(days=self.horizon_days)
        except OverflowError:  # a horizon past year 9999 reaches every date
            return dt.date.max

    def selected(self, code: str) -> bool:
        return self.enabled is None or code in self.enabled


class Rule:
    code: str = ""
    name: str = ""
    severity: str = WARNING
    summary: str = ""
    url: str = RUNTIMES_PAGE
    tags: tuple[str, ...] = ()
    fix_safety: str = "sometimes"  # sometimes | never: what `explain` and `rules` say of its fixes

    def docs(self) -> str:
        """What `iacfix explain` prints after the header: the docstring."""
        return inspect.cleandoc(type(self).__doc__ or "")


class Checker:
    """Located items of the types in ``consumes`` -> findings."""

    consumes: tuple[type, ...] = ()

    def check(self, items: list, file, ctx: Context) -> list:  # pragma: no cover - interface
        raise NotImplementedError


RULES: dict[str, Rule] = {}
CHECKERS: list[Checker] = []
# Steps run over the findings of a whole unit (every file of it) after checking:
# ``step(findings: list[list[Finding]], ctx)`` may hold fixes back.
UNIT_STEPS: list = []


def unit_step(fn):
    UNIT_STEPS.append(fn)
    return fn


def register(cls: type[Rule]) -> type[Rule]:
    rule = cls()
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    RULES[rule.code] = rule
    return cls


def checker(cls: type[Checker]) -> type[Checker]:
    CHECKERS.append(cls())
    return cls


from . import update_blocked, create_blocked, deprecated, os_end_of_life, deprecation_soon  # noqa: E402,F401
from . import unknown_runtime, unresolved_runtime, target_version  # noqa: E402,F401
from . import runtime_sites, support_floor  # noqa: E402,F401
from . import suppression_expired, suppression_unused, suppression_invalid  # noqa: E402,F401
from . import container_images  # noqa: E402,F401
from . import code_readiness, toolchain_pins, acceptances  # noqa: E402,F401
