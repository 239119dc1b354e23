"""How findings about runtime sites are worded; formats hand over data only.

``place`` words a ``Where`` (a resource's property, a parameter's default, a
mapping entry...) and ``context`` the parenthesised clause that ends a
message: who uses the value and, for values written away from the resource,
where they are written.
"""

from __future__ import annotations

from iacfix.catalog import Runtime
from iacfix.model import Site, Where

from . import Context


def place(where: Where) -> str:
    text = _place(where)
    return f"{text} via {where.via}" if where.via else text


PLACES = {  # Where.kind -> how it reads; any other kind: "name field"
    "globals": "SAM Globals.{name}.{field}",
    "parameter": "Parameter {name} {field}",
    "mapping": "Mappings {name}.{field}",
    "metadata": "{name} Metadata.{field}",
    "construct": "{name} without {field}=",
    "validation": 'variable "{name}" validation',
    "variable": 'variable "{name}" {field}',
    "tfvars": "{name} in {field}",
    "local": "local.{name}",
    "module-input": "{name} input {field}",
    "serverless-file": "{name} in {field}",
    "serverless-fallback": "{name}: fallback of ${{{field}}}",
    "build-image": "{name} {field}",
    "unmaintained-build-image": "{name} {field}, an unmaintained image (lambci publishes none after python3.8)",
    "ci": "{name}: {field}",  # CI files, version files, packaging: where, then what
}


def _place(where: Where) -> str:
    form = PLACES.get(where.kind)
    if form is None:
        return " ".join(p for p in (where.name, where.field) if p)
    return form.format(name=where.name, field=where.field).rstrip(".")


def context(site: Site) -> str:
    """``(Orders)``, ``(Parameter Py Default; used by A, B)``, ``(SAM
    Globals.Function.Runtime, inherited by no function)``."""
    users = site.users
    if site.kind == "property":
        return f"({users[0]})" if users else ""
    where = place(site.where)
    if site.kind == "implicit-default":
        where += f" defaults to {site.value}"
    if site.kind in ("layer-runtime", "build-method", "build-image"):
        return f"({where})"
    if site.kind == "globals" and not users:
        return f"({where}, inherited by no function)"
    used = f"; used by {', '.join(users)}" if users else ""
    return f"({where}{used})"


def deadline_clause(rt: Runtime, headline: str, ctx: Context) -> str:
    """The runtime's other dates, named as its provider names them."""
    provider = ctx.catalog.provider(rt)
    parts = [f"{provider.dates[key][0]} {date}" for key, date in rt.dates.items()
             if date is not None and str(date) not in headline]
    return (f"{provider.service} " + ", ".join(parts)) if parts else ""


def layer_notes(site: Site, target: str) -> list[str]:
    """Said when a layer's runtimes are rewritten: its content is built for one Python."""
    if site.layers:
        return [f"layer {name}: rebuild the layer content for {target}" for name in site.layers]
    if site.kind in ("layer-runtime", "build-method"):
        return [f"rebuild the layer content for {target}"]
    return []


def still_tested(rt: Runtime) -> str:
    """Why an entry of a list of tested versions that is not yet past its end of life stays."""
    return f"{rt.id} is supported until {rt.deprecation}: a list of tested versions keeps it until then"


def untested(values: set[str], rt: Runtime, ctx: Context) -> list[str]:
    """The supported versions of ``rt``'s provider (not past their end of life,
    not previews) that a list of tested versions holding ``values`` leaves out."""
    return [o.id for (p, _), o in ctx.catalog.runtimes.items()
            if p == rt.provider and o.family == rt.family and not o.preview and o.version_key
            and (o.deprecation is None or ctx.as_of < o.deprecation) and o.id not in values]


def image_clause(ref, facts=None, rt=None) -> str:
    """``(FROM python:3.9-slim, stage build; via ARG PY; hosts a Lambda function through awslambdaric)``."""
    if ref.path:  # a template's build argument
        parts = [f"selects {ref.resolved}"]
    else:
        parts = [f"FROM {ref.written}" + (f" AS {ref.stage_name}" if ref.stage_name else "")]
        if ref.via:
            parts.append(f"version from {ref.via}")
    if ref.kind == "python" and facts is not None:
        parts.append("hosts a Lambda function through awslambdaric" if facts.lambda_host
                     else "no awslambdaric: not a Lambda function image")
    if rt is not None and rt.version_key[:1] == (2,) and rt.family == "python" and facts and facts.bootstrap:
        parts.append("a custom /var/runtime/bootstrap keeps a runtime alive that gets no security updates")
    if ref.users:  # a Dockerfile's own function is named by the file itself: no need to say it again
        parts.append(f"used by {', '.join(ref.users)}" if ref.path else "the function's base image")
    return f"({'; '.join(parts)})"
