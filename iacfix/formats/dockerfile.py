"""Dockerfiles and Containerfiles: the base images of Lambda container images.

What is located (data only; ``rules/container_images.py`` judges it):

- every ``FROM`` that names an image, as an ``ImageRef``: an AWS Lambda base
  image (``public.ecr.aws/lambda/<family>:<tag>``, its Docker Hub mirror
  ``amazon/aws-lambda-<family>:<tag>`` and any registry path that ends like
  either: an ECR pull-through cache, a private mirror) or the official Python
  image (``python:3.x[-variant]``, ``docker.io/library/python``), with the span
  of the version in its tag; ``FROM build AS final`` names a stage, not an
  image;
- a tag fed by an ``ARG`` declared before the first ``FROM``
  (``ARG PY=3.9`` + ``FROM .../python:${PY}``): the version's span is then in
  the ARG's default; an ARG with no default, or a cookiecutter placeholder
  (``{{ cookiecutter.runtime }}``), is ``Unresolved``;
- per stage: ``yum`` used as a command in ``RUN`` (shell form and heredocs),
  and ``amazon-linux-extras`` / ``yum-config-manager`` (no AL2023 equivalent);
- in the whole file: version-bearing paths that move with the base
  (``/var/lang/lib/python3.11/``, ``/opt/python/lib/python3.11/``,
  ``/var/lang/bin/python3.11``, ``python3.11 -m pip`` and any ``python3.11 -<option>``, ``pip3.11``);
- whether the file hosts a Lambda function through ``awslambdaric``;
- for a Lambda function image, where its code comes from, as a
  ``FunctionCode`` (``image_code``: ``COPY ... ${LAMBDA_TASK_ROOT}`` and the
  final ``CMD``).  A standalone Dockerfile's function is named by the
  Dockerfile's path (its build context is taken to be its own directory), and
  the final stage's base image is that function's: a code readiness blocker
  holds back that image's move.

``images_for_build_args`` answers a SAM template: which images a Dockerfile
selects when its build arguments take given values.
"""

from __future__ import annotations

import bisect
import os
import re

from ..model import FunctionCode, Located, ParseError, Unresolved, Where
from ..records import dataclass
from . import Format, register
from .dockerfile_syntax import _WORD, Dockerfile, Instruction, parse as parse_dockerfile
from .image_refs import DockerfileFacts, ImageRef, Stage, split_reference  # noqa: F401 (also imported from here)

# An AWS Lambda base image: .../lambda/<family> (ECR Public and mirrors of it) or .../amazon/aws-lambda-<family>.
_LAMBDA_REPO = re.compile(r"(?:(?P<host>[^/]+)/(?:[^/]+/)*)?lambda/(?P<f1>[a-z0-9._-]+)"
                          r"|(?:.+/)?amazon/aws-lambda-(?P<f2>[a-z0-9._-]+)")
_PYTHON_REPO = re.compile(r"(?:(?:[^/]+/)*library/)?python")
_LAMBDA_TAG = re.compile(r"(?P<version>[a-z]*[0-9][0-9a-z.]*?|al2023|al2|alami|latest)"
                         r"(?P<build>\.\d{4}\.\d{2}\.\d{2}(?:\.\d{2})?)?(?P<rest>-(?:x86_64|arm64))?")
_PYTHON_TAG = re.compile(r"(?P<version>\d+\.\d+)(?P<patch>\.\d+(?:(?:a|b|rc)\d+)?)?(?P<rest>-[A-Za-z0-9._-]+)?")
_VAR = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+])(?P<word>[^}]*))?\}"
                  r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")

# yum as a command word: what comes before it on its line must end a command (or be RUN, its flags, sudo).
_YUM = re.compile(r"(?<![\w./-])yum(?=[ \t])")
_COMMAND_WORDS = {"run", "sudo", "then", "do", "else", "exec", "if", "elif", "while", "until", "!", "time", "nohup",
                  "xargs", "env"}
# yum as a word in a RUN that is not a command iacfix recognises (an argument, data, sh -c "yum ..."): "yum"
# not part of a path, a package name or a file name, not assigned to.
_YUM_WORD = re.compile(r"(?:(?<![\w./-])|(?<=/bin/))yum(?![\w.=-])")  # /usr/bin/yum too
_JSON_YUM = re.compile(r'\[[ \t]*"(yum)"')
# Asking whether yum is there (if command -v yum; then ...) runs nothing: neither rewritten nor holding back.
_PROBE = re.compile(r"(?:^|[\s;&|(`])(?:command[ \t]+-v|which|type|hash)[ \t]+\Z", re.M)
_SHELLS = {"sh", "bash", "ash", "dash", "zsh"}
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\S*")
_NO_AL2023 = re.compile(r"(?<![\w.-])(amazon-linux-extras|yum-config-manager)(?![\w.-])")
_AWSLAMBDARIC = re.compile(r"awslambdaric")
_BOOTSTRAP = re.compile(r"/var/runtime/bootstrap|\b_HANDLER\b")
# Paths and commands that name the Python version of the base image.
_VERSION_PATHS = re.compile(
    r"(?:/var/lang/lib/python|/opt/python/lib/python|/var/lang/bin/python|/var/lang/bin/pip)(?P<a>3\.\d+)(?![\d])"
    r"|(?<![\w./-])python(?P<b>3\.\d+)(?=[ \t]+-)"  # python3.11 run with an option: -m pip, -m venv, -c
    r"|(?<![\w./-])pip(?P<c>3\.\d+)(?![\w.])")


_SNIFF = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:FROM|ARG)[ \t]", re.I)
_OURS = re.compile(r"lambda/|aws-lambda-|\bpython:")


@dataclass(eq=False)
class _Arg:
    name: str
    value: str | None  # None: no default
    start: int | None  # span of the value in the text (quotes excluded), when written there as it is
    end: int | None
    label: str  # "ARG PY"
    where: list | None = None  # where each character of the value comes from: (owner, offset) or (None, None)
    why: str = ""  # why the value cannot be used, if so

    def __post_init__(self):
        if self.where is None and self.start is not None:
            self.where = [(self, self.start + i) for i in range(len(self.value))]


def _expand(word: str, origin: list, args: dict) -> tuple[str, list] | str:
    """``word`` with $VAR / ${VAR} / ${VAR:-x} substituted, and where each
    character comes from (an offset in the text or None); a string when a
    variable has no value: the reason."""
    out, where, pos = [], [], 0
    for m in _VAR.finditer(word):
        out.append(word[pos:m.start()])
        where += origin[pos:m.start()]
        pos = m.end()
        name = m.group("braced") or m.group("plain")
        arg = args.get(name)
        op = m.group("op")
        if arg is not None and arg.value is not None and op not in (":+", "+"):
            if arg.why or arg.where is None:
                return arg.why or f"build argument {name} is not a plain value ({arg.value!r})"
            out.append(arg.value)
            where += arg.where
        elif op in (":-", "-") and "$" not in m.group("word"):
            w0 = m.start("word")
            out.append(m.group("word"))
            where += origin[w0:m.end("word")]
        elif op in (":+", "+"):
            return f"${{{name}{op}...}} depends on whether {name} is set"
        else:
            why = "has no default" if arg is not None else "is not declared before the first FROM"
            return f"build argument {name} {why}; set at build time (--build-arg, SAM DockerBuildArgs)"
    out.append(word[pos:])
    where += origin[pos:]
    return "".join(out), where


def classify_reference(ref: str) -> dict | None:
    """What an image reference is, if it is a base iacfix judges: kind,
    family, version and where the version sits (offsets in ``ref``)."""
    repo, tag, digest = split_reference(ref)
    tag_at = len(repo) + 1
    m = _LAMBDA_REPO.fullmatch(repo)
    if m and (m.group("f2") or (m.group("host") and ("." in m.group("host") or ":" in m.group("host")
                                                    or m.group("host") == "localhost"))):
        family = m.group("f1") or m.group("f2")
        t = _LAMBDA_TAG.fullmatch(tag)
        if not tag or t is None:
            return None
        pinned = ("a digest" if digest else "a dated build tag" if t.group("build") else "")
        return {"kind": "lambda", "family": family, "version": t.group("version"), "rest": t.group("rest") or "",
                "vstart": tag_at, "vend": tag_at + t.end("version"), "pinned": pinned}
    if _PYTHON_REPO.fullmatch(repo):
        t = _PYTHON_TAG.fullmatch(tag)
        if not tag or t is None:
            return None
        pinned = "a digest" if digest else ("a patch release" if t.group("patch") else "")
        return {"kind": "python", "family": "python", "version": t.group("version"), "rest": t.group("rest") or "",
                "vstart": tag_at, "vend": tag_at + t.end("version"), "pinned": pinned}
    return None


def _from_parts(ins: Instruction) -> tuple[tuple[str, int, int] | None, str]:
    """The image word of a FROM (word, logical start, end) and its stage name."""
    words = ins.words()[1:]
    while words and words[0][0].startswith("--"):
        words.pop(0)
    if not words:
        return None, ""
    image = words[0]
    if "{{" in image[0] and "}}" not in image[0]:  # a template placeholder with blanks inside
        close = ins.line.find("}}", image[1])
        if close != -1:
            end = close + 2
            while end < len(ins.line) and ins.line[end] not in " \t":
                end += 1
            image = (ins.line[image[1]:end], image[1], end)
            words = [image] + [w for w in words if w[1] >= end]
    name = words[2][0] if len(words) >= 3 and words[1][0].lower() == "as" else ""
    return image, name


def _args(ins: Instruction, args: dict) -> list[_Arg]:
    """The ARGs an instruction declares, each default expanded with the build arguments declared before it
    (``ARG BASE=public.ecr.aws/lambda/python:${PY}``), as BuildKit expands them; added to ``args``."""
    out = []
    for word, s, e in ins.words()[1:]:
        name, eq, value = word.partition("=")
        if not eq:
            out.append(_Arg(name, None, None, None, f"ARG {name}"))
            args[name] = out[-1]
            continue
        vs, ve = s + len(name) + 1, e
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, vs, ve = value[1:-1], vs + 1, ve - 1
        span = ins.span(vs, ve)
        plain = "$" not in value and "\\" not in value and span is not None
        arg = _Arg(name, value, span[0] if plain else None, span[1] if plain else None, f"ARG {name}")
        if "$" in value and "\\" not in value and "'" not in word:  # single quotes: no expansion
            origin = [(arg, p[0]) if (p := ins.span(vs + i, vs + i + 1)) else (None, None) for i in range(len(value))]
            expanded = _expand(value, origin, args)
            if isinstance(expanded, str):
                arg.why = expanded
            else:
                arg.value, arg.where = expanded
        out.append(arg)
        args[name] = arg
    return out


def _expand_word(ins: Instruction, word, args: dict):
    """``_expand`` of a word of ``ins`` (word, logical start, end)."""
    w, ws, _ = word
    origin = [(None, p[0]) if (p := ins.span(ws + i, ws + i + 1)) else (None, None) for i in range(len(w))]
    return _expand(w, origin, args)


def _image(ins: Instruction, word, args: dict, text: str) -> ImageRef | Unresolved | None:
    w, ws, we = word
    at = ins.span(ws, we) or (ins.start, ins.start + len(ins.line.split("\n", 1)[0]))
    if "{{" in w or "{%" in w:  # a cookiecutter/Jinja placeholder: unresolved when it names a base iacfix judges
        if not _OURS.search(w):
            return None
        return Unresolved(*at, f"the base image {w} is a template placeholder (cookiecutter/Jinja)")
    expanded = _expand_word(ins, word, args)
    if isinstance(expanded, str):
        named = [a.value for m in _VAR.finditer(w) if (a := args.get(m.group("braced") or m.group("plain")))]
        whole = " ".join([w] + [v for v in named if v])  # ARG BASE=public.ecr.aws/lambda/python:${PY} + FROM ${BASE}
        repo = split_reference(w)[0]
        if "lambda" in whole or "python" in repo.rsplit("/", 1)[-1] or _OURS.search(whole):
            return Unresolved(*at, f"the base image {w}: {expanded}")
        return None
    resolved, where = expanded
    info = classify_reference(resolved)
    if info is None:
        return None
    ref = ImageRef(written=w, resolved=resolved, kind=info["kind"], family=info["family"], version=info["version"],
                   rest=info["rest"], at=at, pinned=info["pinned"])
    chunk = where[info["vstart"]:info["vend"]]
    owners = {id(o): o for o, _ in chunk}
    offsets = [p for _, p in chunk]
    if len(owners) != 1 or None in offsets or offsets != list(range(offsets[0], offsets[0] + len(offsets))):
        ref.blocked = "the version is written in pieces (build arguments or a line continuation); change it by hand"
        return ref
    owner = next(iter(owners.values()))
    ref.start, ref.end = offsets[0], offsets[-1] + 1
    if owner is not None:
        ref.via = owner.label
    return ref


def _starts_command(s: str, i: int) -> bool:
    """Whether the word at ``s[i]`` is where a shell command starts: at a line's start, after ;, &&, ||,
    |, (, `, {, $(, or after RUN (and its --flags), sudo, a shell keyword (then, do, if, ! ...), exec, time,
    nohup, xargs or env."""
    j, flags = i, False
    while True:
        while j > 0 and s[j - 1] in " \t":
            j -= 1
        if j == 0 or s[j - 1] in "\n;&|(`{" or s.endswith("$(", 0, j):
            return not flags
        k = j
        while k > 0 and not s[k - 1].isspace():
            k -= 1
        word = s[k:j]
        if word.lower() in _COMMAND_WORDS:
            return not flags or word.lower() in ("run", "sudo")  # --flags of RUN or sudo (not rpm -e --nodeps yum)
        if _ASSIGNMENT.fullmatch(word):  # LANG=C yum, env LANG=C yum
            j = k
            continue
        if not word.startswith("--"):
            return False
        j, flags = k, True


def _run_args(ins: Instruction) -> tuple[str, int] | None:
    """The command of a RUN (also ONBUILD RUN) after its --flags, and its logical offset; None if not a RUN."""
    args, at = ins.args()
    if ins.keyword == "onbuild":
        m = _WORD.match(args)
        if m is None or m.group().lower() != "run":
            return None
        rest = _WORD.search(args, m.end())
        args, at = (args[rest.start():], at + rest.start()) if rest else ("", at + len(args))
    elif ins.keyword != "run":
        return None
    while (m := _WORD.match(args)) is not None and m.group().startswith("--"):
        rest = _WORD.search(args, m.end())
        args, at = (args[rest.start():], at + rest.start()) if rest else ("", at + len(args))
    return args, at


def _heredocs_are_scripts(command: str) -> bool:
    """Whether a RUN's heredoc bodies are shell scripts (``RUN <<EOF``, ``RUN <<EOF bash``, ``bash -e <<EOF``)
    rather than data fed to a command (``cat > file <<EOF``, ``python3 <<EOF``)."""
    words = [w for w in _WORD.findall(command) if not re.match(r"\d*<<", w)]
    return not words or (words[0].rsplit("/", 1)[-1] in _SHELLS and all(w.startswith("-") for w in words[1:]))


def _stage_words(ins: Instruction, text: str, rx: re.Pattern):
    """Matches of ``rx`` in a RUN's shell text and heredoc bodies, as text spans (None if split)."""
    for m in rx.finditer(ins.line):
        span = ins.span(m.start(m.lastindex or 0), m.end(m.lastindex or 0))
        yield m, span
    for h in ins.heredocs:
        for m in rx.finditer(text, h.start, h.end):
            yield m, (m.start(m.lastindex or 0), m.end(m.lastindex or 0))


def _run_yum(ins: Instruction, text: str, run: tuple[str, int], stage: Stage) -> None:
    """Where a RUN uses yum: as a command iacfix rewrites (``stage.yum``), or otherwise (``stage.yum_other``)."""
    command, at = run
    commands, others = [], []
    if command.startswith("["):  # JSON form: the command is the array's first string
        m = _JSON_YUM.match(command)
        if m:
            commands.append(ins.span(at + m.start(1), at + m.end(1)))
        others += [ins.span(at + m.start(), at + m.end()) for m in _YUM_WORD.finditer(command, m.end() if m else 0)]
    else:
        for m in _YUM_WORD.finditer(ins.line, at):
            if _PROBE.search(ins.line, max(0, m.start() - 40), m.start()):
                continue
            span = ins.span(m.start(), m.end())
            (commands if _YUM.match(ins.line, m.start()) and _starts_command(ins.line, m.start()) else others
             ).append(span)
        script = _heredocs_are_scripts(command)
        for h in ins.heredocs:
            line_start = scanned = h.start
            for m in _YUM_WORD.finditer(text, h.start, h.end):
                line_start = text.rfind("\n", scanned, m.start()) + 1 or line_start  # linear: each byte once
                scanned = m.start()
                if script and (text[_lstrip_to(text, line_start, m.start())] == "#"
                               or _PROBE.search(text, max(line_start, m.start() - 40), m.start())):
                    continue  # a comment in the script, or a probe
                command_word = script and _YUM.match(text, m.start()) and _starts_command(text, m.start())
                (commands if command_word else others).append((m.start(), m.end()))
    stage.yum += [s for s in commands if s is not None]
    stage.yum_other += [s or (ins.start, ins.start) for s in others] + [(ins.start, ins.start) for s in commands
                                                                       if s is None]


def _lstrip_to(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \t":
        start += 1
    return start


def locate_dockerfile(doc: Dockerfile, text: str, function: str | None = None) -> Located:
    """What ``doc`` says; with ``function`` (the name its code goes by), where
    that function's code is, when the file builds a Lambda function image."""
    images: list[ImageRef] = []
    stages: list[Stage] = []
    unresolved: list[Unresolved] = []
    paths: list[tuple[str, int, int]] = []
    args: dict[str, _Arg] = {}
    names: dict[str, int] = {}  # stage name -> its first stage
    others: list[tuple[str, int, set[str]]] = []
    lambda_host = bootstrap = False
    for ins in doc.instructions:
        kw = ins.keyword
        if kw == "arg" and not stages:
            _args(ins, args)
        elif kw == "from":
            word, name = _from_parts(ins)
            parent = names.get(word[0].lower()) if word else None
            stage = Stage(len(stages), name, None, parent, ins.first_line)
            stage.root = stage.index if parent is None else stages[parent].root
            stages.append(stage)
            if name:
                names.setdefault(name.lower(), stage.index)
            if word is not None and parent is None:
                found = _image(ins, word, args, text)
                if isinstance(found, Unresolved):
                    unresolved.append(found)
                elif found is not None:
                    found.stage, found.stage_name = stage.index, name
                    stage.image = len(images)
                    images.append(found)
                elif "$" in word[0] and not isinstance(expanded := _expand_word(ins, word, args), str):
                    owners = {o.label for o, _ in expanded[1] if o is not None}
                    if owners:  # an image iacfix does not judge, whose reference a build argument writes
                        others.append((expanded[0], ins.first_line, owners))
        if kw in ("run", "cmd", "entrypoint") and (_AWSLAMBDARIC.search(ins.line) or any(
                _AWSLAMBDARIC.search(text, h.start, h.end) for h in ins.heredocs)):
            lambda_host = True
        if not bootstrap and (_BOOTSTRAP.search(ins.line) or any(_BOOTSTRAP.search(text, h.start, h.end)
                                                                 for h in ins.heredocs)):
            bootstrap = True
        if kw == "from" or kw.startswith("#"):
            continue
        for m, span in _stage_words(ins, text, _VERSION_PATHS):
            if span is not None:
                paths.append((m.group(m.lastindex), *span))
                if stages:
                    stages[-1].paths.append(paths[-1])
        run = _run_args(ins) if stages else None
        if run is not None:
            _run_yum(ins, text, run, stages[-1])
            for m, span in _stage_words(ins, text, _NO_AL2023):
                if span is not None:
                    stages[-1].no_al2023.append((m.group(1), *span))
        elif stages and ins.heredocs:  # COPY <<EOF /usr/local/bin/setup.sh: a script some RUN may run
            stages[-1].yum_other += [m.span() for h in ins.heredocs for m in _YUM_WORD.finditer(text, h.start, h.end)]
    facts = DockerfileFacts(images, stages, paths, lambda_host, bootstrap, others)
    more: list = [facts] if images or stages else []
    code = function_code(doc, facts, function) if function is not None and stages else None
    if code is not None:
        more.append(code)
    return Located([], unresolved, more)


def function_code(doc: Dockerfile, facts: DockerfileFacts, function: str, context: str = ".") -> FunctionCode | None:
    """The code of the function the image runs, as a ``FunctionCode`` named
    ``function`` (``root`` relative to the IaC file's directory: the build
    ``context`` joined with the Dockerfile's source path); the final stage's
    base image gains the function as a user.  None for an image that is no
    Lambda function."""
    from .image_code import image_code

    final = facts.stages[-1]
    base = facts.images[facts.stages[final.root].image] if facts.stages[final.root].image is not None else None
    found = image_code(doc, base is not None and base.kind == "lambda", facts.lambda_host)
    if found is None:
        return None
    if base is not None and function not in base.users:
        base.users.append(function)
    arch = "arm64" if base is not None and base.rest == "-arm64" else found.architecture
    root = None if found.root is None else os.path.normpath(os.path.join(context, found.root)).replace(os.sep, "/")
    return FunctionCode(function=function, start=found.start, end=found.end, where=Where("image", function, found.field),
                        root=root, handler=found.handler, not_local=found.not_local, architecture=arch,
                        named_root=False)  # the build context is taken to be the Dockerfile's directory


def images_for_build_args(text: str, values: dict[str, tuple[str, int]]) -> dict[str, list[ImageRef]]:
    """The base images a Dockerfile selects when build argument NAME is
    ``values[NAME] = (value, where its text starts)``: for each argument, the
    images whose version it writes (spans in the caller's text)."""
    doc = parse_dockerfile(text)
    args: dict[str, _Arg] = {}
    out: dict[str, list[ImageRef]] = {}
    seen_from = False
    stage = 0
    for ins in doc.instructions:
        if ins.keyword == "arg" and not seen_from:
            for a in _args(ins, args):
                if a.name in values:
                    value, at = values[a.name]
                    args[a.name] = _Arg(a.name, value, at, at + len(value), f"DockerBuildArgs.{a.name}")
        elif ins.keyword == "from":
            seen_from = True
            word, _ = _from_parts(ins)
            if word is None:
                continue
            found = _image(ins, word, args, text)
            if isinstance(found, ImageRef) and found.via.startswith("DockerBuildArgs."):
                found.stage = stage
                refs = out.setdefault(found.via.split(".", 1)[1], [])
                if not any(r.resolved == found.resolved for r in refs):  # one finding per image selected
                    refs.append(found)
            stage += 1
    if out:  # what must move with each selected image, in the Dockerfile (its own fix moves them with its default)
        facts = next(iter(locate_dockerfile(doc, text).more), None)
        defaults = {i.stage: i for i in facts.images}
        for refs in out.values():
            for ref in refs:
                st = facts.stages[ref.stage]
                if st.yum or st.yum_other:
                    ref.along.append(f"yum (line {text.count(chr(10), 0, min(st.yum + st.yum_other)[0]) + 1})")
                if st.no_al2023:
                    ref.along.append(f"{st.no_al2023[0][0]} (line {text.count(chr(10), 0, st.no_al2023[0][1]) + 1})")
                if any(v == ref.version for v, _, _ in facts.paths):
                    ref.along.append(f"python{ref.version} paths")
                own = defaults.get(ref.stage)
                if ref.along and own is not None and (own.kind, own.family, own.version) == (
                        ref.kind, ref.family, ref.version):
                    ref.own = (facts, text, own)  # they move with the Dockerfile's own fix, if that one moves
    return out


def _splice(s: str, edits: list) -> str:
    """``s`` with (start, end, new) replacements, in one pass."""
    parts, pos = [], 0
    for start, end, new in sorted(edits):
        parts += [s[pos:start], new]
        pos = end
    return "".join(parts) + s[pos:]


class _Meaning:
    """A Dockerfile's instructions as BuildKit reads them; ``expect`` applies
    a fix's span edits to the logical lines and heredoc bodies they fall in, so
    a re-parsed file must show exactly those changes and nothing else (no
    instruction gained, lost, split or joined)."""

    def __init__(self, doc: Dockerfile, edits=()):
        self.doc, self.text, self.edits = doc, doc.text, tuple(edits)

    def _shape(self, edits=()) -> list:
        """(keyword, lines, logical line, heredoc bodies) of every instruction, ``edits`` applied to
        the logical lines and bodies they fall in; an edit that falls in neither is kept as such."""
        text, instructions = self.text, self.doc.instructions
        starts = [ins.start for ins in instructions]
        mine: dict[int, list] = {}
        for e in edits:
            mine.setdefault(bisect.bisect_right(starts, e[0]) - 1, []).append(e)
        out = []
        for k, ins in enumerate(instructions):
            line, bodies = ins.line, [text[h.start:h.end] for h in ins.heredocs]
            if k in mine:
                at_piece = [at for _, at, _ in ins.pieces]
                at_body = [h.start for h in ins.heredocs]
                on_line, on_body = [], {}
                for start, end, new in mine.pop(k):
                    j = bisect.bisect_right(at_piece, start) - 1
                    lo, at, n = ins.pieces[j] if j >= 0 else (0, -1, 0)
                    h = bisect.bisect_right(at_body, start) - 1
                    if at <= start and end <= at + n:
                        on_line.append((lo + start - at, lo + end - at, new))
                    elif h >= 0 and end <= ins.heredocs[h].end:
                        on_body.setdefault(h, []).append((start - at_body[h], end - at_body[h], new))
                    else:
                        out.append(("unplaced edit", start, end, new))
                line = _splice(line, on_line)
                for h, changes in on_body.items():
                    bodies[h] = _splice(bodies[h], changes)
            out.append((ins.keyword, ins.first_line, ins.last_line, line, tuple(bodies)))
        out += [("unplaced edit", *e) for rest in mine.values() for e in rest]
        return out

    def expect(self, expectations) -> _Meaning:
        edits = [(x.path[1], x.path[2], x.value) for x in expectations if x.path and x.path[0] == "span"]
        return _Meaning(self.doc, self.edits + tuple(edits))

    def __eq__(self, other) -> bool:
        if not isinstance(other, _Meaning):
            return NotImplemented
        return self._shape(self.edits) == other._shape(other.edits)


@register
class DockerfileFormat(Format):
    name = "dockerfile"
    filenames = ("Dockerfile", "Containerfile")
    globs = ("Dockerfile.*", "Containerfile.*", "*.Dockerfile", "*.dockerfile")

    def sniff(self, data: bytes) -> bool:
        return _SNIFF.match(data) is not None

    def prefilter(self, data: bytes) -> bool:
        return b"lambda" in data or b"python" in data

    def parse(self, text: str):
        try:
            return parse_dockerfile(text)
        except ParseError:
            if _OURS.search(text):  # a Lambda or Python image that cannot be read: say so
                raise
            return None  # some other image's Dockerfile: not ours to judge

    def locate(self, doc, text: str, path: str | None = None) -> Located | None:
        from ..readiness import shown

        return locate_dockerfile(doc, text, shown(path) if path else "Dockerfile")

    def locate_unit(self, parsed: dict) -> dict:
        """One file at a time, knowing its path: a standalone Dockerfile's function is named by it."""
        return {path: self.locate(doc, text, path) for path, (doc, text) in parsed.items()}

    def semantic(self, doc):
        return _Meaning(doc)


__all__ = ["DockerfileFormat", "DockerfileFacts", "ImageRef", "Stage", "images_for_build_args", "locate_dockerfile"]
