"""Packaging metadata: the oldest Python a package supports, and what says
the same in other words.

- ``pyproject.toml``: ``[project] requires-python`` and its ``classifiers``;
  Poetry's ``[tool.poetry.dependencies] python``; ``[tool.ruff]
  target-version`` (``py39``), ``[tool.black] target-version`` (a list),
  ``[tool.mypy] python_version`` and ``[tool.pyright] pythonVersion``; the
  ``python`` lists of Hatch's ``[[tool.hatch.envs.NAME.matrix]]`` (tested
  versions).
  Located with tree-sitter-toml (byte offsets for every node), validated and
  verified with the standard ``tomllib`` (3.11+; on 3.10 the tree-sitter
  reading stands in); never re-serialised.
- ``setup.cfg``: ``[options] python_requires`` and ``[metadata]
  classifiers`` (one per line), read line by line; ``configparser`` verifies.
- ``setup.py``: the ``python_requires=`` and ``classifiers=[...]`` keywords
  of a ``setup(...)`` call, found with ``ast`` (never run).

A floor (``>=3.9``, ``^3.9``, ``~=3.9``) is a ``floors.Floor`` whose
companions are the classifiers and tool versions; the rule decides where it
rises to.  A specifier with no such lower bound is not a floor.
"""

from __future__ import annotations

import ast
import configparser
import re

from ..floors import Floor, ToolTarget
from ..model import Item, ListInfo, Located, ParseError, Site, Where
from . import Format, register
from .pyversions import PROVIDER, tested_list, version, version_site

# A clause of a specifier: PEP 440's operators and Poetry's ^ and ~ (a bare version, Poetry's ==, is no floor).
_CLAUSE = re.compile(r"(===|==|!=|>=|<=|~=|\^|~|>|<)\s*(\d{1,3}(?:\.\d{1,3}){0,2})(\.\*)?(?![\d.])")
_LOWER = (">=", ">", "~=", "^", "~")
CLASSIFIER = "Programming Language :: Python :: "
_CLASSIFIER = re.compile(re.escape(CLASSIFIER) + r"(3\.\d{1,2})")


def _key(version_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version_id.split("."))


def _implied_upper(op: str, parts: tuple) -> tuple | None:
    """The exclusive upper bound ~= (PEP 440), ^ and ~ (Poetry) imply: ~=3.9 <4, ~=3.9.0 <3.10, ~3.9 <3.10."""
    if op == "~=":
        return (parts[0] + 1,) if len(parts) == 2 else (parts[0], parts[1] + 1)
    if op == "^":
        return (parts[0] + 1,)
    if op == "~":
        return (parts[0] + 1,) if len(parts) == 1 else (parts[0], parts[1] + 1)
    return None


def _clause(op: str, parts: tuple, star: bool):
    """A clause as a predicate over a release (3, N, P)."""
    v, n = (parts + (0, 0))[:3], len(parts)
    if star:  # ==3.9.* / !=3.9.*
        return (lambda k: k[:n] == parts) if op in ("==", "===") else (lambda k: k[:n] != parts) if op == "!=" \
            else (lambda k: True)
    hi = _implied_upper(op, parts) if op != "~=" or n >= 2 else None
    return {
        ">=": lambda k: k >= v, ">": lambda k: k > v, "<": lambda k: k < v, "<=": lambda k: k <= v,
        "==": lambda k: k == v, "===": lambda k: k == v, "!=": lambda k: k != v,
    }.get(op, lambda k: k >= v and (hi is None or k < hi))  # ~=, ^, ~


def _admits(alternatives):
    """Whether a specifier (alternatives of clauses, Poetry's ||) admits a
    release of a minor version (3, N): tried on its first 40 patch releases."""
    checks = [[_clause(m.group(1), _key(m.group(2)), bool(m.group(3))) for m in alt] for alt in alternatives]
    return lambda minor: any(all(c((*minor[:2], patch)) for c in alt) for alt in checks for patch in range(40))


def floor(spec: str, start: int, path: tuple, where: Where) -> Floor | None:
    """The floor of a specifier written from ``start`` (its value's first
    character), or None when it states none: its highest lower bound (>=,
    >, ~=, ^, ~) naming Python 2 or 3 (>=2.7 and >=3 admit every 3.N).  The
    floor knows which minor versions the whole specifier admits (``admits``);
    a fix rewrites only that lower bound."""
    alternatives = [list(_CLAUSE.finditer(spec, a.start(), a.end())) for a in re.finditer(r"[^|]+", spec)]
    clauses = [m for alt in alternatives for m in alt]
    lowers = [m for m in clauses if m.group(1) in _LOWER and not m.group(3) and _key(m.group(2))[0] in (2, 3)]
    if not lowers:
        return None
    m = max(lowers, key=lambda c: _key(c.group(2)))
    op, parts = m.group(1), _key(m.group(2))
    token_start, token_end = m.start(2), m.end(2)
    if op == ">":  # rewritten as an inclusive floor: >3.8 -> >=3.11
        token_start = m.start(1)
    head, tail = spec[:token_start], spec[token_end:]
    lead = ">=" if op == ">" else ""
    fl = Floor(version=".".join(map(str, (parts + (0,))[:2])), start=start + token_start, end=start + token_end,
               path=path, spec=spec, where=where, spell=lambda new: (lead + new, head + lead + new + tail))
    fl.admits = _admits(alternatives)
    uppers = [((_key(c.group(2))[:2]), c.group(1) == "<=") for c in clauses if c.group(1) in ("<", "<=")]
    hi = _implied_upper(op, parts)
    if hi is not None and hi[0] == 3:  # ~=3.9.0 and ~3.9: 3.9.* only
        uppers.append((hi, False))
    if uppers:
        fl.upper = min(uppers)
    if op == "~" and len(parts) == 1:  # Poetry's ~3 is <4; ~3.11 would be <3.12
        fl.blocked = f"{spec!r} bounds the major version only; change the specifier by hand"
    if len(alternatives) > 1:  # Poetry's ^2.7 || ^3.6: raising one constraint leaves the others admitting what they did
        fl.blocked = "a union of constraints (||); change the specifier by hand"
    return fl


def _companion(value: str, start: int, end: int, path: tuple, where: Where, spell, info=None) -> Site:
    return Site(value=value, start=start, end=end, path=path, kind="companion", provider=PROVIDER, where=where,
                spell=spell, in_list=info)


def classifiers(entries, path: tuple, where: Where, flow: bool, comment: str, quote=lambda i: '"') -> list[Site]:
    """Companion sites of the ``3.N`` entries of a classifier list; ``entries``:
    (value, start, end, line span or None) of every entry, quotes included in the span."""
    items = [Item(v, s, e, delete=d) for v, s, e, d in entries]
    info = ListInfo(path=path, items=items, flow=flow, comment=comment, tested=True)
    out = []
    for i, (value, start, end, _) in enumerate(entries):
        m = _CLASSIFIER.fullmatch(value or "")
        if m:
            q = quote(i)
            out.append(_companion(m.group(1), start, end, (*path, i), where,
                                  lambda t, q=q: (f"{q}{CLASSIFIER}{t}{q}", CLASSIFIER + t), info))
    return out


# -- pyproject.toml ---------------------------------------------------------

_LANGUAGE = None


def _parser():
    global _LANGUAGE
    import tree_sitter
    import tree_sitter_toml

    if _LANGUAGE is None:
        _LANGUAGE = tree_sitter.Language(tree_sitter_toml.language())
    return tree_sitter.Parser(_LANGUAGE)


def _key_parts(node, data: bytes) -> list[str]:
    if node.type == "dotted_key":
        return [p for c in node.children if c.type != "." for p in _key_parts(c, data)]
    raw = data[node.start_byte:node.end_byte].decode("utf-8")
    return [raw[1:-1] if node.type == "quoted_key" else raw]


class _Toml:
    """String and array values of a TOML document by key path, with spans."""

    def __init__(self, text: str):
        self.text = text
        self.data = text.encode("utf-8")
        self.ascii = len(self.data) == len(text)
        tree = _parser().parse(self.data)
        self.values: dict[tuple, object] = {}
        table: tuple = ()
        arrays: dict[tuple, int] = {}  # [[array]] -> entries seen
        for node in tree.root_node.children:
            if node.type == "table":
                key = next((c for c in node.children if c.type.endswith("key")), None)
                table = tuple(_key_parts(key, self.data)) if key is not None else ()
                self._pairs(node, table)
            elif node.type == "pair":
                self._pairs_of(node, ())
            elif node.type == "table_array_element":  # [[a.b]]: the next entry of the array a.b
                key = next((c for c in node.children if c.type.endswith("key")), None)
                parts = tuple(_key_parts(key, self.data)) if key is not None else ()
                arrays[parts] = arrays.get(parts, -1) + 1
                table = (*parts, arrays[parts])
                self._pairs(node, table)
        self.tree = tree

    def _pairs(self, node, table):
        for child in node.children:
            if child.type == "pair":
                self._pairs_of(child, table)

    def _pairs_of(self, pair, table):
        key = pair.children[0]
        value = next((c for c in pair.children[1:] if c.type not in ("=", "comment")), None)
        if value is None:
            return
        path = (*table, *_key_parts(key, self.data))
        if value.type == "inline_table":
            self._pairs(value, path)
        else:
            self.values.setdefault(path, value)

    def char(self, byte: int) -> int:
        return byte if self.ascii else len(self.data[:byte].decode("utf-8", "ignore"))

    def string(self, node):
        """(value, start, end, quote) of a one-line string without escapes; None otherwise."""
        if node is None or node.type != "string":
            return None
        start, end = self.char(node.start_byte), self.char(node.end_byte)
        raw = self.text[start:end]
        q = raw[:3] if raw[:3] in ('"""', "'''") else raw[:1]
        if len(q) == 3 or (q == '"' and "\\" in raw):
            return None
        return raw[1:-1], start, end, q

    def array(self, node):
        """[(string or None, start, end, line span)] of an array's entries."""
        if node is None or node.type != "array":
            return None
        out = []
        for child in node.children:
            if child.type in ("[", "]", ",", "comment"):
                continue
            s = self.string(child)
            start, end = self.char(child.start_byte), self.char(child.end_byte)
            out.append(((s[0] if s else None), start, end, s[3] if s else '"'))
        return out


def _toml_load(text: str):
    try:
        import tomllib
    except ImportError:  # Python 3.10: no tomllib; the tree-sitter reading verifies
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise ParseError(f"TOML syntax error: {str(e).split(' (at')[0]}", line=line, column=column) from None


class _TomlDoc:
    def __init__(self, text: str):
        self.body = text[1:] if text.startswith("\ufeff") else text
        self.shift = len(text) - len(self.body)
        self.data = _toml_load(self.body)
        self.toml = _Toml(self.body)
        if self.data is None:
            if self.toml.tree.root_node.has_error:
                raise ParseError("TOML syntax error", offset=self.shift)
            self.data = _Reading(self.toml)


class _Reading(dict):
    """The tree-sitter reading of the values iacfix reads, as nested dicts (Python 3.10)."""

    def __init__(self, toml: _Toml):
        super().__init__()
        for path, node in toml.values.items():
            s = toml.string(node)
            arr = toml.array(node)
            value = s[0] if s else [e[0] for e in arr] if arr is not None else node.type
            d = self
            for step in path[:-1]:
                d = d.setdefault(step, {})
                if not isinstance(d, dict):
                    break
            else:
                d[path[-1]] = value


def _shifted(site, shift: int):
    site.start += shift
    site.end += shift
    return site


def _tool_versions(toml: _Toml, shift: int) -> list[Site]:
    out = []
    for path, shape in ((("tool", "ruff", "target-version"), "py"), (("tool", "mypy", "python_version"), "."),
                        (("tool", "pyright", "pythonVersion"), ".")):
        node = toml.values.get(path)
        s = toml.string(node)
        if s is None and shape == "." and node is not None and node.type == "float":  # mypy reads 3.9 too
            start, end = toml.char(node.start_byte), toml.char(node.end_byte)
            s = (toml.text[start:end], start, end, '"')  # written back as a string: 3.10 is the float 3.1
        if s is None:
            continue
        v = _tool_version(s[0], shape)
        if v:
            q = s[3]
            where = Where("ci", f"[{'.'.join(path[:-1])}]", path[-1])
            out.append(_shifted(_companion(v, s[1], s[2], path, where, _tool_speller(shape, q)), shift))
    path = ("tool", "black", "target-version")
    arr = toml.array(toml.values.get(path))
    if arr:
        items = [Item(v, s, e, delete=_own_line(toml.text, s, e)) for v, s, e, _ in arr]
        info = ListInfo(path=path, items=items, flow=True, tested=True)
        for i, (v, s, e, q) in enumerate(arr):
            ver = _tool_version(v or "", "py")
            if ver:
                out.append(_shifted(_companion(ver, s, e, (*path, i), Where("ci", "[tool.black]", "target-version"),
                                               _tool_speller("py", q), info), shift))
        if shift:
            for it in items:
                it.start, it.end = it.start + shift, it.end + shift
                it.delete = (it.delete[0] + shift, it.delete[1] + shift) if it.delete else None
    return out


def _tool_version(value: str, shape: str) -> str | None:
    if shape == "py":
        m = re.fullmatch(r"py3(\d{1,2})", value)
        return f"3.{m.group(1)}" if m else None
    v = version(value)
    return v[0] if v and not v[1] else None


def _tool_speller(shape: str, q: str):
    def spell(target: str):
        value = "py" + target.replace(".", "") if shape == "py" else target
        return f"{q}{value}{q}", value

    return spell


def _own_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    line_start = text.rfind("\n", 0, start) + 1
    newline = text.find("\n", end)
    line_end = len(text) if newline == -1 else newline + 1
    rest = text[end:line_end].strip().lstrip(",").strip()
    if text[line_start:start].strip() or (rest and not rest.startswith("#")):
        return None
    return line_start, line_end


def _hatch_matrices(toml: _Toml, shift: int) -> list[Site]:
    """The ``python`` lists of Hatch's environment matrices
    (``[[tool.hatch.envs.test.matrix]] python = ["3.9", "3.12"]``): tested versions;
    and an environment's own ``python = "3.9"``: the interpreter it runs on (moved)."""
    sites = []
    for path, node in toml.values.items():
        if len(path) == 5 and path[:3] == ("tool", "hatch", "envs") and path[4] == "python":  # the env's Python
            s = toml.string(node)
            site = version_site(s[0], s[1] + shift + len(s[3]), path, Where("ci", f"hatch env {path[3]}", "python"),
                                "ci", quote=s[3]) if s else None
            if site is not None:
                sites.append(site)
            continue
        if len(path) != 7 or path[:3] != ("tool", "hatch", "envs") or path[4] != "matrix" or path[6] != "python":
            continue
        arr = toml.array(node)
        if not arr:
            continue
        items = [Item(v, s + shift, e + shift, delete=_shift_span(_own_line(toml.text, s, e), shift))
                 for v, s, e, _ in arr]
        info = tested_list(path, items, flow=True)
        where = Where("ci", f"hatch env {path[3]}", "matrix python")
        for i, (v, s, e, q) in enumerate(arr):
            if v is not None:
                site = version_site(v, s + shift + len(q), (*path, i), where, "ci-matrix", quote=q, list_info=info)
                if site is not None:
                    sites.append(site)
    return sites


def _shift_span(span, shift: int):
    return (span[0] + shift, span[1] + shift) if span else None


def _array_classifiers(toml: _Toml, path: tuple, shift: int) -> list[Site]:
    arr = toml.array(toml.values.get(path))
    if not arr:
        return []
    entries = [(v, s + shift, e + shift, _own_line(toml.text, s, e)) for v, s, e, _ in arr]
    entries = [(v, s, e, (d[0] + shift, d[1] + shift) if d else None) for v, s, e, d in entries]
    return classifiers(entries, path, Where("ci", f"[{'.'.join(path[:-1])}]", "classifiers"), flow=True,
                       comment="#", quote=lambda i: arr[i][3])


@register
class PyProject(Format):
    name = "pyproject"
    filenames = ("pyproject.toml",)

    def prefilter(self, data: bytes) -> bool:
        return b"python" in data.lower() or b"target-version" in data \
            or b"aws-cdk-lib" in data or b"aws_cdk_lib" in data  # ">=2.7" names no 3

    def parse(self, text: str):
        return _TomlDoc(text)

    @staticmethod
    def _pins(doc: _TomlDoc, text: str) -> list:
        """The aws-cdk-lib pins a pyproject.toml holds, as the toolchain format reads them."""
        if "aws-cdk-lib" not in text and "aws_cdk_lib" not in text or not isinstance(doc.data, dict) \
                or isinstance(doc.data, _Reading):
            return []
        from .toolchain import toml_pins

        return list(toml_pins(text, doc.data).pins)

    def locate(self, doc: _TomlDoc, text: str) -> Located | None:
        toml, shift = doc.toml, doc.shift
        floors = []
        for path in (("project", "requires-python"), ("tool", "poetry", "dependencies", "python")):
            s = toml.string(toml.values.get(path))
            if s is not None:
                fl = floor(s[0], s[1] + len(s[3]) + shift, path, Where("ci", f"[{'.'.join(path[:-1])}]", path[-1]))
                if fl is not None:
                    floors.append(fl)
        tools = _tool_versions(toml, shift)
        sites = _hatch_matrices(toml, shift)
        if floors:
            floors[0].companions = (_array_classifiers(toml, ("project", "classifiers"), shift)
                                    + _array_classifiers(toml, ("tool", "poetry", "classifiers"), shift) + tools)
        return Located(sites, [], more=[*floors, *(ToolTarget(t, floors[0] if floors else None) for t in tools),
                                         *self._pins(doc, text)])

    def semantic(self, doc: _TomlDoc):
        return doc.data


# -- setup.cfg ----------------------------------------------------------------

_SECTION = re.compile(r"[ \t]*\[([^\]\n]+)\][ \t\r]*(?:[#;].*)?$")  # \r: a CRLF line
_OPTION = re.compile(r"([^\s=:#;][^=:\n]*?)[ \t]*[=:][ \t]*(.*?)[ \t]*\r?$")


class Cfg:
    """setup.cfg read line by line: each option's value with its span, and
    the continuation lines of a multi-line value (classifiers)."""

    def __init__(self, text: str):
        self.text = text
        self.options: dict[tuple[str, str], tuple[str, int, list]] = {}  # value, start, continuation lines
        section, current, pos = None, None, 0
        for line in text.split("\n"):
            body = line.lstrip("\ufeff")
            bom = len(line) - len(body)
            if current is not None and body[:1] in (" ", "\t") and body.strip() and not body.strip().startswith(("#", ";")):
                stripped = body.strip()
                start = pos + bom + body.index(stripped[0])
                current[2].append((stripped.rstrip("\r").rstrip(), start, pos, pos + len(line) + 1))
            elif _SECTION.match(body):
                section, current = _SECTION.match(body).group(1).strip(), None
            elif section is not None and body.strip() and not body.lstrip().startswith(("#", ";")) \
                    and body[:1] not in (" ", "\t"):
                m = _OPTION.match(body)
                current = None
                if m:
                    key = m.group(1).strip().lower()
                    current = self.options.setdefault((section, key), (m.group(2), pos + bom + m.start(2), []))
            elif not body.strip():
                pass
            pos += len(line) + 1


def cfg_meaning(text: str) -> dict:
    parser = configparser.RawConfigParser()  # strict: a key or section written twice is an error
    try:
        parser.read_string(text.lstrip("\ufeff"))
    except configparser.Error as e:
        message = re.sub(r"^While reading from '<string>' \[line\s+\d+\]: ", "", str(e)).splitlines()[0]
        raise ParseError(f"INI syntax error: {message}", line=getattr(e, "lineno", None) or 1, column=1) from None
    out = {}
    for section in parser.sections():
        out[section] = {}
        for key, value in parser.items(section):
            out[section][key] = [v for v in value.splitlines() if v.strip()] if "\n" in value else value
    return out


@register
class SetupCfg(Format):
    name = "setup-cfg"
    filenames = ("setup.cfg",)
    comment_prefixes = ("#", ";")  # INI: configparser's comment prefixes

    def prefilter(self, data: bytes) -> bool:
        return b"python_requires" in data

    def parse(self, text: str):
        return cfg_meaning(text), Cfg(text)

    def locate(self, doc, text: str) -> Located | None:
        meaning, cfg = doc
        found = cfg.options.get(("options", "python_requires"))
        if found is None:
            return Located([], [])
        value, start, _ = found
        fl = floor(value, start, ("options", "python_requires"), Where("ci", "[options]", "python_requires"))
        if fl is None:
            return Located([], [])
        cls = cfg.options.get(("metadata", "classifiers"))
        if cls is not None and not cls[0] and isinstance(meaning.get("metadata", {}).get("classifiers"), list):
            entries = [(v, s, s + len(v), (ls, min(le, len(text)))) for v, s, ls, le in cls[2]]
            fl.companions = classifiers(entries, ("metadata", "classifiers"), Where("ci", "[metadata]", "classifiers"),
                                        flow=False, comment="#", quote=lambda i: "")
        return Located([], [], more=[fl])

    def semantic(self, doc):
        return doc[0]


# -- setup.py -----------------------------------------------------------------


def parse_python(text: str):
    """``ast`` of a Python file (never run); ParseError at the problem."""
    try:
        return ast.parse(text.lstrip("\ufeff"))
    except SyntaxError as e:
        raise ParseError(f"Python syntax error: {e.msg}", line=e.lineno or 1, column=e.offset or 1) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise ParseError(f"cannot parse this Python file: {e}") from None


def _setup_call(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name == "setup":
                return node
    return None


class _Py:
    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def offset(self, line: int, col_bytes: int) -> int:
        start = self.starts[line - 1]
        line_text = self.text[start:self.starts[line] if line < len(self.starts) else len(self.text)]
        return start + len(line_text.encode("utf-8")[:col_bytes].decode("utf-8", "ignore"))

    def span(self, node) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return ast.dump(node)


def _py_meaning(tree) -> dict:
    call = _setup_call(tree)
    out = {}
    for kw in call.keywords if call else ():
        if kw.arg in ("python_requires", "classifiers"):
            if isinstance(kw.value, (ast.List, ast.Tuple)):  # entry by entry: a computed one is its expression
                out[kw.arg] = [_literal(e) for e in kw.value.elts]
            else:
                out[kw.arg] = _literal(kw.value)
    return out


@register
class SetupPy(Format):
    name = "setup-py"
    filenames = ("setup.py",)

    def prefilter(self, data: bytes) -> bool:
        return b"python_requires" in data

    def parse(self, text: str):
        return parse_python(text)

    def locate(self, tree, text: str) -> Located | None:
        call = _setup_call(tree)
        if call is None:
            return Located([], [])
        py = _Py(text)
        kws = {kw.arg: kw.value for kw in call.keywords}
        node = kws.get("python_requires")
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return Located([], [])
        start, end = py.span(node)
        raw = text[start:end]
        if raw[:1] not in "'\"" or raw[1:-1] != node.value or raw[:3] in ('"""', "'''"):
            return Located([], [])  # a prefix, escapes or a triple-quoted string: not rewritten
        fl = floor(node.value, start + 1, ("python_requires",), Where("ci", "setup()", "python_requires"))
        if fl is None:
            return Located([], [])
        cls = kws.get("classifiers")
        if isinstance(cls, (ast.List, ast.Tuple)):
            entries, quotes = [], []
            for e in cls.elts:  # a computed entry ("..." + PY) is kept as it is
                s, t = py.span(e)
                ok = isinstance(e, ast.Constant) and isinstance(e.value, str) and text[s:t][1:-1] == e.value \
                    and text[s] in "'\""
                entries.append((e.value if ok else None, s, t, _own_line(text, s, t)))
                quotes.append(text[s] if ok else '"')
            fl.companions = classifiers(entries, ("classifiers",), Where("ci", "setup()", "classifiers"), flow=True,
                                        comment="#", quote=lambda i: quotes[i])
            if isinstance(cls, ast.Tuple):
                for c in fl.companions:
                    c.in_list.single_needs_comma = True
        return Located([], [], more=[fl])

    def semantic(self, tree):
        return _py_meaning(tree)
