"""Results stream to the reporters (issue 15): the main process keeps an index
and compact records (``iacfix.spool``), never every result, and every output
is the same byte for byte however the work was spread and wherever the
records were kept."""

import gc
import shutil

import pytest

from iacfix import pool, reports, spool
from iacfix.discovery import Discovery
from iacfix.engine import FileResult
from iacfix.formats import claims
from iacfix.reports import FORMATS

from conftest import CFN_HEAD, SAMPLES, console, lambda_function, make_options

RUNTIMES = ("python3.8", "python3.9", "python3.11", "nodejs16.x", "python3.12", "python2.7")


def _template(i: int) -> str:
    """A template with three functions on old runtimes, one of them suppressed now and then."""
    body = "".join(lambda_function(RUNTIMES[(i + k) % len(RUNTIMES)], f"Fn{k}") for k in range(3))
    if i % 7 == 0:
        body = body.replace("\n", "  # iacfix: ignore[RT003]\n", 4).replace("Type:  # iacfix: ignore[RT003]", "Type:")
    return CFN_HEAD + "Resources:\n" + body


def _tree(root, templates: int = 300):
    """Every format of the samples; templates that share handler code (code readiness
    findings at a path other than their own, numbered across files by the SARIF and
    GitLab fingerprints); a broken file; and enough templates to start workers."""
    shutil.copytree(SAMPLES, root / "samples")
    app = root / "samples" / "readiness-app"
    text = (app / "template.yaml").read_text()
    for n in range(3):
        (app / f"copy{n}.yaml").write_text(text if n else text.replace("Runtime: python3.11",
                                                                        "Runtime: python3.11  # iacfix: ignore"))
    (root / "broken.yaml").write_text(CFN_HEAD + "Resources:\n  F:\n    Properties: {Runtime: python3.8\n")
    for i in range(templates):
        path = root / f"team{i % 4}" / f"stack{i:03}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_template(i))
    return root


def _outputs(tmp_path, monkeypatch, *args):
    """stdout, stderr, exit status and GitHub step summary of a console ``iacfix`` run."""
    summary = tmp_path / "summary.md"
    summary.unlink(missing_ok=True)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = console("iacfix", *args, "--as-of", "2026-11-21", cwd=tmp_path / "tree")
    return run.stdout, run.stderr, run.returncode, summary.read_text() if summary.exists() else None


def _assert_same_with_one_worker_and_two(tmp_path, monkeypatch, command, formats, extra=()):
    _tree(tmp_path / "tree")
    for fmt in formats:
        one = _outputs(tmp_path, monkeypatch, *command, ".", "--format", fmt, *extra, "-j", "1")
        two = _outputs(tmp_path, monkeypatch, *command, ".", "--format", fmt, *extra, "-j", "2")
        assert one[2] == 2, one[1]  # the broken file
        assert one == two, fmt


def test_every_format_is_byte_identical_with_one_worker_and_two(tmp_path, monkeypatch):
    _assert_same_with_one_worker_and_two(tmp_path, monkeypatch, ("check",), FORMATS)


def test_plan_is_byte_identical_with_one_worker_and_two(tmp_path, monkeypatch):
    """A plan record of a container-image function holds its base image (an
    ImageRef); a worker must send it back, not die on it (a SAM template's
    DockerBuildArgs ref held a closure pickle refused)."""
    _assert_same_with_one_worker_and_two(tmp_path, monkeypatch, ("plan",), ("text", "json", "markdown"))
    assert "ResizeFunction" in _outputs(tmp_path, monkeypatch, "plan", ".", "-j", "2")[0]


@pytest.mark.slow
@pytest.mark.parametrize("command, extra", [
    (("fix", "--diff"), ()), (("fix", "--dry-run"), ("--statistics",)), (("check",), ("--show-fixes",)),
    (("check",), ("--max-annotations", "2")),
])
def test_fix_previews_are_byte_identical_with_one_worker_and_two(tmp_path, monkeypatch, command, extra):
    formats = ("text", "github") if "--max-annotations" in extra else FORMATS
    _assert_same_with_one_worker_and_two(tmp_path, monkeypatch, command, formats, extra)


def _in_process(root, fmt: str, tmp_path, *, fix: bool = False):
    """``reports.emit`` on one in-process run (-j 1) of ``root``: the text it writes."""
    opts = make_options(fix=fix, diff=fix)
    discovery = Discovery(claims)
    results, stats = pool.run(discovery.files([str(root)]), opts, 1, keep=discovery.keeps)
    out = tmp_path / f"out-{fmt}"
    reports.emit(results, stats, reports.Output(fmt=fmt, output_file=str(out)), as_of="2026-11-21", fix=fix,
                 write=False, target="python3.13")
    return out.read_bytes()


@pytest.mark.parametrize("fix", [False, True])
def test_records_kept_in_a_temporary_file_give_the_same_output(tmp_path, monkeypatch, fix):
    root = _tree(tmp_path / "tree", templates=40)
    monkeypatch.chdir(root)
    in_memory = {fmt: _in_process(".", fmt, tmp_path, fix=fix) for fmt in FORMATS}
    monkeypatch.setattr(spool, "SPILL_AT", 512)  # records and kept report text go to temporary files at once
    for fmt in FORMATS:
        assert _in_process(".", fmt, tmp_path, fix=fix) == in_memory[fmt], fmt
    assert b"RT301" in in_memory["sarif"] and b"broken.yaml" in in_memory["gitlab"]


def test_a_result_comes_back_equal_from_its_record(tmp_path, monkeypatch):
    root = _tree(tmp_path / "tree", templates=10)
    monkeypatch.chdir(root)
    for plan in (False, True):  # iacfix plan's function records stay objects (a closure spells a Dockerfile's)
        opts = make_options(fix=True, diff=True)
        opts.plan = plan
        discovery = Discovery(claims)
        results, _ = pool.run(discovery.files(["."]), opts, 1, keep=discovery.keeps)
        results = list(results)
        assert sum(len(r.findings) for r in results) > 40 and any(r.diff for r in results)
        assert any(r.functions for r in results) == plan
        for r in results:
            if r.functions:
                continue
            record = spool.encode_one(r)
            assert record[:1] == b"m"
            back = spool.decode(record)
            assert back == r
            for mine, theirs in zip(back.findings + back.fixed + back.suppressed, r.findings + r.fixed + r.suppressed):
                assert (mine.where, mine.tie, mine.stuck) == (theirs.where, theirs.tie, theirs.stuck)
                assert mine.fix is None or all(type(e).__name__ == "Edit" for e in mine.fix.edits)


def _live_results() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is FileResult)


def test_the_main_process_holds_a_few_results_at_a_time(iacfix, tmp_path, monkeypatch):
    """Counted while the report is written: a bound that does not grow with the
    tree (before, every result of the run was alive until the report was done)."""
    for i in range(1500):
        path = tmp_path / f"d{i % 20}" / f"t{i}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_template(i))
    real, seen = reports.emit, []

    def observed(results, *args, **kw):
        def watched():
            seen.append(_live_results())  # before the report takes any
            for n, r in enumerate(results):
                if n % 150 == 0:
                    seen.append(_live_results())
                yield r
            seen.append(_live_results())

        return real(watched(), *args, **kw)

    monkeypatch.setattr(reports, "emit", observed)
    for fmt in ("json", "text", "sarif", "markdown"):
        seen.clear()
        run = iacfix("check", ".", "-j", "1", "--format", fmt)
        assert run.code == 1
        assert len(seen) >= 10 and max(seen) <= 3, (fmt, seen)
    # the report saw every result: python2.7 is one of six runtimes of 3 functions in each of 1,500 files
    assert "- **750 functions cannot be updated since 2022-05-30 (python2.7)**" in run.out


def test_a_spool_in_a_file_takes_more_records_after_reading_some():
    from iacfix.model import FileError

    def result(path):
        return FileResult(path, errors=[FileError(path, 3, 1, f"cannot parse {path}")], notes=[path * 40])

    kept = spool.Spool(spill_at=100)  # every record in the file
    kept.append([result("b.yaml"), result("a.yaml")])
    assert [r.path for r in kept.results(set())] == ["a.yaml", "b.yaml"]
    kept.append([result("c.yaml"), result("a.yaml")])  # the same path twice: one result, each error once
    again = list(kept.results(set()))
    assert [r.path for r in again] == ["a.yaml", "b.yaml", "c.yaml"]
    assert again[0] == result("a.yaml") and again[2] == result("c.yaml")
