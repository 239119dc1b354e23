"""Configuration files, found as ruff finds its own.

From the checked paths (their common directory) upward, the first directory
holding ``.iacfix.toml``, ``iacfix.toml`` or a ``pyproject.toml`` with a
``[tool.iacfix]`` table gives the settings (in that order of preference
within one directory).  ``--config FILE`` names the file instead;
``--isolated`` ignores every configuration file.  In ``iacfix.toml`` the
keys are at the top level; in ``pyproject.toml`` under ``[tool.iacfix]``.

Keys (each optional): ``target``, ``horizon``, ``select``, ``ignore``,
``exclude`` (replaces the default excludes), ``extend-exclude`` (adds to
them), ``catalog`` (a path relative to the file), ``fail-on``, per-path
``[[overrides]]`` tables (``paths = [...]`` gitignore-style patterns relative
to the file, plus any judgement key: ``target``, ``horizon``, ``select``,
``ignore``, ``catalog``, ``fail-on``) and ``accept`` (an array of tables,
handed through as is for the migration plan's risk acceptance) and ``cache-dir`` (where the result
cache is kept, relative to the file; ``iacfix.cache``).  An unknown
key or a value of the wrong type is an error naming the key and the file.
Command-line flags win over the file, and over its overrides.
"""

from __future__ import annotations

import os
import sys
from dataclasses import field

from .lazy_re import compiled_on_use
from .paths import escapes
from .records import dataclass


def toml():
    """``tomllib`` (``tomli`` on Python 3.10), imported when a configuration or
    acceptance file is read: most runs read none, and importing it compiles its
    regular expressions."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


NAMES = (".iacfix.toml", "iacfix.toml", "pyproject.toml")
FAIL_ON = ("error", "warning", "info")
_STRINGS = "an array of strings"
# key -> (check, what it must be)
JUDGEMENT = {
    "target": (lambda v: isinstance(v, str), "a string (a runtime such as python3.13)"),
    "horizon": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 36500,
                "an integer number of days from 0 to 36500"),
    "select": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), _STRINGS),
    "ignore": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), _STRINGS),
    "catalog": (lambda v: isinstance(v, str), "a string (a path relative to the configuration file)"),
    "fail-on": (lambda v: v in FAIL_ON, "one of " + ", ".join(f'"{x}"' for x in FAIL_ON)),
}
TOP = dict(JUDGEMENT, **{
    "exclude": JUDGEMENT["select"],
    "extend-exclude": JUDGEMENT["select"],
    "overrides": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v), "an array of tables"),
    "accept": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
               "an array of tables (function or paths, runtime, until, reason)"),
    "cache-dir": (lambda v: isinstance(v, str), "a string (a directory, relative to the configuration file)"),
})


class ConfigError(Exception):
    pass


@dataclass
class Override:
    """An ``[[overrides]]`` table: the judgement settings for the files its ``paths`` patterns match."""

    paths: tuple[str, ...]
    settings: dict

    def matches(self, relpath: str) -> bool:
        return _spec(self.paths).match_file(relpath)


@dataclass
class Config:
    """A configuration file's settings and overrides (``path`` None: no file applies)."""

    path: str | None = None  # the file read, if any
    settings: dict = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)

    @property
    def base(self) -> str:
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    def relative(self, path: str) -> str | None:
        """``path`` relative to the configuration's directory, POSIX-style; None outside it."""
        rel = os.path.relpath(os.path.abspath(path), self.base)
        return None if escapes(rel) else rel.replace(os.sep, "/")

    def for_path(self, path: str) -> dict:
        """The settings for one file: the top level, with the last override that
        matches it on top (as the judgement takes them: ``Options.for_unit``)."""
        rel = self.relative(path) if self.overrides else None
        last = next((o for o in reversed(self.overrides) if rel is not None and o.matches(rel)), None)
        return self.settings if last is None else dict(self.settings, **last.settings)


_SPECS: dict = {}


def _spec(patterns: tuple[str, ...]):
    spec = _SPECS.get(patterns)
    if spec is None:
        import pathspec

        spec = _SPECS[patterns] = pathspec.GitIgnoreSpec.from_lines(patterns)
    return spec


# What a pyproject.toml must hold to have a [tool.iacfix] table, in any spelling TOML allows:
# ``[tool.iacfix]``, ``[ tool . "iacfix" ]``, ``[[tool.iacfix.accept]]``, a dotted key
# ``tool.iacfix.select = ...``, a ``[tool]`` table or a ``tool = {...}`` inline table (whose
# ``iacfix`` key is then looked for by parsing); a key spelled with escapes (``"\\u0069acfix"``) is
# not recognised, as it was not before.  Most projects
# name iacfix only as a dependency or a script: their file is not parsed (importing tomllib and
# parsing cost a one-file check 4 ms).
_CONFIGURES = compiled_on_use(
    rb"""tool["']?\s*\.\s*["']?iacfix|(?m:^(?:\xef\xbb\xbf)?\s*\[\s*["']?tool["']?\s*\])"""
    rb"""|(?m:^(?:\xef\xbb\xbf)?\s*["']?tool["']?\s*=)""")  # a BOM may open the first line


def _may_configure(raw: bytes) -> bool:
    return b"iacfix" in raw and _CONFIGURES.search(raw) is not None


def _table(path: str) -> dict | None:
    """The iacfix settings a file holds (None: a pyproject.toml without [tool.iacfix]).

    A pyproject.toml that never names iacfix is not parsed here: it is not
    configuration, and when it is broken the packaging format reports it at
    its line, as any other file, without stopping the run."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from None
    if os.path.basename(path) == "pyproject.toml" and not _may_configure(raw):
        return None
    tomllib = toml()
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path} is not UTF-8: {e.reason}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}") from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        return tool.get("iacfix") if isinstance(tool, dict) else None
    return data


def _check(table: dict, allowed: dict, where: str) -> dict:
    out = {}
    for key, value in table.items():
        if key not in allowed:
            import difflib

            close = difflib.get_close_matches(key, allowed, 1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{where}: unknown key {key!r} ({hint}known: {', '.join(sorted(allowed))})")
        ok, what = allowed[key]
        if not ok(value):
            raise ConfigError(f"{where}: {key} must be {what}, not {value!r}")
        unknown = _unknown_rule(value) if key in ("select", "ignore") else None
        if unknown is not None:
            raise ConfigError(f"{where}: {key}: unknown rule {unknown!r} (see `iacfix rules`)")
        out[key] = value
    return out


def _unknown_rule(values: list[str]) -> str | None:
    """The first entry (a code, code prefix or name; comma-separated) that names no rule."""
    from .rules import RULES

    names = {r.name for r in RULES.values()}
    for item in (v.strip() for value in values for v in value.split(",")):
        if item and item not in names and not any(c.startswith(item.upper()) for c in RULES):
            return item
    return None


def load(path: str) -> Config:
    from .gitignore import unreadable

    table = _table(path)
    if table is None:
        raise ConfigError(f"{path} has no [tool.iacfix] table")
    where = f"{path} [tool.iacfix]" if os.path.basename(path) == "pyproject.toml" else path
    settings = _check(table, TOP, where)
    config = Config(path=path)
    base = config.base
    if "catalog" in settings:
        settings["catalog"] = os.path.join(base, settings["catalog"])
    for i, o in enumerate(settings.pop("overrides", [])):
        here = f"{where} overrides[{i}]"
        o = dict(o)
        paths = o.pop("paths", None)
        if not (isinstance(paths, list) and paths and all(isinstance(p, str) for p in paths)):
            raise ConfigError(f"{here}: paths must be a non-empty array of strings (patterns relative to {base})")
        bad = next((p for p in paths if unreadable(p)), None)
        if bad is not None:
            raise ConfigError(f"{here}: paths: {bad!r} is not a gitignore-style pattern")
        outside = next((p for p in paths if p.lstrip("!/").startswith("../") or p == ".."), None)
        if outside is not None:
            raise ConfigError(f"{here}: paths: {outside!r} leaves {base}, where the patterns start; it matches nothing")
        if "exclude" in o or "extend-exclude" in o:
            raise ConfigError(f"{here}: exclude and extend-exclude belong at the top level, not in overrides")
        extra = _check(o, JUDGEMENT, here)
        if "catalog" in extra:
            extra["catalog"] = os.path.join(base, extra["catalog"])
        config.overrides.append(Override(tuple(paths), extra))
    config.settings = settings
    return config


def discover(paths: list[str]) -> Config:
    """The configuration that applies to ``paths``: the nearest file from
    their common directory upward, or none."""
    dirs = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths or ["."]]
    try:
        here = os.path.commonpath(dirs)
    except ValueError:  # paths on different drives
        here = dirs[0]
    while True:
        for name in NAMES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _table(candidate) is not None):
                return load(candidate)
        parent = os.path.dirname(here)
        if parent == here:
            return Config()
        here = parent
