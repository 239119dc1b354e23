"""git itself as the oracle for .gitignore: on random trees with random
.gitignore files (negation, anchoring, directory patterns, `**`, nested
files), the files iacfix walks are exactly those `git ls-files --others
--exclude-standard` lists."""

import os
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from iacfix import formats
from iacfix.discovery import Discovery

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]

DIRS = ["a", "b", "a/c", "b/a", "a/c/d", "keep"]
FILES = ["t.yaml", "keep.yaml", "x1.yaml", "main.tf", "b.yaml"]
PATTERNS = ["*.yaml", "!keep.yaml", "/a/", "a/", "b/", "c", "/t.yaml", "a/**/t.yaml", "**/d", "*.tf", "!*.tf",
            "a/*.yaml", "x?.yaml", "[ab].yaml", "# a comment", "", "!a/", "keep/", "!keep/", "d/", "**/c/*",
            "/b/a", "\\#x", "t.yaml/", "*", "!*/", "!b.yaml", "a/c", "!/a/c/d"]

trees = st.fixed_dictionaries({
    "files": st.lists(st.tuples(st.sampled_from([""] + DIRS), st.sampled_from(FILES)), min_size=1, max_size=12,
                      unique=True),
    "ignores": st.dictionaries(st.sampled_from([""] + DIRS), st.lists(st.sampled_from(PATTERNS), max_size=5),
                               max_size=3),
})


def git(root: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.excludesFile=/dev/null", *args], cwd=root, capture_output=True, text=True)


def git_listing(root: str, under: str = ".") -> set[str]:
    run = git(root, "ls-files", "--others", "--exclude-standard", "--", under)
    return {p for p in run.stdout.splitlines() if not p.endswith(".gitignore")}


def walk(root: str, under: str = "") -> set[str]:
    return {os.path.relpath(p, root).replace(os.sep, "/")
            for p in Discovery(formats.claims, gitignore=True).files([os.path.join(root, under)])}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
# A negated directory pattern names that directory only: a/c stays ignored (pathspec re-included it).
@example({"files": [("a/c", "t.yaml")], "ignores": {"": ["a/c", "!a/"]}})
@example({"files": [("", "t.yaml"), ("a/c", "keep.yaml")], "ignores": {"": ["*", "!a/"], "a": ["!c/"]}})
def test_walk_agrees_with_git(tree):
    with tempfile.TemporaryDirectory() as root:
        subprocess.run(["git", "init", "-q", root], check=True)
        for d, name in tree["files"]:
            os.makedirs(os.path.join(root, d), exist_ok=True)
            with open(os.path.join(root, d, name), "w") as fh:
                fh.write("x")
        for d, lines in tree["ignores"].items():
            os.makedirs(os.path.join(root, d), exist_ok=True)
            with open(os.path.join(root, d, ".gitignore"), "w") as fh:
                fh.write("\n".join(lines) + "\n")
        assert walk(root) == git_listing(root), tree
        # Walking a subdirectory: the .gitignore files above it count too (unless it is itself
        # ignored: a directory named on the command line is walked anyway, unlike git).
        for d in sorted({d for d, _ in tree["files"] if d}):
            if git(root, "check-ignore", "-q", d + "/").returncode != 0:
                assert walk(root, d) == git_listing(root, d), (d, tree)
