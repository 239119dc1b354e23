"""Where a Lambda container image's function code comes from, read from its
Dockerfile (for ``FunctionCode``; ``dockerfile.py`` and SAM image functions
use it).

The function runs in the final stage.  Its code directory in the image (the
*task root*) is ``/var/task`` (``${LAMBDA_TASK_ROOT}``) on an AWS Lambda base
image, and the working directory (``WORKDIR``) when the image runs the
runtime interface client (``python -m awslambdaric``, the ``FUNCTION_DIR``
pattern of AWS's documentation), which puts its working directory on
``sys.path``.  The code is what ``COPY`` (or a local ``ADD``) puts there from
the build context, also through another stage (``COPY --from=build
${FUNCTION_DIR} ${FUNCTION_DIR}``); the handler is the final stage's ``CMD``
(JSON or shell form), else the argument after ``awslambdaric`` in its
``ENTRYPOINT``; the architecture is ``FROM --platform=linux/arm64`` or an
``-arm64`` tag.

``root`` is a build-context path: the directory whose contents are the task
root (or that holds the handler module).  The build context is the caller's
to know (a standalone Dockerfile: its own directory; SAM: ``DockerContext``).
Code that comes from elsewhere (another image, a URL, a ``RUN`` step) is said
to be not local, never guessed.  Nothing is read but the Dockerfile.
"""

from __future__ import annotations

import json
import posixpath
import re

from .dockerfile_syntax import Dockerfile, Instruction
from ..records import dataclass

TASK_ROOT = "/var/task"
MAX_COPIES = 200  # what one stage records: a real Dockerfile copies a handful; a hostile one stays linear
MAX_VARS = 200  # build arguments and environment variables one stage knows, likewise
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
_PLATFORM = re.compile(r"--platform=\S*?(arm64|aarch64|amd64|x86_64)")


@dataclass
class ImageCode:
    """What a Dockerfile says of its function's code (context-relative ``root``)."""

    start: int  # where findings about the code as a whole point (the COPY, else CMD, else FROM)
    end: int
    root: str | None = None
    handler: str | None = None
    architecture: str = "x86_64"
    not_local: str | None = None
    field: str = "COPY"


@dataclass
class _Copy:
    dest: str  # absolute path in the image
    source: str  # build-context path
    is_dir: bool
    ins: Instruction  # the COPY that brought it from the context (or from another stage)

def _expand(word: str, env: dict[str, str]) -> str | None:
    """``word`` with variables substituted; None when one has no value."""
    missing = False

    def sub(m):
        nonlocal missing
        name = m.group(1) or m.group(3)
        if name in env:
            return env[name]
        if m.group(2) is not None and "$" not in m.group(2):
            return m.group(2)
        missing = True
        return ""

    out = _VAR.sub(sub, word)
    return None if missing else out


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"" else word


def _assignments(ins: Instruction) -> list[tuple[str, str | None]]:
    """ARG/ENV names and values (ENV KEY value, the legacy form, too)."""
    words = [w for w, _, _ in ins.words()[1:]]
    if ins.keyword == "env" and words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    out = []
    for w in words:
        name, eq, value = w.partition("=")
        out.append((name, _unquote(value) if eq else None))
    return out


def _command(ins: Instruction) -> list[str] | None:
    """CMD/ENTRYPOINT as a list of words (JSON or shell form)."""
    args, _ = ins.args()
    if args.lstrip().startswith("["):
        try:
            value = json.loads(args)
        except ValueError:
            return None
        return [str(v) for v in value] if isinstance(value, list) else None
    return [_unquote(w) for w in args.split()]


def _is_dir_source(source: str) -> bool:
    base = posixpath.basename(source.rstrip("/"))
    return source.endswith(("/", "/*", "/.")) or source in (".", "*") or "." not in base.lstrip(".")


def _in_dir(path: str, directory: str) -> str | None:
    """``path`` relative to ``directory`` if it is inside it ("" for itself)."""
    if path == directory:
        return ""
    prefix = directory.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else None


def image_code(doc: Dockerfile, lambda_base: bool, lambda_host: bool) -> ImageCode | None:
    """The function code of the image ``doc`` builds; None when it is no Lambda
    function image (neither an AWS base image nor the runtime interface client),
    or names no handler and copies no code (a base for other images)."""
    if not (lambda_base or lambda_host):
        return None
    global_env: dict[str, str] = {}
    stages: list[dict] = []  # per stage: env, workdir, copies, cmd, entrypoint, image, platform
    names: dict[str, int] = {}
    for ins in doc.instructions:
        kw = ins.keyword
        if kw == "arg" and not stages:
            global_env.update((n, v) for n, v in _assignments(ins) if v is not None)
        elif kw == "from":
            words = [w for w, _, _ in ins.words()[1:]]
            platform = next((w for w in words if w.startswith("--platform=")), "")
            words = [w for w in words if not w.startswith("--")]
            image = words[0] if words else ""
            parent = names.get(image.lower())
            if parent is not None:  # FROM build AS final: everything of its parent
                st = {**stages[parent], "copies": list(stages[parent]["copies"]), "own_env": False}
            else:
                lam = "lambda/" in image or "aws-lambda-" in image
                st = {"env": {"LAMBDA_TASK_ROOT": TASK_ROOT} if lam else {}, "workdir": TASK_ROOT if lam else "/",
                      "copies": [], "cmd": None, "entrypoint": None, "image": image, "platform": platform,
                      "elsewhere": None, "own_env": True}
            st["from"] = ins
            if len(words) >= 3 and words[1].lower() == "as":
                names.setdefault(words[2].lower(), len(stages))
            stages.append(st)
        elif stages:
            _instruction(ins, stages[-1], stages, names, global_env)
    if not stages:
        return None
    final = stages[-1]
    entry, cmd = final["entrypoint"] or [], final["cmd"] or []
    ric = any("awslambdaric" in w for w in entry + cmd)
    task_root = final["workdir"] if ric or not lambda_base else final["env"].get("LAMBDA_TASK_ROOT", TASK_ROOT)
    handler = _handler(entry, cmd)
    platform = _PLATFORM.search(final["platform"])
    arch = "arm64" if (platform and platform.group(1) in ("arm64", "aarch64")) or \
        re.search(r"-arm64(?:$|@)", final["image"]) else "x86_64"
    module = handler.rsplit(".", 1)[0].replace(".", "/") if handler and "." in handler else None
    found = _root(final["copies"], task_root, module)
    at = found[1] if found else final["from"]
    common = dict(start=at.start, end=at.start + len(at.line.split("\n", 1)[0]), handler=handler, architecture=arch)
    if found is None and handler is None and not final["elsewhere"]:
        return None  # no handler, no code: a base for other images, not a function
    if found is None:
        why = final["elsewhere"] or (f"nothing is copied from the build context into {task_root} "
                                     "(the code is built or fetched in the image)")
        return ImageCode(**common, not_local=why, field="FROM")
    return ImageCode(**common, root=found[0])


def _instruction(ins: Instruction, st: dict, stages: list[dict], names: dict[str, int], global_env: dict) -> None:
    kw, env = ins.keyword, st["env"]
    if kw in ("arg", "env") and not st["own_env"]:  # a stage built FROM another: its variables, copied on write
        env = st["env"] = dict(env)
        st["own_env"] = True
    if kw in ("arg", "env") and len(env) >= MAX_VARS:
        return
    if kw == "arg":
        for name, value in _assignments(ins):
            env[name] = value if value is not None else global_env.get(name, env.get(name, ""))
    elif kw == "env":
        for name, value in _assignments(ins):
            expanded = _expand(value, env) if value is not None else None
            if expanded is not None:
                env[name] = _unquote(expanded)
    elif kw == "workdir":
        path = _expand(_unquote(ins.args()[0].strip()), env)
        if path:
            st["workdir"] = posixpath.normpath(posixpath.join(st["workdir"], path))
    elif kw in ("cmd", "entrypoint"):
        st[kw] = _command(ins)
        if kw == "entrypoint":
            st["cmd"] = None  # an ENTRYPOINT resets an inherited CMD
    elif kw in ("copy", "add"):
        _copy(ins, st, stages, names)


def _handler(entry: list[str], cmd: list[str]) -> str | None:
    """CMD's first word; with the runtime interface client, the word after it."""
    words = entry + cmd
    ric = next((i for i, w in enumerate(words) if "awslambdaric" in w), None)
    if ric is not None:
        rest = words[ric + 1:]
    else:
        rest = cmd
    handler = rest[0] if rest else None
    return handler if handler and "$" not in handler and " " not in handler and not handler.startswith("-") else None


def _copy(ins: Instruction, st: dict, stages: list[dict], names: dict[str, int]) -> None:
    """Record what a COPY/ADD puts where (from the build context or another stage)."""
    args, _ = ins.args()
    env = st["env"]
    words = [w for w, _, _ in ins.words()[1:]]
    flags = [w for w in words if w.startswith("--")]
    if args.lstrip().startswith("["):
        try:
            words = [str(w) for w in json.loads(args[args.index("["):])]
        except ValueError:
            return
    else:
        words = [_unquote(w) for w in words if not w.startswith("--")]
    if len(words) < 2 or any(w.startswith("<<") for w in words):
        return
    *sources, dest = words
    dest = _expand(dest, env)
    if dest is None:
        return
    into = dest.endswith("/") or dest in (".", "./") or len(sources) > 1
    dest = posixpath.normpath(posixpath.join(st["workdir"], dest))
    frm = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
    if frm is not None:
        other = names.get(frm.lower())
        if other is None and frm.isdigit() and int(frm) < len(stages) - 1:
            other = int(frm)
        if other is None:
            st["elsewhere"] = st["elsewhere"] or f"the code is copied from the image {frm}"
            return
        theirs = stages[other]
        for s in sources:
            s = _expand(s, theirs["env"])
            if s is None:
                continue
            s = posixpath.normpath(posixpath.join(theirs["workdir"], s))
            for c in theirs["copies"]:
                rel = _in_dir(c.dest, s)
                if rel is not None and len(st["copies"]) < MAX_COPIES:
                    st["copies"].append(_Copy(posixpath.join(dest, rel) if rel else dest, c.source, c.is_dir, c.ins))
        return
    for s in sources:
        if ins.keyword == "add" and (re.match(r"[a-z]+://", s) or s.endswith((".tar", ".gz", ".tgz", ".zip"))):
            st["elsewhere"] = st["elsewhere"] or f"the code is added from {s}"
            continue
        s = _expand(s, env)
        if s is None or s.startswith("/") or ".." in s.split("/"):
            continue
        is_dir = _is_dir_source(s)
        source = posixpath.normpath(s.removesuffix("*").rstrip("/") or ".")
        if is_dir or (not into and _has_ext(dest)):
            target = dest  # a directory's contents, or a file renamed
        else:
            target = posixpath.join(dest, posixpath.basename(source))
        if len(st["copies"]) < MAX_COPIES:
            st["copies"].append(_Copy(target, source, is_dir, ins))


def _has_ext(path: str) -> bool:
    return "." in posixpath.basename(path).lstrip(".")


def _parent(source: str, depth: int) -> str | None:
    """``source`` without its last ``depth`` components ("." when none is left)."""
    parts = source.split("/") if source != "." else []
    if depth > len(parts):
        return None
    return "/".join(parts[:len(parts) - depth]) or "."


def _root(copies: list[_Copy], task_root: str, module: str | None):
    """(the build-context directory that stands for the task root, the COPY
    that says so): the copy that provides the handler module, else a
    directory copied as the task root itself, else one copied under it in
    the same layout, else the directory of a module copied into it."""
    ranked = []
    for c in copies:
        rel = _in_dir(c.dest, task_root)
        if rel is None:
            continue
        if not c.is_dir:
            root = _parent(c.source, rel.count("/") + 1)
            if module is not None and rel in (f"{module}.py", f"{module}/__init__.py"):
                ranked.append((0, root, c.ins))
            elif rel.endswith(".py") and "/" not in rel:
                ranked.append((3, root, c.ins))
        elif rel == "":
            ranked.append((1, c.source, c.ins))
        elif c.source == rel or c.source.endswith("/" + rel):  # COPY src/ ${LAMBDA_TASK_ROOT}/src/
            mine = module is not None and (module == rel or module.startswith(rel + "/"))
            ranked.append((0 if mine else 2, _parent(c.source, rel.count("/") + 1), c.ins))
    ranked = [r for r in ranked if r[1] is not None]
    if not ranked:
        return None
    _, root, ins = min(ranked, key=lambda r: r[0])
    return root, ins
