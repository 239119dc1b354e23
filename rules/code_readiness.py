"""Code readiness: will the target runtime run each function's code?

The checker consumes the ``FunctionCode`` items formats locate (and the
runtime ``Site``s and container base images (``ImageRef``), to know each
function's runtime), asks
``iacfix.readiness.assess`` what the code holds, and reports each import or
use of a removed module or API once, at its line in the code file, naming
every function whose code reaches it (RT301), Python 2 code (RT302), what
the code already guards against (RT303, info), and code that cannot be read
(RT304, info).  ``hold_unready`` then holds back the runtime fixes of the
functions whose code the fix target would break: a shared value moves only
if every function using it can.
"""

from __future__ import annotations

import dataclasses
import os

from iacfix import deps
from iacfix.formats.image_refs import DockerfileFacts, ImageRef
from iacfix.model import UNSAFE, Finding, FunctionCode, Site
from iacfix.targets import target_for

from . import ERROR, INFO, RULES, WARNING, Checker, Context, Rule, checker, register, unit_step
from .container_images import runtime_of

TYPE_CHECKING = False  # as typing's, without importing typing at start-up
if TYPE_CHECKING:  # the reader is imported when a function's code is read, not at start-up
    from iacfix.readiness import Blocker

WHATS_NEW = "https://docs.python.org/3/whatsnew/3.13.html#removed-modules-and-apis"
BLOCKING = ("RT301", "RT302", "RT321")


@register
class RemovedStdlib(Rule):
    """## What it does
    Reads the handler module of each function and every local module it
    imports (offline, with `ast`; nothing is run) and reports each import of a
    standard-library module removed from Python (`distutils`, `imp`,
    `asyncore` in 3.12; `cgi`, `imghdr`, `telnetlib` and the other PEP 594
    modules, `lib2to3`, `typing.io` in 3.13) and each use of an API removed
    in 3.14 (`pkgutil.find_loader`, `ast.Str`...), at its line, with the
    version that removed it and the replacement.  The list is
    `rules/removed_stdlib.json`, generated from the lifecycle facts, each
    entry with its source.

    ## Why is this bad
    The function fails at import on the new runtime: `ModuleNotFoundError:
    No module named 'cgi'`, in production, after the runtime was moved.
    Severity: error when the function's runtime already lacks the module,
    warning when the fix target does, info when only a later version does.

    ## Example
    With `--as-of 2026-11-21`:
    ```yaml
    Resources:
      Upload:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code:
            ZipFile: |
              import cgi
              def handler(event, context):
                  return cgi.escape(event["q"])
    ```

    ## Fix safety
    Not fixed: the code must change (or a backfill such as `legacy-cgi` be
    required beside it).  `iacfix fix` holds back the runtime of a function
    whose code this blocks, and says which runtime runs the code;
    `--unsafe-fixes` moves it anyway.
    """

    code = "RT301"
    name = "code-removed-stdlib"
    severity = WARNING
    summary = "the function's code imports a standard-library module or API the target Python removed"
    url = WHATS_NEW
    tags = ("aws", "python", "code")
    fix_safety = "never"


@register
class Python2Code(Rule):
    """## What it does
    Reports function code that does not parse as Python 3 because it is
    written for Python 2 (`print "x"`, `except E, e:`, backticks, `<>`).

    ## Why is this bad
    No Python 3 runtime can import it: moving a `python2.7` function to
    `python3.13` without porting the code breaks it.

    ## Example
    With `--as-of 2026-11-21`:
    ```yaml
    Resources:
      Legacy:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code:
            ZipFile: |
              def handler(event, context):
                  print "hello"
    ```

    ## Fix safety
    Not fixed: port the code.  The runtime fix of such a function is held back.
    """

    code = "RT302"
    name = "code-python2-syntax"
    severity = WARNING
    summary = "the function's code is Python 2 and does not parse as Python 3"
    url = "https://docs.python.org/3/howto/pyporting.html"
    tags = ("aws", "python", "code")
    fix_safety = "never"


@register
class GuardedImport(Rule):
    """## What it does
    Reports, for information, an import of a removed module that the code
    already copes with: inside `try: ... except ImportError`, under a
    `sys.version_info` check, `if TYPE_CHECKING:` or a platform check that
    is false on Lambda's Linux (`if sys.platform == "win32":`), in the `except
    ImportError:` fallback behind an import the new Python has, or satisfied
    by a requirement that puts the module back (`legacy-cgi`,
    `standard-imghdr`).

    ## Why is this bad
    It is not: it blocks no move.  It is listed so that a reviewer sees
    which fallback runs on the new runtime.

    ## Example
    With `--as-of 2026-11-21`:
    ```yaml
    Resources:
      Upload:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: index.handler
          Code:
            ZipFile: |
              try:
                  import cgi
              except ImportError:
                  cgi = None
              def handler(event, context):
                  return 1
    ```

    ## Fix safety
    Nothing to fix.
    """

    code = "RT303"
    name = "code-guarded-import"
    severity = INFO
    summary = "a removed module is imported under a guard or backfilled by a requirement"
    url = WHATS_NEW
    tags = ("aws", "python", "code")
    fix_safety = "never"


@register
class CodeNotRead(Rule):
    """## What it does
    Says, for information, when a function's code could not be read: it is
    in S3, built elsewhere (a local `.zip` too), or its path or handler
    module is not found; or when it was read only in part (its handler
    reaches more than 500 local modules).

    ## Why is this bad
    iacfix cannot tell whether the new runtime runs the code, and it never
    guesses: check the code where it is built.

    ## Example
    With `--as-of 2026-11-21`:
    ```yaml
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          Code:
            S3Bucket: artifacts
            S3Key: fn.zip
    ```

    ## Fix safety
    Nothing to fix.
    """

    code = "RT304"
    name = "code-not-read"
    severity = INFO
    summary = "the function's code is not local or not found, so its readiness is not known"
    url = "https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html"
    tags = ("aws", "python", "code")
    fix_safety = "never"


@register
class NoWheel(Rule):
    """## What it does
    With `--resolve`, asks pip's own resolver whether every requirement beside
    a function's code (`requirements.txt`, else `pyproject.toml`, `uv.lock`,
    `poetry.lock` or `Pipfile.lock`) has a wheel for the fix target: `pip install
    --dry-run --report - --only-binary=:all: --python-version 3.13
    --implementation cp --platform manylinux_2_34_x86_64 ...` (aarch64 for an
    arm64 function; the manylinux tags the runtime's Amazon Linux admits), and
    reports each requirement pip finds no wheel for, at its line.  pip reads
    your own configuration (index URL); answers are cached.  Without
    `--resolve` nothing is asked and nothing touches the network.

    ## Why is this bad
    `numpy==1.24.4` has no cp313 wheel: the build either fails or compiles
    from source for the wrong glibc, and the function fails at import.

    ## Example
    ```yaml
    Resources:
      Report:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.11
          CodeUri: src/
          Handler: app.handler
    ```
    with `src/requirements.txt` holding `numpy==1.24.4`, checked with
    `--resolve`.

    ## Fix safety
    Not fixed: bump the requirement to a release with wheels for the target.
    The runtime fix of such a function is held back.
    """

    code = "RT321"
    name = "dependency-no-wheel"
    severity = WARNING
    summary = "a requirement has no wheel for the target runtime (--resolve: pip's resolver says so)"
    url = "https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-platform"
    tags = ("aws", "python", "dependencies")
    fix_safety = "never"


def wheel_blockers(code: FunctionCode, found, runtime, iac_path: str):
    """pip's answer for the requirements beside the code (requirements.txt,
    pyproject.toml or a lock file), for ``runtime``; (None, None) without any."""
    from iacfix.readiness import code_path
    from iacfix.resolve import included_requirements, requirements_beside, resolve

    where = code_path(code, iac_path)
    if where is None or not found.found:
        return None, None
    beside = requirements_beside(where if deps.isdir(where) else os.path.dirname(where))
    if beside is None or not (beside[1] or included_requirements(beside[0])):
        return None, None
    req, lines = beside
    return req, resolve(req, runtime.version, runtime.os, code.architecture, lines)


def _runtimes(sites: list, ctx: Context) -> dict[str, list]:
    """function -> the catalog runtimes its sites (and base images) in this file give it."""
    out: dict[str, list] = {}
    refs = [r for x in sites if isinstance(x, (ImageRef, DockerfileFacts))
            for r in (x.images if isinstance(x, DockerfileFacts) else [x])]
    for ref in refs:
        rt = runtime_of(ref, ctx.catalog)
        for user in ref.users if rt is not None else ():
            out.setdefault(user, []).append(rt)
    for s in (s for s in sites if isinstance(s, Site)):
        if s.kind in ("allowed-value", "layer-runtime", "build-method"):
            continue  # a value the function may take, or a layer's: not what it runs on
        rt = ctx.catalog.get(s.value, s.provider)
        for user in s.users:
            if rt is not None:
                out.setdefault(user, []).append(rt)
    return out


def runs_instead(block: tuple[int, ...], ctx: Context, provider: str = "aws"):
    """The newest generally available Python runtime of ``provider`` older than ``block``."""
    best = None
    for (p, _), rt in ctx.catalog.runtimes.items():
        if p == provider and rt.family == "python" and not rt.preview and rt.version_key \
                and rt.version_key[:2] < block and rt.version_key[:1] == block[:1]:
            if best is None or rt.version_key > best.version_key:
                best = rt
    return best


def describe(b: Blocker) -> str:
    if b.kind == "syntax":
        return f"{b.name} (Python 2)"
    return f"{b.name} is removed in Python {b.removed_in}"


def _replacement(b: Blocker) -> str:
    if b.kind == "syntax":
        return "port the code to Python 3"
    if b.replacement:
        return f"replace {b.name}: {b.replacement}"
    return f"replace {b.name} (Python names no replacement)"


@checker
class CodeReadiness(Checker):
    consumes = (FunctionCode, Site, ImageRef, DockerfileFacts)  # a container image's base is its function's runtime

    def check(self, items: list, file, ctx: Context) -> list[Finding]:
        codes = [x for x in items if isinstance(x, FunctionCode)]
        if not codes:
            return []
        from iacfix.readiness import MAX_MODULES, assess, placed

        runtimes = _runtimes([x for x in items if not isinstance(x, FunctionCode)], ctx)
        target = ctx.target.version_key if ctx.target is not None and ctx.target.family == "python" else None
        grouped: dict[tuple, tuple[Blocker, list[str]]] = {}
        out = []
        for code in codes:
            rts = runtimes.get(code.function, [])
            if rts and not any(rt.family == "python" for rt in rts):
                continue  # a Node.js or Java function: not ours to read
            code = placed(code, file.text, lambda offset: file.positions.at(offset)[0])
            found = assess(code, file.path)
            if not found.found:
                # Said when the template puts the code out of reach (S3, a deploy-time value, an
                # archive) or its handler module is not in the directory it names; a local path
                # that is missing (not built, not checked out), or a handler missing from the IaC
                # file's own directory (a Serverless service, a Dockerfile's build context, where
                # the code may be generated or kept elsewhere), is left to `plan`.
                if code.not_local or found.archive or (found.no_handler and code.named_root):
                    out += filter(None, [self._not_read(code, found.why_not, file, ctx)])
                continue
            if found.truncated:
                out += filter(None, [self._not_read(code, f"only the first {MAX_MODULES} local modules its handler "
                                                    "reaches were read", file, ctx, "not fully read")])
            if ctx.resolve and target is not None and ctx.target is not None:
                out += self._wheels(code, found, file, ctx)
            for b in found.blockers:
                if b.kind == "unparsed":  # not Python 3 this interpreter reads, nor Python 2: not judged
                    continue
                key = (b.path, b.line, b.column, b.name)
                grouped.setdefault(key, (b, []))[1].append(code.function)
        for b, functions in grouped.values():
            finding = self._blocker(b, list(dict.fromkeys(functions)), runtimes, target, ctx)
            if finding is not None:
                out.append(finding)
        return out

    @staticmethod
    def _wheels(code: FunctionCode, found, file, ctx: Context) -> list[Finding]:
        from iacfix.readiness import shown

        rule = RULES["RT321"]
        if not ctx.selected(rule.code):
            return []
        req, answer = wheel_blockers(code, found, ctx.target, file.path)
        if answer is None or answer.ok:
            return []
        where = shown(req)
        out = []
        for requirement, line in answer.blockers or [(answer.error or "pip could not resolve", 1)]:
            out.append(Finding(
                rule=rule.code, severity=rule.severity, path=where, line=line or 1, column=1, end_line=line or 1,
                end_column=1, users=[code.function],
                message=f"{requirement} has no wheel for {ctx.target.id} ({ctx.target.os or 'Linux'}, "
                        f"{code.architecture}): pip finds no matching distribution; blocks {ctx.target.id} for the "
                        f"code of {code.function}" if answer.blockers else
                        f"pip could not resolve the requirements for {ctx.target.id}: {requirement}",
                data={"functions": [code.function], "name": requirement, "kind": "wheel",
                      "removed_in": ctx.target.version, "blocks": ctx.target.version, "runs_on": None},
                fix_unavailable="bump the requirement to a release with wheels for the target"))
        return out

    @staticmethod
    def _not_read(code: FunctionCode, why: str | None, file, ctx: Context, what: str = "not read") -> Finding | None:
        rule = RULES["RT304"]
        if not ctx.selected(rule.code):
            return None
        line, col = file.positions.at(code.start)
        end_line, end_col = file.positions.at(code.end)
        return Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col,
                       end_line=end_line, end_column=end_col, users=[code.function],
                       message=f"code of {code.function} {what}: {why}; whether a newer Python runs it is not known",
                       data={"function": code.function}, fix_unavailable="nothing to fix")

    @staticmethod
    def _blocker(b: Blocker, functions: list[str], runtimes: dict, target, ctx: Context) -> Finding | None:
        from iacfix.readiness import version_key

        named = ", ".join(functions)
        data = {"functions": functions, "name": b.name, "kind": b.kind, "removed_in": b.removed_in,
                "replacement": b.replacement, "source": b.source}
        if not b.blocks:
            rule = RULES["RT303"]
            why = f"and the requirement {b.backfilled} puts it back" if b.backfilled else b.guarded
            message = f"{describe(b)}; imported by the code of {named}, {why}: blocks no move" \
                if b.kind != "unparsed" else f"code of {named} {b.name}: {b.guarded}"
            severity = rule.severity
        else:
            rule = RULES["RT302" if b.kind == "syntax" else "RT301"]
            block = version_key(b.removed_in)
            current = [rt.version_key for f in functions for rt in runtimes.get(f, []) if rt.family == "python"]
            if any(v[:2] >= block for v in current):
                severity, state = ERROR, "the function's runtime already lacks it"
            elif target is not None and target[:2] >= block:
                severity, state = WARNING, f"blocks {ctx.target.id}"
            else:
                severity, state = INFO, "blocks a later move"
            instead = runs_instead(block, ctx)
            runs = f"{instead.id} runs this code" if instead is not None else "no Python 3 runtime runs this code"
            verb = "written in" if b.kind == "syntax" else "reached from"
            message = f"{describe(b)}; {verb} the code of {named}: {state}; {runs}; or {_replacement(b)}"
            data["blocks"] = b.removed_in
            data["runs_on"] = instead.id if instead is not None else None
        if not ctx.selected(rule.code):
            return None
        return Finding(rule=rule.code, severity=severity, path=b.path, line=b.line, column=b.column,
                       end_line=b.end_line or b.line, end_column=b.end_column or b.column, message=message, users=functions, data=data,
                       fix_unavailable="the code must change; iacfix edits infrastructure, not handlers")


@unit_step
def hold_unready(findings: list[list[Finding]], ctx: Context) -> None:
    """Runtime fixes that would move a function onto a Python its code does not
    run on become unsafe: ``fix`` holds them back (and, through ``stuck``, the
    values tied to them), ``--unsafe-fixes`` applies them anyway."""
    from iacfix.readiness import version_key

    blocked: dict[str, tuple[tuple[int, ...], Finding]] = {}
    for f in (f for fs in findings for f in fs):
        if f.rule in BLOCKING and "blocks" in f.data:
            key = version_key(f.data["blocks"])
            for fn in f.data["functions"]:
                if fn not in blocked or key < blocked[fn][0]:
                    blocked[fn] = (key, f)
    if not blocked:
        return
    held: dict[int, tuple] = {}  # id(fix) -> (that fix, kept alive so ids stay unique; the fix held back)
    for f in (f for fs in findings for f in fs):
        if f.fix is None or f.runtime is None or f.rule in BLOCKING:
            continue
        target = target_for(ctx, f.provider)
        if target is None or target.family != "python":
            continue
        hits = [(fn, blocked[fn]) for fn in f.users if fn in blocked and target.version_key[:2] >= blocked[fn][0]]
        if not hits:
            continue
        fn, (_, why) = hits[0]
        more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
        where = f"{why.path}:{why.line}"
        runs = f"{why.data['runs_on']} runs this code" if why.data.get("runs_on") else "no Python 3 runtime runs it"
        removed = "" if why.rule != "RT301" else f", removed in {why.data['removed_in']}"
        if why.rule == "RT321":
            runs = "no wheel for it"
        reason = (f"held back: the code of {fn}{more} does not run on {target.id}: {why.data['name']} at {where}"
                  f"{removed}; {runs}")
        title = f.fix.title.replace(" (unsafe: crosses a major version)", "")
        old, f.fix = f.fix, held[id(f.fix)][1] if id(f.fix) in held else dataclasses.replace(
            f.fix, applicability=UNSAFE, title=f"{title} (unsafe: the code of {fn} does not run on {target.id})")
        held[id(old)] = (old, f.fix)
        f.message += f"; {reason}"
        f.data["held_back"] = {"by": [h[0] for h in hits], "at": where, "runs_on": why.data.get("runs_on")}
        f.fixable = ctx.unsafe_fixes
        f.stuck = f.stuck or not ctx.unsafe_fixes
    # A fix shared by several findings (a Dockerfile's one edit, a list) is held back for all of them.
    for f in (f for fs in findings for f in fs):
        if f.fix is not None and id(f.fix) in held and held[id(f.fix)][0] is f.fix:
            f.fix = held[id(f.fix)][1]
            f.fixable = ctx.unsafe_fixes
            f.stuck = f.stuck or (not ctx.unsafe_fixes and f.runtime is not None)
