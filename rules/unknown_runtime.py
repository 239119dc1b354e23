from __future__ import annotations

from . import INFO, Rule, register
from .wording import context


@register
class UnknownRuntime(Rule):
    """## What it does
    Reports a runtime value that the catalog does not know for its provider,
    such as a typo (`python3.1`), a runtime newer than the catalog, or one
    provider's spelling used for another (`python3.11` in a Google Cloud
    function, which wants `python311`).

    ## Why is this bad
    iacfix cannot judge what it does not know.  A typo fails at deploy time; a
    new runtime means the catalog needs a refresh (`--catalog FILE` takes an
    updated copy).

    ## Example
    ```yaml
    Resources:
      Api:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: pyhton3.12   # a typo
    ```

    ## Fix safety
    Never fixed automatically.
    """

    code = "RT101"
    name = "runtime-unknown"
    severity = INFO
    summary = "the runtime is not in the catalog"
    tags = ("aws", "gcp", "azure", "catalog")
    fix_safety = "never"

    def message(self, site, ctx) -> str:
        catalog = ctx.catalog
        name = catalog.providers[site.provider].name if site.provider in catalog.providers else site.provider
        msg = f"{site.value!r} is not among the catalog's {name} runtimes (checked {catalog.last_checked}) {context(site)}"
        return msg.strip()
