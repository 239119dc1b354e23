#!/usr/bin/env python3
"""Compare Terraform parsers on a deterministic synthetic corpus.

    .venv/bin/python bench/parsers_tf.py [--files 300] [--seed 1] [--repeat 3]

Parsers: python-hcl2 (hcl2.loads, and its raw Lark parse alone),
tree-sitter-hcl, and, on .tf.json equivalents of the simple files,
tree-sitter-json against json.loads. Uses the standard library plus those
packages only; the corpus lives in memory.

Besides throughput (total bytes / best-of-N wall time) and parse failures it
checks:
  * structure: top-level block counts per file against what the generator
    wrote (catches a parse that "succeeds" but swallows code);
  * python-hcl2 writing into its own package directory: run in a fresh
    subprocess against a byte-identical copy of the installed package (mtimes
    and __pycache__ kept), so this script never writes into the venv. Pass
    --in-place to probe the real installed directory instead (it WILL write
    there). In this process hcl2.parser.PARSER_FILE is redirected to a temp
    file for the same reason;
  * comments after hcl2.dumps(hcl2.loads(t)) and hcl2.reconstruct(hcl2.parses(t));
  * tree-sitter-hcl byte offsets of string values against the generator's
    values (some contain non-ASCII text, so byte and character offsets differ).
"""

import argparse
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import hcl2
import hcl2.parser
import tree_sitter_hcl
import tree_sitter_json
from tree_sitter import Language, Parser

# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------

RUNTIMES = ["python3.9", "python3.11", "python3.12", "nodejs18.x", "nodejs20.x",
            "java17", "ruby3.2", "provided.al2023", "go1.x", "dotnet8"]
GCP_RUNTIMES = ["python311", "python312", "nodejs20", "go121", "java17"]
AZ_PY = ["3.9", "3.10", "3.11", "3.12"]
WORDS = ["billing", "orders", "users", "ingest", "report", "thumbs", "audit",
         "notify", "sync", "export", "search", "payments"]
UNICODE_DESC = ["Función de facturación — prod", "Größe prüfen", "日次バッチ",
                "naïve café handler", "plain ascii handler",
                "  edge spaces kept  "]


class Doc:
    """One generated .tf file plus what the checks expect to find in it."""

    def __init__(self, idx):
        self.idx = idx
        self.parts = []
        self.blocks = Counter()      # top-level block type -> count
        self.strings = []            # (attribute, value) in document order
        self.comments = 0            # comments carrying a CMT tag
        self.tags = set()            # features, for failure attribution
        self.json = None             # .tf.json equivalent (simple files only)

    def comment(self, style, indent=""):
        self.comments += 1
        tag = "CMT%d_%d" % (self.idx, self.comments)
        if style == "#":
            return "%s# %s note\n" % (indent, tag)
        if style == "//":
            return "%s// %s note\n" % (indent, tag)
        return "%s/* %s\n%s   multi-line */\n" % (indent, tag, indent)

    def s(self, key, value):
        self.strings.append((key, value))
        return '"%s"' % value

    @property
    def text(self):
        return "".join(self.parts)


def tags_map(rng, doc, indent):
    keys = rng.sample(["Team", "Env", "CostCenter", "Owner", "Service"], 3)
    lines = ["%stags = merge(var.common_tags, {\n" % indent]
    for k in keys:
        lines.append('%s  %s = "%s"\n' % (indent, k, rng.choice(WORDS)))
    lines.append('%s  "app:name" = local.name\n' % indent)
    lines.append("%s})\n" % indent)
    doc.tags.add("tags")
    return "".join(lines)


def frag_lambda(rng, doc, simple=False):
    n = "%s_%d" % (rng.choice(WORDS), rng.randrange(1000))
    rt = rng.choice(RUNTIMES)
    desc = rng.choice(UNICODE_DESC)
    mem = rng.choice([128, 256, 512, 1024])
    env = {"LOG_LEVEL": rng.choice(["INFO", "DEBUG"]), "TABLE": "t_" + n}
    doc.blocks["resource"] += 1
    doc.tags.add("lambda")
    out = ['resource "aws_lambda_function" "%s" {\n' % n,
           '  function_name = "%s"\n' % n,
           "  runtime       = %s\n" % doc.s("runtime", rt),
           '  handler       = "app.handler"\n',
           "  description   = %s\n" % doc.s("description", desc),
           "  memory_size   = %d\n" % mem,
           "  role          = aws_iam_role.lambda.arn\n"]
    if not simple:
        out.append(doc.comment(rng.choice(["#", "//", "/*"]), "  "))
        out.append('  timeout       = var.env == "prod" ? 30 : 10\n')
        out.append('  filename      = "${path.module}/build/%s.zip"\n' % n)
    out.append("\n  environment {\n    variables = {\n")
    for k, v in env.items():
        out.append('      %s = "%s"\n' % (k, v))
    out.append("    }\n  }\n")
    if simple:
        out.append('  tags = {\n    Team = "core"\n    Env  = "prod"\n  }\n')
    else:
        out.append(tags_map(rng, doc, "  "))
    out.append("}\n\n")
    doc.parts.append("".join(out))
    return {"aws_lambda_function": {n: {
        "function_name": n, "runtime": rt, "handler": "app.handler",
        "description": desc, "memory_size": mem,
        "role": "${aws_iam_role.lambda.arn}",
        "environment": [{"variables": env}],
        "tags": {"Team": "core", "Env": "prod"}}}}


def frag_policy(rng, doc, trim, trailing_ws=""):
    n = rng.choice(WORDS)
    marker = rng.choice(["EOF", "POLICY", "EOT"])
    ind = "    " if trim else ""
    body = (
        '%s{\n%s  "Version": "2012-10-17",\n%s  "Statement": [{\n'
        '%s    "Effect": "Allow",\n%s    "Action": ["dynamodb:GetItem", "sqs:SendMessage"],\n'
        '%s    "Resource": "${aws_dynamodb_table.%s.arn}/*"\n%s  }]\n%s}\n'
    ) % ((ind,) * 6 + (n,) + (ind,) * 2)
    doc.blocks["resource"] += 1
    doc.tags.add("heredoc_trim" if trim else "heredoc")
    doc.parts.append(
        'resource "aws_iam_role_policy" "%s_%d" {\n  role   = aws_iam_role.lambda.id\n'
        "  policy = <<%s%s\n%s%s%s%s\n}\n\n"
        % (n, rng.randrange(1000), "-" if trim else "", marker, body,
           ind, marker, trailing_ws))


def frag_variables(rng, doc, simple=False):
    out = {}
    for _ in range(rng.randint(1, 3)):
        n = "%s_%s" % (rng.choice(WORDS), rng.choice(["region", "size", "mode"]))
        if n in out:
            continue
        d = rng.choice(["us-east-1", "eu-west-1", "ap-south-1"])
        doc.blocks["variable"] += 1
        doc.tags.add("variable")
        s = ['variable "%s" {\n  type        = string\n' % n,
             "  default     = %s\n" % doc.s("default", d),
             "  description = %s\n" % doc.s("description", "Region for " + n)]
        if not simple:
            doc.tags.add("validation")
            s.append("\n  validation {\n"
                     '    condition     = contains(["us-east-1", "eu-west-1", "ap-south-1"], var.%s)\n'
                     '    error_message = "Unsupported region ${var.%s}."\n  }\n' % (n, n))
        s.append("}\n\n")
        doc.parts.append("".join(s))
        out[n] = {"type": "string", "default": d, "description": "Region for %s" % n}
    return out


def frag_locals(rng, doc, simple=False):
    doc.blocks["locals"] += 1
    doc.tags.add("locals")
    name = rng.choice(WORDS)
    if simple:
        doc.parts.append('locals {\n  name    = "%s-${var.env}"\n  retries = 3\n'
                         '  enabled = true\n  zones   = ["a", "b", "c"]\n}\n\n' % name)
        return {"name": "%s-${var.env}" % name, "retries": 3, "enabled": True,
                "zones": ["a", "b", "c"]}
    doc.tags.update({"for_expr", "conditional"})
    doc.parts.append(
        "locals {\n"
        + doc.comment("//", "  ")
        + '  name         = "%s-${var.env}"\n' % name
        + "  upper_names  = [for s in var.names : upper(s) if s != \"\"]\n"
        + "  by_runtime   = { for k, f in var.functions : k => f.runtime... }\n"
        + '  memory       = var.env == "prod" ? 1024 : (var.small ? 128 : 256)\n'
        + "  zipped       = zipmap(keys(var.m), [for v in values(var.m) : v * 2])\n"
        + '  splat        = aws_lambda_function.this[*].arn\n'
        + '  tpl          = "%{ for ip in var.ips }server ${ip}\\n%{ endfor }"\n'
        + "}\n\n")


def frag_module(rng, doc):
    n = rng.choice(WORDS)
    doc.blocks["module"] += 1
    doc.tags.add("module")
    doc.parts.append(
        'module "%s" {\n  source   = "../modules/lambda"\n' % n
        + "  for_each = toset(var.%s_regions)\n\n" % n
        + '  name     = "%s-${each.key}"\n' % n
        + "  runtime  = %s\n" % doc.s("runtime", rng.choice(RUNTIMES))
        + '  count_ok = length(var.subnets) > 0 && var.vpc_enabled || false\n'
        + "  layers   = concat(var.layers, [aws_lambda_layer_version.common.arn])\n"
        + "}\n\n")


def frag_gcp(rng, doc):
    n = rng.choice(WORDS)
    doc.blocks["resource"] += 1
    doc.tags.add("gcp")
    doc.parts.append(
        'resource "google_cloudfunctions2_function" "%s" {\n' % n
        + '  name     = "%s-fn"\n  location = var.region\n\n' % n
        + "  build_config {\n"
        + "    runtime     = %s\n" % doc.s("runtime", rng.choice(GCP_RUNTIMES))
        + '    entry_point = %s\n' % doc.s("entry_point", "main_" + n)
        + "    source {\n      storage_source {\n"
        + "        bucket = google_storage_bucket.src.name\n"
        + '        object = google_storage_bucket_object.%s.name\n' % n
        + "      }\n    }\n  }\n\n"
        + "  service_config {\n    max_instance_count = 3\n"
        + "    available_memory   = \"256M\"\n"
        + '    environment_variables = { ENV = var.env }\n  }\n}\n\n')


def frag_azure(rng, doc):
    n = rng.choice(WORDS)
    doc.blocks["resource"] += 1
    doc.tags.add("azure")
    doc.parts.append(
        'resource "azurerm_linux_function_app" "%s" {\n' % n
        + '  name                = "%s-func"\n' % n
        + "  resource_group_name = azurerm_resource_group.main.name\n"
        + "  location            = azurerm_resource_group.main.location\n"
        + "  service_plan_id     = azurerm_service_plan.main.id\n\n"
        + "  site_config {\n    application_stack {\n"
        + "      python_version = %s\n" % doc.s("python_version", rng.choice(AZ_PY))
        + "    }\n  }\n\n"
        + "  app_settings = {\n    FUNCTIONS_WORKER_RUNTIME = \"python\"\n  }\n}\n\n")


def make_corpus(n_files, seed):
    rng = random.Random(seed)
    docs = []
    n_simple = max(1, n_files // 5)
    n_trailing = max(2, n_files // 50)
    for i in range(n_files):
        doc = Doc(i)
        docs.append(doc)
        doc.parts.append(doc.comment(rng.choice(["#", "//", "/*"])))
        if i < n_simple:
            # simple files: modelled, so a Terraform JSON equivalent exists
            doc.tags.add("simple")
            model = {"resource": {}, "variable": {}, "locals": {}}
            model["variable"].update(frag_variables(rng, doc, simple=True))
            model["locals"] = frag_locals(rng, doc, simple=True)
            for _ in range(rng.randint(1, 3)):
                for typ, v in frag_lambda(rng, doc, simple=True).items():
                    model["resource"].setdefault(typ, {}).update(v)
            doc.json = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
            continue
        if i >= n_files - n_trailing:
            # heredoc closing marker followed by spaces (Terraform trims them);
            # every second file also has a later well-formed heredoc
            doc.tags.add("heredoc_trailing_ws")
            frag_policy(rng, doc, trim=bool(i % 2), trailing_ws="   ")
            if i % 4 < 2:
                doc.tags.add("trailing_ws_then_heredoc")
                frag_lambda(rng, doc)
                frag_policy(rng, doc, trim=False)
            continue
        makers = [frag_lambda, frag_lambda, frag_variables, frag_locals, frag_module,
                  frag_gcp, frag_azure, lambda r, d: frag_policy(r, d, trim=False),
                  lambda r, d: frag_policy(r, d, trim=True)]
        for _ in range(rng.randint(2, 6)):
            rng.choice(makers)(rng, doc)
            if rng.random() < 0.3:
                doc.parts.append(doc.comment(rng.choice(["#", "//", "/*"])) + "\n")
    return docs


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def best_of(repeat, fn):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


def hcl2_block_counts(d):
    return Counter({k: len(v) for k, v in d.items()
                    if not k.startswith("__") and isinstance(v, list)})


def ts_block_counts(root):
    c = Counter()
    for body in root.named_children:
        if body.type != "body":
            continue
        for b in body.named_children:
            if b.type == "block":
                c[b.named_children[0].text.decode()] += 1
    return c


def ts_string_values(node, src, keys, out):
    """(attribute, value) for string-valued attributes, value sliced by byte offsets
    between the quote nodes. Also counts template_literal nodes that do not cover
    the whole text between the quotes (tree-sitter-hcl leaves edge spaces out)."""
    stack = [node]
    gaps = 0
    while stack:
        n = stack.pop()
        if n.type == "attribute":
            key = n.named_children[0].text.decode()
            expr = n.named_children[-1]
            q = expr
            while q.named_child_count == 1 and q.type not in ("string_lit", "quoted_template"):
                q = q.named_children[0]
            if key in keys and q.type in ("string_lit", "quoted_template"):
                start, end = q.children[0], q.children[-1]
                value = src[start.end_byte:end.start_byte].decode("utf-8")
                lits = b"".join(c.text for c in q.children if c.type == "template_literal")
                if lits.decode() != value and "${" not in value:
                    gaps += 1
                out.append((key, value))
        stack.extend(reversed(n.children))
    return gaps


PROBE = r"""
import json, os, sys, time
pkg = sys.argv[1]
sys.path.insert(0, os.path.dirname(pkg))
def snap():
    r = {}
    for d, _, fs in os.walk(pkg):
        for f in fs:
            p = os.path.join(d, f); st = os.stat(p)
            r[os.path.relpath(p, pkg)] = (st.st_mtime_ns, st.st_size)
    return r
def diff(a, b):
    return sorted(k for k in b if a.get(k) != b[k])
s0 = snap()
t0 = time.perf_counter(); import hcl2; t_import = time.perf_counter() - t0
assert os.path.dirname(hcl2.__file__) == pkg, hcl2.__file__
s1 = snap()
t0 = time.perf_counter(); hcl2.loads('a = 1\n'); t_first = time.perf_counter() - t0
s2 = snap()
print(json.dumps({"import": diff(s0, s1), "first_loads": diff(s1, s2),
                  "t_import": t_import, "t_first_loads": t_first}))
"""


def probe_hcl2_writes(tmp, in_place):
    spec = importlib.util.find_spec("hcl2")
    real = os.path.dirname(spec.origin)
    if in_place:
        pkg = real
    else:
        pkg = os.path.join(tmp, "site", "hcl2")
        shutil.copytree(real, pkg)  # copy2: mtimes kept, so __pycache__ stays valid
    runs = []
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", PROBE, pkg], capture_output=True,
                           text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE=""))
        if r.returncode:
            raise SystemExit("probe failed:\n" + r.stderr)
        runs.append(json.loads(r.stdout))
    return real, pkg, runs


def short(x, w):
    return x if len(x) <= w else x[: w - 1] + "…"


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--in-place", action="store_true",
                    help="probe the installed hcl2 directory itself (writes into it)")
    args = ap.parse_args()
    t_start = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="parsers_tf_")
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("total %.1f s" % (time.perf_counter() - t_start))


def run(args, tmp):
    import lark
    print("python %s  python-hcl2 %s  lark %s  tree-sitter-hcl %s  tree-sitter-json %s"
          % (sys.version.split()[0], hcl2.__version__, lark.__version__,
             _dist_version("tree-sitter-hcl"), _dist_version("tree-sitter-json")))

    # 1. python-hcl2 writes into its package directory? (fresh subprocesses)
    real, pkg, runs = probe_hcl2_writes(tmp, args.in_place)
    print("\n[python-hcl2 package-dir writes]  installed at %s" % real)
    print("  probed %s" % ("IN PLACE" if args.in_place else "a byte-identical copy (--in-place for the real dir)"))
    for i, r in enumerate(runs, 1):
        print("  run %d: import wrote %s (%.2fs); first hcl2.loads wrote %s (%.2fs)"
              % (i, r["import"] or "nothing", r["t_import"], r["first_loads"] or "nothing",
                 r["t_first_loads"]))
    print("  installed dir has .lark_cache.bin now: %s"
          % os.path.exists(os.path.join(real, ".lark_cache.bin")))
    # keep this process from writing into the venv; reuse the probe's cache
    cache = os.path.join(pkg, ".lark_cache.bin")
    hcl2.parser.PARSER_FILE = Path(cache if not args.in_place else
                                   os.path.join(tmp, "lark_cache.bin"))
    hcl2.parses_to_tree("a = 1")  # build the grammar outside the timings

    # 2. corpus
    docs = make_corpus(args.files, args.seed)
    texts = [d.text for d in docs]
    blobs = [t.encode("utf-8") for t in texts]
    nbytes = sum(map(len, blobs))
    jdocs = [d for d in docs if d.json]
    jtexts = [d.json for d in jdocs]
    jblobs = [t.encode("utf-8") for t in jtexts]
    jbytes = sum(map(len, jblobs))
    print("\n[corpus] %d .tf files, %.0f KB (seed %d); %d .tf.json equivalents, %.0f KB; "
          "%d files with heredoc marker + trailing spaces"
          % (len(docs), nbytes / 1e3, args.seed, len(jdocs), jbytes / 1e3,
             sum("heredoc_trailing_ws" in d.tags for d in docs)))

    # 3. correctness pass (untimed)
    ts_hcl = Parser(Language(tree_sitter_hcl.language()))
    ts_json = Parser(Language(tree_sitter_json.language()))
    rows = {}

    fails, wrong, dicts = [], [], {}
    for d, t in zip(docs, texts):
        try:
            dd = hcl2.loads(t)
        except Exception as e:  # noqa: BLE001 - any failure counts
            fails.append((d, type(e).__name__))
            continue
        dicts[d.idx] = dd
        if hcl2_block_counts(dd) != d.blocks:
            wrong.append(d)
    rows["python-hcl2 loads (dict)"] = [fails, wrong]
    rows["python-hcl2 parses_to_tree (Lark only)"] = [fails, wrong]

    ts_fails, ts_wrong, strings_checked, strings_bad, lit_gaps = [], [], 0, 0, 0
    keys = {"runtime", "description", "default", "entry_point", "python_version"}
    for d, b in zip(docs, blobs):
        tree = ts_hcl.parse(b)
        if tree.root_node.has_error:
            ts_fails.append((d, "has_error"))
            continue
        if ts_block_counts(tree.root_node) != d.blocks:
            ts_wrong.append(d)
        got = []
        lit_gaps += ts_string_values(tree.root_node, b, keys, got)
        strings_checked += len(d.strings)
        strings_bad += sum(1 for x, y in zip(got, d.strings) if x != y) + abs(len(got) - len(d.strings))
    rows["tree-sitter-hcl parse"] = [ts_fails, ts_wrong]
    rows["tree-sitter-hcl parse + walk all nodes"] = [ts_fails, ts_wrong]

    jf = [(d, "ValueError") for d, t in zip(jdocs, jtexts) if not _json_ok(t)]
    tjf = [(d, "has_error") for d, b in zip(jdocs, jblobs) if ts_json.parse(b).root_node.has_error]
    rows["json.loads (.tf.json)"] = [jf, []]
    rows["tree-sitter-json (.tf.json)"] = [tjf, []]

    # 4. timings
    def walk_all():
        for b in blobs:
            c = ts_hcl.parse(b).walk()
            n = 0
            while True:
                n += 1
                if c.goto_first_child() or c.goto_next_sibling():
                    continue
                while c.goto_parent():
                    if c.goto_next_sibling():
                        break
                else:
                    break

    def safe(fn):
        def go():
            for t in texts:
                try:
                    fn(t)
                except Exception:  # noqa: BLE001
                    pass
        return go

    timed = {
        "python-hcl2 loads (dict)": (nbytes, safe(hcl2.loads)),
        "python-hcl2 parses_to_tree (Lark only)": (nbytes, safe(hcl2.parses_to_tree)),
        "tree-sitter-hcl parse": (nbytes, lambda: [ts_hcl.parse(b) and None for b in blobs]),
        "tree-sitter-hcl parse + walk all nodes": (nbytes, walk_all),
        "json.loads (.tf.json)": (jbytes, lambda: [json.loads(t) for t in jtexts]),
        "tree-sitter-json (.tf.json)": (jbytes, lambda: [ts_json.parse(b) and None for b in jblobs]),
    }
    print("\n%-40s %8s %9s %7s %5s  %s" % ("parser", "MB/s", "best ms", "failed", "wrong",
                                            "features of failed (F) / wrong (W) files"))
    for name, (nb, fn) in timed.items():
        dt = best_of(args.repeat, fn)
        f, w = rows[name]
        total = len(jdocs) if "json" in name else len(docs)
        print("%-40s %8.2f %9.1f %3d/%-3d %5d  %s" % (
            name, nb / dt / 1e6, dt * 1e3, len(f), total, len(w),
            short("F: %s | W: %s" % (_feats([x[0] for x in f]), _feats(w)), 90)))

    # 5. details
    print("\n[python-hcl2 failures] %s" % (
        "; ".join("#%d %s %s" % (d.idx, e, sorted(d.tags & {"heredoc_trailing_ws", "trailing_ws_then_heredoc"}))
                  for d, e in fails) or "none"))
    if wrong:
        d = wrong[0]
        print("  parsed but wrong structure, e.g. #%d: expected %s, got %s"
              % (d.idx, dict(d.blocks), dict(hcl2_block_counts(dicts[d.idx]))))
    print("[tree-sitter-hcl failures] %s; wrong structure: %d" % (len(ts_fails), len(ts_wrong)))
    print("[tree-sitter-hcl offsets] %d string values sliced by byte offsets, %d mismatches "
          "(non-ASCII included); %d values where template_literal nodes != text between quotes"
          % (strings_checked, strings_bad, lit_gaps))

    # 6. comments and round trips (python-hcl2), on files that parse
    ok_docs = [d for d in docs if d.idx in dicts and d not in wrong]
    n_cmt = sum(d.comments for d in ok_docs)

    def count_tags(d, s):
        return sum(1 for k in range(1, d.comments + 1) if ("CMT%d_%d " % (d.idx, k)) in s
                   or ("CMT%d_%d\n" % (d.idx, k)) in s)

    in_dict = sum(count_tags(d, repr(dicts[d.idx]).replace("\\n", "\n")) for d in ok_docs)
    dumped = {}
    in_dumps = 0
    for d in ok_docs:
        dumped[d.idx] = hcl2.dumps(dicts[d.idx])
        in_dumps += count_tags(d, dumped[d.idx])
    in_recon, recon_same, recon_reparse_eq, dumps_reparse_eq = 0, 0, 0, 0
    noc = hcl2.SerializationOptions(with_comments=False)
    for d in ok_docs:
        r = hcl2.reconstruct(hcl2.parses(d.text))
        in_recon += count_tags(d, r)
        recon_same += r == d.text
        base = hcl2.loads(d.text, serialization_options=noc)
        try:
            recon_reparse_eq += hcl2.loads(r, serialization_options=noc) == base
        except Exception:  # noqa: BLE001
            pass
        try:
            dumps_reparse_eq += hcl2.loads(dumped[d.idx], serialization_options=noc) == base
        except Exception:  # noqa: BLE001
            pass
    n = len(ok_docs)
    print("\n[python-hcl2 comments] %d tagged comments in %d correctly parsed files" % (n_cmt, n))
    print("  in loads() dict (__comments__ keys):    %d/%d" % (in_dict, n_cmt))
    print("  after dumps(loads(t)):                  %d/%d; re-loads equal (no comments) %d/%d"
          % (in_dumps, n_cmt, dumps_reparse_eq, n))
    print("  after reconstruct(parses(t)):           %d/%d; byte-identical %d/%d; re-loads equal %d/%d"
          % (in_recon, n_cmt, recon_same, n, recon_reparse_eq, n))


def _feats(ds):
    c = Counter()
    for d in ds:
        c.update(d.tags & {"heredoc_trailing_ws", "trailing_ws_then_heredoc"} or {"other"})
    return ", ".join("%s=%d" % kv for kv in sorted(c.items())) or "-"


def _json_ok(t):
    try:
        json.loads(t)
        return True
    except ValueError:
        return False


def _dist_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:  # noqa: BLE001
        return "?"


if __name__ == "__main__":
    main()
