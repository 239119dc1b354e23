"""A JSON list written item by item, byte for byte as ``json.dumps(document,
indent=...)`` writes it inside its document: a report that cannot hold all
its items at once writes them as they come, or keeps them in a ``Spill``."""

from __future__ import annotations

import json

from ..spool import Spill


class JsonList:
    """Items at ``pad`` (the list's own line starts at ``outer``), rendered with
    ``indent`` as the whole document is.  ``write`` takes the items as they
    come; ``later`` keeps items that follow all of those (``lists``)."""

    def __init__(self, write, indent: int, outer: str):
        self.write, self.indent, self.outer = write, indent, outer
        self.pad = outer + " " * indent
        self.written = 0
        self.later = Spill()
        self.kept = 0

    def _item(self, item) -> str:
        return self.pad + json.dumps(item, indent=self.indent).replace("\n", "\n" + self.pad)

    def add(self, item) -> None:
        self.write(("[\n" if not self.written else ",\n") + self._item(item))
        self.written += 1

    def keep(self, item) -> None:
        """An item that comes after every item ``add`` is given."""
        self.later.write(",\n" + self._item(item))
        self.kept += 1

    def close(self) -> None:
        """The kept items, then the list's end (``[]`` for an empty list)."""
        if not self.written and not self.kept:
            self.write("[]")
            return
        first = not self.written
        for chunk in self.later.chunks():
            self.write("[\n" + chunk[2:] if first else chunk)
            first = False
        self.write("\n" + self.outer + "]")
