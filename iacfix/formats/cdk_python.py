"""AWS CDK apps in Python, analysed statically with the stdlib ``ast``.

Nothing is imported or run.  Imports are followed to know which names mean
``aws_cdk.aws_lambda.Runtime`` (every import form, CDK v1 and v2 alike: both
install the module ``aws_cdk.aws_lambda``), and then:

- ``Runtime.PYTHON_3_9`` (any constant) is a site; the fix rewrites the
  constant's name;
- ``Runtime("python3.9", ...)`` is a site; the fix rewrites the string;
- entries of a ``compatible_runtimes=[...]`` list are list sites;
- ``PythonFunction`` without ``runtime=`` and ``PythonLayerVersion`` without
  ``compatible_runtimes=`` (``aws_lambda_python_alpha``, or v1's
  ``aws_lambda_python``) deploy the construct's default, python3.7: that is
  reported at the call, and the fix adds the argument.

A name that merely looks alike (a local ``Runtime`` class,
``mylib.Runtime.PYTHON_3_9``, text in strings or comments) is not a site.
"""

from __future__ import annotations

import ast
import re

from ..model import Item, ListInfo, Located, ParseError, Site, Unresolved
from . import register

RUNTIME = "aws_cdk.aws_lambda.Runtime"
ALPHA_MODULES = ("aws_cdk.aws_lambda_python_alpha", "aws_cdk.aws_lambda_python")
# The default of both alpha constructs when the argument is left out:
# PythonLayerVersion still defaults to [Runtime.PYTHON_3_7]; PythonFunction did
# until aws/aws-cdk#18143 (January 2022) made ``runtime`` required.
CONSTRUCT_DEFAULT = "python3.7"
IMPLICIT = {"PythonFunction": "runtime", "PythonLayerVersion": "compatible_runtimes"}

_IRREGULAR = {
    "NODEJS": "nodejs", "JAVA_8_CORRETTO": "java8.al2", "DOTNET_CORE_1": "dotnetcore1.0",
    "DOTNET_CORE_2": "dotnetcore2.0", "GO_1_X": "go1.x", "PROVIDED": "provided",
    "PROVIDED_AL2": "provided.al2", "PROVIDED_AL2023": "provided.al2023",
}
_REGULAR = re.compile(r"(PYTHON|NODEJS|JAVA|DOTNET_CORE|DOTNET|RUBY)_(\d+)(?:_(\d+|X))?")


def runtime_id(constant: str) -> str | None:
    """``Runtime.PYTHON_3_9`` -> python3.9; None for NODEJS_LATEST, ALL, ..."""
    if constant in _IRREGULAR:
        return _IRREGULAR[constant]
    m = _REGULAR.fullmatch(constant)
    if not m:
        return None
    family = m.group(1).lower().replace("_", "")
    minor = m.group(3)
    if minor is None:
        return f"{family}{m.group(2)}"
    return f"{family}{m.group(2)}.{minor.lower()}"


def constant_name(runtime: str) -> str | None:
    """python3.13 -> PYTHON_3_13, the only family iacfix rewrites to."""
    m = re.fullmatch(r"python(\d+)\.(\d+)", runtime)
    return f"PYTHON_{m.group(1)}_{m.group(2)}" if m else None


def plain(node):
    """An AST as plain data without positions, for verifying fixes."""
    if isinstance(node, ast.AST):
        out = {"_type": type(node).__name__}
        for name, value in ast.iter_fields(node):
            out[name] = plain(value)
        return out
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


class _Offsets:
    """(line, UTF-8 byte column) from ``ast`` -> character offset in the text."""

    def __init__(self, text: str):
        self.shift = 1 if text.startswith("\ufeff") else 0  # ast sees the text without its BOM
        self.text = text[self.shift:]
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]

    def __call__(self, line: int, col: int) -> int:
        start = self.starts[line - 1]
        line_text = self.text[start:self.starts[line] if line < len(self.starts) else len(self.text)]
        return self.shift + start + len(line_text.encode("utf-8")[:col].decode("utf-8", "ignore"))

    def span(self, node) -> tuple[int, int]:
        return self(node.lineno, node.col_offset), self(node.end_lineno, node.end_col_offset)


class _Imports:
    """Which local names stand for which dotted names, from the file's imports."""

    def __init__(self, tree: ast.Module):
        self.names: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.names[a.asname] = a.name
                    else:
                        head = a.name.split(".")[0]
                        self.names[head] = head
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    self.names[a.asname or a.name] = f"{node.module}.{a.name}"
        # A module-level class, function or assignment rebinding an imported
        # name (class Runtime: ...) hides the import for the whole file.
        for node in tree.body:
            bound = []
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                bound = [node.name]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound = [t.id for t in targets if isinstance(t, ast.Name)]
            for name in bound:
                self.names.pop(name, None)
        self.cdk_v1 = any(v in ("aws_cdk.core",) or v.startswith("aws_cdk.core.") for v in self.names.values())

    def qualify(self, node) -> str | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def runtime_reference(self) -> str | None:
        """How this file can name the Runtime class without a new import."""
        for local, full in sorted(self.names.items()):
            if full == RUNTIME:
                return local
        for local, full in sorted(self.names.items()):
            if full == "aws_cdk.aws_lambda":
                return f"{local}.Runtime"
        for local, full in sorted(self.names.items()):
            if full == "aws_cdk":
                return f"{local}.aws_lambda.Runtime"
        return None


class _Walker:
    def __init__(self, tree: ast.Module, text: str):
        self.tree = tree
        self.text = text
        self.offsets = _Offsets(text)
        self.imports = _Imports(tree)
        self.sites: dict[int, Site] = {}  # by id() of the AST node
        self.unresolved: list[Unresolved] = []
        self.paths: dict[int, tuple] = {}
        self.users: dict[int, list[str]] = {}

    def index(self, node, path=(), users=()):
        """Record every node's path in the plain AST and the construct it sits in."""
        self.paths[id(node)] = path
        self.users[id(node)] = list(users)
        if isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str):
            users = [node.args[1].value]  # CDK constructs take (scope, id, ...)
        for name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        self.index(child, path + (name, i), users)
            elif isinstance(value, ast.AST):
                self.index(value, path + (name,), users)

    def _constant_site(self, node: ast.Attribute) -> Site | None:
        rid = runtime_id(node.attr)
        _, end = self.offsets.span(node)
        start = end - len(node.attr)  # the constant's own token
        users = self.users[id(node)]
        if rid is None:
            if node.attr.endswith("_LATEST"):  # FROM_IMAGE, ALL and the like name no runtime
                self.unresolved.append(Unresolved(start, end, f"Runtime.{node.attr} is chosen by the CDK version", users))
            return None
        v1 = self.imports.cdk_v1

        def spell(target: str, node=node):
            name = constant_name(target)
            if name is None or v1:  # CDK v1 has no constants for newer runtimes
                return None
            return name, dict(plain(node), attr=name)

        return Site(value=rid, start=start, end=end, path=self.paths[id(node)], kind="property", users=users,
                    where=f"{users[0]} runtime" if users else "Runtime constant", spell=spell)

    def _string_site(self, node: ast.Constant) -> Site | None:
        start, end = self.offsets.span(node)
        raw = self.text[start:end]
        quote = raw[0] if raw[:1] in "'\"" and raw == f"{raw[0]}{node.value}{raw[0]}" else None
        users = self.users[id(node)]
        return Site(value=node.value, start=start, end=end, path=self.paths[id(node)], kind="property", users=users,
                    quote=quote, where=f"{users[0]} runtime" if users else "Runtime(...)",
                    spell=lambda target, node=node: (f"{quote}{target}{quote}", dict(plain(node), value=target)))

    def _implicit_site(self, call: ast.Call, construct: str, argument: str) -> Site:
        func_start, func_end = self.offsets.span(call.func)
        reference = self.imports.runtime_reference()
        users = _construct_id(call)
        last = max((self.offsets.span(n) for n in call.args + [k.value for k in call.keywords]), default=None)
        text = self.text
        if last is None:  # PythonLayerVersion() with no argument at all: cannot be valid anyway
            insert_at, before, after = self.offsets.span(call)[1] - 1, "", ""
        else:
            insert_at, before, after = last[1], ", ", ""
            # A trailing comma ending the line (black's "magic trailing comma"):
            # the arguments stand one per line, so add a line like the last one.
            comma = re.match(r"[ \t]*,[ \t]*(#[^\n]*)?(\r?\n)", text[last[1]:])
            if comma:
                line_start = text.rfind("\n", 0, last[0]) + 1
                indent = re.match(r"[ \t]*", text[line_start:]).group()
                insert_at = last[1] + comma.start(2)
                before, after = f"{comma.group(2)}{indent}", ","

        v1 = self.imports.cdk_v1

        def spell(target: str):
            name = constant_name(target)
            if name is None or reference is None or v1:
                return None
            value = f"{reference}.{name}"
            value = f"[{value}]" if argument == "compatible_runtimes" else value
            keyword = ast.parse(f"f({argument}={value})").body[0].value.keywords[0]
            return f"{before}{argument}={value}{after}", plain(keyword)

        note = None if reference else "no import names aws_cdk.aws_lambda.Runtime here: add the argument by hand"
        return Site(value=CONSTRUCT_DEFAULT, start=insert_at, end=insert_at, path=self.paths[id(call)] + ("keywords",),
                    kind="implicit-default", users=users, where=f"{construct} without {argument}= defaults to "
                    f"{CONSTRUCT_DEFAULT}", spell=spell, insert=True, at=(func_start, func_end),
                    notes=[note] if note else [])

    def walk(self) -> Located | None:
        calls = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute):
                q = self.imports.qualify(node)
                if q and q.startswith(RUNTIME + ".") and q.count(".") == RUNTIME.count(".") + 1:
                    site = self._constant_site(node)
                    if site:
                        self.sites[id(node)] = site
            elif isinstance(node, ast.Call):
                calls.append(node)
        if not self.sites and not calls:
            return None
        for call in calls:
            q = self.imports.qualify(call.func)
            if q == RUNTIME and call.args and isinstance(call.args[0], ast.Constant) \
                    and isinstance(call.args[0].value, str):
                self.sites[id(call.args[0])] = self._string_site(call.args[0])
            construct = q.rsplit(".", 1) if q else None
            if construct and construct[0] in ALPHA_MODULES and construct[1] in IMPLICIT:
                argument = IMPLICIT[construct[1]]
                given = {k.arg for k in call.keywords}
                if argument not in given and None not in given:  # None: **kwargs may hold it
                    implicit = self._implicit_site(call, construct[1], argument)
                    self.sites[id(call)] = implicit
        for call in calls:
            for kw in call.keywords:
                if kw.arg == "compatible_runtimes" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    self._list(kw.value, self.users[id(kw.value)])
        if not self.sites and not self.unresolved:
            return None
        return Located(sorted(self.sites.values(), key=lambda s: s.start), self.unresolved)

    def _list(self, node, owner: list[str]) -> None:
        """Entries of compatible_runtimes=[...]; the fix keeps the target once."""
        info = ListInfo(path=self.paths[id(node)] + ("elts",), items=[], flow=True, comment="#")
        note = f"layer {owner[0] if owner else ''}: rebuild the layer content for {{target}}".replace("layer :", "layer:")
        for element in node.elts:
            start, end = self.offsets.span(element)
            site = self.sites.get(id(element)) if isinstance(element, ast.Attribute) else None
            info.items.append(Item(site.value if site else None, start, end))
            if site is not None:
                site.in_list, site.kind = info, "layer-runtime"
                site.where = f"{owner[0]} compatible_runtimes" if owner else "compatible_runtimes"
                site.notes.append(note)
        if any(isinstance(e, ast.Starred) for e in node.elts):
            info.blocked = "the list unpacks another list (*...)"


def _construct_id(call: ast.Call) -> list[str]:
    """[id] of a construct call ``X(scope, "id", ...)``."""
    if len(call.args) >= 2 and isinstance(call.args[1], ast.Constant) and isinstance(call.args[1].value, str):
        return [call.args[1].value]
    return []


@register
class CdkPython:
    name = "cdk-python"
    extensions = (".py",)

    def prefilter(self, data: bytes) -> bool:
        return b"aws_cdk" in data

    def parse(self, text: str):
        try:
            return ast.parse(text.lstrip("\ufeff"))
        except SyntaxError as e:
            raise ParseError(f"Python syntax error: {e.msg}", line=e.lineno or 1, column=e.offset or 1) from None
        except ValueError as e:  # e.g. NUL bytes
            raise ParseError(f"Python source error: {e}") from None

    def locate(self, doc, text: str) -> Located | None:
        walker = _Walker(doc, text)
        walker.index(doc)
        return walker.walk()

    def semantic(self, doc):
        return plain(doc)

    def check_edit(self, old: str, new: str) -> str | None:
        return None
