"""iacfix as a cfn-lint plugin: runtime deadlines inside a cfn-lint run.

    cfn-lint --append-rules iacfix.cfnlint_plugin template.yaml
    cfn-lint --append-rules iacfix.cfnlint_plugin -x E9100:as_of=2027-07-01 template.yaml

Three rules carry iacfix's findings by severity: E9100 (deprecated or
blocked), W9100 (OS end of life, deprecation within the horizon) and I9100
(unknown or unresolved runtime).  Each message starts with the iacfix rule
code (`iacfix explain CODE`).  They see the template as written, before the
SAM transform, so Globals, parameters and mappings are followed as in
`iacfix check`.  cfn-lint must be installed; iacfix itself never imports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from .catalog import load_catalog
from .engine import Options, process_file
from .rules import RUNTIMES_PAGE, Context
from .targets import default_target, with_target


@functools.lru_cache(maxsize=8)
def _findings(filename: str, mtime: float, as_of: str, horizon: int):
    catalog = load_catalog()
    day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    context = Context(day, horizon, catalog)
    opts = Options(context=with_target(context, *default_target(catalog, context)))
    return process_file(filename, opts).findings


class _IacfixRule(CloudFormationLintRule):
    severity_name = ""
    tags = ["iacfix", "lambda", "runtime"]
    source_url = RUNTIMES_PAGE

    def __init__(self):
        super().__init__()
        self.config_definition = {
            "as_of": {"default": "", "type": "string"},
            "horizon": {"default": 365, "type": "integer"},
        }
        self.configure()

    def match(self, cfn):
        filename = cfn.filename
        if not filename or not os.path.isfile(filename):
            return []
        found = _findings(filename, os.stat(filename).st_mtime, self.config["as_of"], self.config["horizon"])
        return [
            RuleMatch(["Resources"], f"{f.rule} {f.message}",
                      location=(f.line - 1, f.column - 1, f.end_line - 1, f.end_column - 1))
            for f in found if f.severity == self.severity_name
        ]


class IacfixRuntimeError(_IacfixRule):
    id = "E9100"
    shortdesc = "iacfix: Lambda runtime deprecated or blocked"
    description = "A Lambda runtime is past its deprecation, block-create or block-update date (iacfix RT001-RT003)."
    severity_name = "error"


class IacfixRuntimeWarning(_IacfixRule):
    id = "W9100"
    shortdesc = "iacfix: Lambda runtime on an end-of-life OS or deprecated soon"
    description = "A Lambda runtime runs on an OS past its end of life, or is deprecated within the horizon (iacfix RT004-RT005)."
    severity_name = "warning"


class IacfixRuntimeInfo(_IacfixRule):
    id = "I9100"
    shortdesc = "iacfix: Lambda runtime unknown or not resolvable statically"
    description = "iacfix cannot judge a runtime value (iacfix RT101-RT102)."
    severity_name = "info"
