"""``iacfix plan``: per function, where it stands and where it can go.

For each function whose code a format located (``FunctionCode``): its
runtime and deadlines; three candidates, each with what blocks it and until
when it is supported: the fix target (python3.13), the newest older runtime
that runs the code when the target does not (python3.12), and staying where
it is; and a recommendation.  Staying on a runtime a lifecycle rule flags is
recommended only under a valid acceptance (``iacfix.acceptance``).

``records`` runs in the workers (it needs the located sites); ``build`` and
the renderers in the main process.
"""

from __future__ import annotations

import dataclasses
import os

from .acceptance import matching
from .engine import FileView
from .model import FunctionCode, ToolPin
from .readiness import MAX_MODULES, assess, placed, shown, version_key
from .rules.lifecycle import classify
from .targets import suggestion, target_for

NOT_CURRENT = ("allowed-value", "layer-runtime", "build-method")


def records(files) -> None:
    """Put on each file's result the functions declared in it, with the runtime
    their sites give them (found anywhere in the unit)."""
    from .formats.dockerfile import DockerfileFacts, ImageRef

    files = [f for f in files if f.located is not None]
    sites = [(s, f) for f in files for s in f.located.sites if s.kind not in NOT_CURRENT]
    images = [(r, f) for f in files for x in f.located.more if isinstance(x, (ImageRef, DockerfileFacts))
              for r in (x.images if isinstance(x, DockerfileFacts) else [x])]  # a container image's base
    unit_pins = [(f.result.path, FileView(f.result.path, f.text).positions.at(p.start)[0], p.tool, p.ecosystem, p.spec)
                 for f in files for p in f.located.more if isinstance(p, ToolPin)]
    for f in files:
        for code in (m for m in f.located.more if isinstance(m, FunctionCode)):
            mine = [(s, g) for s, g in sites if code.function in s.users]
            image = next(((r, g) for r, g in images if code.function in r.users), None)
            constant = False  # the runtime is written as a CDK constant (Runtime.PYTHON_3_11)
            if mine:  # where the runtime is written: what a fix changes
                site, g = mine[0]
                line = FileView(g.result.path, g.text).positions.at(site.at[0] if site.at else site.start)[0]
                runtime, provider, path = site.value, site.provider, g.result.path
                constant = "PYTHON_" in g.text[site.start:site.end]
            elif image is not None:  # the base image stands for the runtime (resolved against the catalog in build)
                ref, g = image
                line = FileView(g.result.path, g.text).positions.at(ref.at[0])[0]
                # without how a fix rewrites it (a closure for a template's DockerBuildArgs): the
                # record crosses from a worker, and pickle refuses closures
                ref = dataclasses.replace(ref, spell=None, own=None)
                runtime, provider, path = ref, "aws", g.result.path
            else:
                line = FileView(f.result.path, f.text).positions.at(code.start)[0]
                runtime, provider, path = None, "aws", f.result.path
            code = placed(code, f.text, lambda offset, f=f: FileView(f.result.path, f.text).positions.at(offset)[0])
            f.result.functions.append({"name": code.function, "path": path, "line": line, "runtime": runtime,
                                       "provider": provider, "code": code, "declared_in": f.result.path,
                                       "constant": constant, "pins": unit_pins})


def _blockers(found, upto: tuple[int, ...]) -> list[dict]:
    out = []
    for b in found.blocking() if found.found else []:
        if version_key(b.removed_in) <= upto:
            if b.kind == "syntax":
                detail = f"{b.name}: Python 2 code"
            else:
                detail = f"{b.name} is removed in Python {b.removed_in}" + (
                    f"; replace with {b.replacement}" if b.replacement else "")
            out.append({"kind": "syntax" if b.kind == "syntax" else "removed-module", "detail": detail,
                        "path": b.path, "line": b.line})
    return out


def _candidate(rt, found, wheels=None, tools=None) -> dict:
    blockers = _blockers(found, rt.version_key[:2])
    if wheels is not None:
        blockers += wheels(rt)
    if tools is not None:
        blockers += tools(rt)
    return {"runtime": rt.id, "supported_until": rt.deprecation.isoformat() if rt.deprecation else None,
            "blockers": blockers}


def _wheel_check(rec: dict, found, ctx):
    """With --resolve: a candidate -> the requirements pip finds no wheel for."""
    if not ctx.resolve:
        return None
    from .rules.code_readiness import wheel_blockers

    def wheels(rt) -> list[dict]:
        req, answer = wheel_blockers(rec["code"], found, rt, rec["declared_in"])
        if answer is None or answer.ok:
            return []
        where = shown(req)
        return [{"kind": "wheel", "detail": f"{r} has no wheel for {rt.id} ({rt.os}, {rec['code'].architecture})",
                 "path": where, "line": line or 1} for r, line in answer.blockers] or \
            [{"kind": "wheel", "detail": f"pip could not resolve: {answer.error}", "path": where, "line": 1}]

    return wheels


def _tool_check(rec: dict):
    """A candidate -> the pinned deploy tools that cannot deploy it, as ``fix``
    holds moves back (rules.toolchain_pins): a CDK constant the pinned
    aws-cdk-lib lacks, a runtime the pinned hashicorp/aws provider rejects."""
    from .toolchain import blocking, cdk_pins, pins_in

    path = rec["path"]
    if rec["provider"] != "aws":
        return None
    if path.endswith((".py", ".ts", ".js")):
        if not rec.get("constant"):
            return None  # Runtime("python3.13") needs no constant
        pins = cdk_pins(os.path.dirname(path))
    elif path.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
        pins = [(p, ln, pin) for p, ln, pin in pins_in(os.path.dirname(path)) if pin.tool == "hashicorp/aws"]
        pins += [(p, ln, ToolPin(tool, eco, spec, 0, 0)) for p, ln, tool, eco, spec in rec.get("pins", ())
                 if tool == "hashicorp/aws"]
    else:
        return None

    def tools(rt) -> list[dict]:
        return [{"kind": "toolchain", "detail": f"{pin.tool} {pin.spec.strip()} cannot deploy {rt.id}: it needs "
                 f"{row['first']}", "path": shown(p), "line": ln} for p, ln, pin, row in blocking(pins, rt.id)]

    return tools


def _newest_running(rt, target, found, catalog, wheels=None, tools=None):
    """The newest runtime newer than ``rt`` and older than ``target`` that runs the code
    (and, with --resolve, whose wheels pip finds; and that the pinned tools deploy)."""
    options = sorted((other for (p, _), other in catalog.runtimes.items()
                      if p == rt.provider and other.family == rt.family and not other.preview and other.version_key
                      and rt.version_key < other.version_key < target.version_key
                      and found.runs_on(other.version_key)), key=lambda o: o.version_key, reverse=True)
    for other in options:
        if (wheels is None or not wheels(other)) and (tools is None or not tools(other)):
            return other
    return None


def build(results, ctx) -> dict:
    functions = []
    for r in results:
        for rec in r.functions:
            functions.append(_function(rec, ctx))
    functions.sort(key=lambda f: (f["path"], f["line"], f["name"]))
    return {"version": 1, "as_of": ctx.as_of.isoformat(), "functions": functions}


def _function(rec: dict, ctx) -> dict:
    catalog = ctx.catalog
    if rec["runtime"] is not None and not isinstance(rec["runtime"], str):  # a base image: the runtime it stands for
        from .rules.container_images import runtime_of

        image = runtime_of(rec["runtime"], catalog)
        rec = {**rec, "runtime": image.id if image else None, "provider": image.provider if image else "aws"}
    found = assess(rec["code"], rec["declared_in"])
    rt = catalog.get(rec["runtime"], rec["provider"]) if rec["runtime"] else None
    out = {"name": rec["name"], "path": rec["path"], "line": rec["line"], "runtime": rec["runtime"],
           "provider": rec["provider"], "deadlines": rt.deadlines() if rt else None,
           "code": {"path": found.code, "found": found.found}}
    if not found.found:
        out["code"]["why_not"] = found.why_not
    if rt is None or rt.family != "python":
        out["candidates"] = []
        move_to = suggestion(rt, ctx) if rt is not None else None
        out["recommendation"] = {"runtime": move_to or (rt.id if rt is not None and classify(rt, ctx) is None else None),
                                 "why": "the runtime is not known statically" + (
                                     f" ({found.why_not})" if rec["code"].not_local else "") if rt is None else
                                 f"{rt.family} code is not read; " + (f"{move_to} is the catalog's successor" if move_to
                                                                      else "no newer runtime to suggest")}
        return out
    target = target_for(ctx, rt.provider)
    candidates, chosen = [], None
    wheels, tools = _wheel_check(rec, found, ctx), _tool_check(rec)
    if target is not None and rt.version_key < target.version_key:
        candidates.append(_candidate(target, found, wheels, tools))
        older = None if not candidates[0]["blockers"] else _newest_running(rt, target, found, catalog, wheels, tools)
        if older is not None:
            candidates.append(_candidate(older, found, wheels, tools))
    stay = _candidate(rt, found, wheels, tools)
    candidates.append(stay)
    out["candidates"] = candidates
    accepted = matching(ctx.accepts, rec["path"], [rec["name"]], rt.id)
    flagged = classify(rt, ctx)
    unread = "" if found.found else f"; the code was not read ({found.why_not}): check it before deploying"
    if found.truncated:
        unread = f"; only the first {MAX_MODULES} local modules of the code were read: check the rest before deploying"
    if accepted is not None and accepted.valid(ctx.as_of):
        chosen = {"runtime": rt.id, "why": f"staying is accepted until {accepted.until}: {accepted.reason}"}
    else:
        for c in candidates[:-1]:
            if not c["blockers"]:
                what = "the target" if c["runtime"] == (target.id if target else None) else \
                    "the newest runtime that runs this code"
                blocked = "" if c is candidates[0] else \
                    f"; {candidates[0]['runtime']} is blocked: " + ", ".join(
                        b["detail"].split(";")[0] for b in candidates[0]["blockers"])
                chosen = {"runtime": c["runtime"], "why": f"{what}, supported until {c['supported_until']}{blocked}"
                          + unread}
                break
        if chosen is None:
            if flagged is None and not stay["blockers"]:
                chosen = {"runtime": rt.id, "why": f"{rt.id} is supported until {stay['supported_until']}" + (
                    "" if target is None or rt.version_key >= target.version_key else
                    f"; {target.id} is blocked") + unread}
            else:
                why = [b["detail"].split(";")[0] for b in (candidates[0]["blockers"] if candidates else [])]
                expired = f"; the acceptance expired on {accepted.until}" if accepted is not None else ""
                chosen = {"runtime": None, "why": "no supported runtime runs this code as it is ("
                          + ", ".join(why or ["its runtime is flagged"]) + "): change the code, or record an "
                          "acceptance to stay (--accept)" + expired}
    out["recommendation"] = chosen
    return out


# -- output ---------------------------------------------------------------------

def _cell(c: dict) -> str:
    if not c["blockers"]:
        return f"ok until {c['supported_until']}"
    first = c["blockers"][0]
    more = f" +{len(c['blockers']) - 1}" if len(c["blockers"]) > 1 else ""
    return f"blocked: {first['detail'].split(';')[0].split(' is removed')[0]} ({first['path']}:{first['line']}){more}"


def _rows(plan: dict) -> list[tuple]:
    rows = []
    for f in plan["functions"]:
        cands = f["candidates"]
        deadline = (f["deadlines"] or {}).get("deprecation") or "-"
        target = _cell(cands[0]) if len(cands) > 1 else "-"
        older = f"{cands[1]['runtime']} {_cell(cands[1])}" if len(cands) > 2 else "-"
        rec = f["recommendation"]
        rows.append((f["name"], f"{f['path']}:{f['line']}", f["runtime"] or "?", deadline,
                     f"{cands[0]['runtime']} {target}" if len(cands) > 1 else "-", older,
                     f"move to {rec['runtime']}" if rec["runtime"] and rec["runtime"] != f["runtime"] else
                     (f"stay on {rec['runtime']}" if rec["runtime"] else "decide")))
    return rows


HEADER = ("FUNCTION", "WHERE", "RUNTIME", "DEPRECATED", "TARGET", "NEWEST THAT RUNS IT", "RECOMMENDATION")


def text(plan: dict) -> str:
    if not plan["functions"]:
        return f"No function code found (as of {plan['as_of']})."
    table = [HEADER, *_rows(plan)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.append("")
    for f in plan["functions"]:
        lines.append(f"{f['name']}: {_recommendation(f)}")
    n = len(plan["functions"])
    lines.append(f"\nAs of {plan['as_of']}; {n} function{'' if n == 1 else 's'}.")
    return "\n".join(lines)


def _recommendation(f: dict) -> str:
    rec = f["recommendation"]
    if rec["runtime"] is None:
        return f"decide: {rec['why']}"
    verb = "stay on" if rec["runtime"] == f["runtime"] else "move to"
    return f"{verb} {rec['runtime']}: {rec['why']}"


def markdown(plan: dict) -> str:
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    lines = [f"### Runtime plan (as of {plan['as_of']})", ""]
    if not plan["functions"]:
        return "\n".join(lines + ["No function code found."]) + "\n"
    lines.append("| " + " | ".join(h.capitalize() for h in HEADER) + " |")
    lines.append("|" + "---|" * len(HEADER))
    for r in _rows(plan):
        lines.append("| " + " | ".join(esc(c) for c in r) + " |")
    lines.append("")
    for f in plan["functions"]:
        lines.append(f"- **{esc(f['name'])}**: {esc(_recommendation(f))}")
    lines += ["", "```mermaid", "gantt", f"    title Runtime deadlines (as of {plan['as_of']})",
              "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m"]
    as_of = plan["as_of"]
    for f in plan["functions"]:
        deadlines = {k: v for k, v in (f["deadlines"] or {}).items() if v}
        if not deadlines:
            continue
        lines.append(f"    section {_gantt(f['name'])}")
        end = deadlines.get("deprecation")
        if end and end > as_of:
            lines.append(f"    {f['runtime']} supported :active, {as_of}, {end}")
        for key, date in deadlines.items():
            lines.append(f"    {f['runtime']} {key.replace('_', ' ')} :milestone, {'crit, ' if date <= as_of else ''}"
                         f"{date}, 0d")
        rec = f["recommendation"]["runtime"]
        if rec and rec != f["runtime"]:
            until = next((c["supported_until"] for c in f["candidates"] if c["runtime"] == rec), None)
            if until and until > as_of:
                lines.append(f"    {rec} supported :{as_of}, {until}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _gantt(name: str) -> str:
    """A section title Mermaid accepts (no colon, no hash)."""
    return name.replace(":", " ").replace("#", " ")

