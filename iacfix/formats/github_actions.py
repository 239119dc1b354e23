"""GitHub Actions workflows (``.github/workflows/*.yml``): the Python each
job runs on.

- ``actions/setup-python``'s ``python-version`` (and that of
  ``astral-sh/setup-uv`` and ``conda-incubator/setup-miniconda``, which
  install a Python the same way): a version (moved to the
  target), or ``${{ matrix.KEY }}``, resolved to the job's matrix: the
  entries of ``strategy.matrix.KEY`` are a list of tested versions (its
  end-of-life entries leave it), and each ``include:`` entry's ``KEY`` is a
  version a job runs on (moved);
- a reusable workflow's ``python-version`` input: its ``default:`` (under
  ``on: workflow_call`` or ``workflow_dispatch``) and the value a job passes
  it (``uses:`` ... ``with: python-version``), moved like setup-python's;
- ``container:`` (a string or ``image:``) and each ``services.NAME.image``
  naming ``python:3.N[-variant]``; a tag written ``python:${{ matrix.KEY }}``
  resolves to the matrix as above.

Anything else (``3.x``, ``pypy-3.9``, ``3.13-dev``, an expression over
``env`` or ``inputs``) is not a CPython version iacfix can judge and is left
alone; a patch-pinned version (``3.9.18``) is reported, not rewritten.
"""

from __future__ import annotations

import re

from ..model import Where
from . import register
from .ci_yaml import MappingNode, SequenceNode, Sites, YamlFormat, get, items, text_of
from .pyversions import matrix_key, version, version_site


# Actions that install the interpreter their ``python-version`` input names.
_SETUP = ("setup-python", "astral-sh/setup-uv", "conda-incubator/setup-miniconda")


def _setup_python(step) -> str | None:
    """The action's short name (``setup-python``) when the step installs a Python, else None."""
    uses = (text_of(get(step, "uses")) or "").split("@", 1)[0].rstrip("/")
    found = next((name for name in _SETUP if uses.endswith(name)), None)
    return found.rsplit("/", 1)[-1] if found else None


class _Workflow(Sites):
    def walk(self, root) -> None:
        for trigger in ("workflow_call", "workflow_dispatch"):  # an input named as setup-python's, its default
            self.input_default(get(get(root, "on"), trigger), ("on", trigger), f"{trigger} input")
        for name, job in items(get(root, "jobs")):
            if text_of(name) is not None and isinstance(job, MappingNode):
                self.job(name.value, job)

    def entries(self, values, sub: str, path: tuple, where: Where) -> None:
        """A matrix key whose entries are objects ({python: "3.9", os: ...}):
        each makes a job, whose version moves (unless the entry names it elsewhere)."""
        for i, entry in enumerate(values.value):
            node = get(entry, sub)
            site = self.scalar(node, (*path, i, sub), where) if node is not None else None
            named = _names_version(entry, sub, site.value) if site is not None else None
            if named and site.blocked is None:
                site.blocked = f"matrix entry {i + 1} also names {site.value} ({named}); change the entry by hand"

    def input_default(self, owner, path: tuple, what: str) -> None:
        default = get(get(get(owner, "inputs"), "python-version"), "default")
        if default is not None and "${{" not in (text_of(default) or ""):
            self.scalar(default, (*path, "inputs", "python-version", "default"),
                        Where("ci", what, "python-version default"))

    def lines(self, node, path: tuple, where: Where) -> None:
        """A literal block of versions, one a line (setup-python installs each):
        each is reported where it is written, none rewritten (the block is one
        string to YAML)."""
        start, end = self.span(node)
        pos = start
        for line in node.value.splitlines():
            token = line.strip()
            at = self.text.find(token, pos, end) if token else -1
            if at == -1:
                continue
            pos = at + len(token)
            site = version_site(token, at, path, where, "ci", quote=None)
            if site is not None:
                site.blocked = site.blocked or ("one of several versions in a block scalar; "
                                                "change it by hand (or use a matrix)")
                self.sites.append(site)

    def job(self, name: str, job, at: tuple | None = None) -> None:
        at = at or ("jobs", name)  # where the job is: a composite action's steps are under runs
        keys: dict[str, str] = {}  # matrix keys the job's Python comes from -> what reads them
        subs: dict[str, str] = {}  # a key whose entries are objects -> the key of each that holds the version
        steps = get(job, "steps")
        for i, step in enumerate(steps.value if isinstance(steps, SequenceNode) else ()):
            action = _setup_python(step)
            if not action:
                continue
            node = get(get(step, "with"), "python-version")
            if node is None:
                continue
            value = text_of(node) or ""
            key = _matrix_key(value)
            sub = _SUB.match(value.strip())
            if sub:  # ${{ matrix.config.python }}
                key, subs[sub.group(1)] = sub.group(1), sub.group(2)
            if key:
                keys.setdefault(key, action)
            elif "${{" in value:
                self.unknown(node, f"job {name}: {action} python-version is {value.strip()}, "
                                   "an expression iacfix does not follow")
            elif "\n" in value.strip() and node.style == "|":
                self.lines(node, (*at, "steps", i, "with", "python-version"),
                           Where("ci", f"job {name}", f"{action} python-version"))
            elif _X_RANGE.fullmatch(value):  # a semver range: 3.9.x is any 3.9 release
                self.part(node, 0, value.rsplit(".", 1)[0], (*at, "steps", i, "with", "python-version"),
                          Where("ci", f"job {name}", f"{action} python-version"))
            else:
                self.scalar(node, (*at, "steps", i, "with", "python-version"),
                            Where("ci", f"job {name}", f"{action} python-version"))
        called = get(get(job, "with"), "python-version") if get(job, "uses") is not None else None
        if called is not None:  # a reusable workflow's input named as setup-python's
            key = _matrix_key(text_of(called) or "")
            if key:
                keys.setdefault(key, "reusable workflow")
            elif "${{" not in (text_of(called) or ""):
                self.scalar(called, (*at, "with", "python-version"),
                            Where("ci", f"job {name}", "reusable workflow python-version"))
        container = get(job, "container")
        if container is not None:
            image = container if text_of(container) is not None else get(container, "image")
            path = (*at, "container") if image is container else (*at, "container", "image")
            if image is not None:
                key = self.image(image, path, Where("ci", f"job {name}", "container image"))
                if key:
                    keys.setdefault(key, "container")
        for svc, spec in items(get(job, "services")):
            image = get(spec, "image")
            if image is not None and text_of(svc) is not None:
                key = self.image(image, (*at, "services", svc.value, "image"),
                                 Where("ci", f"job {name}", f"services.{svc.value} image"))
                if key:
                    keys.setdefault(key, f"services.{svc.value}")
        matrix = get(get(job, "strategy"), "matrix")
        if not keys or not isinstance(matrix, MappingNode):
            return
        base = (*at, "strategy", "matrix")
        exclude = get(matrix, "exclude")
        for key in keys:
            values = get(matrix, key)
            if key in subs and isinstance(values, SequenceNode):  # ${{ matrix.config.python }}: a job each
                self.entries(values, subs[key], (*base, key), Where("ci", f"job {name}", f"matrix {key}"))
                continue
            if values is not None:
                self.tested(values, (*base, key), Where("ci", f"job {name}", f"matrix {key}"))
            for i, entry in enumerate(exclude.value if isinstance(exclude, SequenceNode) else ()):
                named = version(text_of(get(entry, key)) or "")
                for site in self.sites:
                    if named and site.path[:-1] == (*base, key) and site.value == named[0] and not site.blocked:
                        # Dropped alone, it would leave the exclude: entry naming a value the matrix lacks.
                        site.blocked = (f"matrix exclude: entry {i + 1} names {site.value}; remove it from "
                                        "the matrix and the exclude: entry together by hand")
        include = get(matrix, "include")
        for i, entry in enumerate(include.value if isinstance(include, SequenceNode) else ()):
            for key in keys:
                node = get(entry, key)
                if node is not None:
                    site = self.scalar(node, (*base, "include", i, key),
                                       Where("ci", f"job {name}", f"matrix include {key}"))
                    if site is not None and _extends(entry, matrix):
                        # It adds keys to the jobs of that matrix entry: moving it would make a job of its
                        # own, dropping the entry would leave it making one.  Both are changed by hand.
                        why = (f"matrix include: entry {i + 1} adds to the {text_of(node)} jobs; "
                               "change the matrix entry and the include: entry together by hand")
                        for other in self.sites:
                            if other.path[:-1] == (*base, key) and other.value == site.value:
                                other.blocked = other.blocked or why
                        site.blocked = site.blocked or why
                    named = _names_version(entry, key, site.value) if site is not None else None
                    if named and site.blocked is None:
                        site.blocked = (f"matrix include: entry {i + 1} also names {site.value} ({named}); "
                                        "change the entry by hand")


_X_RANGE = re.compile(r"3\.\d{1,2}\.[xX*]")
_SUB = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\.([\w-]+)\s*\}\}$")  # ${{ matrix.config.python }}


def _extends(entry, matrix) -> bool:
    """Whether an ``include:`` entry adds keys to jobs the matrix already has
    (every matrix key it names holds a value of that key's list) rather than
    making a job of its own: moving its version would make a job of its own."""
    named = False
    for k, v in items(entry):
        values = get(matrix, text_of(k) or "")
        if text_of(k) in ("include", "exclude") or values is None:
            continue
        named = True
        listed = [text_of(x) for x in values.value] if isinstance(values, SequenceNode) else [text_of(values)]
        if text_of(v) is None or text_of(v) not in listed:
            return False
    return named


def _names_version(entry, key: str, version: str) -> str | None:
    """``toxenv: py39`` when another key of an ``include:`` entry names the
    entry's version (``py39``, ``py3.9``, ``python3.9``, ``3.9``): moving the
    version alone would break what that key selects."""
    major, minor = version.split(".")
    pattern = re.compile(rf"(?<![\w.]){major}\.?{minor}(?!\d)|(?:py|python|cp){major}\.?{minor}(?!\d)")
    for k, v in items(entry):
        value = text_of(v)
        if text_of(k) != key and value and pattern.search(value):
            return f"{text_of(k)}: {value}"
    return None


def _matrix_key(value: str) -> str | None:
    return matrix_key(value) if value.strip().startswith("${{") else None


@register
class GitHubActions(YamlFormat):
    name = "github-actions"
    paths = (".github/workflows/*.yml", ".github/workflows/*.yaml")
    walker = _Workflow


class _Action(_Workflow):
    """A composite action (``runs: using: composite``): its steps as a job's, its ``python-version`` input's default."""

    def walk(self, root) -> None:
        self.input_default(root, (), "action input")
        runs = get(root, "runs")
        if text_of(get(runs, "using")) == "composite":
            self.job("composite action", runs, ("runs",))


@register
class GitHubAction(YamlFormat):
    name = "github-action"
    paths = (".github/actions/*/action.yml", ".github/actions/*/action.yaml")
    walker = _Action
