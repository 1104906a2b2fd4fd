"""Golden tests of every output format on the corpus: the exact bytes a user
sees for a few queries, kept in tests/golden/. Scores are left out of the
JSON comparison (they are floating point); ranks, citations and texts are in.
Run with --update (after the usual arguments) to rewrite the golden files
after a deliberate change, and review the diff."""
import json
import os
import sys

from harness import Programs

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden")
QUERIES = {
    "peacekeeping": ["peacekeeping South Sudan", "-n", "3"],
    "acronym": ["IHL", "-n", "2"],
    "filtered": ['"Red Cross" file:beijing*', "-n", "2"],
}
FORMATS = {
    "text": ["--color", "never"],
    "vimgrep": ["--vimgrep"],
    "json": ["--json"],
    "files": ["-l"],
}

update = "--update" in sys.argv
p = Programs([a for a in sys.argv if a != "--update"])
p.copy_corpus()
p.index("corpus", "-q")
for qname, qargs in QUERIES.items():
    for fname, fargs in FORMATS.items():
        out = p.loci(*fargs, *qargs).stdout.decode("utf-8")
        if fname == "json":
            rows = [json.loads(line) for line in out.splitlines()]
            for r in rows:
                r.pop("score", None)
            out = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
        path = os.path.join(GOLDEN, f"{qname}.{fname}")
        if update:
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(out)
            continue
        expected = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        p.check(expected is not None, f"golden file {path} exists")
        if expected is not None:
            p.check(out == expected, f"{qname}.{fname} differs from tests/golden:\n--- got\n{out}--- expected\n{expected}")
p.finish()
