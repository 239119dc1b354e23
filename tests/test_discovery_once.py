"""Each real file is yielded once, however it is named (overlapping roots, a
file named inside a walked root, links), without remembering every file of
the tree; a file's own name wins over a link to it."""

import contextlib
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import CFN_HEAD, lambda_function
from iacfix import formats
from iacfix.discovery import Discovery

FN = CFN_HEAD + "Resources:\n" + lambda_function("python3.9")


def found(*roots, **options) -> list[str]:
    return list(Discovery(formats.claims, **options).files(list(roots)))


def test_overlapping_roots_in_both_orders(tmp_path, monkeypatch, write):
    monkeypatch.chdir(tmp_path)
    write({"a/x.yaml": FN, "a/b/y.yaml": FN, "a/b/c/z.yaml": FN, "d/w.yaml": FN})
    every = {"a/x.yaml", "a/b/y.yaml", "a/b/c/z.yaml"}
    assert sorted(found("a", "a/b")) == sorted(every)
    assert sorted(found("a/b", "a")) == sorted(every)
    assert sorted(found("a/b/c", "a/b", "./a", str(tmp_path / "a"))) == ["./a/x.yaml", "a/b/c/z.yaml", "a/b/y.yaml"]
    assert sorted(found("a/b", "d")) == ["a/b/c/z.yaml", "a/b/y.yaml", "d/w.yaml"]  # apart: nothing remembered


def test_a_directory_given_twice_and_through_a_link(tmp_path, monkeypatch, write):
    monkeypatch.chdir(tmp_path)
    write({"d/x.yaml": FN, "d/e/y.tf": ""})
    os.symlink("d", "alias")
    assert sorted(found("d", "d")) == ["d/e/y.tf", "d/x.yaml"]
    assert sorted(found("d", "./d")) == ["d/e/y.tf", "d/x.yaml"]
    assert sorted(found("alias", "d")) == ["alias/e/y.tf", "alias/x.yaml"]  # the first root named keeps them
    assert sorted(found("d/e", "alias")) == ["alias/x.yaml", "d/e/y.tf"]


def test_a_file_named_inside_a_walked_root(tmp_path, monkeypatch, write):
    monkeypatch.chdir(tmp_path)
    write({"d/x.yaml": FN, "d/y.yaml": FN})
    assert sorted(found("d/x.yaml", "d")) == ["d/x.yaml", "d/y.yaml"]
    assert sorted(found("d", "./d/x.yaml")) == ["d/x.yaml", "d/y.yaml"]
    assert found("./d/x.yaml", "d/x.yaml", str(tmp_path / "d" / "x.yaml")) == ["./d/x.yaml"]


@pytest.mark.parametrize("link", ["a.yaml", "z.yaml", "sub/a.yaml", "../other/a.yaml"])
def test_a_link_to_a_walked_file_yields_the_file_by_its_own_name(tmp_path, monkeypatch, write, link):
    """Whichever the walk meets first (a link that sorts before or after its
    target, in the same directory, deeper, or in another root)."""
    monkeypatch.chdir(tmp_path)
    write({"d/m.yaml": FN, "other/keep.yaml": FN})
    place = tmp_path / "d" / link
    place.parent.mkdir(parents=True, exist_ok=True)
    place.symlink_to(tmp_path / "d" / "m.yaml")
    for roots in (["d", "other"], ["other", "d"]):
        out = found(*roots)
        assert "d/m.yaml" in out and len(out) == 2, out


def test_links_to_one_file_outside_the_walk_yield_it_once(tmp_path, monkeypatch, write):
    monkeypatch.chdir(tmp_path)
    write({"outside/t.yaml": FN, "tree/own.yaml": FN})
    for name in ("a.yaml", "b.yaml", "sub/c.yaml"):
        (tmp_path / "tree" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "tree" / name).symlink_to(tmp_path / "outside" / "t.yaml")
    out = found("tree")
    assert len(out) == 2 and "tree/own.yaml" in out
    assert found("tree/a.yaml", "tree") == ["tree/a.yaml", "tree/own.yaml"]  # the named link first
    assert sorted(found("outside", "tree")) == ["outside/t.yaml", "tree/own.yaml"]
    assert found("tree", "outside/t.yaml") == ["tree/own.yaml", "outside/t.yaml"]  # its own name, given later


def test_a_link_loop_is_yielded_and_reported_as_unreadable(iacfix, tmp_path, write):
    write("d/t.yaml", FN)
    os.symlink("l2.yaml", tmp_path / "d" / "l1.yaml")
    os.symlink("l1.yaml", tmp_path / "d" / "l2.yaml")
    run = iacfix("check", "d", "--format", "json")
    assert sorted(e["path"] for e in run.json["errors"]) == ["d/l1.yaml", "d/l2.yaml"]
    assert [f["path"] for f in run.json["findings"]] == ["d/t.yaml"] and run.code == 2


def test_a_link_the_walk_skips_by_name_still_yields_its_target(tmp_path, monkeypatch, write):
    """The target is not claimed by its own name (``t.txt``), excluded, or
    gitignored: the walk never yields it, so the link is its name."""
    monkeypatch.chdir(tmp_path)
    write({"d/t.txt": FN, "d/skip/u.yaml": FN, "d/ign/v.yaml": FN, "d/.gitignore": "ign/\n"})
    for target, link in (("t.txt", "a.yaml"), ("skip/u.yaml", "b.yaml"), ("ign/v.yaml", "c.yaml")):
        (tmp_path / "d" / link).symlink_to(tmp_path / "d" / target)
    assert sorted(found("d", excludes=("skip",), gitignore=True)) == ["d/a.yaml", "d/b.yaml", "d/c.yaml"]
    assert sorted(found("d", gitignore=True)) == ["d/a.yaml", "d/c.yaml", "d/skip/u.yaml"]


def test_fix_writes_a_linked_file_once_under_its_own_name(iacfix, tmp_path, write):
    real = write("d/m.yaml", FN)
    (tmp_path / "d" / "a.yaml").symlink_to(real)
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "b.yaml").symlink_to(real)
    run = iacfix("fix", "e", "d", "--format", "json")
    assert [f["path"] for f in run.json["fixed"]] == ["d/m.yaml"] and "python3.13" in real.read_text()


# A random tree: files, links to files and directories (inside and outside it), .gitignore
# files and excludes, walked from random roots (directories, files, links, overlapping).
NAMES = ["a", "b", "a/c", "b/d", "out"]
FILES = ["t.yaml", "u.tf", "v.txt", "w.yaml"]
trees = st.fixed_dictionaries({
    "files": st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(FILES)), min_size=1, max_size=10, unique=True),
    "links": st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(["l.yaml", "m.tf", "n.yaml", "dl"]),
                                st.sampled_from([f"{d}/{f}" for d in NAMES for f in FILES] + NAMES + ["a/l.yaml"])),
                      max_size=6),
    "ignore": st.sampled_from(["", "c/\n", "*.tf\n", "w.yaml\n"]),
    "exclude": st.sampled_from([(), ("d",), ("*.txt",)]),
    "roots": st.lists(st.sampled_from([".", "a", "b", "a/c", "./a", "a/c/t.yaml", "b/d/l.yaml", "a/l.yaml",
                                       "b/dl", "a/u.tf", "out/w.yaml"]), min_size=1, max_size=4),
})


@contextlib.contextmanager
def _random_tree(dirs, files, links, text="x"):
    """A temporary directory, made the current one, holding ``files`` ((directory, name))
    and ``links`` ((directory, name, target relative to the top)); the first link of a name wins."""
    with tempfile.TemporaryDirectory() as top:
        here = os.getcwd()
        os.chdir(top)
        try:
            for d in dirs:
                os.makedirs(d, exist_ok=True)
            for d, name in files:
                with open(os.path.join(d, name), "w") as fh:
                    fh.write(text)
            for d, name, target in links:
                if not os.path.lexists(os.path.join(d, name)):
                    os.symlink(os.path.relpath(target, d), os.path.join(d, name))
            yield top
        finally:
            os.chdir(here)
            shutil.rmtree(top, ignore_errors=True)



@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
@pytest.mark.slow
def test_every_real_file_once_and_by_its_own_name(tree):
    with _random_tree(NAMES, tree["files"], tree["links"]):
        with open("a/.gitignore", "w") as fh:
            fh.write(tree["ignore"])
        options = {"gitignore": True, "excludes": tree["exclude"]}
        out = found(*tree["roots"], **options)
        # The oracle: every name each root reaches (a root itself, or what walking it
        # yields), with no dedupe at all; the run must yield each of those real files once.
        oracle = Discovery(formats.claims, **options)
        names = []  # (path, found by walking through a link)
        for root in tree["roots"]:
            if os.path.isdir(root):
                names += list(oracle._walk(root))
            elif os.path.lexists(root):
                names.append((root, False))
        reals = [os.path.realpath(p) for p in out]
        assert len(reals) == len(set(reals)), out
        assert set(reals) == {os.path.realpath(p) for p, _ in names}
        for path in out:
            if path not in tree["roots"] and os.path.islink(path):  # walked to through a link
                own = [p for p, link in names if not link and os.path.realpath(p) == os.path.realpath(path)]
                assert not own, (path, own)
        assert out == found(*tree["roots"], **options)


def reference_units(paths, keep=lambda path: True):
    """What units() yielded before it stopped keeping the real path of every file:
    every real path of every directory unit in one table (the oracle)."""
    from iacfix import formats as f

    out, grouped = [], {}
    for path in paths:
        name = f.claim_of(path)
        if name is None or f.unit_of(name) == "file":
            out.append((name or "", [path], frozenset()))
        else:
            grouped.setdefault((name, os.path.normpath(os.path.dirname(path))), set()).add(path)
    work, owners = [], {}
    for (name, directory), found in sorted(grouped.items()):
        known = {os.path.normpath(p) for p in found}
        unit = sorted(found) + [p for p in f.by_name(name).unit_files(directory)
                                if os.path.normpath(p) not in known and keep(p)]
        reals = [os.path.realpath(p) for p in unit]
        for real in reals:
            owners.setdefault(real, set()).add(directory)
        work.append((name, unit, reals))
    out += [(name, unit, frozenset(p for p, r in zip(unit, reals) if len(owners[r]) > 1)) for name, unit, reals in work]
    return out


SLS = "service: s\nprovider:\n  name: aws\n  runtime: ${file(./conf/r.yml):rt}\n"
units_trees = st.fixed_dictionaries({
    "files": st.lists(st.tuples(st.sampled_from(["a", "b", "a/c", "s"]), st.sampled_from(["main.tf", "vars.tf", "x.tfvars"])),
                      min_size=1, max_size=8, unique=True),
    "links": st.lists(st.tuples(st.sampled_from(["a", "b", "a/c", "s"]), st.sampled_from(["l.tf", "vars.tf", "r.yml"]),
                                st.sampled_from(["a/main.tf", "b/vars.tf", "a/c/x.tfvars", "s/conf/r.yml"])), max_size=4),
    "serverless": st.booleans(),
    "roots": st.lists(st.sampled_from([".", "a", "b", "a/c", "a/main.tf", "s", "b/vars.tf", "ABS/a/main.tf"]),
                      min_size=1, max_size=3),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units_trees)
@pytest.mark.slow
def test_units_share_what_the_table_of_every_real_path_shared(tree):
    from iacfix.units import units

    with _random_tree(("a/c", "b", "s/conf"), tree["files"], tree["links"], 'variable "v" {}\n') as top:
        if tree["serverless"]:
            with open("s/serverless.yml", "w") as fh:
                fh.write(SLS)
            with open("s/conf/r.yml", "w") as fh:
                fh.write("rt: python3.9\n")
        roots = [r.replace("ABS", top) for r in tree["roots"]]
        d = Discovery(formats.claims, gitignore=True)
        paths = list(d.files(roots))
        assert sorted(units(paths, d.keeps)) == sorted(reference_units(paths, d.keeps))


def _tree(top, files: int) -> None:
    """``files`` files in directories of ten: templates and code, a Terraform module in one of ten."""
    for n in range(files // 10):
        d = os.path.join(top, f"t{n % 7}", f"s{n // 7}")
        os.makedirs(d)
        names = ["main.tf", "vars.tf"] if n % 10 == 0 else ["app.py", "lib.ts"]
        for name in names + [f"f{i}.yaml" for i in range(8)]:
            with open(os.path.join(d, name), "w") as fh:
                fh.write("x")


def test_memory_of_the_walk_and_units_does_not_grow_with_the_tree(tmp_path, monkeypatch):
    """Peak memory (tracemalloc, this process) of discovery and units over a
    tree of 2,000 files and one of 20,000 (every file claimed by a format):
    what may grow is the directory units held until the walk ends (a Terraform
    module in one directory of ten here), not a table of every file (which
    took 1.5 MB more at 20,000)."""
    import tracemalloc

    from iacfix.units import units

    formats.load_all()  # imported before measuring
    peaks = []
    for files in (2_000, 2_000, 20_000):  # the first run fills what is kept between runs (name caches)
        top = tmp_path / str(len(peaks))
        _tree(top, files)
        monkeypatch.chdir(top)
        tracemalloc.start()
        try:
            d = Discovery(formats.claims, gitignore=True)
            count = sum(len(u[1]) for u in units(d.files(["."]), d.keeps))
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert count == files
    print(peaks)
    assert peaks[2] - peaks[1] < 500_000, peaks


def reference_claim(path: str):
    """claim_of as it was: every path claim's glob matched against the absolute path's last components."""
    import fnmatch

    base = os.path.basename(path)
    steps = os.path.normpath(os.path.abspath(path)).replace(os.sep, "/").split("/")
    for pattern, last, parts, name in formats._PATHS:
        if fnmatch.fnmatchcase(base, last) and fnmatch.fnmatchcase("/".join(steps[-parts:]), pattern):
            return name
    return formats._for_name(base)


STEPS = [".github", "workflows", "actions", "x", ".circleci", ".azure-pipelines", "..", ".", "a", ""]
LASTS = ["ci.yml", "action.yml", "action.yaml", "config.yml", "p.yaml", "t.json", "main.tf", "Dockerfile"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(STEPS), max_size=5), st.sampled_from(LASTS), st.booleans(),
       st.lists(st.sampled_from([".github", "workflows", "actions", "x", ".circleci"]), max_size=3))
@example([], "ci.yml", False, [".github", "workflows"])
@example(["..", "workflows"], "ci.yml", False, [".github", "x"])
@example(["x"], "action.yml", False, [".github", "actions"])
def test_path_claims_agree_with_the_absolute_path(tmp_path_factory, steps, last, absolute, cwd):
    """Path claims (``.github/workflows/*.yml``) read a relative path's own
    components when it has enough of them, the current directory's otherwise."""
    here = os.getcwd()
    top = tmp_path_factory.mktemp("claims")
    where = top.joinpath(*cwd) if cwd else top
    where.mkdir(parents=True, exist_ok=True)
    os.chdir(where)
    try:
        path = "/".join(steps + [last])
        if absolute:
            path = str(where / path)
        assert formats.claim_of(path) == reference_claim(path), path
    finally:
        os.chdir(here)
