"""Risk acceptances: staying on a runtime past a deadline as a dated decision.

An acceptance names a function (as findings name it: a logical id, a
construct id, a Terraform address) or a glob of paths, the runtime it stays
on, an expiry no later than that runtime's block-update date (after which
the function can no longer be updated at all), and a reason.  While it is
valid (``as_of <= until``) the function's lifecycle findings are reported as
accepted (info) and not fixed; once it expires they return at full severity
and say so.

``parse_acceptances(rows, catalog)`` takes a list of dicts, as the
configuration file hands it over under the key ``accept``;
``load_acceptances(path, catalog)`` reads the same list from a TOML file of
``[[accept]]`` tables (``--accept FILE``)::

    [[accept]]
    function = "Legacy"
    runtime = "python3.11"
    until = "2027-06-30"
    reason = "vendor SDK pinned to 3.11; replacement scheduled in Q2 (JIRA-123)"
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import field

from .records import dataclass

LIFECYCLE = ("RT001", "RT002", "RT003", "RT004", "RT005")
KEYS = {"function", "paths", "runtime", "until", "reason"}


class AcceptanceError(Exception):
    """An acceptance that cannot be used, with where it is."""


@dataclass(frozen=True)
class Acceptance:
    runtime: str
    until: dt.date
    reason: str
    function: str | None = None
    paths: str | None = None  # a glob matched against the finding's path, relative to ``base``
    base: str | None = field(default=None, compare=False)  # the directory of the file that holds it

    def covers(self, path: str, users: list[str], runtime: str | None) -> bool:
        if runtime != self.runtime:
            return False
        if self.function is not None and self.function not in users:
            return False
        if self.paths is None:
            return True
        if self.base is not None:
            path = os.path.relpath(os.path.abspath(path), self.base).replace(os.sep, "/")
        return not path.startswith("../") and fnmatch.fnmatch(path, self.paths)

    def valid(self, as_of: dt.date) -> bool:
        return as_of <= self.until

    def to_json(self) -> dict:
        out = {"runtime": self.runtime, "until": self.until.isoformat(), "reason": self.reason}
        out.update({k: v for k, v in (("function", self.function), ("paths", self.paths)) if v is not None})
        return out


def parse_acceptances(rows, catalog, origin: str = "accept", base: str | None = None) -> tuple[Acceptance, ...]:
    """Each row checked: a function or a paths glob, a runtime the catalog
    knows, an ISO date no later than that runtime's block-update date, and a
    non-empty reason.  A paths glob is relative to ``base`` (the directory of
    the configuration or file holding it; the current one when None).  Raises
    ``AcceptanceError`` naming the entry."""
    if not isinstance(rows, list):
        raise AcceptanceError(f"{origin}: expected a list of acceptances ([[accept]] tables)")
    out = []
    for i, row in enumerate(rows, 1):
        where = f"{origin}: acceptance {i}"
        if not isinstance(row, dict):
            raise AcceptanceError(f"{where}: expected a table")
        unknown = set(row) - KEYS
        if unknown:
            raise AcceptanceError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                                  f"(expected {', '.join(sorted(KEYS))})")
        function, paths = row.get("function"), row.get("paths")
        if function is None and paths is None:
            raise AcceptanceError(f"{where}: name the function (function = ...) or a paths glob (paths = ...)")
        for key in ("function", "paths", "runtime", "reason"):
            if row.get(key) is not None and (not isinstance(row[key], str) or not row[key].strip()):
                raise AcceptanceError(f"{where}: {key} must be a non-empty string")
        if not row.get("reason"):
            raise AcceptanceError(f"{where}: a reason is required: staying is a decision, say why")
        runtime = row.get("runtime")
        rt = catalog.find(runtime) if runtime else None
        if rt is None:
            raise AcceptanceError(f"{where}: runtime {runtime!r} is not in the catalog")
        until = row.get("until")
        if isinstance(until, str):
            try:
                until = dt.date.fromisoformat(until)
            except ValueError:
                raise AcceptanceError(f"{where}: until {row['until']!r} is not a date (YYYY-MM-DD)") from None
        if isinstance(until, dt.datetime):
            until = until.date()
        if not isinstance(until, dt.date):
            raise AcceptanceError(f"{where}: until must be a date (YYYY-MM-DD)")
        if rt.block_update is not None and until > rt.block_update:
            raise AcceptanceError(f"{where}: until {until} is past {rt.id}'s block-update date {rt.block_update}; "
                                  "after it the function cannot be updated at all, so no acceptance reaches past it")
        out.append(Acceptance(runtime=rt.id, until=until, reason=row["reason"].strip(), function=function,
                              paths=paths, base=os.path.abspath(base) if base is not None else None))
    return tuple(out)


def load_acceptances(path: str, catalog) -> tuple[Acceptance, ...]:
    from .config import toml

    tomllib = toml()  # tomli on Python 3.10
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as e:
        raise AcceptanceError(f"{path}: cannot read: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise AcceptanceError(f"{path}: invalid TOML: {e}") from None
    return parse_acceptances(data.get("accept", []), catalog, path, os.path.dirname(os.path.abspath(path)))


def matching(acceptances, path: str, users: list[str], runtime: str | None) -> Acceptance | None:
    """The acceptance covering a finding: one whose paths glob matches it, or,
    for a value several functions share, acceptances of every one of them
    (the one that expires first speaks for all); None otherwise."""
    mine = [a for a in acceptances if a.runtime == runtime]
    by_path = [a for a in mine if a.paths is not None and a.covers(path, users, runtime)]
    if by_path:
        return max(by_path, key=lambda a: a.until)
    per_user = {}
    for a in mine:
        if a.function is not None and a.function in users:
            if a.function not in per_user or a.until > per_user[a.function].until:
                per_user[a.function] = a
    if not users or set(users) - set(per_user):
        return None  # a shared value stays only if every function using it is accepted
    return min(per_user.values(), key=lambda a: a.until)


def apply(findings: list[list], ctx) -> None:
    """Lifecycle findings under a valid acceptance become info and are not
    fixed; under an expired one they stay as they are and say so."""
    if not ctx.accepts:
        return
    for f in (f for fs in findings for f in fs):
        if f.rule not in LIFECYCLE:
            continue
        a = matching(ctx.accepts, f.path, f.users, f.runtime)
        if a is None:
            continue
        f.data["accepted"] = {**a.to_json(), "valid": a.valid(ctx.as_of)}
        if a.valid(ctx.as_of):
            f.severity = "info"
            f.message = f"accepted until {a.until} ({a.reason}): {f.message}"
            if f.fix is not None:
                f.fix, f.fixable, f.stuck = None, False, True
                f.fix_unavailable = f"staying on {a.runtime} is accepted until {a.until}"
        else:
            f.message += f"; the acceptance to stay expired on {a.until} ({a.reason})"
