"""Dockerfiles against independent oracles: BuildKit's own parser (the
``dockerfile`` package, Go) reads every input as iacfix's lexer does, and a
property test: random Dockerfiles (registries, arch suffixes, ARG-fed tags,
continuations with either escape character and comment lines inside them,
heredocs, CRLF, version paths, yum in every spelling) are fixed exactly as an
independent model says (only image tags, version paths and package-manager
words move), a second fix changes nothing, and BuildKit reads the result as
the same instructions."""

import dockerfile as buildkit
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOLDEN
from iacfix.formats.dockerfile_syntax import parse

pytestmark = pytest.mark.slow


def ours(text):
    # The dockerfile package does not show an ONBUILD's heredocs (BuildKit keeps them on the inner command).
    return [(i.keyword, i.first_line, i.last_line, i.line,
             () if i.keyword == "onbuild" else tuple(text[h.start:h.end] for h in i.heredocs))
            for i in parse(text).instructions]


def theirs(text):
    return [((c.cmd or "").lower(), c.start_line, c.end_line, (c.original or "").split("\n", 1)[0],
             tuple(h.content for h in c.heredocs)) for c in buildkit.parse_string(text)]


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("**/*ockerfile")), ids=lambda p: p.name)
def test_the_lexer_reads_every_golden_file_as_buildkit_does(path):
    text = path.read_bytes().decode("utf-8")
    assert ours(text) == theirs(text)


TARGET = "3.13"
VERSIONS = st.sampled_from(["3.8", "3.9", "3.10"])
PREFIXES = st.sampled_from(["public.ecr.aws/lambda/python", "amazon/aws-lambda-python",
                            "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/lambda/python",
                            "python", "docker.io/library/python"])  # the last two: CPython, no yum to move
ARCHES = st.sampled_from(["", "-x86_64", "-arm64"])
VARIANTS = st.sampled_from(["", "-slim", "-slim-bookworm", "-alpine3.20"])
YUM = st.sampled_from(["yum install -y gcc", "yum -y install make", "yum clean all", "yum update -y",
                       'yum groupinstall -y "Development Tools"'])


@st.composite
def dockerfiles(draw):
    """(pieces, newline): a Dockerfile as pieces (text, what a fix makes of it or None)."""
    esc = draw(st.sampled_from(["\\", "`"]))
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    pieces = []

    def put(text, new=None):
        pieces.append((text, new))

    if esc == "`":
        put(f"# escape=`{nl}")
    stages = [(v, p, draw(VARIANTS) if "lambda" not in p else a)
              for v, p, a in draw(st.lists(st.tuples(VERSIONS, PREFIXES, ARCHES), min_size=1, max_size=3))]
    use_arg = draw(st.booleans())
    if use_arg:  # one ARG feeds every FROM, so every stage shares its version
        version = stages[0][0]
        stages = [(version, p, a) for _, p, a in stages]
        put("ARG PY=")
        put(version, TARGET)
        put(nl)
    for i, (version, prefix, arch) in enumerate(stages):
        dnf = "dnf" if "lambda" in prefix else None  # yum moves only on a base moved to Amazon Linux 2023
        put(draw(st.sampled_from(["FROM ", "from ", "FROM --platform=linux/amd64 "])) + f"{prefix}:")
        if use_arg:
            put("${PY}" + arch)
        else:
            put(version, TARGET)
            put(arch)
        put(f" AS s{i}{nl}" if draw(st.booleans()) else nl)
        for kind in draw(st.lists(st.sampled_from(["yum", "yums", "heredoc", "path", "comment", "other",
                                                                   "words"]), max_size=5)):
            if kind == "yum":
                put("RUN ")
                put("yum", dnf)
                put(draw(YUM)[3:] + nl)
            elif kind == "yums":  # a continuation, a comment line and a blank line inside it
                put("RUN ")
                put("yum", dnf)
                put(draw(YUM)[3:] + f" {esc}{nl}  # note{nl}{nl} && ")
                put("yum", dnf)
                put(f" clean all{nl}")
            elif kind == "heredoc":
                put(f"RUN <<EOF{nl}set -e{nl}")
                put("yum", dnf)
                put(" install -y git" + nl + "python")
                put(version, TARGET)
                put(f" -m pip install x{nl}EOF{nl}")
            elif kind == "path":
                put("COPY --from=s0 /var/lang/lib/python")
                put(version, TARGET)
                put(f"/site-packages /opt/python/lib/python")
                put(version, TARGET)
                put(f"/site-packages{nl}")
            elif kind == "comment":
                put(f"# yum install -y python{version} stays{nl}")
            elif kind == "words":  # yum inside other words: never rewritten, never holding the move back
                put(f"RUN --mount=type=cache,target=/var/cache/yum ls /etc/yum.repos.d yum.conf && ")
                put("yum", dnf)
                put(f" install -y yum-utils{nl}")
            else:
                put(f"ENV TOOL=yumdownloader PIP=pip{version}x{nl}")
    if draw(st.booleans()):  # no final newline
        last, new = pieces[-1]
        if new is None and last.endswith(nl):
            pieces[-1] = (last[:-len(nl)], None)
    return pieces


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=dockerfiles())
def test_fix_moves_only_tags_paths_and_package_manager_words(pieces, tmp_path_factory):
    from conftest import AS_OF, invoke

    text = "".join(t for t, _ in pieces)
    expected = "".join(t if new is None else new for t, new in pieces)
    assert ours(text) == theirs(text)
    path = tmp_path_factory.mktemp("d") / "Dockerfile"
    path.write_bytes(text.encode())
    invoke(["fix", str(path), "--as-of", AS_OF])
    got = path.read_bytes().decode()
    assert got == expected
    invoke(["fix", str(path), "--as-of", AS_OF])
    assert path.read_bytes().decode() == expected  # idempotent
    before, after = theirs(text), theirs(got)
    assert [(k, a, b) for k, a, b, *_ in after] == [(k, a, b) for k, a, b, *_ in before]
    # BuildKit reads the fixed file as the model's file: the same instructions, only the moved words differ.
    assert after == theirs(expected)


# Not "# check=...": the packaged BuildKit predates that directive, which current BuildKit (and the lexer) accept.
LINES = ["FROM a", "from b AS c", "RUN x \\", "RUN x `", "  # c \\", "", "   ", "\\", "`", "RUN <<EOF", "EOF",
         "\tEOF", "RUN <<-EOF cat <<'B'", "B", "COPY <<X /y", "X", "# escape=`", "# escape=\\", "# syntax=x",
         "ONBUILD RUN <<EOF", "RUN [\"a\", \"<<EOF\"]", "  RUN y \\\\", "ENV a=b \\ ",
         "RUN echo \"<<EOF\"", "# comment", "ARG PY=3.9", "RUN a \\\t",
         "RUN <<EOF\\", "\u00a0RUN a"]


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(st.sampled_from(LINES), max_size=12), nl=st.sampled_from(["\n", "\r\n"]),
       end=st.booleans())
def test_the_lexer_agrees_with_buildkit_on_any_arrangement_of_tricky_lines(lines, nl, end):
    text = nl.join(lines) + (nl if end else "")
    try:
        expected, why = theirs(text), ""
    except Exception as e:  # BuildKit rejects it
        expected, why = None, str(e)
    try:
        got = ours(text)
    except Exception:
        got = None
    if expected is None:
        if "heredoc" in why or "directive" in why or "escape" in why:  # what the lexer checks too
            assert got is None
        else:  # no instruction at all, or arguments the lexer does not validate (ENV without =)
            assert got == [] or "name=value" in why
        return
    assert got == expected
