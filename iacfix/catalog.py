"""The runtime catalog: lifecycle data (rules/catalog.json) loaded and checked.

Data lives apart from code: the catalog is JSON, every date names its source,
and users may point ``--catalog FILE`` at their own copy when a provider moves
a date before iacfix releases.

Runtimes are keyed by provider and id (``aws``/``python3.11``,
``gcp``/``python311``, ``azure``/``3.11``).  Each provider names its own dates
(Lambda's block-update, Google's decommission, Azure's end of support) and says
what each one means in the three generic phases rules judge: ``deprecation``,
``block_create`` and ``block_update``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from dataclasses import field

from .records import dataclass

DATE_KEYS = ("deprecation", "block_create", "block_update")  # the phases rules judge


@dataclass(frozen=True)
class Provider:
    """A cloud's function service and the names of its lifecycle dates."""

    code: str
    name: str  # "AWS Lambda"
    service: str  # "Lambda": how messages name who blocks what
    deprecated: str  # how a past deprecation reads: "deprecated", "out of support"
    dates: dict  # its date key -> (label, phases it sets)
    source: str = ""
    upcoming: str = ""  # how a deprecation to come reads ("reaches its end of life"); "": "is " + deprecated


# Catalogs of schema 1 (Lambda only) name no providers: they get this one.
AWS = Provider(
    code="aws", name="AWS Lambda", service="Lambda", deprecated="deprecated",
    dates={"deprecation": ("deprecation", ("deprecation",)), "block_create": ("create blocked", ("block_create",)),
           "block_update": ("update blocked", ("block_update",))},
    source="https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
)
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


class CatalogError(Exception):
    """The catalog file cannot be used."""


@dataclass(frozen=True)
class OperatingSystem:
    """An operating system functions run on (Amazon Linux 2...), and when it reaches its end of life."""

    code: str
    name: str
    end_of_life: dt.date | None
    source: str


@dataclass(frozen=True)
class Runtime:
    """One runtime of one provider: its family, version, operating system and lifecycle dates."""

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
    dates: dict = field(default_factory=dict, compare=False, hash=False)  # the provider's own date keys

    @functools.cached_property
    def version_key(self) -> tuple[int, ...]:
        """Comparable version, e.g. python3.11 -> (3, 11); () when not numeric."""
        m = _VERSION.match(self.version)
        return tuple(int(g) for g in m.groups() if g is not None) if m else ()

    def deadlines(self) -> dict[str, str | None]:
        """The provider's own dates, by its own names (JSON output)."""
        return {k: (d.isoformat() if d else None) for k, d in self.dates.items()}


@dataclass(frozen=True)
class Image:
    """A Lambda base image that stands for a runtime (``public.ecr.aws/lambda/python:3.11``)."""

    repository: str
    tag: str
    runtime: str  # the Lambda runtime id it provides
    source: str


@dataclass(frozen=True)
class Catalog:
    """The runtime catalog: every provider's runtimes, operating systems and images, as of ``last_checked``."""

    last_checked: dt.date
    runtimes: dict[tuple[str, str], Runtime]  # (provider, id) -> runtime
    operating_systems: dict[str, OperatingSystem]
    origin: str
    providers: dict[str, Provider] = field(default_factory=lambda: {"aws": AWS})
    images: dict[tuple[str, str], Image] = field(default_factory=dict)  # (repository, tag) -> image

    def get(self, runtime_id: str, provider: str = "aws") -> Runtime | None:
        return self.runtimes.get((provider, runtime_id))

    def find(self, runtime_id: str) -> Runtime | None:
        """A runtime by id in any provider, Lambda's first (``--target``)."""
        return self.get(runtime_id) or next((rt for (_, i), rt in self.runtimes.items() if i == runtime_id), None)

    def equivalent(self, rt: Runtime, provider: str) -> Runtime | None:
        """The same language version as another provider spells it: Lambda's
        python3.13 is Google's python313 and Azure's 3.13."""
        if rt.provider == provider:
            return rt
        return next((o for (p, _), o in self.runtimes.items() if p == provider and o.family == rt.family
                     and o.version_key and o.version_key == rt.version_key and not o.preview), None)

    def provider(self, rt: Runtime) -> Provider:
        return self.providers[rt.provider]

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
    providers = _providers(data.get("providers"), origin)
    runtimes: dict[tuple[str, str], Runtime] = {}
    for i, row in enumerate(data["runtimes"]):
        where = f"{origin}: runtimes[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
            raise CatalogError(f"{where}: every runtime needs a non-empty string 'id'")
        provider = row.get("provider") or "aws"
        where = f"{origin}: runtime {provider}/{row['id']}"
        if provider not in providers:
            raise CatalogError(f"{where}: unknown provider {provider!r}")
        if (provider, row["id"]) in runtimes:
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
        own = {k: _date(row.get(k), f"{where}.{k}") for k in providers[provider].dates}
        phases: dict[str, dt.date | None] = dict.fromkeys(DATE_KEYS)
        for key, (_, means) in providers[provider].dates.items():
            for phase in means:
                if own[key] is not None and (phases[phase] is None or own[key] < phases[phase]):
                    phases[phase] = own[key]
        runtimes[(provider, row["id"])] = Runtime(
            provider=provider,
            id=row["id"],
            family=row["family"],
            version=row["version"],
            os=row.get("os"),
            successor=row.get("successor"),
            sources=dict(row.get("sources") or {}),
            preview=bool(row.get("preview", False)),
            dates=own,
            **phases,
        )
    checked = _date(data.get("last_checked"), f"{origin}: last_checked")
    if checked is None:
        raise CatalogError(f"{origin}: 'last_checked' is required")
    return Catalog(last_checked=checked, runtimes=runtimes, operating_systems=oses, origin=origin, providers=providers,
                   images=_images(data.get("images"), runtimes, origin))


def _images(rows, runtimes: dict, origin: str) -> dict[tuple[str, str], Image]:
    if rows is None:
        return {}
    if not isinstance(rows, list):
        raise CatalogError(f"{origin}: 'images' must be a list")
    out = {}
    for i, row in enumerate(rows):
        where = f"{origin}: images[{i}]"
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) and row[k]
                                                for k in ("repository", "tag", "runtime")):
            raise CatalogError(f"{where}: every image needs string 'repository', 'tag' and 'runtime'")
        if ("aws", row["runtime"]) not in runtimes:
            raise CatalogError(f"{where}: runtime {row['runtime']!r} is not a Lambda runtime of this catalog")
        out[(row["repository"], row["tag"])] = Image(row["repository"], row["tag"], row["runtime"],
                                                     str(row.get("source") or ""))
    return out


def _providers(rows, origin: str) -> dict[str, Provider]:
    if rows is None:
        return {"aws": AWS}
    if not isinstance(rows, dict):
        raise CatalogError(f"{origin}: 'providers' must be an object")
    out = {}
    for code, row in rows.items():
        where = f"{origin}: providers.{code}"
        if not isinstance(row, dict) or not isinstance(row.get("dates"), dict) or not row["dates"]:
            raise CatalogError(f"{where} needs a 'dates' object naming its lifecycle dates")
        dates = {}
        for key, spec in row["dates"].items():
            means = spec.get("means") if isinstance(spec, dict) else None
            if not isinstance(means, list) or not set(means) <= set(DATE_KEYS):
                raise CatalogError(f"{where}.dates.{key}.means must list phases among {', '.join(DATE_KEYS)}")
            dates[key] = (str(spec.get("label") or key), tuple(means))
        out[code] = Provider(code=code, name=str(row.get("name") or code), service=str(row.get("service") or code),
                             deprecated=str(row.get("deprecated") or "deprecated"), dates=dates,
                             source=str(row.get("source") or ""), upcoming=str(row.get("upcoming") or ""))
    return out


def builtin_text(name: str) -> str:
    """A data file of ``iacfix.rules``: read from its directory (``importlib.resources``, and
    what it imports, only for a package that is not on the file system: 5 ms of start-up)."""
    from . import rules

    try:
        with open(os.path.join(os.path.dirname(rules.__file__), name), encoding="utf-8") as fh:
            return fh.read()
    except (OSError, TypeError):
        from importlib import resources

        return resources.files("iacfix.rules").joinpath(name).read_text(encoding="utf-8")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load the packaged catalog, or the user's copy at ``path``."""
    if path is None:
        text = builtin_text("catalog.json")
        origin = "built-in catalog"
    else:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as e:
            raise CatalogError(f"{path}: cannot read catalog: {e.strerror}") from None
        origin = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CatalogError(f"{origin}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    return parse_catalog(data, origin)
