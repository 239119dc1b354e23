"""Formats: each knows one kind of file and nothing else (no dates, no wording).

A format module defines a ``Format`` subclass, registers it with
``@register``, and gives:

- the files it reads: ``paths`` (globs matched against a path's last
  components: ``.github/workflows/*.yml``), ``filenames`` (exact names:
  ``Dockerfile``), ``globs`` (``Dockerfile.*``, ``*.dockerfile``) and
  ``extensions`` (``.yaml``); a path claim wins over a name claim, a name
  claim over an extension claim, the longest extension among extensions
  (``.tf.json`` before ``.json``);
- ``sniff(data: bytes) -> bool``: a cheap content test for a file named on
  the command line that no name claims (default: not ours);
- ``prefilter(data: bytes) -> bool``: a cheap byte test run before any parse;
  False means the file cannot hold a site (``sniff``, ``prefilter`` and
  ``context`` see a UTF-16 or UTF-32 file as UTF-8: ``register`` sees to it);
- ``parse(text: str)``: the parsed document, or None when the file is not of
  this format after all; raise ``ParseError`` on bad syntax;
- ``locate(doc, text) -> Located | None``: every site with its exact span in
  ``text`` and a structured ``Where`` (None when the document is not of this
  format, e.g. YAML that is not a template);
- ``semantic(doc)``: the document's meaning as plain Python data (dicts,
  lists, strings), used to verify that a fix changed exactly what it meant to;
  or an object that compares with another and applies a fix's expectations
  itself (``expect(expectations)``), as CloudFormation's does so that YAML
  aliases are never expanded;
- optionally ``check_edit(old, new)``: a reason to refuse an edited text that
  the parser accepts but the format should not (JSON that libyaml reads but
  JSON parsers reject).

A format with comments names how they start in ``comment_prefixes``
(default ``("#",)``; ``()`` for none): suppression comments
(``# iacfix: ignore[RT004]``) are found by that alone.  A format may also
give ``suppressions(doc, text) -> list[suppressions.Declared]`` for suppressions
written as data (CloudFormation's ``Metadata.iacfix.ignore``).

Adding a format touches only its module and its row in ``CLAIMS`` (at the
bottom of this file): the files it reads, known without importing it, so that
its module (and its parser) is imported only when a file needs it.  A format
registered from elsewhere (a test's toy format) claims its files from its class.

Most formats see one file at a time (``unit = "file"``).  A format whose
values travel between files (Terraform: variables, ``.tfvars``, locals) sets
``unit = "directory"``, lists a directory's files in ``unit_files`` and
overrides ``locate_unit``, which gets every parsed file of the unit at once.
A unit is parsed when any of its files passes the prefilter; then each file
that passes it or ``context`` is parsed.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections import namedtuple

from ..unicode import as_utf8


class Format:
    name = ""
    extensions: tuple[str, ...] = ()
    filenames: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # globs over a path's last components: .github/workflows/*.yml
    unit = "file"  # or "directory": all of a directory's files are located together
    comment_prefixes: tuple[str, ...] = ("#",)  # how a comment starts (suppression comments); () if none

    def sniff(self, data: bytes) -> bool:
        """Whether a file no name claims, named on the command line, is ours."""
        return False

    def check_edit(self, old: str, new: str) -> str | None:
        return None

    def context(self, path: str, data: bytes) -> bool:
        """Directory units: whether a file the prefilter rejects may still hold
        what leads to a site elsewhere in its unit, and so must be parsed."""
        return False

    def locate_unit(self, parsed: dict) -> dict:
        """{path: (doc, text)} -> {path: Located | None}; one file at a time unless overridden."""
        return {path: self.locate(doc, text) for path, (doc, text) in parsed.items()}

    def unit_files(self, directory: str) -> list[str]:  # pragma: no cover - directory units only
        raise NotImplementedError


FORMATS: list[Format] = []  # the formats imported so far, in the order they were
_BY_EXTENSION: dict[str, str] = {}  # claims: extension, name, glob, path glob -> format name
_BY_FILENAME: dict[str, str] = {}
_GLOBS: list[tuple[str, str]] = []
_PATHS: list[tuple[str, str, int, str]] = []  # (glob, glob of its last component, components, format name)
_BY_NAME: dict[str, Format] = {}


def _on_utf8(test):
    """A byte test (``sniff``, ``prefilter``, ``context``) that sees a UTF-16
    or UTF-32 file as UTF-8, as every format's parser then does."""

    @functools.wraps(test)
    def wrapped(*args):
        return test(*args[:-1], as_utf8(args[-1]))

    return wrapped


def register(cls):
    fmt = cls()
    for name in ("sniff", "prefilter", "context"):  # wherever they are called from
        setattr(fmt, name, _on_utf8(getattr(fmt, name)))
    FORMATS.append(fmt)
    _BY_NAME[fmt.name] = fmt
    if fmt.name not in _MODULES:  # not a built-in format: its claims come from the class
        _claim(fmt)
    return cls


def by_name(name: str) -> Format:
    """The format called ``name``, its module imported on first use."""
    fmt = _BY_NAME.get(name)
    if fmt is None and name in _MODULES:
        __import__(f"{__name__}.{_MODULES[name]}")  # not importlib.import_module: -X importtime sees this
        fmt = _BY_NAME.get(name)
    if fmt is None:
        raise KeyError(name)
    return fmt


def load_all() -> list[Format]:
    """Every format, built-in ones in ``CLAIMS`` order, then any other registered."""
    built_in = [by_name(c.name) for c in CLAIMS]
    return built_in + [f for f in FORMATS if f.name not in _MODULES]


def unit_of(name: str) -> str:
    """``file`` or ``directory``: how a format's files are grouped, without importing it."""
    return _UNITS[name]


def claim_of(path: str) -> str | None:
    """The name of the format whose file names claim ``path`` (see ``for_path``),
    without importing it."""
    base = os.path.basename(path)
    if _PATHS and _claimed_by_path(base):
        steps = os.path.normpath(path).replace(os.sep, "/").split("/")
        full = None
        for last, pattern, parts, name in _path_patterns():
            if last(base) is None:
                continue
            if not os.path.isabs(path) and (len(steps) < parts or steps[-parts] == ".."):
                # the path's last components are not all in it (``.github/x.yml`` seen from .github/):
                # the directories above the current one complete them
                if full is None:
                    full = os.path.normpath(os.path.abspath(path)).replace(os.sep, "/").split("/")
                tail = full[-parts:]
            else:
                tail = steps[-parts:]
            if pattern("/".join(tail)) is not None:
                return name
    return _for_name(base)


def _path_patterns() -> list:
    """Each path claim as (match of its last component, match of the whole glob,
    components, format name), compiled once (``fnmatch.fnmatchcase`` per call
    looked its patterns up for every YAML file in a tree)."""
    if not _PATH_RE:
        _PATH_RE.extend((re.compile(fnmatch.translate(last)).match, re.compile(fnmatch.translate(glob)).match, parts,
                         name) for glob, last, parts, name in _PATHS)
    return _PATH_RE


def for_path(path: str) -> Format | None:
    """The format whose file names claim ``path``: a path glob, an exact
    name, then a glob, then the longest matching extension; None when no
    format claims it."""
    name = claim_of(path)
    return None if name is None else by_name(name)


_LAST: list = []  # one regex for every path claim's last component, built on first use
_PATH_RE: list = []  # each path claim compiled (``_path_patterns``), built on first use
_GLOB: list = []  # (the globs, one regex for them all), built when they change


def _globs() -> re.Pattern:
    """Every name glob in one regular expression: the first that matches names its group
    (one match per file name, not one ``fnmatch`` per glob)."""
    key = tuple(_GLOBS)
    if not _GLOB or _GLOB[0] != key:
        _GLOB[:] = [key, re.compile("|".join(f"(?P<_{i}>{fnmatch.translate(g)})" for i, (g, _) in enumerate(key)))]
    return _GLOB[1]


@functools.lru_cache(maxsize=4096)
def _claimed_by_path(base: str) -> bool:
    """Whether a path claim's last component matches the name ``base``."""
    if not _LAST:
        _LAST.append(re.compile("|".join(fnmatch.translate(last) for _, last, _, _ in _PATHS) or "(?!)"))
    return _LAST[0].match(base) is not None


@functools.lru_cache(maxsize=4096)  # names repeat across a tree: main.tf, template.yaml, app.py
def _for_name(base: str) -> str | None:
    name = _BY_FILENAME.get(base)
    if name is not None:
        return name
    if _GLOBS:
        m = _globs().match(base)
        if m is not None:
            return _GLOBS[int(m.lastgroup[1:])][1]
    lower = base.lower()
    dot = lower.find(".", 1)
    while dot != -1:
        name = _BY_EXTENSION.get(lower[dot:])
        if name is not None:
            return name
        dot = lower.find(".", dot + 1)
    return None


def claims(name: str) -> bool:
    """Whether some format reads a file called ``name`` (discovery's test;
    a path claim's last component counts)."""
    return _for_name(name) is not None or _claimed_by_path(name)


def sniff(data: bytes) -> Format | None:
    """The first format whose content test accepts ``data`` (every format is imported)."""
    return next((f for f in load_all() if f.sniff(data)), None)


# A tuple (``collections.namedtuple``, what ``typing.NamedTuple`` would build without importing
# ``typing``): cheaper to define at start-up than a dataclass.
Claim = namedtuple("Claim", ["module", "name", "extensions", "filenames", "globs", "paths", "unit"],
                   defaults=((), (), (), (), "file"), module=__name__)
Claim.__doc__ = """What a format reads, known without importing its module: the module under
iacfix.formats, the format's name, the extensions, file names, name globs and path globs it claims,
and its unit ("file" or "directory")."""


# Every built-in format and the files it claims, in the order claims are tried
# (the first format to claim a name or an extension has it).  A format's module
# is imported the first time a file it claims is processed, never at start:
# a run over one template imports the CloudFormation parser alone.
# tests/test_lazy_formats.py checks each row against the class its module registers.
CLAIMS: tuple[Claim, ...] = (
    Claim("cloudformation", "cloudformation", extensions=(".yaml", ".yml", ".json", ".template")),
    Claim("cdk_python", "cdk-python", extensions=(".py",)),
    Claim("cdk_typescript", "cdk-typescript", extensions=(".ts",)),
    Claim("terraform", "terraform", extensions=(".tf", ".tfvars", ".tf.json", ".tfvars.json"), unit="directory"),
    Claim("serverless", "serverless", filenames=("serverless.yml", "serverless.yaml", "serverless.json"),
          globs=("serverless[-.]*.yml", "serverless[-.]*.yaml", "serverless[-.]*.json"), unit="directory"),
    Claim("dockerfile", "dockerfile", filenames=("Dockerfile", "Containerfile"),
          globs=("Dockerfile.*", "Containerfile.*", "*.Dockerfile", "*.dockerfile")),
    Claim("github_actions", "github-actions", paths=(".github/workflows/*.yml", ".github/workflows/*.yaml")),
    Claim("github_actions", "github-action", paths=(".github/actions/*/action.yml", ".github/actions/*/action.yaml")),
    Claim("ci_pipelines", "gitlab-ci", filenames=(".gitlab-ci.yml",), globs=("*.gitlab-ci.yml",)),
    Claim("ci_pipelines", "circleci", paths=(".circleci/config.yml", ".circleci/config.yaml")),
    Claim("ci_pipelines", "azure-pipelines", filenames=("azure-pipelines.yml", "azure-pipelines.yaml"),
          paths=(".azure-pipelines/*.yml", ".azure-pipelines/*.yaml")),
    Claim("version_files", "python-version", filenames=(".python-version",)),
    Claim("version_files", "runtime-txt", filenames=("runtime.txt",)),
    Claim("version_files", "tool-versions", filenames=(".tool-versions",)),
    Claim("packaging", "pyproject", filenames=("pyproject.toml",)),
    Claim("packaging", "setup-cfg", filenames=("setup.cfg",)),
    Claim("packaging", "setup-py", filenames=("setup.py",)),
    Claim("tox_ini", "tox", filenames=("tox.ini",)),
    Claim("python_envs", "noxfile", filenames=("noxfile.py",)),
    Claim("python_envs", "conda-environment", filenames=("environment.yml", "environment.yaml")),
    Claim("python_envs", "pre-commit", filenames=(".pre-commit-config.yaml", ".pre-commit-config.yml")),
    Claim("python_envs", "readthedocs", filenames=(".readthedocs.yaml", ".readthedocs.yml")),
    Claim("python_envs", "pipfile", filenames=("Pipfile",)),
    Claim("toolchain", "toolchain", filenames=("package.json", "package-lock.json", "Pipfile.lock", "poetry.lock",
                                               "uv.lock", ".terraform.lock.hcl"), globs=("requirements*.txt",)),
)
_MODULES = {c.name: c.module for c in CLAIMS}


def _claim(claim) -> None:
    """Add the names, globs and extensions a format (or its Claim) reads."""
    for ext in claim.extensions:
        _BY_EXTENSION.setdefault(ext, claim.name)
    for name in claim.filenames:
        _BY_FILENAME.setdefault(name, claim.name)
    _GLOBS.extend((g, claim.name) for g in claim.globs)
    _PATHS.extend((g, g.rsplit("/", 1)[-1], g.count("/") + 1, claim.name) for g in claim.paths)
    _UNITS[claim.name] = claim.unit
    _for_name.cache_clear()
    _claimed_by_path.cache_clear()
    _LAST.clear()
    _PATH_RE.clear()


_UNITS: dict[str, str] = {}
for _c in CLAIMS:
    _claim(_c)
