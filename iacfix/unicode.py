"""Which encoding a file is in, and its bytes as UTF-8 for byte-level tests.

Files are UTF-8 (with or without a BOM), or UTF-16 / UTF-32 when a BOM says
so.  The BOM stays in the decoded text as U+FEFF, as a UTF-8 file's does: the
edited text encoded back in the file's encoding gives back every byte that
no edit touched, BOM included."""

from __future__ import annotations

# Longest first: UTF-32-LE's BOM starts like UTF-16-LE's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def encoding_of(data: bytes) -> str:
    """UTF-16 or UTF-32 (little or big endian) when the BOM says so, else UTF-8."""
    if data[:1] in (b"\xff", b"\xfe", b"\x00"):
        for bom, name in _BOMS:
            if data.startswith(bom):
                return name
    return "utf-8"


def as_utf8(data: bytes) -> bytes:
    """The bytes as UTF-8: a UTF-16 or UTF-32 file decoded by its BOM (a unit
    that does not decode replaced), any other file as it is."""
    name = encoding_of(data)
    return data if name == "utf-8" else data.decode(name, "replace").encode("utf-8")
