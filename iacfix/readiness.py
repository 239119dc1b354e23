"""Will a newer Python run this function's code?  Offline, with ``ast``.

``assess(code, iac_path)`` reads the handler module a ``FunctionCode`` names
and every local module it reaches through imports (the code root is on
``sys.path``, as Lambda puts ``/var/task``), and lists what a newer CPython
no longer has: imports of removed standard-library modules and uses of
removed APIs (``rules/removed_stdlib.json``, generated from the lifecycle
facts), and code that does not parse as Python 3 at all (a python2.7
handler).  Nothing is imported or run.

An import inside ``try: ... except ImportError`` or under a version check
(``if sys.version_info < (3, 13):``) is *guarded*: the code already copes,
so it is reported for information and blocks nothing.  A requirement that
puts a removed module back (``legacy-cgi``, ``standard-imghdr``; the
``backfills`` of the data file) satisfies its imports.

Answers are cached per process: several templates (or a template and
``plan``) naming the same code read it once.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import functools
import json
import os
import re
import sys
from dataclasses import field

from . import deps
from .lazy_re import compiled_on_use
from .model import FunctionCode
from .paths import display_path
from .reading import DEFAULT_MAX_FILE_SIZE, Unreadable, read_bytes
from .records import dataclass

MAX_MODULES = 500  # local modules followed from one handler
PY3 = (3, 0)
_REQUIREMENT = compiled_on_use(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# Python 2 constructs that Python 3 rejects, each with how it reads.
_PY2 = [
    (compiled_on_use(r"^[ \t]*print[ \t]+(?![\s(=.,)\[]|$)[^\n]*", re.M), "a print statement"),
    (compiled_on_use(r"^[ \t]*except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:", re.M), "except X, e:"),
    (compiled_on_use(r"^[ \t]*exec[ \t]+[\"'\w]", re.M), "an exec statement"),
    (compiled_on_use(r"^[ \t]*raise[ \t]+[\w.]+[ \t]*,", re.M), "raise X, message"),
    (compiled_on_use(r"<>"), "the <> operator"),
    (compiled_on_use(r"(?<![\w.])0[0-7]+\b(?![.eEjJ])"), "an octal literal without 0o"),
    (compiled_on_use(r"\bur[\"']"), "a ur'' string"),
    (compiled_on_use(r"`[^`\n]+`"), "backticks"),
]


@functools.lru_cache(maxsize=1)
def removed_data() -> dict:
    """The removed names and backfills, keyed for lookup."""
    from .catalog import builtin_text

    data = json.loads(builtin_text("removed_stdlib.json"))
    return {
        "removed": {row["name"]: row for row in data["removed"]},
        "backfills": {row["distribution"]: row for row in data["backfills"]},
    }


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:2])


def normalise(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


@dataclass(frozen=True)
class Blocker:
    """Something in the code a Python version no longer runs."""

    kind: str  # removed-module | removed-api | syntax
    name: str  # cgi, pkgutil.find_loader, "a print statement"
    removed_in: str  # "3.13"; "3.0" for Python 2 syntax
    path: str  # the code file, as the run shows paths
    line: int
    column: int
    replacement: str | None = None
    source: str = ""
    guarded: str | None = None  # why it blocks nothing: "inside try/except ImportError"
    backfilled: str | None = None  # the requirement that puts the module back
    end_line: int = 0  # where the import statement or attribute read ends (0: at line/column)
    end_column: int = 0

    @property
    def blocks(self) -> bool:
        return self.guarded is None and self.backfilled is None


@dataclass
class Assessment:
    """Whether a function's code was read, and what in it stops it running on the target."""

    code: str | None  # the code's path as shown (directory, file, or the IaC file for inline code)
    found: bool
    why_not: str | None = None  # why the code was not read
    archive: bool = False  # the code is a built package (a .zip): there, but not read
    no_handler: bool = False  # the code directory is there, its handler module is not
    files: list[str] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)  # the requirement files read
    truncated: bool = False  # more than MAX_MODULES local modules are reached: the rest were not read

    def blocking(self) -> list[Blocker]:
        return [b for b in self.blockers if b.blocks]

    def first_blocked(self) -> tuple[int, ...] | None:
        """The lowest Python version this code does not run on, if any."""
        keys = [version_key(b.removed_in) for b in self.blocking()]
        return min(keys) if keys else None

    def runs_on(self, version: tuple[int, ...]) -> bool:
        first = self.first_blocked()
        return first is None or tuple(version[:2]) < first


def app_root(start: str) -> str:
    """The CDK app's root: the nearest directory up from ``start`` holding ``cdk.json``."""
    d = os.path.abspath(start)
    while True:
        if deps.isfile(os.path.join(d, "cdk.json")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return os.path.abspath(start)
        d = parent


shown = functools.lru_cache(maxsize=4096)(display_path)  # the working directory does not change during a run

deps.on_forget(shown.cache_clear)  # another run in this process may start elsewhere


PARSED_CHARS = 200_000  # characters of source whose trees are kept (trees take ~35 bytes a character: ~7 MB)
_PARSED: dict[str, object] = {}  # text -> its ast.Module, or the SyntaxError or ValueError it raised
_parsed_chars = [0]


def parsed(text: str) -> ast.Module:
    """``ast.parse(text)``, once per text in a process: generated services and
    inline handlers repeat the same few modules (3,467 parses of 8 texts on
    the bench tree).  The trees are only read, never changed; a module over a
    quarter of the budget is parsed each time it is read."""
    hit = _PARSED.get(text)
    if hit is None:
        try:
            hit = ast.parse(text)
        except (SyntaxError, ValueError) as e:
            e.__traceback__ = None
            hit = e
        if len(text) <= PARSED_CHARS // 4:
            if _parsed_chars[0] + len(text) > PARSED_CHARS:
                _PARSED.clear()
                _parsed_chars[0] = 0
            _PARSED[text] = hit
            _parsed_chars[0] += len(text)
    if isinstance(hit, Exception):  # a fresh one: raising the kept one would tie the raiser's frames to it
        raise type(hit)(*hit.args)
    return hit


def placed(code: FunctionCode, text: str, line_at) -> FunctionCode:
    """Inline code whose first line is to be worked out (``inline_line`` 0): the
    line its value starts on (``line_at(offset)``), or the next one after a
    YAML block indicator (``|``, ``>``)."""
    if code.inline is None or code.inline_line:
        return code
    block = text[code.start:code.start + 1] in "|>"
    indent = 0
    if block:
        nl = text.find("\n", code.start)
        if nl != -1:
            rest = text[nl + 1:]
            indent = len(rest) - len(rest.lstrip(" "))
    flat = not block and "\n" in code.inline.strip("\n") and "\n" not in text[code.start:code.end]
    return dataclasses.replace(code, inline_line=line_at(code.start) + block, inline_indent=indent, inline_flat=flat)


def code_path(code: FunctionCode, iac_path: str) -> str | None:
    """The code's directory or file on disk, or None when it is not local."""
    if code.root is None:
        return None
    base = os.path.dirname(iac_path) or "."
    if code.base == "app":
        base = app_root(base)
    return os.path.abspath(os.path.join(base, code.root))  # absolute: answers are cached by it


def assess(code: FunctionCode, iac_path: str) -> Assessment:
    if code.not_local:
        return Assessment(None, False, code.not_local)
    if code.inline is not None:
        return _assess_inline(code.inline, iac_path, code.inline_line, -1 if code.inline_flat else code.inline_indent)
    where = code_path(code, iac_path)
    if where is None:
        return Assessment(None, False, "no code location is given")
    return _assess_path(where, code.handler)


def _assess_inline(text: str, iac_path: str, first_line: int, indent: int = 0) -> Assessment:
    """``indent`` -1: the code is written on one line (escaped newlines), so every finding is on it."""
    return _inline(text, iac_path, os.path.abspath(iac_path), first_line, indent)


@deps.memo(maxsize=256)
def _inline(text: str, iac_path: str, _real: str, first_line: int, indent: int) -> Assessment:
    out = Assessment(shown(iac_path), True, files=[shown(iac_path)])
    out.blockers = [dataclasses.replace(b, path=out.code, line=b.line + first_line - 1,
                                        end_line=b.end_line and b.end_line + first_line - 1)
                    for b in _inline_blockers(text)]
    if indent == -1:
        out.blockers = [dataclasses.replace(b, line=first_line, column=1, end_line=first_line, end_column=1)
                        for b in out.blockers]
    elif indent:
        out.blockers = [dataclasses.replace(b, column=b.column + indent, end_column=b.end_column + indent)
                        for b in out.blockers]
    return out


@deps.memo(maxsize=256)
def _inline_blockers(text: str) -> tuple[Blocker, ...]:
    """What inline code holds, read as if it started the file at line 1: nothing
    beside it is local, so only its text counts (templates repeat the same code)."""
    out = Assessment(None, True)
    _Reader(out, None, {}).module_text(text, "", 0, None)
    return tuple(out.blockers)


@deps.memo(maxsize=256)
def _assess_path(where: str, handler: str | None) -> Assessment:
    if not deps.exists(where):
        return Assessment(shown(where), False, f"{shown(where)} does not exist")
    if deps.isfile(where) and not where.endswith(".py"):
        return Assessment(shown(where), False, f"{shown(where)} is an archive built elsewhere, not Python source",
                          archive=True)
    root = where if deps.isdir(where) else os.path.dirname(where)
    backfilled = _backfills(root)
    out = Assessment(shown(where), True, requirements=[shown(p) for p in backfilled[1]])
    reader = _Reader(out, root, backfilled[0])
    if deps.isfile(where):
        entries = [where]
    elif handler:
        module = handler.replace("/", ".").rsplit(".", 1)[0] if "." in handler else handler
        entry = reader.find(module)
        if entry is None:
            out.found, out.why_not = False, f"handler module {module} is not under {shown(where)}"
            out.no_handler = True
            return out
        entries = [*reader.packages(module), entry]
    elif deps.isdir(where):  # no handler named: every module at the top of the code
        entries = sorted(p for p in (os.path.join(where, n) for n in deps.listdir(where) if n.endswith(".py"))
                         if deps.isfile(p))  # a named pipe would never end
    else:
        return Assessment(shown(where), False, f"{shown(where)} is not a file or directory")
    for e in entries:
        reader.follow(e)
    return out


def _backfills(root: str) -> tuple[dict[str, str], list[str]]:
    """{removed module: the requirement providing it}, and the requirement file
    read: the first of requirements.txt, pyproject.toml and the lock files
    beside the code (or in its parent directory), as ``--resolve`` reads them."""
    for d in (root, os.path.dirname(root)):
        found = _backfills_in(d)
        if found is not None:
            return dict(found[0]), [found[1]]
    return {}, []


@deps.memo(maxsize=1024)
def _backfills_in(directory: str) -> tuple[dict[str, str], str] | None:
    """``_backfills`` of one directory, or None when it holds no requirement file; once
    per directory in a run: a service's functions share their code's parent directory
    (2,656 questions about 1,543 directories on the bench tree, each up to five opens
    of files that are mostly absent, and the requirement file read twice)."""
    from .resolve import included_requirements, requirements_beside

    beside = requirements_beside(directory)
    if beside is None:
        return None
    table = removed_data()["backfills"]
    provided: dict[str, str] = {}
    for requirement in [r for r, _ in beside[1]] + included_requirements(beside[0]):
        m = _REQUIREMENT.match(requirement)
        row = table.get(normalise(m.group(1))) if m else None
        for module in row["provides"] if row else ():
            provided.setdefault(module, m.group(1))
    return provided, beside[0]


def python2_marker(text: str, error_line: int | None = None) -> tuple[str, int, int] | None:
    """(what, line, column) of the first Python 2 construct in ``text``, if any.
    With ``error_line`` (where the parser stopped), only when a Python 2
    construct is on that line: code for a newer Python than this one stops
    elsewhere, and a backtick in its docstring is no Python 2 backtick.
    Linear in the text: each line's strings and comments are worked out once."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    masks: dict[int, list[bool]] = {}

    def where(offset: int) -> tuple[int, bool]:
        """(1-based line, whether ``offset`` is in code, not in a string or comment)."""
        i = bisect.bisect_right(starts, offset) - 1
        if i not in masks:
            masks[i] = _code_mask(text[starts[i]:starts[i + 1] if i + 1 < len(starts) else len(text)])
        return i + 1, masks[i][offset - starts[i]]

    best, seen = None, error_line is None
    for pattern, what in _PY2:
        first = True
        for m in pattern.finditer(text):
            line, code = where(m.start())
            if not code:
                continue
            if first and (best is None or m.start() < best[1]):
                best = (what, m.start())
            first = False
            if error_line is not None and line <= error_line <= where(max(m.start(), m.end() - 1))[0]:
                seen = True
            if seen or line > error_line:
                break
    if best is None or not seen:
        return None
    what, offset = best
    line_start = text.rfind("\n", 0, offset) + 1
    indent = len(text[line_start:offset]) + len(text[offset:]) - len(text[offset:].lstrip(" \t"))
    return what, text.count("\n", 0, offset) + 1, indent + 1


def _code_mask(line: str) -> list[bool]:
    """For each offset in ``line`` (and its end): whether what precedes it on the line
    leaves it in code: no ``#`` before it, an even number of each quote."""
    out, comment, double, single = [], False, 0, 0
    for c in line:
        out.append(not comment and not double % 2 and not single % 2)
        comment = comment or c == "#"
        double += c == '"'
        single += c == "'"
    out.append(not comment and not double % 2 and not single % 2)
    return out


@deps.memo(maxsize=8192)
def _module(path: str, root: str, backfilled: tuple) -> tuple[list, list] | None:
    """(blockers, local modules imported) of one module under ``root``; None when
    it cannot be read.  Cached: functions whose handlers share modules (one code
    directory, many handlers) read each module once."""
    try:  # a regular file only (a FIFO never ends), up to the size any file is read
        raw = read_bytes(path, DEFAULT_MAX_FILE_SIZE)
    except (Unreadable, OSError):
        return None
    package = os.path.relpath(os.path.dirname(path), root).replace(os.sep, ".")
    out = Assessment(None, True)
    local = _Reader(out, root, dict(backfilled)).module_text(raw.decode("utf-8", "replace"), shown(path), 0,
                                                             "" if package == "." else package)
    return out.blockers, local


class _Reader:
    """Reads modules, follows local imports, records blockers."""

    def __init__(self, out: Assessment, root: str | None, backfilled: dict[str, str]):
        self.out, self.root, self.backfilled = out, root, backfilled
        self.seen: set[str] = set()
        self.removed = removed_data()["removed"]

    def find(self, module: str, package: str | None = None) -> str | None:
        """The local file of ``module`` (dotted), under the root; None when it is not local."""
        if self.root is None or not module:
            return None
        base = os.path.join(self.root, *module.split("."))
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if deps.isfile(candidate):
                return candidate
        return None

    def packages(self, module: str) -> list[str]:
        """The local ``__init__.py`` of each package above ``module``: importing
        ``pkg.sub`` runs ``pkg/__init__.py`` first."""
        if self.root is None:
            return []
        parts = module.split(".")
        inits = (os.path.join(self.root, *parts[:i], "__init__.py") for i in range(1, len(parts)))
        return [p for p in inits if deps.isfile(p)]

    def works(self, body: list) -> bool:
        """Whether the imports at the top of a ``try`` body all succeed on a newer
        Python: local modules, or standard-library ones it has not removed (a
        third-party one may be missing, and then the fallback runs)."""
        names = []
        for node in body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names += [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
            elif isinstance(node, ast.ImportFrom):
                names.append("")  # relative: local
        if not names:
            return False
        for name in filter(None, names):
            parts = name.split(".")
            if self.find(parts[0]) is not None:
                continue
            if any(".".join(parts[:i]) in self.removed for i in range(1, len(parts) + 1)):
                return False
            if parts[0] not in sys.stdlib_module_names:
                return False
        return True

    def follow(self, entry: str) -> None:
        todo = [entry]
        while todo and len(self.seen) < MAX_MODULES:
            path = todo.pop()
            real = deps.realpath(path)
            if real in self.seen:
                continue
            self.seen.add(real)
            read = _module(path, self.root, tuple(sorted(self.backfilled.items())))
            if read is None:
                continue
            blockers, local = read
            self.out.files.append(shown(path))
            self.out.blockers += blockers
            todo += local
        if any(deps.realpath(p) not in self.seen for p in todo):
            self.out.truncated = True

    def module_text(self, text: str, path: str, line_shift: int, package: str | None) -> list[str]:
        """Record what ``text`` holds; return the local modules it imports."""
        try:
            tree = parsed(text.lstrip("\ufeff"))
        except SyntaxError as e:
            marker = python2_marker(text, e.lineno)
            if marker is not None:
                what, line, col = marker
                self.out.blockers.append(Blocker("syntax", what, "3.0", path, line + line_shift, col,
                                                 "port the code to Python 3",
                                                 "https://docs.python.org/3/howto/pyporting.html"))
            else:
                self.out.blockers.append(Blocker(
                    "unparsed", f"does not parse with this Python ({e.msg})", "0", path,
                    (e.lineno or 1) + line_shift, e.offset or 1, guarded="the code may need a newer Python "
                    "than the one iacfix runs on; not judged"))
            return []
        except (ValueError, RecursionError, MemoryError):
            return []
        local: list[str] = []
        bindings: dict[str, str] = {}
        for node, guard in _statements(tree, self.works):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local += self.packages(alias.name)
                    target = self.find(alias.name)
                    if target is not None:
                        local.append(target)
                        continue
                    bindings[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                        alias.name.split(".")[0]
                    self._removed(alias.name, node, path, line_shift, guard)
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level and package is not None:
                    parts = package.split(".") if package else []
                    parts = parts[:len(parts) - (node.level - 1)] if node.level > 1 else parts
                    absolute = ".".join(p for p in [*parts, module] if p)
                    local += self.packages(absolute)
                    for alias in node.names:
                        target = self.find(f"{absolute}.{alias.name}" if absolute else alias.name) or self.find(absolute)
                        if target is not None:
                            local.append(target)
                    continue
                if node.level:
                    continue
                local += self.packages(module)
                target = self.find(module)
                if target is not None:
                    local.append(target)
                    for alias in node.names:  # from pkg import submodule
                        sub = self.find(f"{module}.{alias.name}")
                        if sub is not None:
                            local.append(sub)
                    continue
                if not self._removed(module, node, path, line_shift, guard):
                    for alias in node.names:
                        if self._removed(f"{module}.{alias.name}", node, path, line_shift, guard, exact=True):
                            continue
                        bindings[alias.asname or alias.name] = f"{module}.{alias.name}"
        guards = None
        if "import_module" in text or "__import__" in text:  # importlib.import_module("cgi"), __import__("cgi")
            guards = _guarded_lines(tree, self.works)
            for node in ast.walk(tree):
                name = _imported_by_call(node, bindings)
                if name is None:
                    continue
                target = self.find(name)
                local += self.packages(name) + ([target] if target is not None else [])
                if target is None:
                    self._removed(name, node, path, line_shift, guards.get(node.lineno))
        heads = {q.split(".")[0] for q in self.removed if "." in q}  # typing.io, pkgutil.find_loader, ...
        if any(target.split(".")[0] in heads for target in bindings.values()):
            # attribute reads: a second pass, only when a removed API's module is bound
            guards = guards or _guarded_lines(tree, self.works)
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                    dotted = _dotted(node)
                    if dotted is None:
                        continue
                    head, _, rest = dotted.partition(".")
                    if head in bindings:
                        q = f"{bindings[head]}.{rest}"
                        row = self.removed.get(q)
                        if row is not None:
                            self._record(row, q, node, path, line_shift, guards.get(node.lineno))
        return local

    def _removed(self, name: str, node, path: str, shift: int, guard, exact: bool = False) -> bool:
        """Record ``name`` (or the removed module it is inside) if it is removed; True if so."""
        parts = name.split(".")
        candidates = [name] if exact else [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
        for q in candidates:
            row = self.removed.get(q)
            if row is not None:
                self._record(row, q, node, path, shift, guard)
                return True
        return False

    def _record(self, row: dict, name: str, node, path: str, shift: int, guard) -> None:
        module = name.split(".")[0] if row["kind"] == "module" else name
        self.out.blockers.append(Blocker(
            "removed-module" if row["kind"] == "module" else "removed-api", name, row["removed_in"], path,
            node.lineno + shift, node.col_offset + 1, row.get("replacement"), row["source"], guard,
            self.backfilled.get(module) if row["kind"] == "module" else None,
            (node.end_lineno or node.lineno) + shift, (node.end_col_offset or node.col_offset) + 1))


def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((_dotted(t) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for t in types)


def _imported_by_call(node, bindings: dict[str, str]) -> str | None:
    """The module a call imports by a literal name (``importlib.import_module("cgi")``,
    ``__import__("cgi")``), or None."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)):
        return None
    dotted = _dotted(node.func)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    called = f"{bindings.get(head, head)}.{rest}" if rest else bindings.get(head, head)
    name = node.args[0].value
    if called not in ("importlib.import_module", "__import__", "importlib.__import__") or \
            not re.fullmatch(r"\w+(\.\w+)*", name):
        return None  # relative (".x"), or not a module name
    return name


def _type_checking(test) -> bool:
    """``if TYPE_CHECKING:`` / ``if typing.TYPE_CHECKING:``: only a type checker runs the body."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _names_import_error(handler: ast.ExceptHandler) -> bool:
    """Whether the handler names ImportError or ModuleNotFoundError (not just any exception)."""
    if handler.type is None:
        return False
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((_dotted(t) or "").rsplit(".", 1)[-1] in ("ImportError", "ModuleNotFoundError") for t in types)


LINUX = {"sys.platform": "linux", "os.name": "posix", "platform.system()": "Linux"}  # what Lambda answers
ELSEWHERE = "under a platform check that is false on Lambda's Linux"


def _on_linux(test) -> bool | None:
    """The value of a platform check (``sys.platform == "win32"``, ``os.name in
    (...)``, ``sys.platform.startswith("win")``) on Lambda's Linux; None when
    the test is not one."""
    def subject(node) -> str | None:
        if isinstance(node, ast.Call) and not node.args:
            return f"{_dotted(node.func)}()" if _dotted(node.func) == "platform.system" else None
        return _dotted(node) if _dotted(node) in LINUX else None

    def strings(node) -> list[str] | None:
        items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
        values = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
        return values if len(values) == len(items) else None

    if isinstance(test, ast.Compare) and len(test.ops) == 1 and subject(test.left):
        here, values = LINUX[subject(test.left)], strings(test.comparators[0])
        if values is None:
            return None
        op = type(test.ops[0])
        if op in (ast.Eq, ast.In):
            return here in values
        if op in (ast.NotEq, ast.NotIn):
            return here not in values
        return None
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "startswith" \
            and subject(test.func.value) and len(test.args) == 1:
        values = strings(test.args[0])
        return None if values is None else LINUX[subject(test.func.value)].startswith(tuple(values))
    return None


def _version_check(test) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in ("version_info", "version", "hexversion")
               and isinstance(n.value, ast.Name) and n.value.id == "sys" for n in ast.walk(test))


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


FALLBACK = "a fallback in except ImportError, run only if the import above it fails, which it does not"


def _statements(tree, works=None):
    """Every statement (imports are statements) with why it is guarded (None
    when it is not), in order; expressions are not visited.  ``works(body)``
    says whether the imports of a ``try`` body succeed on a newer Python: then
    its ``except ImportError`` handlers are fallbacks that do not run."""
    stack = [(s, None) for s in reversed(tree.body)]
    while stack:
        node, guard = stack.pop()
        yield node, guard
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            body_guard = guard or ("inside try/except ImportError"
                                   if any(_catches_import_error(h) for h in node.handlers) else None)
            children = [(c, body_guard) for c in node.body]
            fallback = guard
            if guard is None and works is not None and any(map(_names_import_error, node.handlers)) \
                    and works(node.body):
                fallback = FALLBACK
            for h in node.handlers:
                children += [(c, fallback if _names_import_error(h) else guard) for c in h.body]
            children += [(c, guard) for part in (node.orelse, node.finalbody) for c in part]
        elif isinstance(node, ast.If) and _type_checking(node.test):
            children = [(c, guard or "under if TYPE_CHECKING:, which only a type checker runs") for c in node.body]
            children += [(c, guard) for c in node.orelse]
        elif isinstance(node, ast.If) and _on_linux(node.test) is not None:
            linux = _on_linux(node.test)
            children = [(c, guard if linux else guard or ELSEWHERE) for c in node.body]
            children += [(c, guard or ELSEWHERE if linux else guard) for c in node.orelse]
        elif isinstance(node, ast.If) and _version_check(node.test):
            g = guard or "under a Python version check"
            children = [(c, g) for c in node.body + node.orelse]
        else:
            children = [(c, guard) for name in _BODIES for c in getattr(node, name, ()) or ()
                        if isinstance(c, (ast.stmt, ast.excepthandler, getattr(ast, "match_case", ast.stmt)))]
        stack.extend(reversed(children))


def _guarded_lines(tree, works=None) -> dict[int, str]:
    """line -> why the statements on it are guarded."""
    out: dict[int, str] = {}
    for node, guard in _statements(tree, works):
        if guard is not None:
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                out.setdefault(line, guard)
    return out
