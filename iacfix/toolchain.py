"""Toolchain readiness: does a pinned deploy tool accept the target runtime?

``rules/toolchain.json`` records, per tool (``aws-cdk-lib``, the
``hashicorp/aws`` provider) and runtime, the first version that accepts it,
with its source.  ``admits(spec, ecosystem, first)`` says whether a version
constraint, in PyPI, npm or Terraform syntax, admits any version at or after
``first``; ``bumped`` rewrites a simple constraint to reach it.  Versions are
compared numerically, part by part; nothing is resolved over the network.
"""

from __future__ import annotations

import functools
import json
import os
import re

from . import deps
from .catalog import builtin_text
from .lazy_re import compiled_on_use

_NUM = compiled_on_use(r"\d+")


@functools.lru_cache(maxsize=1)
def data() -> dict:
    return json.loads(builtin_text("toolchain.json"))


def first_accepting(tool: str, runtime: str) -> dict | None:
    return data()["tools"].get(tool, {}).get("runtimes", {}).get(runtime)


def vkey(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in _NUM.findall(version.split("-")[0].split("+")[0])]
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


def _bump(version: str, depth: int) -> tuple[int, ...]:
    """The first version past the ``depth``-part prefix of ``version`` (2.1 -> 3.0 at depth 1)."""
    parts = list(vkey(version))
    parts[depth - 1] += 1
    return tuple(parts[:depth] + [0] * (len(parts) - depth))


def constraints(spec: str, ecosystem: str) -> list[list[tuple[str, tuple]]]:
    """Alternatives (npm ``||``), each a list of (op, version) with op among
    == >= > <= < !=."""
    spec = spec.strip()
    alternatives = spec.split("||") if ecosystem == "npm" else [spec]
    out = []
    for alt in alternatives:
        cons: list[tuple[str, tuple]] = []
        tokens = [t.strip() for t in (alt.split(",") if ecosystem != "npm" else alt.split())]
        for tok in (t for t in tokens if t):
            m = re.match(r"(===|==|~=|!=|>=|<=|~>|>|<|=|\^|~)?\s*v?(.*)", tok)
            op, ver = m.group(1) or "", m.group(2).strip()
            if ver in ("", "*", "x", "X", "latest") or ver.startswith("*"):
                continue
            if ver.endswith((".*", ".x", ".X")) or (ecosystem == "npm" and op == "" and ver.count(".") < 2):
                stem = re.sub(r"\.[*xX]$", "", ver)
                depth = stem.count(".") + 1
                cons += [(">=", vkey(stem)), ("<", _bump(stem, depth))]
                continue
            if op in ("", "=", "==", "==="):
                cons.append(("==", vkey(ver)))
            elif op == "~=":  # PEP 440: ~=2.1.0 means >=2.1.0, <2.2
                depth = max(1, ver.count("."))
                cons += [(">=", vkey(ver)), ("<", _bump(ver, depth))]
            elif op == "~>":  # Terraform: ~>5.0 means >=5.0, <6; ~>5.75.0 means <5.76
                depth = max(1, ver.count("."))
                cons += [(">=", vkey(ver)), ("<", _bump(ver, depth))]
            elif op == "^":  # npm: ^2.100.0 means <3.0.0 (^0.x: <0.(x+1))
                k = vkey(ver)
                depth = 1 if k[0] else 2
                cons += [(">=", k), ("<", _bump(ver, depth))]
            elif op == "~":  # npm: ~2.100.0 means <2.101.0
                cons += [(">=", vkey(ver)), ("<", _bump(ver, 2 if ver.count(".") else 1))]
            else:
                cons.append((op, vkey(ver)))
        out.append(cons)
    return out


def _holds(op: str, v: tuple, bound: tuple) -> bool:
    return {"==": v == bound, ">=": v >= bound, ">": v > bound, "<=": v <= bound, "<": v < bound,
            "!=": v != bound}[op]


def admits(spec: str, ecosystem: str, first: str) -> bool:
    """Whether ``spec`` admits some version at or after ``first``."""
    floor = vkey(first)
    for cons in constraints(spec, ecosystem):
        exact = [b for op, b in cons if op == "=="]
        if exact:
            candidate = max(exact)
        else:
            lows = [b for op, b in cons if op in (">=", ">")]
            candidate = max([floor, *lows])
            if any(op == ">" and b == candidate for op, b in cons):
                candidate = candidate[:-1] + (candidate[-1] + 1,)
        if candidate >= floor and all(_holds(op, candidate, b) for op, b in cons if op != "!="):
            return True
    return False


def bumped(spec: str, ecosystem: str, first: str) -> str | None:
    """``spec`` rewritten to admit ``first`` the way it was written (an exact pin
    stays exact, a caret stays a caret); None when it is a range to widen by hand."""
    s = spec.strip()
    m = re.fullmatch(r"(===|==|~=|\^|~>|~|=)?(\s*)v?(\d+(?:\.\d+)*)", s)
    if m is None:
        return None
    op, space, ver = m.group(1) or "", m.group(2), m.group(3)
    parts = first.split(".")
    if op in ("~=", "~>"):
        new = ".".join(parts[:max(2, ver.count(".") + 1)])
    else:
        new = first
    return f"{op}{space}{new}"


# -- pins on disk (what the fix of a CDK app's code or a Terraform root must respect) -----------

PIN_FILES = ("requirements.txt", "pyproject.toml", "package.json", "package-lock.json", "Pipfile.lock",
             "poetry.lock", "uv.lock", ".terraform.lock.hcl")


def _is_pin_file(name: str) -> bool:
    return name in PIN_FILES or (name.startswith("requirements") and name.endswith(".txt"))


def pins_in(directory: str) -> tuple:
    """(path, line, ToolPin) of every pin in the pin files of ``directory``."""
    return _pins_in(os.path.abspath(directory or "."))


@deps.memo(maxsize=1024)
def _pins_in(directory: str) -> tuple:
    from .formats import by_name

    fmt = by_name("toolchain")
    out = []
    try:
        names = sorted(n for n in deps.listdir(directory) if _is_pin_file(n))
    except OSError:
        return ()
    for name in names:
        path = os.path.join(directory, name)
        try:
            raw = deps.read_head(path, 5_000_000)
        except OSError:
            continue
        if not fmt.prefilter(raw):
            continue
        text = raw.decode("utf-8", "replace")
        try:
            located = fmt.locate(fmt.parse(text), text)
        except Exception:  # a pin file that does not parse blocks nothing here; `check` reports it
            continue
        for pin in (located.more if located else []):
            out.append((path, text.count("\n", 0, pin.start) + 1, pin))
    return tuple(out)


def cdk_pins(start: str) -> list:
    """Pins of aws-cdk-lib from ``start`` up to the CDK app's root (where cdk.json is)."""
    d = os.path.abspath(start or ".")
    out = []
    while True:
        out += [p for p in pins_in(d) if p[2].tool == "aws-cdk-lib"]
        if deps.isfile(os.path.join(d, "cdk.json")) or deps.isdir(os.path.join(d, ".git")):
            return out
        parent = os.path.dirname(d)
        if parent == d:
            return out
        d = parent


def blocking(pins, runtime: str) -> list:
    """The pins (path, line, pin, first) that admit no version accepting ``runtime``."""
    out = []
    for path, line, pin in pins:
        row = first_accepting(pin.tool, runtime)
        if row is not None and not admits(pin.spec, pin.ecosystem, row["first"]):
            out.append((path, line, pin, row))
    return out
