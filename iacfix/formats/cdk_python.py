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

A constant (or ``Runtime("...")``) is rewritten only where its value goes to
a runtime argument and nowhere else: ``runtime=`` of any call, an entry of a
``compatible_runtimes=`` list or tuple, the ``"runtime"`` entry of a dict
unpacked with ``**``, either branch of ``a if c else b`` or an operand of
``or``/``and`` there; or through a name bound once in its scope, by a plain
assignment at the top of the module or function body, whose every use goes
to such an argument (a list or dict bound so counts likewise).  Anywhere else
(compared, returned, stored in an attribute, formatted, passed as another
argument, bound in several places or inside an ``if``) it is reported with
the same rule and never rewritten: a rewrite there would change what the
program does, not only which runtime it deploys.

A name that merely looks alike (a local ``Runtime`` class, a parameter or
variable shadowing an import, ``mylib.Runtime.PYTHON_3_9``, text in strings
or comments) is not a site.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter

from ..model import FunctionCode, Item, ListInfo, Located, ParseError, Site, Unresolved, Where
from . import Format, code_locations, register
from .nesting import too_deep

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


# How deep an AST may nest: the walker recurses about twice per level, within
# Python's default limit of 1,000 frames.  Real CDK apps stay under 50.
MAX_DEPTH = 300


def _check_depth(tree: ast.Module) -> None:
    """Raise ParseError at the first node deeper than MAX_DEPTH."""
    stack = [(tree, 0, (1, 0))]
    children = ast.iter_child_nodes
    while stack:
        node, depth, at = stack.pop()
        at = (node.lineno, node.col_offset) if hasattr(node, "lineno") else at
        if depth > MAX_DEPTH:
            raise too_deep(MAX_DEPTH, line=at[0], column=at[1] + 1)  # the column counts UTF-8 bytes: close enough
        depth += 1
        stack.extend((child, depth, at) for child in children(node))


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


def scope_binds(body: list, params=()):
    """Each binding of one scope, in source order, as (name, meaning): an import
    of a dotted name means it; anything else (def, class, assignment, loop,
    ``with`` or ``match`` target, parameter) means "" - a name that is not the
    CDK's."""
    for p in params:
        yield p, ""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from _import_bindings(node).items()
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, ""  # its body is a scope of its own
            continue
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                yield from ((n, "") for n in _target_names(t))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    yield from ((n, "") for n in _target_names(item.optional_vars))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name, ""
        elif isinstance(node, ast.NamedExpr):
            yield from ((n, "") for n in _target_names(node.target))
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            yield node.name, ""
        elif isinstance(node, ast.MatchMapping) and node.rest:
            yield node.rest, ""
        elif isinstance(node, ast.Lambda):
            continue
        for child in reversed(list(ast.iter_child_nodes(node))):
            if isinstance(child, (ast.stmt, ast.excepthandler, ast.expr, ast.match_case, ast.pattern,
                                  ast.comprehension)):
                stack.append(child)


def scope_bindings(body: list, params=()) -> dict[str, str]:
    """Names one scope binds (the last binding wins), as ``scope_binds``."""
    return dict(scope_binds(body, params))


def _params(args: ast.arguments) -> list[str]:
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return [a.arg for a in every]


class _Scopes:
    """The chain of scopes at a point in the code, innermost last."""

    def __init__(self, chain: tuple = ()):
        self.chain = chain  # ((kind, names), ...)

    def enter(self, kind: str, names: dict) -> _Scopes:
        return _Scopes(self.chain + ((kind, names),))

    def resolve(self, name: str) -> dict | None:
        """The names of the scope ``name`` is bound in, seen from here."""
        for i, (kind, names) in enumerate(reversed(self.chain)):
            if kind == "class" and i > 0:
                continue  # a class body is not visible from the methods inside it
            if name in names:
                return names
        return None

    def lookup(self, name: str) -> str | None:
        names = self.resolve(name)
        return (names[name] or None) if names is not None else None

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
        self.values: list[tuple[ast.expr, Site]] = []  # constant and Runtime("...") sites, with their nodes
        self.parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        # By id() of a scope's node: its names and how often each is bound.
        self.scope_info: dict[int, tuple[dict, Counter]] = {}
        self.loads: dict[tuple[int, str], list[ast.Name]] = {}  # (id() of the names, name) -> its reads
        self.declared = {n for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal))
                         for n in node.names}

    def _enter(self, scopes: _Scopes, kind: str, node, binds) -> _Scopes:
        binds = list(binds)
        names = dict(binds)
        self.scope_info[id(node)] = names, Counter(n for n, _ in binds)
        return scopes.enter(kind, names)

    def visit(self, node, path: tuple, users: list, scopes: _Scopes) -> None:
        self.paths[id(node)] = path
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            inner = self._enter(scopes, "function", node, scope_binds(body, _params(node.args)))
            for name, value in ast.iter_fields(node):
                # Decorators, defaults and annotations belong to the outer scope.
                self._visit_field(value, path + (name,), users, inner if name == "body" else scopes)
            return
        if isinstance(node, ast.ClassDef):
            inner = self._enter(scopes, "class", node, scope_binds(node.body))
            for name, value in ast.iter_fields(node):
                self._visit_field(value, path + (name,), users, inner if name == "body" else scopes)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            bound = ((n, "") for g in node.generators for n in _target_names(g.target))
            scopes = self._enter(scopes, "function", node, bound)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            owner = scopes.resolve(node.id)
            if owner is not None:
                self.loads.setdefault((id(owner), node.id), []).append(node)
        elif isinstance(node, ast.Attribute):
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

    def _where(self, users: list) -> Where:
        return Where("resource", users[0], "runtime") if users else Where("value", "Runtime")

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
        self.values.append((node, self.sites[id(node)]))

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
        self.values.append((call, self.sites[id(call)]))

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
            users=users, where=Where("construct", construct, argument), spell=spell,
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
        self.visit(self.tree, (), [], self._enter(_Scopes(), "module", self.tree, scope_binds(self.tree.body)))
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
        lists = {}
        for node, site in self.values:
            calls, why = self._flow(node)
            if why is not None:
                label = f"Runtime.{node.attr}" if isinstance(node, ast.Attribute) else f'Runtime("{site.value}")'
                site.blocked = f"{label} is not passed straight to a runtime argument ({why})"
                continue
            users = list(dict.fromkeys(i for call in calls for i in _construct_id(call)))
            if users:
                site.users, site.where = users, self._where(users)
            parent = self.parents[id(node)]
            if isinstance(parent, (ast.List, ast.Tuple)):  # it went to compatible_runtimes= with its list
                lists[id(parent)] = parent, users
        for node, users in lists.values():
            self._list(node, self.paths[id(node)], users)
        if not self.sites and not self.unresolved:
            return None
        code = [c for call, q, scopes, _, _ in self.calls if (c := self._code(call, q, scopes)) is not None]
        return Located(sorted(self.sites.values(), key=lambda s: s.start), self.unresolved, code)

    def _code(self, call: ast.Call, q: str | None, scopes: _Scopes) -> FunctionCode | None:
        """Where a function construct's code is (``code_locations``)."""
        module, _, name = (q or "").rpartition(".")
        python = module in ALPHA_MODULES and name == code_locations.PYTHON_FUNCTION
        if not (python or (q or "").removeprefix("aws_cdk.") in code_locations.FUNCTIONS):
            return None
        ids = _construct_id(call)
        if not ids:
            return None
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        arm = "ARM_64" in ast.unparse(kw["architecture"]) if "architecture" in kw else False
        start, end = self.offsets.span(call)
        literal = self._literal
        if python:
            if "entry" not in kw:
                return None
            entry, base = _file_relative(kw["entry"]) or (literal(kw["entry"]), "app")
            return code_locations.cdk_code(ids[0], start, end, code_method=None, code_arg=None, arm64=arm,
                                           handler=literal(kw.get("handler")), entry=entry, base=base,
                                           index=literal(kw.get("index")) or "index.py")
        code = kw.get("code")
        if code is None:
            return None  # no code= given (or in **kwargs): nothing to say
        method = arg = None
        base = "app"
        if isinstance(code, ast.Call):
            method = (scopes.qualify(code.func) or "").rpartition(".")[2] or None
            first = code.args[0] if code.args else None
            arg = literal(first)
            if arg is not None and method in code_locations.INLINE:  # the code is where the string is written
                start, end = self.offsets.span(self._bound(first) or first)
            elif arg is None and method in code_locations.ASSET and first is not None:
                arg, base = _file_relative(first) or (None, "app")
        return code_locations.cdk_code(ids[0], start, end, code_method=method, code_arg=arg, arm64=arm,
                                       handler=literal(kw.get("handler")), base=base)

    def _literal(self, node) -> str | None:
        """A string literal, or a module-level name bound once to one."""
        node = self._bound(node) or node
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def _bound(self, node):
        """The value a module-level name is bound to, once, by a plain assignment."""
        if isinstance(node, ast.Name):
            bound = [a.value for a in self.tree.body if isinstance(a, ast.Assign) and len(a.targets) == 1
                     and isinstance(a.targets[0], ast.Name) and a.targets[0].id == node.id]
            return bound[0] if len(bound) == 1 else None
        return None

    def _flow(self, node, want: str = "runtime", subject: str = "it", seen: frozenset = frozenset()):
        """Where the value of ``node`` goes: (the calls it is a ``want``
        argument of, None) when it goes nowhere else, else ([], why not).
        ``want`` is "runtime", "runtimes" (a list of them) or "kwargs" (a dict
        unpacked with ``**``)."""
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.keyword):
            if parent.arg == _ARGUMENT[want]:
                return [self.parents[id(parent)]], None
            return [], f"{subject} is passed as {parent.arg}=" if parent.arg else f"{subject} is unpacked with **"
        if isinstance(parent, (ast.List, ast.Tuple)) and want == "runtime":
            return self._flow(parent, "runtimes", f"its {type(parent).__name__.lower()}", seen)
        if isinstance(parent, ast.BoolOp) or isinstance(parent, ast.IfExp) and node is not parent.test:
            return self._flow(parent, want, subject, seen)
        if isinstance(parent, ast.Dict) and want != "kwargs" and any(v is node for v in parent.values):
            key = parent.keys[[id(v) for v in parent.values].index(id(node))]
            if isinstance(key, ast.Constant) and key.value == _ARGUMENT[want]:
                return self._flow(parent, "kwargs", "its dict", seen)
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and node is parent.value:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                return self._through_name(parent, targets[0].id, want, seen)
        return [], f"{subject} {_use(parent, node)}"

    def _through_name(self, assign, name: str, want: str, seen: frozenset):
        """``_flow`` of a value bound by ``name = value``: the name must be bound
        there only, at the top of its module or function, and every read of it
        must go where the value may."""
        scope = self.parents[id(assign)]
        while not isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope = self.parents[id(scope)]
        names, counts = self.scope_info[id(scope)]
        if name in self.declared:
            return [], f"{name} is declared global or nonlocal"
        if counts[name] > 1:
            return [], f"{name} is bound in several places"
        if self.parents[id(assign)] is not scope:
            return [], f"{name} is bound inside {_BLOCKS.get(type(self.parents[id(assign)]), 'a block')}"
        if isinstance(scope, ast.ClassDef):
            return [], f"{name} is a class attribute"
        reads = self.loads.get((id(names), name), [])
        if not reads:
            return [], f"{name} is not read in this file"
        if (id(names), name) in seen:
            return [], f"{name} is bound to itself"
        calls = []
        for read in reads:
            got, why = self._flow(read, want, name, seen | {(id(names), name)})
            if why is not None:
                return [], why
            calls += got
        return calls, None

    def _list(self, node, path: tuple, owner: list[str]) -> None:
        """Entries of compatible_runtimes=[...]; the fix keeps the target once."""
        info = ListInfo(path=path + ("elts",), items=[], flow=True, comment="#",
                        single_needs_comma=isinstance(node, ast.Tuple))
        for element in node.elts:
            start, end = self.offsets.span(element)
            site = self.sites.get(id(element))
            info.items.append(Item(site.value if site else None, start, end))
            if site is not None:
                site.in_list, site.kind = info, "layer-runtime"
                site.where = Where("resource", owner[0], "compatible_runtimes") if owner else \
                    Where("value", "compatible_runtimes")
                site.layers.extend(owner)
        if any(isinstance(e, ast.Starred) for e in node.elts):
            info.blocked = "the list unpacks another list (*...)"


_ARGUMENT = {"runtime": "runtime", "runtimes": "compatible_runtimes", "kwargs": None}  # what a value may go to
_BLOCKS = {ast.If: "an if", ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
           ast.Try: "a try", ast.With: "a with", ast.AsyncWith: "a with", ast.match_case: "a match case"}
if hasattr(ast, "TryStar"):
    _BLOCKS[ast.TryStar] = "a try"


def _use(parent, node) -> str:
    """What is done with ``node``'s value in ``parent``, when it is not a runtime argument."""
    if isinstance(parent, ast.Call):
        if node is parent.func:
            return "is called"
        named = isinstance(parent.func, (ast.Name, ast.Attribute))
        return f"is passed to {ast.unparse(parent.func)}()" if named else "is passed to a call"
    if isinstance(parent, ast.Attribute):
        return f"has its .{parent.attr} read"
    if isinstance(parent, ast.Dict):
        return "is a dict key" if any(k is node for k in parent.keys) else "is a dict value"
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node is parent.value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return f"is stored in {', '.join(ast.unparse(t) for t in targets)}"
    uses = {ast.Compare: "is compared", ast.MatchValue: "is compared", ast.Return: "is returned", ast.Yield: "is yielded",
            ast.YieldFrom: "is yielded", ast.Lambda: "is returned", ast.FormattedValue: "is formatted into a string",
            ast.Starred: "is unpacked with *", ast.Subscript: "is indexed", ast.Expr: "is not used",
            ast.arguments: "is a parameter default", ast.NamedExpr: "is bound with :=", ast.Set: "is in a set",
            ast.List: "is in a list", ast.Tuple: "is in a tuple", ast.IfExp: "is tested", ast.For: "is looped over",
            ast.AsyncFor: "is looped over", ast.comprehension: "is looped over"}
    return uses.get(type(parent), "is part of a larger expression")


def _file_relative(node) -> tuple[str, str] | None:
    """``os.path.join(os.path.dirname(__file__), "a", "b")`` or ``str(Path(__file__).parent / "a")``
    -> ("a/b", "file"): a path relative to the stack's own file."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and node.args:
        node = node.args[0]
    parts = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):  # Path(__file__).parent / "a" / "b"
        if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, str)):
            return None
        parts.insert(0, node.right.value)
        node = node.left
    text = ast.unparse(node)
    if parts and re.fullmatch(r"(pathlib\.)?Path\(__file__\)(\.resolve\(\))?\.parent", text):
        return "/".join(parts), "file"
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.path.join", "path.join", "join") and node.args \
            and ast.unparse(node.args[0]) in ("os.path.dirname(__file__)", "os.path.dirname(os.path.abspath(__file__))"):
        rest = node.args[1:]
        if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in rest):
            return "/".join(a.value for a in rest) or ".", "file"
    return None


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
        # Every way to name Runtime, PythonFunction or PythonLayerVersion spells aws_lambda
        # (aws_cdk.aws_lambda, aws_lambda_python_alpha, cdk.aws_lambda.Runtime).
        return b"aws_cdk" in data and b"aws_lambda" in data

    def parse(self, text: str):
        try:
            tree = ast.parse(text.lstrip("\ufeff"))
        except SyntaxError as e:
            raise ParseError(f"Python syntax error: {e.msg}", line=e.lineno or 1, column=e.offset or 1) from None
        except ValueError as e:  # e.g. NUL bytes
            raise ParseError(f"Python source error: {e}") from None
        except (RecursionError, MemoryError):  # Python's parser gives up on deep nesting, and says not where
            longest = max(enumerate(text.splitlines() or [""]), key=lambda line: len(line[1]))[0]
            raise ParseError("nested too deeply for Python's parser: not analysed, file left unchanged",
                             line=longest + 1, column=1) from None  # the longest line: most likely where
        _check_depth(tree)
        return tree

    def locate(self, doc, text: str) -> Located | None:
        return _Walker(doc, text).walk()

    def semantic(self, doc):
        return plain(doc)
