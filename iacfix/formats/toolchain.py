"""Deploy-tool pins: where a repository fixes the version of ``aws-cdk-lib``
(requirements files, ``package.json``, and the lock files
``package-lock.json``, ``Pipfile.lock``, ``poetry.lock``, ``uv.lock``) or of
the ``hashicorp/aws`` provider (``.terraform.lock.hcl``; ``required_providers``
is read by the Terraform format).  Each pin is a ``ToolPin`` with the span of
its constraint; the format knows nothing of which version a runtime needs.

Which file it is is told by its content (``parse`` sees no name): JSON with
``lockfileVersion`` (npm lock), ``_meta`` (Pipfile.lock) or neither
(package.json); HCL with ``provider "registry.terraform.io/...`` blocks;
TOML with ``[[package]]`` (poetry or uv lock); anything else is a
requirements file, read line by line as pip does.  JSON and HCL are parsed with tree-sitter for spans and checked with
their strict readers; TOML with ``tomllib``, each pin's text found where
``tomllib`` says it is.  ``pyproject.toml`` belongs to the packaging format,
which hands over its ``aws-cdk-lib`` pins read by ``toml_pins``.
"""

from __future__ import annotations

import json
import re

from ..model import Located, ParseError, ToolPin
from . import Format, register

CDK = "aws-cdk-lib"
AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"
_REQ_LINE = re.compile(r"[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?[ \t]*([^;#\r\n]*?)[ \t]*(?:[;#][^\r\n]*)?\r?$")
_JSON_DEPS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _Doc:
    def __init__(self, kind: str, meaning, pins: list[ToolPin]):
        self.kind, self.meaning, self.pins = kind, meaning, pins


def _json_pins(text: str) -> _Doc:
    try:
        meaning = json.loads(text.lstrip("\ufeff"))
    except ValueError as e:
        raise ParseError(f"JSON syntax error: {e}") from None
    if not isinstance(meaning, dict):
        return _Doc("json", meaning, [])
    import tree_sitter_json
    from tree_sitter import Language, Parser

    data = text.encode("utf-8")
    tree = Parser(Language(tree_sitter_json.language())).parse(data)
    chars = _offsets(text, data)
    lock = "lockfileVersion" in meaning or "_meta" in meaning
    kind = "npm-lock" if "lockfileVersion" in meaning else "pipfile-lock" if "_meta" in meaning else "package.json"
    pins = []

    def walk(node, path):
        if node.type == "object":
            for pair in node.named_children:
                if pair.type != "pair":
                    continue
                key = json.loads(data[pair.child_by_field_name("key").start_byte:
                                      pair.child_by_field_name("key").end_byte].decode())
                value = pair.child_by_field_name("value")
                step = path + (key,)
                if value is None:
                    continue
                if value.type == "string" and _is_pin(kind, step):
                    spec = json.loads(data[value.start_byte:value.end_byte].decode())
                    pins.append(ToolPin(CDK, "pypi" if kind == "pipfile-lock" else "npm", spec,
                                        chars(value.start_byte), chars(value.end_byte), step, lock=lock,
                                        spell=lambda new: (json.dumps(new), new)))
                elif len(step) < 4:
                    walk(value, step)

    root = tree.root_node.named_children[0] if tree.root_node.named_children else None
    if root is not None:
        walk(root, ())
    return _Doc(kind, meaning, pins)


def _is_pin(kind: str, path: tuple) -> bool:
    if kind == "package.json":
        return len(path) == 2 and path[0] in _JSON_DEPS and path[1] == CDK
    if kind == "npm-lock":  # v2/v3: packages["node_modules/aws-cdk-lib"].version; v1: dependencies[...].version
        return path in (("packages", f"node_modules/{CDK}", "version"), ("dependencies", CDK, "version"))
    return path in (("default", CDK, "version"), ("develop", CDK, "version"))  # Pipfile.lock


def _offsets(text: str, data: bytes):
    if len(text) == len(data):
        return lambda b: b
    return lambda b: len(data[:b].decode("utf-8", "ignore"))


def toml_pins(text: str, meaning: dict) -> _Doc:
    pins = []
    packages = meaning.get("package")
    if isinstance(packages, list):  # poetry.lock / uv.lock: [[package]] name = ..., version = ...
        for i, pkg in enumerate(packages):
            if isinstance(pkg, dict) and _norm(str(pkg.get("name", ""))) == CDK and isinstance(pkg.get("version"), str):
                span = _find_after(text, rf'name\s*=\s*"{re.escape(pkg["name"])}"', rf'version\s*=\s*"({re.escape(pkg["version"])})"')
                if span:
                    pins.append(ToolPin(CDK, "pypi", "==" + pkg["version"], *span, ("package", i, "version"), lock=True))
        return _Doc("toml-lock", meaning, pins)
    deps = meaning.get("project", {}).get("dependencies", [])
    for i, dep in enumerate(deps if isinstance(deps, list) else []):
        m = _REQ_LINE.match(dep) if isinstance(dep, str) else None
        if m and _norm(m.group(1)) == CDK:
            span = _find_string(text, dep)
            if span:
                prefix = dep[:m.start(3)]
                pins.append(ToolPin(CDK, "pypi", m.group(3).strip(), span[0], span[1], ("project", "dependencies", i),
                                    spell=lambda new, prefix=prefix, rest=dep[m.end(3):]:
                                    (json.dumps(prefix + new + rest), prefix + new + rest)))
    poetry = meaning.get("tool", {}).get("poetry", {}).get("dependencies", {})
    for name, spec in (poetry.items() if isinstance(poetry, dict) else ()):
        if _norm(name) == CDK and isinstance(spec, str):
            span = _find_after(text, r"\[tool\.poetry\.dependencies\]", rf'{re.escape(name)}\s*=\s*"({re.escape(spec)})"')
            if span:
                pins.append(ToolPin(CDK, "npm" if spec.lstrip().startswith(("^", "~")) else "pypi", spec,
                                    span[0] - 1, span[1] + 1, ("tool", "poetry", "dependencies", name),
                                    spell=lambda new: (json.dumps(new), new)))
    return _Doc("pyproject", meaning, pins)


def _find_string(text: str, value: str) -> tuple[int, int] | None:
    for quote in ('"', "'"):
        i = text.find(quote + value + quote)
        if i != -1:
            return i, i + len(value) + 2
    return None


def _find_after(text: str, anchor: str, pattern: str) -> tuple[int, int] | None:
    a = re.search(anchor, text)
    if a is None:
        return None
    m = re.compile(pattern).search(text, a.end())
    return (m.start(1), m.end(1)) if m else None


def _requirement_pins(text: str) -> _Doc:
    """aws-cdk-lib in a requirements file.  The pin is the version constraint
    alone (not a line continuation, not ``--hash`` options); a requirement with
    hashes (``pip-compile --generate-hashes``) is a lock entry: bumping its
    version would leave hashes of other wheels."""
    pins, lines = [], text.split("\n")
    offset = 0
    for i, line in enumerate(lines):
        m = _REQ_LINE.match(line)
        if m and not line.lstrip().startswith("-") and _norm(m.group(1)) == CDK:
            options = re.search(r"(?:^|[ \t]+)(?:--|\\$)", m.group(3))
            a, b = m.start(3), m.start(3) + (options.start() if options else len(m.group(3)))
            logical, j = line, i
            while logical.rstrip().endswith("\\") and j + 1 < len(lines):
                j += 1
                logical += lines[j]
            hashed = "--hash" in logical

            def spell(new, line=line, a=a, b=b):
                return new, line[:a] + new + line[b:]

            pins.append(ToolPin(CDK, "pypi", line[a:b], offset + a, offset + b, (i,),
                                spell=None if hashed else spell, lock=hashed))
        offset += len(line) + 1
    return _Doc("requirements", lines, pins)


def _lock_hcl_pins(text: str) -> _Doc:
    from .terraform.loading import _load, _parse
    from .terraform.values import _Str

    doc = _parse(text)
    f = _load("lock", doc, text)
    pins = []
    for kind, labels, body in f.top:
        if kind == "provider" and labels == [AWS_PROVIDER]:
            version = body.attrs.get("version")
            if isinstance(version, _Str):
                pins.append(ToolPin("hashicorp/aws", "terraform", version.value, version.start, version.end,
                                    version.path, lock=True))
    return _Doc("terraform-lock", text, pins)


@register
class Toolchain(Format):
    name = "toolchain"
    # pyproject.toml is the packaging format's: it hands over its aws-cdk-lib pins, read by toml_pins.
    filenames = ("package.json", "package-lock.json", "Pipfile.lock", "poetry.lock", "uv.lock",
                 ".terraform.lock.hcl")
    globs = ("requirements*.txt",)

    def prefilter(self, data: bytes) -> bool:
        return b"aws-cdk-lib" in data or b"aws_cdk_lib" in data or b"hashicorp/aws" in data

    def parse(self, text: str):
        body = text.lstrip("\ufeff \t\r\n")
        if body.startswith("{"):
            return _json_pins(text)
        if 'provider "registry.terraform.io/' in text:
            return _lock_hcl_pins(text)
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python 3.10
            tomllib = None
        if tomllib is not None and ("[" in text or "=" in text):
            try:
                meaning = tomllib.loads(text.lstrip("\ufeff"))
            except tomllib.TOMLDecodeError:
                meaning = None
            if meaning is not None:
                return toml_pins(text, meaning)
        return _requirement_pins(text)

    def locate(self, doc, text: str) -> Located | None:
        if not doc.pins:
            return None
        return Located([], [], list(doc.pins))

    def semantic(self, doc):
        return doc.meaning
