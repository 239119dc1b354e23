from __future__ import annotations

from . import INFO, Rule, register


@register
class UnknownRuntime(Rule):
    """## What it does
    Reports a runtime value that the catalog does not know, such as a typo
    (`python3.1`) or a runtime newer than the catalog.

    ## Why is this bad
    iacfix cannot judge what it does not know.  A typo fails at deploy time; a
    new runtime means the catalog needs a refresh (`--catalog FILE` takes an
    updated copy).

    ## Example
    ```yaml
    Runtime: pyhton3.12
    ```

    ## Fix safety
    Never fixed automatically.
    """

    code = "RT101"
    name = "runtime-unknown"
    kind = "unknown"
    severity = INFO
    summary = "the runtime is not in the catalog"
    tags = ("aws", "lambda", "catalog")
    fixable = False
