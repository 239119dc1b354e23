"""iacfix as a cfn-lint plugin: runtime deadlines inside a cfn-lint run.

    cfn-lint template.yaml --append-rules iacfix.cfnlint_plugin
    cfn-lint --append-rules iacfix.cfnlint_plugin --include-checks I9100 -- template.yaml
    cfn-lint --append-rules iacfix.cfnlint_plugin -x E9100:as_of=2027-07-01 -x E9100:horizon=180 -- template.yaml

`--append-rules`, `--include-checks` and `-x` each take one or more values, so
a template named after them is taken as one more value: name the templates
first, or put `--` before them.

Three rules carry iacfix's findings by severity: E9100 (deprecated or
blocked), W9100 (OS end of life, deprecation within the horizon) and I9100
(unknown or unresolved runtime; cfn-lint shows informational rules only with
`--include-checks`).  Each message starts with the iacfix rule code
(`iacfix explain CODE`).  They see the template as written, before the SAM
transform, so Globals, parameters and mappings are followed as in
`iacfix check`.

The settings `as_of` (YYYY-MM-DD, default today) and `horizon` (days, default
365) are iacfix's, not one rule's: given to any of the three rules they apply
to all three, so every site is judged once, with one date, and gets exactly
one of E9100, W9100 and I9100.  A setting given two different values, an
`as_of` that is not a date or a negative `horizon` is reported instead of any
finding, by each of the three rules that cfn-lint shows.

cfn-lint must be installed; iacfix itself never imports it.
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

DEFAULTS = {"as_of": "", "horizon": 365}

# Rule id -> the settings cfn-lint gave that rule (`-x ID:key=value`, or
# `configure_rules` in a .cfnlintrc).  cfn-lint configures every rule it loaded
# before it runs any of them on a template, so while rules match, this holds
# the current run's settings for all three.
_given: dict[str, dict[str, object]] = {}


@functools.lru_cache(maxsize=8)
def _findings(filename: str, mtime: float, as_of: str, horizon: int):
    catalog = load_catalog()
    day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    context = Context(day, horizon, catalog)
    opts = Options(context=with_target(context, *default_target(catalog, context)))
    result = process_file(filename, opts)
    return [f for f in result.findings if f.path == result.path]  # not those about a function's code files


def _settings() -> tuple[str, int, str]:
    """The shared (as_of, horizon) and, if the settings are unusable, why."""
    chosen, problems = dict(DEFAULTS), []
    for key in DEFAULTS:
        given = {rule_id: settings[key] for rule_id, settings in sorted(_given.items()) if key in settings}
        if len(set(given.values())) > 1:
            spelled = ", ".join(f"{rule_id}:{key}={value}" for rule_id, value in given.items())
            problems.append(f"{key} is given different values ({spelled}); give it once, to any of them")
        elif given:
            chosen[key] = next(iter(given.values()))
    as_of, horizon = str(chosen["as_of"]), int(chosen["horizon"])
    if as_of and not problems:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            problems.append(f"as_of={as_of} is not a date (YYYY-MM-DD)")
    if horizon < 0:
        problems.append(f"horizon={horizon} is negative")
    return as_of, horizon, "; ".join(problems)


class _IacfixRule(CloudFormationLintRule):
    severity_name = ""
    tags = ["iacfix", "lambda", "runtime"]
    source_url = RUNTIMES_PAGE

    def __init__(self):
        super().__init__()
        self.config_definition = {
            "as_of": {"default": DEFAULTS["as_of"], "type": "string"},
            "horizon": {"default": DEFAULTS["horizon"], "type": "integer"},
        }
        self.configure()

    def configure(self, configs=None, experimental=False):
        super().configure(configs, experimental)
        named = configs if isinstance(configs, dict) else {}
        _given[self.id] = {key: self.config[key] for key in named if key in self.config_definition}

    def match(self, cfn):
        filename = cfn.filename
        if not filename or not os.path.isfile(filename):
            return []
        as_of, horizon, problem = _settings()
        if problem:
            return [RuleMatch([], f"iacfix settings (E9100, W9100 and I9100 share them): {problem}")]
        found = _findings(filename, os.stat(filename).st_mtime, as_of, horizon)
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
