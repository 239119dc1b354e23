"""The spool's index in sorted runs on disk: replayed in the order a sort in
memory gives, however many runs, and the same report byte for byte."""

import pytest
from hypothesis import given, settings, strategies as st

from iacfix import sorted_runs, spool
from iacfix.sorted_runs import SortedRuns
from test_stream import FORMATS, _in_process, _tree

paths = st.text(st.characters(blacklist_categories=("Cc",)) | st.sampled_from(["/", ".", "\udcff", "\ud800", "é"]),
                max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(paths, st.booleans()), max_size=60), st.integers(1, 7), st.integers(1, 4),
       st.integers(0, 60))
def test_replayed_in_sorted_order_across_runs(given_items, run_at, chunk, later):
    items = [(path, seq, seq * 7, -1, template) for seq, (path, template) in enumerate(given_items)]
    old, sorted_runs.CHUNK = sorted_runs.CHUNK, chunk
    try:
        runs = SortedRuns(run_at)
        for item in items[:later]:
            runs.append(item)
        assert list(runs) == sorted(items[:later]) == list(runs)  # a replay can be repeated
        for item in items[later:]:  # and more taken after one
            runs.append(item)
        assert list(runs) == sorted(items) and len(runs) == len(items)
    finally:
        sorted_runs.CHUNK = old


@pytest.mark.parametrize("fix", [False, True])
def test_an_index_in_runs_gives_the_same_output(tmp_path, monkeypatch, fix):
    root = _tree(tmp_path / "tree", templates=40)
    monkeypatch.chdir(root)
    in_memory = {fmt: _in_process(".", fmt, tmp_path, fix=fix) for fmt in FORMATS}
    monkeypatch.setattr(sorted_runs, "RUN_AT", 3)  # a run every three results
    monkeypatch.setattr(sorted_runs, "CHUNK", 2)
    for fmt in FORMATS:
        assert _in_process(".", fmt, tmp_path, fix=fix) == in_memory[fmt], fmt
    monkeypatch.setattr(spool, "SPILL_AT", 512)  # records in a file too, some moved there from memory
    for fmt in FORMATS:
        assert _in_process(".", fmt, tmp_path, fix=fix) == in_memory[fmt], fmt
