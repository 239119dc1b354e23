"""Dependency readiness (``--resolve``): does every requirement have a wheel
for the candidate runtime?  pip's own resolver answers, never ours:

    python -m pip install --dry-run --report - --only-binary=:all:
        --python-version 3.13 --implementation cp --abi cp313 --abi abi3 --abi none
        --platform manylinux_2_34_x86_64 ... --platform manylinux2014_x86_64
        --target TMP --ignore-installed -r requirements.txt

The platforms are what the runtime's operating system admits: Amazon Linux
2023 has glibc 2.34 (manylinux_2_34 and older), Amazon Linux 2 glibc 2.26
(manylinux_2_26, manylinux2014 and older); aarch64 for an arm64 function.
pip reads the user's own configuration (index URL, extra indexes,
find-links, certificates): whatever it would install from, it resolves
against.  When a requirement has no wheel, pip names it; it is recorded as a
blocker and the rest is resolved again without it, so every blocking package
is named (up to ``MAX_ROUNDS``).  Answers are cached on disk
(``$IACFIX_CACHE_DIR``, else ``~/.cache/iacfix/resolve``) by the requirements'
text, the target, the platforms and pip's configuration.  Nothing here runs
unless ``--resolve`` is given: it is the one part of iacfix that may use the
network, and only as pip does.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from dataclasses import field

from .records import dataclass

from . import deps

MAX_ROUNDS = 10
TIMEOUT = 300
GLIBC = {"AL2023": 34, "AL2": 26}  # glibc minor version of each Amazon Linux
_NO_DIST = re.compile(r"No matching distribution found for (\S+)")
_REQ = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass
class Resolution:
    ok: bool
    blockers: list = field(default_factory=list)  # (requirement as written, line) pip found no wheel for
    installs: list = field(default_factory=list)  # name==version pip would install
    error: str | None = None  # pip failed otherwise (a conflict, no index)
    cached: bool = False

    def to_json(self) -> dict:
        return {"ok": self.ok, "blockers": self.blockers, "installs": self.installs, "error": self.error}


def platforms(os_code: str | None, arch: str) -> list[str]:
    machine = "aarch64" if arch == "arm64" else "x86_64"
    top = GLIBC.get(os_code or "AL2023", 34)
    low = 17 if machine == "aarch64" else 5
    tags = [f"manylinux_2_{m}_{machine}" for m in range(top, low - 1, -1)]
    tags.append(f"manylinux2014_{machine}")
    if machine == "x86_64":
        tags += ["manylinux2010_x86_64", "manylinux1_x86_64"]
    return tags


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _cache_dir() -> str | None:
    """Where pip's answers are kept: ``resolve`` in the result cache's default directory
    (``~`` expanded, as there); None when there is no home to keep them in."""
    from .cache import default_dir

    base = default_dir()
    return os.path.join(base, "resolve") if base else None


def _pip_context() -> str:
    """What decides where pip looks: its configuration and PIP_* variables."""
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("PIP_")))
    return json.dumps([dict(env), _pip_config(env, os.environ.get("HOME", ""), os.getcwd())], sort_keys=True)


@functools.lru_cache(maxsize=64)
def _pip_config(env: tuple, home: str, cwd: str) -> str:
    """``pip config list`` (0.3 s a run), once per process for the same PIP_*
    variables: it was run for every answer, even one from the cache."""
    import subprocess  # here and below: a run without --resolve reads requirement files, never runs pip

    try:
        return subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True,
                              timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


_COMMENT = re.compile(r"(^|\s)#.*$")
# Options of a requirements file that decide where pip looks or what else it reads: kept for pip.
_KEPT = re.compile(r"(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|--no-index|--pre|"
                   r"-r|--requirement|-c|--constraint)(?=[\s=]|$)\s*=?\s*(.*)")
_PATHS = ("-f", "--find-links", "-r", "--requirement", "-c", "--constraint")


def _logical_lines(text: str) -> list[tuple[str, int]]:
    """(line, the line it starts on), as pip reads a requirements file: comments
    dropped, a line ending in a backslash joined with the next
    (pip-compile --generate-hashes writes each requirement so)."""
    out, parts, start = [], [], 0
    for i, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw)
        if not parts:
            start = i
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        out.append((" ".join(p.strip() for p in parts).strip(), start))
        parts = []
    if parts:
        out.append((" ".join(p.strip() for p in parts).strip(), start))
    return [(body, n) for body, n in out if body]


def requirement_lines(text: str) -> list[tuple[str, int]]:
    """Each requirement (its per-requirement options such as --hash dropped) and its line."""
    return [(re.split(r"\s+-", body, maxsplit=1)[0].strip(), n) for body, n in _logical_lines(text)
            if not body.startswith("-")]


def requirement_options(text: str, base: str) -> list[str]:
    """The options of a requirements file pip must see to resolve as it would
    install: the index (``--index-url``, ``--extra-index-url``, ``--find-links``,
    ``--no-index``...) and the files it includes (``-r``, ``-c``), whose paths
    are made absolute (relative to ``base``, the file's directory)."""
    out = []
    for body, _ in _logical_lines(text):
        m = _KEPT.match(body)
        if m is None:
            continue
        option, value = m.group(1), m.group(2).strip()
        if option in _PATHS and value and "://" not in value:
            value = os.path.join(base, value)
        out.append(f"{option} {value}".strip())
    return out


SOURCES = ("requirements.txt", "pyproject.toml", "uv.lock", "poetry.lock", "Pipfile.lock")


def requirements_beside(root: str) -> tuple[str, list[tuple[str, int]]] | None:
    """The function's requirements, from the first of ``SOURCES`` in ``root``:
    (that file, [(requirement, its line)]).  Lock files give their pinned
    versions (``name==version``); pyproject.toml its ``[project]`` dependencies."""
    for name in SOURCES:
        path = os.path.join(root, name)
        try:
            text = deps.read_text(path, errors="replace")
        except OSError:
            continue
        if name == "requirements.txt":
            return path, requirement_lines(text)
        lines = text.splitlines()

        def line_of(needle: str) -> int:
            return next((i for i, ln in enumerate(lines, 1) if needle in ln), 1)

        if name == "Pipfile.lock":
            try:
                data = json.loads(text).get("default", {})
            except ValueError:
                return path, []
            return path, [(f"{n}{v.get('version', '')}", line_of(f'"{n}"')) for n, v in data.items()
                          if isinstance(v, dict)]
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python 3.10
            return None
        try:
            data = tomllib.loads(text)
        except ValueError:
            return path, []
        if name == "pyproject.toml":
            listed = data.get("project", {}).get("dependencies", [])
            return path, [(d, line_of(d)) for d in listed if isinstance(d, str)]
        packages = [p for p in data.get("package", []) if isinstance(p, dict) and p.get("name") and p.get("version")]
        if name == "uv.lock":  # the project itself is a package of its own lock, from its own source
            packages = [p for p in packages if "registry" in (p.get("source") or {})]
        return path, [(f"{p['name']}=={p['version']}", line_of(f'name = "{p["name"]}"')) for p in packages]
    return None


def resolve(requirements: str, python: str, os_code: str | None, arch: str,
            lines: list[tuple[str, int]] | None = None) -> Resolution:
    """Whether pip finds a wheel of every requirement (``lines``; by default those
    of the requirements file ``requirements``) for CPython ``python`` ("3.13") on
    the runtime's OS and architecture."""
    import hashlib

    text, options = "", []
    try:
        with open(requirements, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        pass
    if lines is None:
        lines = requirement_lines(text)
    if requirements.endswith(".txt"):
        options = requirement_options(text, os.path.dirname(os.path.abspath(requirements)))
    tags = platforms(os_code, arch)
    key = hashlib.sha256(json.dumps([[f"{r}\t{n}" for r, n in lines], options, python, tags,
                                     _included(options), _pip_context()]).encode()).hexdigest()
    directory = _cache_dir()
    cache = os.path.join(directory, key + ".json") if directory else None
    if cache is not None:
        try:
            with open(cache, encoding="utf-8") as fh:
                row = json.load(fh)
            return Resolution(row["ok"], [tuple(b) for b in row["blockers"]], row["installs"], row["error"],
                              cached=True)
        except (OSError, ValueError, KeyError):
            pass
    result = _run(lines, python, tags, os.path.dirname(os.path.abspath(requirements)), options)
    if cache is not None:
        try:
            os.makedirs(directory, exist_ok=True)
            with open(cache, "w", encoding="utf-8") as fh:
                json.dump(result.to_json(), fh)
        except OSError:
            pass
    return result


def included_requirements(path: str, depth: int = 5) -> list[str]:
    """The requirements of the files a requirements file includes (``-r``), and theirs."""
    if depth == 0 or not path.endswith(".txt"):
        return []
    try:
        text = deps.read_text(path, errors="replace")
    except OSError:
        return []
    out = []
    for option in requirement_options(text, os.path.dirname(os.path.abspath(path))):
        flag, _, included = option.partition(" ")
        if flag in ("-r", "--requirement") and deps.isfile(included):
            out += [r for r, _ in requirement_lines(deps.read_text(included, errors="replace"))]
            out += included_requirements(included, depth - 1)
    return out


def _included(options: list[str]) -> list[str]:
    """The text of the files ``-r``/``-c`` include (for the cache key)."""
    out = []
    for option in options:
        flag, _, path = option.partition(" ")
        if flag in ("-r", "--requirement", "-c", "--constraint"):
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    out.append(fh.read())
            except OSError:
                out.append("")
    return out


def _run(lines: list[tuple[str, int]], python: str, tags: list[str], cwd: str,
         options: list[str] = ()) -> Resolution:
    import subprocess
    import tempfile

    remaining = list(lines)
    blockers = []
    abi = "cp" + python.replace(".", "")
    with tempfile.TemporaryDirectory(prefix="iacfix-resolve-") as tmp:
        for _ in range(MAX_ROUNDS):
            req = os.path.join(tmp, "requirements.txt")
            with open(req, "w", encoding="utf-8") as fh:
                fh.write("".join(o + "\n" for o in options) + "".join(r + "\n" for r, _ in remaining))
            cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--report", "-", "--quiet",
                   "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
                   "--abi", abi, "--abi", "abi3", "--abi", "none", *[a for t in tags for a in ("--platform", t)],
                   "--target", os.path.join(tmp, "target"), "--ignore-installed", "--disable-pip-version-check",
                   "-r", req]
            try:
                run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd)
            except subprocess.TimeoutExpired:
                return Resolution(False, blockers, error=f"pip did not answer within {TIMEOUT} s")
            if run.returncode == 0:
                try:
                    report = json.loads(run.stdout)
                except ValueError:
                    return Resolution(False, blockers, error="pip's report is not JSON")
                installs = [f"{i['metadata']['name']}=={i['metadata']['version']}" for i in report.get("install", [])]
                return Resolution(not blockers, blockers, installs)
            m = _NO_DIST.search(run.stderr)
            if m is None:
                last = [ln for ln in run.stderr.splitlines() if ln.strip()]
                return Resolution(False, blockers, error=last[-1] if last else f"pip exited {run.returncode}")
            wanted = _norm(_REQ.match(m.group(1)).group(1))
            mine = [(r, ln) for r, ln in remaining if _norm(_REQ.match(r).group(1)) == wanted]
            if mine:
                blockers += mine
                remaining = [r for r in remaining if r not in mine]
            else:  # a dependency of a requirement: the requirement that pulls it in is not known here
                blockers.append((m.group(1), 0))
                return Resolution(False, blockers, error=f"{m.group(1)} (a dependency) has no wheel")
            if not remaining and not any(o.split()[0] in ("-r", "--requirement") for o in options):
                return Resolution(False, blockers)
    return Resolution(False, blockers, error=f"stopped after {MAX_ROUNDS} rounds")
