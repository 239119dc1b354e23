"""Items added in any order and replayed sorted, without holding them all:
up to ``RUN_AT`` in memory, then each batch sorted and written to an
unlinked temporary file as a run (``marshal`` of ``CHUNK`` items at a time);
a replay merges the runs with what is still in memory, holding one chunk of
each run.  The spool's index (one entry per result, by path) is one: it grew
with the tree (about 250 bytes a result, 15 MB at 300,000 files) and now stays
under about ``RUN_AT`` entries.

Items are tuples that ``marshal`` can write, never equal to each other (the
spool's carry their arrival number), so the merged order is the sorted order.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator

RUN_AT = 8192  # items kept in memory before a sorted run goes to the file
CHUNK = 128  # items per marshal record in a run: what a replay holds of each run


class SortedRuns:
    def __init__(self, run_at: int | None = None):
        self.run_at = RUN_AT if run_at is None else run_at
        self._items: list[tuple] = []
        self._runs: list[list[tuple[int, int]]] = []  # per run: (offset, length) of each chunk
        self._count = 0
        self._file = None

    def __len__(self) -> int:
        return self._count

    def append(self, item: tuple) -> None:
        self._items.append(item)
        self._count += 1
        if len(self._items) >= self.run_at:
            self._write_run()

    def _write_run(self) -> None:
        if self._file is None:
            import tempfile  # only a run with many results pays for it

            self._file = tempfile.TemporaryFile(prefix="iacfix-index-")  # unlinked: gone when closed
        self._items.sort()
        self._file.seek(0, os.SEEK_END)
        offset, run = self._file.tell(), []
        for start in range(0, len(self._items), CHUNK):
            data = marshal.dumps(self._items[start:start + CHUNK])
            self._file.write(data)
            run.append((offset, len(data)))
            offset += len(data)
        self._runs.append(run)
        self._items = []

    def _read(self, run: list[tuple[int, int]]) -> Iterator[tuple]:
        for offset, length in run:
            self._file.seek(offset)
            yield from marshal.loads(self._file.read(length))

    def __iter__(self) -> Iterator[tuple]:
        self._items.sort()
        if not self._runs:
            return iter(self._items)
        import heapq  # only a run with many results merges

        return heapq.merge(*(self._read(run) for run in self._runs), iter(self._items))
