"""Serverless Framework services: ``serverless.yml``, ``serverless.yaml``,
``serverless.json`` (and ``serverless-*.yml``, ``serverless.*.yml``...).

Sites, in each service file:

- ``provider.runtime``: the default of every function without a ``runtime``
  of its own (a function with ``image:`` has none); the functions that
  inherit it are its users;
- ``functions.<name>.runtime``, also where ``functions`` (or an entry of its
  list, or one function's body) is a ``${file(...)}`` of another file: the
  site is in that file;
- ``layers.<name>.compatibleRuntimes``: a list, rewritten as CloudFormation's
  ``CompatibleRuntimes`` are;
- ``custom.pythonRequirements.dockerImage`` (serverless-python-requirements)
  when it names a build image of a runtime (``build_images.json``): judged by
  that runtime, rewritten to the target's SAM build image;
- ``resources.Resources``: raw CloudFormation, read by the CloudFormation
  locator itself (``cloudformation._Walker``) on that subtree.

``provider.name`` chooses the catalog: ``aws``, ``google`` (runtime ids such
as ``python312``) or ``azure`` (``python3.11``, the catalog's ``3.11``);
another provider's service holds no site.

Each function of an AWS service also gets a ``FunctionCode`` (code
readiness): its ``handler`` (``src/app.handler``) under the service's
directory, or under serverless-python-requirements' per-function ``module:``
directory; a prebuilt ``package.artifact`` is said to be not local; an
``image:`` function's code is its image's.  ``package.patterns`` is not applied: the reader follows
imports from the handler, which the package must hold anyway.

Variables are followed to where the value is written: ``${self:a.b}`` within
the file (a key that is itself a variable, ``${self:custom.rt.${opt:stage}}``,
stands for every key at that level); ``${file(./x.yml):a.b}`` into that YAML
or JSON file when its path is literal, relative and stays inside the
service's directory (the unit: ``unit_files`` lists the files a service
names); the literal fallback of ``${opt:...}``, ``${env:...}``,
``${param:...}`` and ``${sls:...}`` (``${opt:rt, 'python3.9'}``: the site is
``'python3.9'``, quotes included, and a fix writes only that token), and
the fallback of a ``${self:...}`` or ``${file(...)}`` that names nothing;
``${param:x}`` to the stage parameters the service writes (``params.*.x``).  Any
other source (``ssm``, ``cf``, ``s3``, ``aws``, a JavaScript file...), or a
variable without a literal fallback, is reported as unresolved, never
guessed.  Nothing is run.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import os
import re
from importlib import resources

from .. import deps
from ..edits import Positions
from ..model import FunctionCode, Item, ListInfo, Located, Site, Unresolved, Where
from ..records import dataclass
from . import Format, register
from .cloudformation import (
    CloudFormation,
    MappingNode,
    ScalarNode,
    SequenceNode,
    _get,
    _NO_SUB,
    _Meaning,
    _str,
    _Walker,
    compose,
    first_duplicate,
    is_template,
    refuse_duplicate,
    tree_of,
)
from .shapes import looks_like_runtime

PROVIDERS = {"aws": "aws", "google": "gcp", "azure": "azure"}  # provider.name -> catalog provider
NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
GLOBS = ("serverless[-.]*.yml", "serverless[-.]*.yaml", "serverless[-.]*.json")
FILE_EXTENSIONS = (".yml", ".yaml", ".json")  # what ${file(...)} is followed into: data, never code
INPUTS = {  # sources whose value is chosen at deploy time: their literal fallback is the site
    "opt": "a command-line option (--{name})",
    "env": "the environment variable {name}",
    "param": "the parameter {name}",
    "sls": "the Framework variable sls:{name}",
}
REMOTE = {  # sources read at deploy time from elsewhere: always unresolved
    "ssm": "an SSM parameter", "cf": "a CloudFormation stack output", "s3": "an S3 object",
    "aws": "a value of the deploying AWS account", "file": "a file iacfix does not follow",
}
MAX_FOLLOWED = 50  # variables followed into one another
MAX_VARIABLE = 1000  # characters of a value read as a variable: ${self:custom.rt.${opt:stage}, 'python3.9'} is 45
_FILE_REF = re.compile(r"\$\{file\(([^)$]*)\)")
_REF = re.compile(r"([A-Za-z][\w-]*)(?:\(([^)]*)\))?(?::(.*))?\Z", re.S)
_AZURE_PYTHON = re.compile(r"python(3\.\d+)\Z")


def _images():
    data = json.loads(resources.files(__package__).joinpath("build_images.json").read_text(encoding="utf-8"))
    return data["replacement"]["image"], [(re.compile(row["pattern"]), row) for row in data["images"]]


_REPLACEMENT, _IMAGES = _images()


def is_service_name(name: str) -> bool:
    return name in NAMES or any(fnmatch.fnmatchcase(name, g) for g in GLOBS)


# -- variable syntax ------------------------------------------------------------
def _close(s: str, i: int) -> int:
    """The index after the ``}`` that closes the ``${`` at ``i``; -1 if none."""
    depth, j, quote = 0, i, None
    while j < len(s):
        c = s[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"" and depth == 1:
            quote = c
        elif s.startswith("${", j):
            depth += 1
            j += 2
            continue
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _split(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of ``s[start:end]`` (blanks trimmed),
    commas inside quotes, parentheses or nested ``${}`` excepted."""
    parts, depth, quote, pos, j = [], 0, None, start, start
    while j < end:
        c = s[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append((pos, j))
            pos = j + 1
        j += 1
    parts.append((pos, end))
    out = []
    for a, b in parts:
        while a < b and s[a] in " \t\r\n":
            a += 1
        while b > a and s[b - 1] in " \t\r\n":
            b -= 1
        out.append((a, b))
    return out


def _keys(address: str) -> list[str]:
    """``custom.rt.${opt:stage, 'dev'}`` -> ["custom", "rt", "${opt:stage, 'dev'}"]."""
    keys, pos, j = [], 0, 0
    while j < len(address):
        if address.startswith("${", j):
            end = _close(address, j)
            j = len(address) if end == -1 else end
            continue
        if address[j] == ".":
            keys.append(address[pos:j])
            pos = j + 1
        j += 1
    keys.append(address[pos:])
    return [k for k in keys if k != ""]


def _merged(node, key: str, depth: int = 0) -> tuple:
    """(value, keys to it) of ``key`` in a mapping, also through YAML merge
    keys (``<<: *defaults``, ``<<: [*a, *b]``), which the Framework's YAML
    parser applies: the mapping's own key first, then each merged mapping in
    order; (None, ()) when there is none."""
    value = _get(node, key)
    if value is not None or depth >= MAX_FOLLOWED:
        return value, (key,)
    merged = _get(node, "<<")
    sources = merged.value if isinstance(merged, SequenceNode) else [merged]
    for i, source in enumerate(sources):
        if isinstance(source, MappingNode):
            value, keys = _merged(source, key, depth + 1)
            if value is not None:
                return value, ("<<",) + ((i,) if merged is not source else ()) + keys
    return None, ()


def _image(value: str):
    """(runtime, spell, maintained) for a build image that stands for a runtime, else None."""
    for rx, row in _IMAGES:
        m = rx.fullmatch(value)
        if m:
            tag = (m.group("tag") or "") if row.get("keep_tag") and "tag" in rx.groupindex else ""
            return m.group("runtime"), (lambda t, tag=tag: _REPLACEMENT.format(runtime=t, tag=tag)), row["maintained"]
    return None


@dataclass
class _File:
    path: str
    tree: object
    text: str
    walker: _Walker  # records sites and notes, as the CloudFormation locator does
    doc: object = None
    code: list = dataclasses.field(default_factory=list)  # FunctionCode of the functions declared here


@dataclass(frozen=True)
class _Want:
    """What is being followed and how it is recorded."""

    kind: str
    where: Where
    shape: str = "runtime"  # or "image"
    layer: str | None = None
    in_list: ListInfo | None = None
    many: bool = False  # a list of runtimes (compatibleRuntimes)

    def to(self, where: Where) -> _Want:
        """The same value, followed to where it is written."""
        return dataclasses.replace(self, where=where, kind=self.kind if self.many else "variable")


class _Service:
    def __init__(self, files: dict[str, _File], f: _File, provider: str):
        self.files = files  # normalised path -> file of the unit
        self.f = f
        self.provider = provider
        self.directory = os.path.dirname(os.path.normpath(f.path))
        self._done: dict[tuple, list | None] = {}
        self._log: list = []
        self._reached: list | None = None
        self._depth = 0
        self.twice: tuple | None = None  # set by lookup
        self._paths: dict[str, dict] = {}  # file -> id(node) -> keys (defined_at)

    # -- recording ---------------------------------------------------------
    _touch = _Walker._touch  # an item reached again gains users, is logged (replayed) and collected for a list

    def unresolved(self, f: _File, node, reason: str, users, span=None):
        start, end = span or f.walker.span(node)
        u = f.walker.unresolved.get(start)
        if u is None:
            u = f.walker.unresolved[start] = Unresolved(start, end, reason, [], self.provider)
        self._touch(u, users)

    def spelling(self, value: str, shape: str):
        """(the value the catalog knows, how a target id is written), or None
        when ``value`` is not something this site holds."""
        if shape == "image":
            image = _image(value)
            return None if image is None else (image[0], image[1])
        if self.provider == "azure":
            m = _AZURE_PYTHON.match(value)
            return None if m is None else (m.group(1), lambda t: "python" + t)
        if self.provider == "gcp" and not looks_like_runtime(value):  # python3.9 too: Google spells it python39
            return None
        return value, None

    def literal(self, f: _File, node, path, users, want: _Want, token=None):
        """Record the literal ``node`` holds (or the ``token`` inside it: a
        fallback, (start, end, literal, quote, the variable) in the value's characters)."""
        text = node.value if token is None else token[2]
        spelled = self.spelling(text, want.shape)
        if spelled is None:
            return
        value, core = spelled
        where = want.where
        if want.shape == "image":
            maintained = _image(text)[2]
            where = dataclasses.replace(where, kind="build-image" if maintained else "unmaintained-build-image",
                                        field=text)
        if token is None:
            if not path:
                return self.unresolved(f, node, "the value is a whole file", users)
            site = f.walker.add_site(node, path, users, want.kind, where, want.layer, want.in_list)
            site.value, site.provider = value, self.provider
            self._touch(site, (), want.layer)
            if core is not None and site.quote is not None:
                q = site.quote
                site.spell = lambda t, q=q: (f"{q}{core(t)}{q}", core(t))
            return site
        t_start, t_end, _, quote, ref = token
        if want.in_list is None and want.kind != "variable" and want.shape == "runtime":  # say it is the fallback
            where = Where("serverless-fallback", where.name, ref)
        base = self.content_start(f, node)
        start, end = (base + t_start, base + t_end) if base is not None else f.walker.span(node)
        key = (start, "", "")
        site = f.walker.sites.get(key)
        if site is None:
            head, tail = node.value[:t_start], node.value[t_end:]
            write = core or (lambda t: t)
            kind = "variable" if want.kind == "property" else want.kind  # worded with its place
            site = f.walker.sites[key] = Site(
                value=value, start=start, end=end, path=path, kind=kind, provider=self.provider,
                quote=quote if base is not None else None, where=where, in_list=want.in_list,
                spell=lambda t, q=quote: (f"{q}{write(t)}{q}", f"{head}{q}{write(t)}{q}{tail}"))
        self._touch(site, users, want.layer)
        return site

    def content_start(self, f: _File, node) -> int | None:
        """Where the scalar's characters start in the text, when the text
        spells them one for one (plain, or quoted without escapes)."""
        start, end = f.walker.span(node)
        quote = {None: "", "": "", "'": "'", '"': '"'}.get(node.style)
        if quote is None:
            return None
        if f.text.endswith(f"{quote}{node.value}{quote}", start, end) and "\n" not in node.value:
            return end - len(node.value) - len(quote)
        return None

    # -- following ---------------------------------------------------------
    def value(self, f: _File, node, path, users, want: _Want):
        """Follow ``node`` (a scalar, a variable, or for a list site a sequence)."""
        if node is None:
            return
        if self._depth >= MAX_FOLLOWED:
            return self.unresolved(f, node, f"the value nests more than {MAX_FOLLOWED} variables deep", users)
        key = (f.path, id(node), want)
        if key in self._done:
            if self._done[key] is None:
                return self.unresolved(f, node, "the value refers to itself", users)
            for item in self._done[key]:
                self._touch(item, users, want.layer)
            return
        self._done[key] = None
        mark = len(self._log)
        self._depth += 1
        try:
            self._value(f, node, path, users, want)
        finally:
            self._depth -= 1
        self._done[key] = list({id(x): x for x in self._log[mark:]}.values())

    def _value(self, f: _File, node, path, users, want: _Want):
        if want.many and isinstance(node, SequenceNode):
            return self.list(f, node, path, users, want)
        text = _str(node)
        if text is None:
            if node.tag.startswith("!"):
                return self.unresolved(f, node, f"the value is the CloudFormation function {node.tag}", users)
            return
        if "${" not in text:
            return self.literal(f, node, path, users, want)
        if len(text) > MAX_VARIABLE:
            return self.unresolved(f, node, f"the value is a variable {len(text):,} characters long; not followed", users)
        start = text.find("${")
        end = _close(text, start)
        if start != 0 or end != len(text):
            return self.unresolved(f, node, f'the value "{text}" is composed from variables and text', users)
        self.variable(f, node, path, users, want, start + 2, end - 1)

    def variable(self, f: _File, node, path, users, want: _Want, start: int, end: int):
        """The variable whose inside is ``node.value[start:end]``."""
        text = node.value
        parts = _split(text, start, end)
        ref_start, ref_end = parts[0]
        ref = text[ref_start:ref_end]
        m = _REF.match(ref)
        source = m.group(1) if m else ref
        if source == "self" and m.group(3) is not None:
            if len(parts) > 1 and not self.lookup(self.f.tree, _keys(m.group(3).strip())):
                return self.fallback(f, node, path, users, want, parts[1], ref)  # names nothing: the fallback is read
            return self.follow_self(f, node, m.group(3), users, want, ref)
        if source == "file" and m.group(2) is not None:
            name = m.group(2).strip().strip("'\"")
            if len(parts) > 1 and self.absent(f, name, m.group(3)):
                return self.fallback(f, node, path, users, want, parts[1], ref)
            return self.follow_file(f, node, name, m.group(3), users, want, ref)
        if source == "param" and m.group(3) is not None and self.params(f, node, path, users, want, parts, ref,
                                                                     m.group(3).strip()):
            return
        if source in INPUTS:
            if len(parts) < 2:
                name = (m.group(3) or "") if m else ""
                return self.unresolved(f, node, f"${{{ref}}} is {INPUTS[source].format(name=name)}, chosen at deploy "
                                       "time, with no literal fallback", users)
            return self.fallback(f, node, path, users, want, parts[1], ref)
        what = REMOTE.get(source, f"a {source} variable") if m else "not a variable iacfix reads"
        return self.unresolved(f, node, f"${{{ref}}} is {what}, resolved by the Framework at deploy time", users)

    def params(self, f: _File, node, path, users, want: _Want, parts, ref: str, name: str) -> bool:
        """``${param:name}`` where the service writes stage parameters
        (``params.<stage>.name``, ``params.default.name``): every one of them,
        and the fallback (read by a stage without one); False if none is written."""
        found = self.lookup(self.f.tree, ["params", "${stage}", name])
        if not found:
            return False
        if not self.written_twice(f, node, users, ref, self.f):
            for target, keys in found:
                self.value(self.f, target, keys, users, want.to(Where("serverless", ".".join(keys))))
            if len(parts) > 1:
                self.fallback(f, node, path, users, want, parts[1], ref)
        return True

    def absent(self, f: _File, name: str, address: str | None) -> bool:
        """Whether ``${file(name):address}`` surely names nothing (so its
        fallback is read): the file does not exist, or holds no such value."""
        if self.outside(f, name):
            return False
        path = os.path.normpath(os.path.join(os.path.dirname(os.path.normpath(f.path)), name))
        other = self.files.get(path)
        if other is None:
            return not deps.lexists(path)
        return bool(_keys((address or "").strip())) and not self.lookup(other.tree, _keys(address.strip()))

    def fallback(self, f: _File, node, path, users, want: _Want, span: tuple[int, int], ref: str):
        """The fallback of a variable (``'python3.9'`` in ``${opt:rt, 'python3.9'}``) at ``span`` of the value."""
        text = node.value
        a, b = span
        fb = text[a:b]
        if fb[:1] in ("'", '"') and len(fb) >= 2 and fb[-1] == fb[0]:
            return self.literal(f, node, path, users, want, (a, b, fb[1:-1], fb[0], ref))
        inner = (a + 2, b - 1) if fb.startswith("${") and _close(fb, 0) == len(fb) else \
            (a, b) if _REF.match(fb) and ":" in fb else None  # Framework v2: ${opt:stage, self:custom.stage}
        if inner is not None:
            if self._depth >= MAX_FOLLOWED:
                return self.unresolved(f, node, f"the value nests more than {MAX_FOLLOWED} variables deep", users)
            self._depth += 1
            try:
                return self.variable(f, node, path, users, want, *inner)
            finally:
                self._depth -= 1
        if fb and not any(c in fb for c in "${}(): "):
            return self.literal(f, node, path, users, want, (a, b, fb, "", ref))
        return self.unresolved(f, node, f"the fallback of ${{{ref}}} ({fb}) is not a literal", users)

    def lookup(self, tree, keys: list[str]):
        """[(node, keys taken)] at ``keys`` under ``tree``; a key that is a
        variable stands for every key at its level.  A key written twice on
        the way is kept in ``self.twice`` (second, first): which one counts,
        YAML parsers disagree."""
        level = [(tree, ())]
        self.twice = None
        for key in keys:
            nxt = []
            for node, taken in level:
                if not isinstance(node, MappingNode):
                    continue
                first = None
                for k, v in node.value:
                    name = _str(k)
                    if name is not None and (key.startswith("${") or name == key):
                        if first is not None and name == key:
                            self.twice = self.twice or (k, first)
                        first = first or k
                        nxt.append((v, taken + (name,)))
            level = nxt
        return level

    def written_twice(self, f: _File, node, users, ref: str, other: _File) -> bool:
        """Record a ``${ref}`` whose way passes a key written twice in ``other`` as unresolved."""
        if self.twice is None:
            return False
        second, first = self.twice
        lines = Positions(other.text)
        shift = other.walker.shift
        self.unresolved(f, node, f'${{{ref}}}: the key "{second.value}" is written twice in {self.relative(other)} '
                        f"(lines {lines.at(first.start + shift)[0]} and {lines.at(second.start + shift)[0]}): "
                        "YAML parsers disagree on which one counts", users)
        return True

    def follow_self(self, f: _File, node, address: str, users, want: _Want, ref: str):
        found = self.lookup(self.f.tree, _keys(address.strip()))
        if not found:
            return self.unresolved(f, node, f"${{{ref}}} names no value of this file", users)
        if self.written_twice(f, node, users, ref, self.f):
            return
        for target, keys in found:
            where = Where("serverless", ".".join(keys))
            self.value(self.f, target, keys, users, want.to(where))

    def open(self, f: _File, node, name: str, address: str | None, ref: str, users=(), what: str = ""):
        """(the file ``${file(name):address}`` reads, [(node, keys)] it names there), or
        None with the reason recorded as unresolved."""
        why = self.outside(f, name)
        if why:
            return self.unresolved(f, node, f"{what}${{{ref}}}: {why}", users)
        path = os.path.normpath(os.path.join(os.path.dirname(os.path.normpath(f.path)), name))
        other = self.files.get(path)
        if other is None:
            return self.unresolved(f, node, f"{what}${{{ref}}}: {name} was not read (missing, or not YAML or JSON)",
                                   users)
        keys = _keys((address or "").strip())
        found = self.lookup(other.tree, keys)
        if not found:
            return self.unresolved(f, node, f"{what}${{{ref}}} names no value of {name}", users)
        if self.written_twice(f, node, users, ref, other):
            return None
        return other, found

    def follow_file(self, f: _File, node, name: str, address: str | None, users, want: _Want, ref: str):
        if not _keys((address or "").strip()):
            return self.unresolved(f, node, f"${{{ref}}} is a whole file", users)
        opened = self.open(f, node, name, address, ref, users)
        if opened is None:
            return
        other, found = opened
        for target, keys in found:
            self.value(other, target, keys, users, want.to(Where("serverless-file", ".".join(keys), self.relative(other))))

    def relative(self, f: _File) -> str:
        """A file's path as the service names it."""
        return os.path.relpath(os.path.normpath(f.path), self.directory or ".").replace(os.sep, "/")

    def mappings(self, f: _File, node, path: tuple, depth: int = 0):
        """[(file, mapping, path)] that ``node`` stands for: itself, the
        entries of a list, what a ``${file(...)}`` names (``functions:
        ${file(./functions.yml)}``); and whether that is all of it."""
        if isinstance(node, MappingNode):
            return [(f, node, path)], True
        if isinstance(node, SequenceNode) and depth < MAX_FOLLOWED:
            out, known = [], True
            for i, child in enumerate(node.value):
                found, ok = self.mappings(f, child, path + (i,), depth + 1)
                out, known = out + found, known and ok
            return out, known
        text = _str(node)
        m = _REF.match(text[2:-1]) if text and text.startswith("${") and _close(text, 0) == len(text) else None
        if m is None or m.group(1) != "file" or m.group(2) is None or depth >= MAX_FOLLOWED:
            return [], node is None
        opened = self.open(f, node, m.group(2).strip().strip("'\""), m.group(3), text[2:-1],
                           what="the functions (and their runtimes) in ")
        if opened is None:
            return [], False
        other, found = opened
        out, known = [], True
        for target, keys in found:
            more, ok = self.mappings(other, target, keys, depth + 1)
            out, known = out + more, known and ok
        return out, known

    def defined_at(self, f: _File, node) -> tuple:
        """The keys where ``node`` is written in ``f``: for a node with an
        anchor, its first place in the document (an alias comes after it)."""
        paths = self._paths.get(f.path)
        if paths is None:
            paths = self._paths[f.path] = {}
            stack = [(f.tree, ())]
            while stack:
                n, keys = stack.pop()
                if id(n) in paths:
                    continue
                paths[id(n)] = keys
                if isinstance(n, MappingNode):
                    stack.extend(reversed([(v, keys + (k.value,)) for k, v in n.value if isinstance(k, ScalarNode)]))
                elif isinstance(n, SequenceNode):
                    stack.extend(reversed([(c, keys + (i,)) for i, c in enumerate(n.value)]))
        return paths.get(id(node), ())

    def outside(self, f: _File, name: str) -> str | None:
        """Why ``${file(name)}`` is not followed, if it is not."""
        if not name or "${" in name:
            return "the path is not literal"
        if os.path.isabs(name) or name.startswith("~"):
            return "an absolute path is not followed"
        if not name.lower().endswith(FILE_EXTENSIONS):
            return "only YAML and JSON files are read (the Framework runs JavaScript ones)"
        path = os.path.normpath(os.path.join(os.path.dirname(os.path.normpath(f.path)), name))
        base = os.path.normpath(self.directory or ".")
        if base != "." and not (path + os.sep).startswith(base + os.sep) or path.startswith(".." + os.sep) \
                or path == "..":
            return "the file is outside the service's directory"
        if not deps.realpath(path).startswith(deps.realpath(base) + os.sep):
            return "the file is outside the service's directory (through a symbolic link)"
        return None

    def list(self, f: _File, node, path, users, want: _Want):
        """A list of runtimes: CloudFormation's list semantics (one rewrite of the whole list)."""
        items = []
        info = ListInfo(path=path, items=items, flow=bool(node.flow_style))
        seq_start, seq_end = f.walker.span(node)
        entry = dataclasses.replace(want, in_list=info, many=False)
        for i, child in enumerate(node.value):
            start, end = f.walker.span(child)
            if not seq_start <= start < end <= seq_end:
                info.blocked = "the list holds a YAML alias"
            literal = _str(child)
            plain = literal is not None and "${" not in literal
            item = Item(literal if plain else None, start, end, None if info.flow else f.walker.block_delete_span(child))
            items.append(item)
            if plain:
                self.literal(f, child, path + (i,), users, entry)
                continue
            outer, self._reached = self._reached, []
            try:
                self.value(f, child, path + (i,), users, dataclasses.replace(want, many=False, kind="variable"))
                item.reaches = self._reached
            finally:
                if outer is not None:
                    outer.extend(self._reached)
                self._reached = outer

    # -- the service -----------------------------------------------------------
    def function_code(self, f: _File, name: str, fn) -> FunctionCode | None:
        """Where function ``name``'s code is: the service's directory (or the
        serverless-python-requirements ``module:`` directory, when literal), the
        ``handler`` as written (``src/app.handler``); a prebuilt
        ``package.artifact`` is not local code.  None for an ``image:``
        function (its code and runtime are the image's, as for CloudFormation's
        ``PackageType: Image``) and for one that names no handler."""
        handler = _merged(fn, "handler")[0]  # also through <<: *defaults, as the runtime is read
        if handler is None or _merged(fn, "image")[0] is not None:
            return None
        provider, tree = _get(self.f.tree, "provider"), self.f.tree
        start, end = f.walker.span(handler)
        arch = _str(_merged(fn, "architecture")[0]) or _str(_merged(provider, "architecture")[0])
        common = dict(function=name, start=start, end=end, where=Where("serverless", f"functions.{name}", "handler"),
                      architecture="arm64" if arch == "arm64" else "x86_64")
        artifact = _str(_get(_get(fn, "package"), "artifact")) or _str(_get(_get(tree, "package"), "artifact"))
        if artifact is not None:
            return FunctionCode(**common, not_local=f"the function is deployed from a prebuilt artifact ({artifact})")
        text = _str(handler)
        if text is None or "${" in text:
            return FunctionCode(**common, not_local="the handler is not a literal")
        module = _str(_get(fn, "module"))
        root = "." if module is None or "${" in module or os.path.isabs(module) else module.strip("/") or "."
        # relative to the file the function is declared in (a ${file(...)} of the service's directory)
        here = os.path.dirname(os.path.normpath(f.path))
        root = os.path.normpath(os.path.join(os.path.relpath(self.directory or ".", here or "."), root))
        return FunctionCode(**common, root=root.replace(os.sep, "/"), handler=text, named_root=module is not None)

    def walk(self):
        tree = self.f.tree
        provider = _get(tree, "provider")
        inheritors = []
        groups, known = self.mappings(self.f, _get(tree, "functions"), ("functions",))
        functions = []  # (file, function's mapping, its keys, name)
        for f, group, base in groups:
            for name_node, fn in group.value:
                name = _str(name_node)
                if name is None or not isinstance(fn, MappingNode):
                    if name is not None and _str(fn) is not None:  # checkout: ${file(./functions/checkout.yml)}
                        bodies, ok = self.mappings(f, fn, base + (name,))
                        functions += [(g, body, at, name) for g, body, at in bodies]
                    known = known and name is not None and (_str(fn) is None or ok)
                    continue
                functions.append((f, fn, base + (name,), name))
        for f, fn, at, name in functions:
            runtime, keys = _merged(fn, "runtime")
            if runtime is not None and keys != ("runtime",):  # written with defaults others merge too
                at, kind = self.defined_at(f, runtime)[:-1], "variable"
            else:
                kind = "property"
            if runtime is not None:
                where = f"functions.{name}.runtime" if f is self.f and at == ("functions", name) else \
                    ".".join(map(str, at + ("runtime",)))
                self.value(f, runtime, at + ("runtime",), [name],
                           _Want(kind, Where("serverless" if f is self.f else "serverless-file", where,
                                             "" if f is self.f else self.relative(f))))
            elif _merged(fn, "image")[0] is None:
                inheritors.append(name)
            code = self.function_code(f, name, fn) if self.provider == "aws" else None
            if code is not None:
                f.code.append(code)
        runtime, keys = _merged(provider, "runtime")
        if runtime is not None:  # some functions held where iacfix does not read: who inherits is not known
            path = ("provider", "runtime") if keys == ("runtime",) else self.defined_at(self.f, runtime)
            self.value(self.f, runtime, path, inheritors,
                       _Want("globals" if known else "variable", Where("serverless", "provider.runtime")))
        layers = _get(tree, "layers")
        for name_node, layer in layers.value if isinstance(layers, MappingNode) else ():
            name = _str(name_node)
            runtimes = _get(layer, "compatibleRuntimes")
            if name is not None and runtimes is not None:
                self.value(self.f, runtimes, ("layers", name, "compatibleRuntimes"), [],
                           _Want("layer-runtime", Where("serverless", f"layers.{name}.compatibleRuntimes"), layer=name,
                                 many=True))
        image = _get(_get(_get(tree, "custom"), "pythonRequirements"), "dockerImage")
        if image is not None and self.provider == "aws":
            self.value(self.f, image, ("custom", "pythonRequirements", "dockerImage"), [],
                       _Want("build-image", Where("build-image", "custom.pythonRequirements.dockerImage"), "image"))


def _rebase(located: Located, prefix: tuple) -> Located:
    """Paths of a subtree's sites, from the document's root."""
    for site in located.sites:
        site.path = prefix + site.path
        site.also = [prefix + p for p in site.also]
        if site.tied is not None:
            site.tied = prefix + site.tied
    for info in {id(s.in_list): s.in_list for s in located.sites if s.in_list is not None}.values():
        info.path = prefix + info.path
    return located


class _Resources(_Walker):
    """The CloudFormation locator on a ``resources`` subtree, where a value
    that is a Serverless variable (``Runtime: ${self:provider.runtime}``,
    resolved by the Framework before CloudFormation sees it) is followed by
    the service, as its own values are."""

    def __init__(self, root, text: str, service: _Service, prefix: tuple):
        super().__init__(root, text)
        self.service, self.prefix = service, prefix

    def add_site(self, node, path, users, kind, where: Where, layer=None, list_info=None, sub=_NO_SUB):
        if "${" not in node.value or sub.template:
            return super().add_site(node, path, users, kind, where, layer, list_info, sub)
        if list_info is not None:
            return self.add_unresolved(node, f'the list entry "{node.value}" is a Serverless variable, not followed '
                                       "inside a list", users)
        mark = len(self.service._log)
        self.service.value(self.service.f, node, self.prefix + path, users, _Want(kind, where, layer=layer))
        self._log.extend(self.service._log[mark:])  # replayed with the users of a node reached again
        return None


def _resources(f: _File, service: _Service) -> list[Located]:
    """``resources.Resources`` (or each entry of a ``resources`` list): raw
    CloudFormation, read by the CloudFormation locator."""
    node = _get(f.tree, "resources")
    parts = [(("resources",), node)] if isinstance(node, MappingNode) else \
        [(("resources", i), n) for i, n in enumerate(node.value)] if isinstance(node, SequenceNode) else []
    return [_rebase(_Resources(n, f.text, service, prefix).walk(), prefix) for prefix, n in parts
            if isinstance(n, MappingNode) and _get(n, "Resources") is not None]


def _duplicate(tree) -> tuple | None:
    """(second, first) of a key written twice where a site is read, else None."""
    provider, functions, layers = _get(tree, "provider"), _get(tree, "functions"), _get(tree, "layers")
    custom = _get(tree, "custom")
    mappings = [tree, provider, functions, layers, custom, _get(custom, "pythonRequirements")]
    for group in (functions, layers):
        mappings += [v for _, v in group.value] if isinstance(group, MappingNode) else []
    return first_duplicate(mappings)


def _is_service(tree) -> bool:
    return isinstance(tree, MappingNode) and isinstance(_get(tree, "provider"), MappingNode) and (
        _get(tree, "service") is not None or _get(tree, "functions") is not None)


@register
class Serverless(Format):
    name = "serverless"
    filenames = NAMES
    globs = GLOBS
    unit = "directory"  # a service and the files its ${file(...)} variables name

    def prefilter(self, data: bytes) -> bool:
        return b"untime" in data or b"dockerImage" in data  # runtime, compatibleRuntimes, Runtime

    def context(self, path: str, data: bytes) -> bool:
        return True  # a file a service names: it may hold the value

    def parse(self, text: str):
        doc = compose(text)
        tree = tree_of(doc)
        if _is_service(tree):
            refuse_duplicate(text, _duplicate(tree), doc=doc)
        return doc

    def check_edit(self, old: str, new: str) -> str | None:
        return CloudFormation.check_edit(self, old, new)

    def unit_files(self, directory: str) -> list[str]:
        """The YAML/JSON files that the ``${file(...)}`` variables of
        ``directory``'s services name, inside ``directory``: read with a
        service that is named or found.  Another service of the directory is
        not (naming serverless.yml leaves serverless-dev.yml alone)."""
        try:
            services = sorted(os.path.join(directory, n) for n in deps.files_in(directory or ".")
                              if is_service_name(n))
        except OSError:
            return []
        out: list[str] = []
        base = deps.realpath(directory or ".")
        for path in services:
            try:
                data = deps.read_head(path, 4_000_000)
            except OSError:
                continue
            if b"${file(" not in data:
                continue
            for name in _FILE_REF.findall(data.decode("utf-8", "replace")):
                name = name.strip().strip("'\"")
                if not name or os.path.isabs(name) or not name.lower().endswith(FILE_EXTENSIONS):
                    continue
                ref = os.path.normpath(os.path.join(directory, name))
                real = deps.realpath(ref)
                if real.startswith(base + os.sep) and deps.isfile(real) and ref not in out:
                    out.append(ref)
        return out

    def locate(self, doc, text: str) -> Located | None:
        return self.locate_unit({"serverless.yml": (doc, text)}).get("serverless.yml")

    def locate_unit(self, parsed: dict) -> dict:
        files = {}
        for path, (doc, text) in parsed.items():
            tree = tree_of(doc)
            files[os.path.normpath(path)] = _File(path, tree, text, _Walker(tree, text), doc)
        out: dict = {}
        extra: dict[str, list[Located]] = {}
        for f in list(files.values()):
            if not is_service_name(os.path.basename(f.path)):
                continue
            if not _is_service(f.tree):
                if is_template(f.tree):  # a CloudFormation template under a serverless name
                    extra.setdefault(f.path, []).append(_Walker(f.tree, f.text).walk())
                continue
            provider = PROVIDERS.get((_str(_get(_get(f.tree, "provider"), "name")) or "aws").lower())
            out[f.path] = True
            if provider is None:
                continue  # a provider without a catalog (openwhisk, kubeless...)
            service = _Service(files, f, provider)
            service.walk()
            extra.setdefault(f.path, []).extend(_resources(f, service))
        for f in files.values():
            found = [Located(sorted(f.walker.sites.values(), key=lambda s: s.start),
                             sorted(f.walker.unresolved.values(), key=lambda u: u.start))] + extra.get(f.path, [])
            sites = sorted((s for x in found for s in x.sites), key=lambda s: s.start)
            notes = sorted((u for x in found for u in x.unresolved), key=lambda u: u.start)
            if f.path not in out and not sites and not notes and not f.code and f.path not in extra:
                out[f.path] = None
                continue
            located = Located(sites, notes, list(f.code))
            if f.doc is not f.tree:  # read through Jinja masking
                from . import jinja

                located = jinja.guard(located, f.doc)
            out[f.path] = located
        return out

    def semantic(self, doc):
        return _Meaning(tree_of(doc))
