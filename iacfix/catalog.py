"""The runtime catalog: lifecycle data (rules/catalog.json) loaded and checked.

Data lives apart from code: the catalog is JSON, every date names its source,
and users may point ``--catalog FILE`` at their own copy when AWS moves a date
before iacfix releases.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

DATE_KEYS = ("deprecation", "block_create", "block_update")
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


class CatalogError(Exception):
    """The catalog file cannot be used."""


@dataclass(frozen=True)
class OperatingSystem:
    code: str
    name: str
    end_of_life: dt.date | None
    source: str


@dataclass(frozen=True)
class Runtime:
    provider: str
    id: str
    family: str
    version: str
    os: str | None
    deprecation: dt.date | None
    block_create: dt.date | None
    block_update: dt.date | None
    successor: str | None
    sources: dict = field(default_factory=dict, compare=False, hash=False)
    preview: bool = False

    @functools.cached_property
    def version_key(self) -> tuple[int, ...]:
        """Comparable version, e.g. python3.11 -> (3, 11); () when not numeric."""
        m = _VERSION.match(self.version)
        return tuple(int(g) for g in m.groups() if g is not None) if m else ()

    def deadlines(self) -> dict[str, str | None]:
        return {k: (getattr(self, k).isoformat() if getattr(self, k) else None) for k in DATE_KEYS}


@dataclass(frozen=True)
class Catalog:
    last_checked: dt.date
    runtimes: dict[str, Runtime]
    operating_systems: dict[str, OperatingSystem]
    origin: str

    def get(self, runtime_id: str) -> Runtime | None:
        return self.runtimes.get(runtime_id)

    def os_of(self, rt: Runtime) -> OperatingSystem | None:
        return self.operating_systems.get(rt.os) if rt.os else None

    def is_older(self, rt: Runtime, target: Runtime) -> bool:
        """True when ``rt`` is an older version of the same family as ``target``."""
        return rt.family == target.family and bool(rt.version_key) and rt.version_key < target.version_key


def _date(value, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CatalogError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def parse_catalog(data: dict, origin: str) -> Catalog:
    """Build a Catalog from its JSON form, rejecting rows that could crash a rule."""
    if not isinstance(data, dict) or not isinstance(data.get("runtimes"), list):
        raise CatalogError(f"{origin}: expected an object with a 'runtimes' list")
    os_rows = data.get("operating_systems") or {}
    if not isinstance(os_rows, dict):
        raise CatalogError(f"{origin}: 'operating_systems' must be an object")
    oses = {}
    for code, row in os_rows.items():
        if not isinstance(row, dict):
            raise CatalogError(f"{origin}: operating_systems.{code} must be an object")
        oses[code] = OperatingSystem(
            code=code,
            name=str(row.get("name") or code),
            end_of_life=_date(row.get("end_of_life"), f"{origin}: operating_systems.{code}.end_of_life"),
            source=str(row.get("source") or ""),
        )
    runtimes: dict[str, Runtime] = {}
    for i, row in enumerate(data["runtimes"]):
        where = f"{origin}: runtimes[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
            raise CatalogError(f"{where}: every runtime needs a non-empty string 'id'")
        where = f"{origin}: runtime {row['id']}"
        if row["id"] in runtimes:
            raise CatalogError(f"{where}: listed twice")
        for key in ("family", "version"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise CatalogError(f"{where}: '{key}' must be a non-empty string")
        if row.get("os") is not None and row["os"] not in oses:
            raise CatalogError(f"{where}: unknown os {row['os']!r}")
        if not isinstance(row.get("sources", {}), dict):
            raise CatalogError(f"{where}: 'sources' must be an object mapping each date to its source")
        if row.get("successor") is not None and not isinstance(row["successor"], str):
            raise CatalogError(f"{where}: 'successor' must be a runtime id")
        dates = {k: _date(row.get(k), f"{where}.{k}") for k in DATE_KEYS}
        runtimes[row["id"]] = Runtime(
            provider=str(row.get("provider") or "aws"),
            id=row["id"],
            family=row["family"],
            version=row["version"],
            os=row.get("os"),
            successor=row.get("successor"),
            sources=dict(row.get("sources") or {}),
            preview=bool(row.get("preview", False)),
            **dates,
        )
    checked = _date(data.get("last_checked"), f"{origin}: last_checked")
    if checked is None:
        raise CatalogError(f"{origin}: 'last_checked' is required")
    return Catalog(last_checked=checked, runtimes=runtimes, operating_systems=oses, origin=origin)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load the packaged catalog, or the user's copy at ``path``."""
    if path is None:
        text = resources.files("iacfix.rules").joinpath("catalog.json").read_text(encoding="utf-8")
        origin = "built-in catalog"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise CatalogError(f"{path}: cannot read catalog: {e.strerror}") from None
        origin = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CatalogError(f"{origin}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    return parse_catalog(data, origin)
