"""Where else a project names its Python: nox sessions, conda environments
and Pipenv.

- ``noxfile.py``: ``@nox.session(python=...)`` (also ``nox.session``
  imported under another name is not followed): a string is the one Python
  the session runs on (moved); a list or tuple (written in place, or a
  module-level name bound once to one) is a list of tested versions (its
  end-of-life entries leave it).  Found with ``ast``; never run.
- ``environment.yml``: a ``python=3.9`` (or ``==``, ``3.9.*``, a channel:
  ``conda-forge::python=3.9``) entry of ``dependencies`` (moved;
  ``python=3.9.18`` is reported).
- ``Pipfile``: ``[requires] python_version`` (moved) and
  ``python_full_version`` (a patch pin: reported).
- ``.pre-commit-config.yaml``: ``default_language_version.python`` and each
  hook's ``language_version`` (``python3.9``: moved; ``3.9`` too, where the
  language is Python: ``default_language_version.python``, a ``language: python`` hook).
- ``.readthedocs.yaml``: ``build.tools.python`` (``"3.9"``: moved).
"""

from __future__ import annotations

import ast
import re

from ..model import Item, Located, Where
from . import Format, register
from .ci_yaml import SequenceNode, Sites, YamlFormat, get, text_of
from .packaging import _Py, _TomlDoc, _shifted, parse_python
from .pyversions import tested_list, version_site

# -- noxfile.py -----------------------------------------------------------------


def _is_session(dec) -> bool:
    f = dec.func if isinstance(dec, ast.Call) else dec
    return isinstance(f, ast.Attribute) and f.attr == "session" and isinstance(f.value, ast.Name) \
        and f.value.id == "nox"


def _bound_once(tree) -> dict[str, ast.AST]:
    """Module-level names bound exactly once, to their value."""
    count: dict[str, int] = {}
    value: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    count[t.id] = count.get(t.id, 0) + 1
                    value[t.id] = node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            count[node.target.id] = count.get(node.target.id, 0) + 2
    return {k: v for k, v in value.items() if count[k] == 1}


def _sessions(tree):
    """(session name, the python= value node, path) of every nox session, names resolved."""
    names = _bound_once(tree)
    seen = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for dec in node.decorator_list:
            if not (_is_session(dec) and isinstance(dec, ast.Call)):
                continue
            for kw in dec.keywords:
                if kw.arg != "python":
                    continue
                value, path = kw.value, ("session", node.name)
                if isinstance(value, ast.Name) and value.id in names:
                    value, path = names[value.id], ("name", value.id)
                if path not in seen:
                    seen.add(path)
                    yield node.name, value, path


def _nox_meaning(tree) -> dict:
    out = {}
    for _, value, path in _sessions(tree):
        try:
            v = ast.literal_eval(value)
        except ValueError:
            v = ast.dump(value)
        out.setdefault(path[0], {})[path[1]] = list(v) if isinstance(v, tuple) else v
    return out


@register
class Noxfile(Format):
    name = "noxfile"
    filenames = ("noxfile.py",)

    def prefilter(self, data: bytes) -> bool:
        return b"python" in data and b"nox" in data

    def parse(self, text: str):
        return parse_python(text)

    def locate(self, tree, text: str) -> Located | None:
        py, sites = _Py(text), []
        for session, value, path in _sessions(tree):
            where = Where("ci", f"nox session {session}" if path[0] == "session" else path[1], "python")
            if isinstance(value, (ast.List, ast.Tuple)):
                entries = [(e, *py.span(e)) for e in value.elts]
                items = [Item(_literal(e, text, s, t), s, t) for e, s, t in entries]
                info = tested_list(path, items, flow=True)
                info.single_needs_comma = isinstance(value, ast.Tuple)
                for i, (e, s, t) in enumerate(entries):
                    if items[i].value is not None:
                        site = version_site(items[i].value, s + 1, (*path, i), where, "ci-matrix", quote=text[s],
                                            list_info=info)
                        if site is not None:
                            sites.append(site)
            elif isinstance(value, ast.Constant) and isinstance(value.value, str):
                s, t = py.span(value)
                if _literal(value, text, s, t) is not None:
                    site = version_site(value.value, s + 1, path, where, "ci", quote=text[s])
                    if site is not None:
                        sites.append(site)
        return Located(sites, [])

    def semantic(self, tree):
        return _nox_meaning(tree)


def _literal(node, text: str, start: int, end: int) -> str | None:
    """A string constant written as plain quotes around its value (no prefix, no escapes)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    raw = text[start:end]
    if raw[:1] not in "'\"" or raw[:3] in ('"""', "'''") or raw[1:-1] != node.value:
        return None
    return node.value


# -- environment.yml --------------------------------------------------------------

_CONDA = re.compile(r"(?:[\w.-]+::)?python(==?)(\d[\w.]*?)(?:\.\*)?")  # conda-forge::python=3.9.*


class _Conda(Sites):
    def walk(self, root) -> None:
        deps = get(root, "dependencies")
        for i, entry in enumerate(deps.value if isinstance(deps, SequenceNode) else ()):
            value = text_of(entry)
            m = _CONDA.fullmatch(value) if value else None
            if m is None:
                continue
            self.part(entry, m.start(2), m.group(2), ("dependencies", i), Where("ci", "environment", "dependencies"))


@register
class CondaEnvironment(YamlFormat):
    name = "conda-environment"
    filenames = ("environment.yml", "environment.yaml")
    walker = _Conda
    needle = b"python="


# -- .pre-commit-config.yaml, .readthedocs.yaml ---------------------------------


class _PreCommit(Sites):
    def walk(self, root) -> None:
        self.python(get(get(root, "default_language_version"), "python"), ("default_language_version", "python"),
                    Where("ci", "pre-commit", "default_language_version"), bare=True)
        repos = get(root, "repos")
        for i, repo in enumerate(repos.value if isinstance(repos, SequenceNode) else ()):
            hooks = get(repo, "hooks")
            for j, hook in enumerate(hooks.value if isinstance(hooks, SequenceNode) else ()):
                self.python(get(hook, "language_version"), ("repos", i, "hooks", j, "language_version"),
                            Where("ci", f"pre-commit hook {text_of(get(hook, 'id')) or j}", "language_version"),
                            bare=text_of(get(hook, "language")) == "python")

    def python(self, node, path, where, bare: bool = False) -> None:
        """``python3.9``: the version after ``python``; ``3.9`` too where the
        language is known to be Python (a hook of another language may name 3.2: Ruby)."""
        value = text_of(node) if node is not None else None
        if value and bare and not value.startswith("python"):
            self.scalar(node, path, where)
        if not value or not value.startswith("python"):
            return
        self.part(node, len("python"), value[len("python"):], path, where)


@register
class PreCommitConfig(YamlFormat):
    name = "pre-commit"
    filenames = (".pre-commit-config.yaml", ".pre-commit-config.yml")
    walker = _PreCommit


class _ReadTheDocs(Sites):
    def walk(self, root) -> None:
        node = get(get(get(root, "build"), "tools"), "python")
        if node is not None:
            self.scalar(node, ("build", "tools", "python"), Where("ci", "Read the Docs", "build.tools.python"))


@register
class ReadTheDocs(YamlFormat):
    name = "readthedocs"
    filenames = (".readthedocs.yaml", ".readthedocs.yml")
    walker = _ReadTheDocs


# -- Pipfile ------------------------------------------------------------------------


@register
class Pipfile(Format):
    name = "pipfile"
    filenames = ("Pipfile",)

    def prefilter(self, data: bytes) -> bool:
        return b"python_" in data

    def parse(self, text: str):
        return _TomlDoc(text)

    def locate(self, doc: _TomlDoc, text: str) -> Located | None:
        sites = []
        for key in ("python_version", "python_full_version"):
            s = doc.toml.string(doc.toml.values.get(("requires", key)))
            if s is not None:
                value, start, _, q = s
                site = version_site(value, start + len(q), ("requires", key), Where("ci", "[requires]", key), "ci",
                                    quote=q)
                if site is not None:
                    site.tied = ("requires",)  # the version and the full version move together or not at all
                    sites.append(_shifted(site, doc.shift))
        return Located(sites, [])

    def semantic(self, doc: _TomlDoc):
        return doc.data
