"""iacfix rules: what a finding means, and the checkers that make findings.

A **rule** is a small class with an id (``code``), a name, a severity, a
one-line summary, the URL its facts come from, tags, and a docstring written
like ruff's (What it does / Why is this bad / Example / Fix safety) that
``iacfix explain CODE`` prints.  It is registered with ``@register``.

A **checker** turns what a format located (``Site``, ``Unresolved``, and
whatever later formats locate) into ``Finding``s, each with its ``Fix`` or
the reason it has none.  It declares the located types it ``consumes`` and is
registered with ``@checker``.  Adding a rule is its module plus one line in
the import list at the bottom of this file (a module holding only checkers,
no rule and no unit step, may instead be a row of ``LAZY_CHECKERS``: it is
imported when a file first locates a type it consumes).

Lifecycle data is not here: it lives in ``catalog.json`` beside this file and
reaches rules as ``Runtime`` rows.  Which lifecycle rule speaks for a runtime
is decided in one place, ``lifecycle.classify``.
"""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import field

from iacfix.catalog import Catalog, Runtime
from iacfix.records import dataclass

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
    CHECKERS.sort(key=_rank)  # a checker imported on demand takes its place in the import list's order
    return cls


# Checker modules imported the first time a file locates an item of a type they consume (named
# here by class name, so that neither they nor those types' modules are imported before); they
# register no rule and no unit step, which every run needs.  tests/test_lazy_formats.py keeps each
# row equal to what the module's checkers consume.  CHECKER_ORDER: every checker module, in the
# order their checkers run (the import list below), wherever they were imported from.
LAZY_CHECKERS = {"support_floor": ("Floor", "ToolTarget")}
CHECKER_ORDER = ("unresolved_runtime", "runtime_sites", "support_floor", "container_images", "code_readiness",
                 "toolchain_pins")
_pending = dict(LAZY_CHECKERS)


def _rank(c: Checker) -> int:
    module = type(c).__module__
    name = module.rpartition(".")[2] if module.startswith(__name__ + ".") else None
    return CHECKER_ORDER.index(name) if name in CHECKER_ORDER else len(CHECKER_ORDER)


def checkers_for(items: list) -> list[Checker]:
    """Every checker, first importing those of ``LAZY_CHECKERS`` that consume a type among ``items``."""
    if _pending:
        names = {type(x).__name__ for x in items}
        for module in [m for m, consumed in _pending.items() if names.intersection(consumed)]:
            del _pending[module]
            __import__(f"{__name__}.{module}")  # not importlib.import_module: -X importtime sees this
    return CHECKERS


def load_all() -> list[Checker]:
    """Every checker, lazy ones included (a parallel run imports them before it forks)."""
    for module in list(_pending):
        del _pending[module]
        __import__(f"{__name__}.{module}")
    return CHECKERS


from . import update_blocked, create_blocked, deprecated, os_end_of_life, deprecation_soon  # noqa: E402,F401
from . import unknown_runtime, unresolved_runtime, target_version  # noqa: E402,F401
from . import runtime_sites  # noqa: E402,F401 (support_floor: LAZY_CHECKERS)
from . import suppression_expired, suppression_unused, suppression_invalid  # noqa: E402,F401
from . import container_images  # noqa: E402,F401
from . import code_readiness, toolchain_pins, acceptances  # noqa: E402,F401
