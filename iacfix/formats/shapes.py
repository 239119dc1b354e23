"""What a runtime identifier looks like, per provider: one source for every
format that must tell a runtime from another string before the catalog is
asked (a SAM BuildMethod, a Terraform module input merely named runtime)."""

from __future__ import annotations

import re

RUNTIME_LIKE = {
    "aws": re.compile(r"python\d\.\d+|nodejs\d+\.(x|\d+)|java\d+(\.al2(023)?)?|dotnet(core)?\d+(\.\d)?|ruby\d\.\d"
                      r"|go1\.x|provided(\.al2(023)?)?"),
    "gcp": re.compile(r"(python|nodejs|go|java|ruby|php|dotnet)\d+"),
}


def looks_like_runtime(value: str, provider: str | None = None) -> bool:
    """Whether ``value`` is shaped like a runtime id of ``provider`` (any, if None)."""
    shapes = RUNTIME_LIKE.values() if provider is None else (RUNTIME_LIKE[provider],)
    return any(rx.fullmatch(value) for rx in shapes)
