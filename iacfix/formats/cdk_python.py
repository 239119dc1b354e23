"""AWS CDK apps in Python, analysed statically with the stdlib ``ast``.

Nothing is imported or run.  Imports are followed, scope by scope, to know
which names mean ``aws_cdk.aws_lambda.Runtime`` (every import form, CDK v1 and
v2 alike: both install the module ``aws_cdk.aws_lambda``), and then:

- ``Runtime.PYTHON_3_9`` (any constant) is a site; the fix rewrites the
  constant's name;
- ``Runtime("python3.9", ...)`` is a site; the fix rewrites the string;
- entries of a ``compatible_runtimes=[...]`` list are list sites;
- ``PythonFunction`` without ``runtime=`` and ``PythonLayerVersion`` without
  ``compatible_runtimes=`` (``aws_lambda_python_alpha``, or v1's
  ``aws_lambda_python``) deploy the construct's default, python3.7: that is
  reported at the call, and the fix adds the argument.

A name that merely looks alike (a local ``Runtime`` class, a parameter or
variable shadowing an import, ``mylib.Runtime.PYTHON_3_9``, text in strings
or comments) is not a site.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from ..model import Item, ListInfo, Located, ParseError, Site, Unresolved
from . import Format, register

RUNTIME = "aws_cdk.aws_lambda.Runtime"
ALPHA_MODULES = ("aws_cdk.aws_lambda_python_alpha", "aws_cdk.aws_lambda_python")
V1_MODULES = ("aws_cdk.core", "aws_cdk.aws_lambda_python")  # modules only CDK v1 has
# The default of both alpha constructs when the argument is left out:
# PythonLayerVersion still defaults to [Runtime.PYTHON_3_7]; PythonFunction did
# until aws/aws-cdk#18143 (January 2022) made ``runtime`` required.
CONSTRUCT_DEFAULT = "python3.7"
IMPLICIT = {"PythonFunction": "runtime", "PythonLayerVersion": "compatible_runtimes"}
STAR_EXPORTS = {"aws_cdk.aws_lambda": ("Runtime",), "aws_cdk": ("aws_lambda",)}

_IRREGULAR = {
    "NODEJS": "nodejs", "JAVA_8_CORRETTO": "java8.al2", "DOTNET_CORE_1": "dotnetcore1.0",
    "DOTNET_CORE_2": "dotnetcore2.0", "GO_1_X": "go1.x", "PROVIDED": "provided",
    "PROVIDED_AL2": "provided.al2", "PROVIDED_AL2023": "provided.al2023",
}
_REGULAR = re.compile(r"(PYTHON|NODEJS|JAVA|DOTNET_CORE|DOTNET|RUBY)_(\d+)(?:_(\d+|X))?(_AL2023)?")


def runtime_id(constant: str) -> str | None:
    """``Runtime.PYTHON_3_9`` -> python3.9; None for NODEJS_LATEST, ALL, ..."""
    if constant in _IRREGULAR:
        return _IRREGULAR[constant]
    m = _REGULAR.fullmatch(constant)
    if not m:
        return None
    family, major, minor, al2023 = m.group(1).lower().replace("_", ""), m.group(2), m.group(3), m.group(4)
    rid = f"{family}{major}" if minor is None else f"{family}{major}.{minor.lower()}"
    return rid + (".al2023" if al2023 else "")


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


# -- names and scopes ------------------------------------------------------------

def _import_bindings(node) -> dict[str, str]:
    out = {}
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.asname:
                out[a.asname] = a.name
            else:  # import aws_cdk.aws_lambda binds aws_cdk
                head = a.name.split(".")[0]
                out[head] = head
    elif isinstance(node, ast.ImportFrom):
        for a in node.names:
            if node.level:  # a relative import is the app's own module
                out[a.asname or a.name] = ""
            elif a.name == "*":
                out.update({n: f"{node.module}.{n}" for n in STAR_EXPORTS.get(node.module, ())})
            else:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _target_names(target) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def scope_bindings(body: list, params=()) -> dict[str, str]:
    """Names one scope binds, in source order (the last binding wins): an import
    of a dotted name maps to it; anything else (def, class, assignment, loop or
    ``with`` target, parameter) maps to "" - a name that is not the CDK's."""
    names = {p: "" for p in params}
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(_import_bindings(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = ""  # its body is a scope of its own
            continue
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                names.update(dict.fromkeys(_target_names(t), ""))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    names.update(dict.fromkeys(_target_names(item.optional_vars), ""))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names[node.name] = ""
        elif isinstance(node, ast.NamedExpr):
            names.update(dict.fromkeys(_target_names(node.target), ""))
        elif isinstance(node, ast.Lambda):
            continue
        for child in reversed(list(ast.iter_child_nodes(node))):
            if isinstance(child, (ast.stmt, ast.excepthandler, ast.expr)):
                stack.append(child)
    return names


def _params(args: ast.arguments) -> list[str]:
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return [a.arg for a in every]


class _Scopes:
    """The chain of scopes at a point in the code, innermost last."""

    def __init__(self, chain: tuple = ()):
        self.chain = chain  # ((kind, names), ...)

    def enter(self, kind: str, names: dict) -> _Scopes:
        return _Scopes(self.chain + ((kind, names),))

    def lookup(self, name: str) -> str | None:
        for i, (kind, names) in enumerate(reversed(self.chain)):
            if kind == "class" and i > 0:
                continue  # a class body is not visible from the methods inside it
            if name in names:
                return names[name] or None
        return None

    def qualify(self, node) -> str | None:
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def runtime_reference(self) -> str | None:
        """How code here can name the Runtime class without a new import."""
        for wanted, suffix in ((RUNTIME, ""), ("aws_cdk.aws_lambda", ".Runtime"), ("aws_cdk", ".aws_lambda.Runtime")):
            seen = set()
            for _, names in reversed(self.chain):
                for local in sorted(names):
                    if local not in seen and self.lookup(local) == wanted:
                        return local + suffix
                    seen.add(local)
        return None


# -- the walk ------------------------------------------------------------------

class _Walker:
    def __init__(self, tree: ast.Module, text: str):
        self.tree = tree
        self.text = text
        self.offsets = _Offsets(text)
        self.v1 = any(isinstance(n, (ast.Import, ast.ImportFrom)) and any(
            v == m or v.startswith(m + ".") for v in _import_bindings(n).values() for m in V1_MODULES)
            for n in ast.walk(tree))
        self.sites: dict[int, Site] = {}  # by id() of the AST node
        self.unresolved: list[Unresolved] = []
        self.calls: list[tuple[ast.Call, str | None, _Scopes, tuple, list]] = []
        self.paths: dict[int, tuple] = {}

    def visit(self, node, path: tuple, users: list, scopes: _Scopes) -> None:
        self.paths[id(node)] = path
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            inner = scopes.enter("function", scope_bindings(body, _params(node.args)))
            for name, value in ast.iter_fields(node):
                # Decorators, defaults and annotations belong to the outer scope.
                self._visit_field(value, path + (name,), users, inner if name == "body" else scopes)
            return
        if isinstance(node, ast.ClassDef):
            inner = scopes.enter("class", scope_bindings(node.body))
            for name, value in ast.iter_fields(node):
                self._visit_field(value, path + (name,), users, inner if name == "body" else scopes)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            bound = {n: "" for g in node.generators for n in _target_names(g.target)}
            scopes = scopes.enter("function", bound)
        if isinstance(node, ast.Attribute):
            q = scopes.qualify(node)
            if q and q.startswith(RUNTIME + ".") and q.count(".") == RUNTIME.count(".") + 1:
                self._constant_site(node, path, users)
        elif isinstance(node, ast.Call):
            self.calls.append((node, scopes.qualify(node.func), scopes, path, users))
            users = _construct_id(node) or users
        for name, value in ast.iter_fields(node):
            self._visit_field(value, path + (name,), users, scopes)

    def _visit_field(self, value, path, users, scopes) -> None:
        if isinstance(value, list):
            for i, child in enumerate(value):
                if isinstance(child, ast.AST):
                    self.visit(child, path + (i,), users, scopes)
        elif isinstance(value, ast.AST):
            self.visit(value, path, users, scopes)

    def _where(self, users: list) -> str:
        return f"{users[0]} runtime" if users else "Runtime"

    def _constant_site(self, node: ast.Attribute, path: tuple, users: list) -> None:
        rid = runtime_id(node.attr)
        _, end = self.offsets.span(node)
        start = end - len(node.attr)  # the constant's own token
        if rid is None:
            if node.attr.endswith("_LATEST"):  # FROM_IMAGE, ALL and the like name no runtime
                self.unresolved.append(Unresolved(start, end, f"Runtime.{node.attr} is chosen by the CDK version", users))
            return
        v1 = self.v1

        def spell(target: str, node=node):
            name = constant_name(target)
            if name is None or v1:  # CDK v1 has no constants for newer runtimes
                return None
            return name, dict(plain(node), attr=name)

        self.sites[id(node)] = Site(value=rid, start=start, end=end, path=path, kind="property", users=users,
                                    where=self._where(users), spell=spell)

    def _string_site(self, call: ast.Call, arg: ast.Constant, path: tuple, users: list) -> None:
        """Runtime("python3.9", ...): the site is the string; the path is the call's."""
        start, end = self.offsets.span(arg)
        raw = self.text[start:end]
        quote = raw[0] if raw[:1] in "'\"" and raw == f"{raw[0]}{arg.value}{raw[0]}" else None

        def spell(target: str, call=call, arg=arg):
            new = plain(call)
            if call.args and call.args[0] is arg:
                new["args"][0]["value"] = target
            else:
                next(k for k in new["keywords"] if k["arg"] == "name")["value"]["value"] = target
            return f"{quote}{target}{quote}", new

        self.sites[id(call)] = Site(value=arg.value, start=start, end=end, path=path, kind="property", users=users,
                                    quote=quote, where=self._where(users), spell=spell)

    def _implicit_site(self, call: ast.Call, construct: str, argument: str, scopes: _Scopes, path: tuple) -> None:
        reference = scopes.runtime_reference()
        insert_at, before, after = self._insertion_point(call)
        v1 = self.v1

        def spell(target: str):
            name = constant_name(target)
            if name is None or reference is None or v1 or insert_at is None:
                return None
            value = f"{reference}.{name}"
            value = f"[{value}]" if argument == "compatible_runtimes" else value
            keyword = ast.parse(f"f({argument}={value})").body[0].value.keywords[0]
            return f"{before}{argument}={value}{after}", plain(keyword)

        users = _construct_id(call)
        at = insert_at if insert_at is not None else self.offsets.span(call)[1]
        self.sites[id(call)] = Site(
            value=CONSTRUCT_DEFAULT, start=at, end=at, path=path + ("keywords",), kind="implicit-default",
            users=users, where=f"{construct} without {argument}= defaults to {CONSTRUCT_DEFAULT}", spell=spell,
            insert=True, at=self.offsets.span(call.func))

    def _insertion_point(self, call: ast.Call) -> tuple[int | None, str, str]:
        """Where and how to add an argument: after the last one, on a line of its
        own when the call puts its arguments one per line."""
        start, end = self.offsets.span(call)
        segment = self.text[start:end]
        try:
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(segment).readline)
                      if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER,
                                        tokenize.INDENT, tokenize.DEDENT)]
        except (tokenize.TokenError, IndentationError, SyntaxError):
            return None, "", ""
        if len(tokens) < 2 or tokens[-1].string != ")":
            return None, "", ""
        close, last = tokens[-1], tokens[-2]
        lines = segment.splitlines(True)

        def offset(row: int, col: int) -> int:
            return start + sum(len(line) for line in lines[:row - 1]) + col

        if last.string == "(":  # no argument at all
            return offset(*last.end), "", ""
        newline = "\r\n" if "\r\n" in segment else "\n"
        arg_tokens = tokens[:-1]
        if close.start[0] > last.end[0]:  # ")" on a line of its own: one argument per line
            line_start = self.text.rfind("\n", 0, offset(*last.start)) + 1
            indent = re.match(r"[ \t]*", self.text[line_start:]).group()
            if last.string == ",":
                line_end = self.text.find("\n", offset(*last.end))
                line_end -= 1 if self.text[line_end - 1] == "\r" else 0
                return line_end, f"{newline}{indent}", ","
            return offset(*last.end), f",{newline}{indent}", ""
        if last.string == ",":
            return offset(*last.end), " ", ","
        return offset(*arg_tokens[-1].end), ", ", ""

    def walk(self) -> Located | None:
        self.visit(self.tree, (), [], _Scopes().enter("module", scope_bindings(self.tree.body)))
        for call, q, scopes, path, users in self.calls:
            if q == RUNTIME:
                arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "name"), None)
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    self._string_site(call, arg, path, users)
            module, _, name = (q or "").rpartition(".")
            if module in ALPHA_MODULES and name in IMPLICIT:
                given = {k.arg for k in call.keywords}
                if IMPLICIT[name] not in given and None not in given:  # None: **kwargs may hold it
                    self._implicit_site(call, name, IMPLICIT[name], scopes, path)
        for call, _, _, path, _ in self.calls:
            for i, kw in enumerate(call.keywords):
                if kw.arg == "compatible_runtimes" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    self._list(kw.value, path + ("keywords", i, "value"), _construct_id(call))
        if not self.sites and not self.unresolved:
            return None
        return Located(sorted(self.sites.values(), key=lambda s: s.start), self.unresolved)

    def _list(self, node, path: tuple, owner: list[str]) -> None:
        """Entries of compatible_runtimes=[...]; the fix keeps the target once."""
        info = ListInfo(path=path + ("elts",), items=[], flow=True, comment="#",
                        single_needs_comma=isinstance(node, ast.Tuple))
        note = f"layer {owner[0]}: rebuild the layer content for {{target}}" if owner else \
            "rebuild the layer content for {target}"
        for element in node.elts:
            start, end = self.offsets.span(element)
            site = self.sites.get(id(element))
            info.items.append(Item(site.value if site else None, start, end))
            if site is not None:
                site.in_list, site.kind = info, "layer-runtime"
                site.where = f"{owner[0]} compatible_runtimes" if owner else "compatible_runtimes"
                site.notes.append(note)
        if any(isinstance(e, ast.Starred) for e in node.elts):
            info.blocked = "the list unpacks another list (*...)"


def _construct_id(call: ast.Call) -> list[str]:
    """[id] of a construct call: ``X(scope, "id", ...)``, ``X(scope, id="id")``
    or ``X(scope=scope, id="id")``, keywords in any order."""
    if any(isinstance(a, ast.Starred) for a in call.args[:2]):
        return []  # where the id falls is not known
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if len(call.args) >= 2:
        node = call.args[1]
    elif len(call.args) + ("scope" in keywords) == 1:  # the scope is given once, the id by name
        node = keywords.get("id")
    else:
        node = None
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


@register
class CdkPython(Format):
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
        return _Walker(doc, text).walk()

    def semantic(self, doc):
        return plain(doc)
