#!/usr/bin/env python3
"""Compare Dockerfile parsers on a deterministic synthetic corpus.

    .venv/bin/python bench/parsers_docker.py [--files 2000] [--seed 1] [--repeat 3]

Parsers: iacfix's own lexer (``iacfix.formats.dockerfile_syntax``), BuildKit's
parser through the ``dockerfile`` package (Go, the reference), ``dockerfile-parse``
(pure Python) and ``tree-sitter-dockerfile``.  Needs those packages installed
(``pip install dockerfile dockerfile-parse tree-sitter-dockerfile``); the corpus
lives in memory.

Besides throughput (total bytes / best-of-N wall time) it counts, against
BuildKit: files whose instructions (keyword, first and last line, logical
text) differ, and files with an escape directive, heredocs or continuations
that a parser gets wrong or rejects; and says whether the parser gives the
column of a word (what a fix needs).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

BASES = ["public.ecr.aws/lambda/python:3.9", "public.ecr.aws/lambda/python:${PY}-arm64", "python:3.11-slim-bookworm",
         "amazon/aws-lambda-nodejs:18", "node:20-alpine", "golang:1.22 AS build", "ubuntu:22.04"]


def dockerfile(rng: random.Random) -> str:
    esc = "`" if rng.random() < 0.15 else "\\"
    nl = "\r\n" if rng.random() < 0.1 else "\n"
    out = []
    if esc == "`":
        out.append("# escape=`")
    elif rng.random() < 0.3:
        out.append("# syntax=docker/dockerfile:1")
    out.append(f"ARG PY=3.{rng.randint(8, 13)}")
    for stage in range(rng.randint(1, 3)):
        out.append(f"FROM {rng.choice(BASES)}" + (f" AS s{stage}" if rng.random() < 0.5 else ""))
        for _ in range(rng.randint(2, 12)):
            kind = rng.random()
            if kind < 0.3:
                parts = [f"yum install -y pkg{i}" for i in range(rng.randint(1, 4))]
                sep = f" {esc}{nl}    && " if rng.random() < 0.7 else " && "
                out.append("RUN " + sep.join(parts))
            elif kind < 0.4:
                out.append(f"RUN <<EOF{nl}set -e{nl}python3.{rng.randint(8, 13)} -m pip install x{nl}EOF")
            elif kind < 0.5:
                out.append(f"RUN pip install {esc}{nl}    # a comment inside{nl}{nl}    -r requirements.txt")
            elif kind < 0.6:
                out.append("# a comment line")
            elif kind < 0.7:
                out.append(f"COPY --from=s0 /var/lang/lib/python3.{rng.randint(8, 13)}/site-packages /opt/python/")
            elif kind < 0.8:
                out.append(f"ENV A=1 {esc}{nl}    B=2")
            elif kind < 0.9:
                out.append('CMD ["app.handler"]')
            else:
                out.append("")
    return nl.join(out) + nl


def ours(text):
    from iacfix.formats.dockerfile_syntax import parse
    return [(i.keyword, i.first_line, i.last_line, i.line) for i in parse(text).instructions]


def buildkit(text):
    import dockerfile as bk
    return [(c.cmd.lower(), c.start_line, c.end_line, c.original.split("\n", 1)[0]) for c in bk.parse_string(text)]


def dockerfile_parse(text):
    from dockerfile_parse import DockerfileParser
    p = DockerfileParser(fileobj=io.BytesIO(text.encode()))
    return [(s["instruction"].lower(), s["startline"] + 1, s["endline"] + 1, s["content"]) for s in p.structure
            if s["instruction"] != "COMMENT"]


_TS = None


def tree_sitter(text):
    global _TS
    if _TS is None:
        import tree_sitter_dockerfile
        from tree_sitter import Language, Parser
        _TS = Parser(Language(tree_sitter_dockerfile.language()))
    tree = _TS.parse(text.encode())
    if tree.root_node.has_error:
        raise ValueError("syntax error node")
    return [(n.type.removesuffix("_instruction"), n.start_point[0] + 1, n.end_point[0] + 1, "")
            for n in tree.root_node.children if n.type.endswith("_instruction")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    corpus = [dockerfile(rng) for _ in range(args.files)]
    size = sum(len(t.encode()) for t in corpus)
    reference = [buildkit(t) for t in corpus]
    print(f"{len(corpus)} files, {size / 1e6:.2f} MB")
    for name, fn in (("iacfix lexer", ours), ("buildkit (dockerfile)", buildkit),
                     ("dockerfile-parse", dockerfile_parse), ("tree-sitter-dockerfile", tree_sitter)):
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            results = []
            for t in corpus:
                try:
                    results.append(fn(t))
                except Exception as e:  # a parser that rejects a valid file
                    results.append(e)
            best = min(best, time.perf_counter() - t0)
        failed = sum(isinstance(r, Exception) for r in results)
        if name == "iacfix lexer":
            differ = sum(r != ref for r, ref in zip(results, reference))
        elif name == "tree-sitter-dockerfile":  # instructions and their lines only
            differ = sum(isinstance(r, Exception) or [x[1:3] for x in r] != [x[1:3] for x in ref]
                         for r, ref in zip(results, reference))
        else:  # keyword and lines (dockerfile-parse gives raw content, not the logical line)
            differ = sum(isinstance(r, Exception) or [x[:3] for x in r] != [x[:3] for x in ref]
                         for r, ref in zip(results, reference))
        by_kind = {}
        for t, r, ref in zip(corpus, results, reference):
            kind = "escape=`" if "escape=`" in t else "heredoc" if "<<EOF" in t else "other"
            same = not isinstance(r, Exception) and (r == ref if name == "iacfix lexer" else
                                                    [x[1:3] for x in r] == [x[1:3] for x in ref])
            by_kind.setdefault(kind, [0, 0])[0] += not same
            by_kind[kind][1] += 1
        detail = ", ".join(f"{k} {bad}/{n}" for k, (bad, n) in sorted(by_kind.items()))
        print(f"{name:24} {size / best / 1e6:7.2f} MB/s  rejected {failed:5}  differ from BuildKit {differ:5}  ({detail})")


if __name__ == "__main__":
    main()
