"""How deep a parsed tree may nest: the walkers recurse (and tree-sitter's
``parent`` walks down from the root), so a file nested deeper than any real
configuration is refused at its deepest point, before a walker sees it."""

from __future__ import annotations

from ..model import ParseError

MAX_DEPTH = 250  # tree-sitter nodes from the root; real stacks and modules stay under 60


def check_depth(tree, data: bytes, text: str, limit: int = MAX_DEPTH) -> None:
    """Raise ParseError at the first node (in document order) deeper than
    ``limit`` in a tree-sitter ``tree`` of ``data`` (``text`` encoded)."""
    cursor = tree.walk()
    depth = 0
    while True:
        # A subtree of n nodes reaches at most n - 1 levels below its root (tree-sitter keeps
        # the count): one that cannot pass the limit is not walked (most files: none is).
        if depth + cursor.node.descendant_count - 1 > limit and cursor.goto_first_child():
            depth += 1
            if depth > limit:
                byte = cursor.node.start_byte
                offset = byte if len(data) == len(text) else len(data[:byte].decode("utf-8", "ignore"))
                raise too_deep(limit, offset=offset)
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            depth -= 1


def too_deep(limit: int, **where) -> ParseError:
    return ParseError(f"nested more than {limit} levels deep: not analysed, file left unchanged", **where)
