"""End-to-end tests of loci and loci-index on the corpus: output formats,
exit codes, errors and malformed queries, as a user meets them."""
import json
import os
import re
import sys

from harness import Programs

p = Programs(sys.argv)
p.copy_corpus()
built = p.index("corpus")
p.check(built.returncode == 0, f"indexing the corpus exits 0 (got {built.returncode}: {built.stderr!r})")
p.check(re.search(rb"5 files: 5 new, 0 changed, 0 removed, 0 unchanged, 0 skipped; \d+ passages", built.stderr),
        f"one summary line: {built.stderr!r}")

# --help teaches every option.
for binary, options in ((p.loci_bin, ["--db", "--limit", "--offset", "--json", "--vimgrep", "--files-with-matches",
                                      "--count", "--explain", "--color", "--queries", "Exit status", "NEAR", "file:GLOB"]),
                        (p.index_bin, ["--db", "--rebuild", "--language", "--exclude", "--passage-words",
                                       "--quiet", "Exit status", ".pdf", ".html"])):
    h = p.run([binary, "--help"])
    p.check(h.returncode == 0, f"{binary} --help exits 0")
    for o in options:
        p.check(o.encode() in h.stdout, f"{os.path.basename(binary)} --help mentions {o}")

# The README's first query.
r = p.loci("peacekeeping South Sudan", "--color", "never")
first = r.stdout.decode().splitlines()[0] if r.stdout else ""
p.check(r.returncode == 0, "a query with results exits 0")
p.check(first.startswith("corpus/r2p-china-assessment-2023.txt:269"), f"cites file and line: {first!r}")

# Exit codes: 1 for none, 2 for errors, with one-line messages.
none = p.loci("xyzzyplugh")
p.check(none.returncode == 1 and none.stdout == b"", "no results: exit 1, nothing printed")
missing = p.loci("peace", cwd="/")
p.check(missing.returncode == 2, "no index: exit 2")
p.check(missing.stderr == b"loci: no index at .loci; run: loci-index PATH...\n", f"no index message: {missing.stderr!r}")
bad = p.loci("china NOT")
p.check(bad.returncode == 2 and bad.stderr == b"loci: query position 7: NOT needs a word after it\n",
        f"malformed query names the position: {bad.stderr!r}")
# A query starting with -word reads as an option: say how to search it, and it works after --.
dash = p.loci("-tibet", "china")
p.check(dash.returncode == 2 and dash.stderr == b"loci: unknown option '-tibet' (a query that starts with '-' "
        b"goes after '--': loci -- '-tibet ...')\n", f"a query starting with -: {dash.stderr!r}")
typo = p.loci("--jsn", "china")
p.check(typo.returncode == 2 and typo.stderr == b"loci: unknown option '--jsn' (loci --help lists them)\n",
        f"an unknown long option: {typo.stderr!r}")
after = p.loci("--", "-tibet", "china")
p.check(after.returncode == 0 and after.stdout, f"after --, -tibet china searches: {after.stderr!r}")
foreign = p.loci("peace", "--db", os.path.join(p.tmp, "corpus"))
p.check(foreign.returncode == 2 and foreign.stderr.count(b"\n") == 1, f"a folder that is no index: {foreign.stderr!r}")

# Malformed and hostile queries never crash: a reading or a one-line error.
for q in ['"unbalanced', "NOT", "***", "(((", ")))", "a\x01b\x7f", "x" * 5000, "OR OR", "NEAR", "-", "+",
          "file:", "section:", "\"\"", "((a OR b) AND", "\u200b", "中国 红十字会", "\ud7ff"]:
    res = p.loci(q)
    ok = res.returncode in (0, 1) or (res.returncode == 2 and res.stderr.count(b"\n") == 1)
    p.check(ok, f"query {q[:20]!r}: exit {res.returncode}, stderr {res.stderr[:100]!r}")

# JSON: valid for any input, the documented keys, citations that point at the words.
proc, hits = p.json_hits("--limit", "10", "humanitarian law IHL")
p.check(proc.returncode == 0 and len(hits) == 10, "JSON gives 10 passages")
keys = {"rank", "score", "path", "line_start", "line_end", "line", "column", "section", "text", "matches"}
for i, h in enumerate(hits):
    p.check(keys <= set(h), f"JSON keys: {sorted(keys - set(h))} missing")
    p.check(h["rank"] == i + 1, "ranks are 1, 2, 3...")
    p.check(h["line_start"] <= h["line"] <= h["line_end"], "cited line inside the passage")
    lines = open(os.path.join(p.tmp, h["path"]), "rb").read().split(b"\n")
    for m in h["matches"]:
        src = lines[m["line"] - 1]
        word = h["text"].encode()[m["offset"]:m["offset"] + m["length"]]
        p.check(src[m["column"] - 1:m["column"] - 1 + 1] == word[:1], f"match column points at {word!r} in {h['path']}")
scores = [h["score"] for h in hits]
p.check(scores == sorted(scores, reverse=True), "best first")

# vimgrep: path:line:column:text with the column on the matched word.
v = p.loci("--vimgrep", "UNMISS")
m = re.match(rb"^(corpus/[^:]+):(\d+):(\d+):(.*)$", v.stdout.splitlines()[0])
p.check(m is not None, f"vimgrep format: {v.stdout[:80]!r}")
if m:
    line = open(os.path.join(p.tmp, m.group(1).decode()), "rb").read().split(b"\n")[int(m.group(2)) - 1]
    col = int(m.group(3))
    p.check(line[col - 1:col - 1 + 6] == b"UNMISS", "vimgrep column (1-based bytes) is on the word")

# Files, count, limit, offset, colour.
files = p.loci("-l", "Red Cross").stdout.decode().splitlines()
p.check(len(files) == len(set(files)) and len(files) >= 3, f"-l lists each file once: {files}")
# Like grep -l: every file with a matching passage, not only those of the
# first page of passages (the word is in all five reports).
every = p.loci("-l", "humanitarian").stdout.decode().splitlines()
p.check(len(every) == 5 == len(set(every)), f"-l lists every matching file: {every}")
p.check(p.loci("-l", "-n", "2", "humanitarian").stdout.decode().splitlines() == every[:2], "-l -n counts files")
p.check(p.loci("-l", "-n", "2", "--offset", "2", "humanitarian").stdout.decode().splitlines() == every[2:4],
        "-l --offset skips files")
_, as_json = p.json_hits("-l", "humanitarian")  # --json wins over -l: passages, as without -l
p.check(len(as_json) == 10 and all(h["matches"] for h in as_json), f"--json -l prints passages: {len(as_json)}")
p.check(p.loci("-c", "-n", "7", "Red Cross").stdout == b"7\n", "--count counts the passages shown")
_, page1 = p.json_hits("--limit", "4", "humanitarian")
_, page2 = p.json_hits("--limit", "2", "--offset", "2", "humanitarian")
p.check([h["text"] for h in page2] == [h["text"] for h in page1[2:4]], "offset pages through the same ranking")
colored = p.loci("--color", "always", "UNMISS").stdout
p.check(b"\x1b[1;31mUNMISS\x1b[0m" in colored, "--color always highlights matches")
p.check(b"\x1b[" not in p.loci("UNMISS", env={"NO_COLOR": "1"}).stdout, "no colour when not a terminal / NO_COLOR")

# Did you mean.
typo = p.loci("peacekeepng operations", "--color", "never")
p.check(typo.stderr == b"loci: showing results for: peacekeeping operations\n", f"did-you-mean: {typo.stderr!r}")
asis = p.loci("--no-suggest", "--json", "peacekeepng operations")
p.check(b"suggestion" not in asis.stdout, "--no-suggest searches the query as typed")
proc, typo_hits = p.json_hits("peacekeepng")
p.check(len(typo_hits) > 0, "a query that finds nothing searches the suggestion")

# --queries: a batch in one process gives, query by query, what single runs give.
batch_queries = ["peacekeeping South Sudan", "when was the ICRC founded", "xyzzyplugh", "\"responsibility to protect\""]
with open(os.path.join(p.tmp, "queries.txt"), "w") as f:
    f.write("# a comment\n" + "\n\n".join(batch_queries) + "\n")
batch = p.loci("--json", "--queries", "queries.txt")
objects = [json.loads(line) for line in batch.stdout.decode().splitlines()]
p.check(batch.returncode == 0, f"a batch with results exits 0: {batch.returncode} {batch.stderr!r}")
headers = [o for o in objects if o["type"] == "query"]
p.check([(h["line"], h["query"]) for h in headers] == [(2, batch_queries[0]), (4, batch_queries[1]),
                                                        (6, batch_queries[2]), (8, batch_queries[3])],
        f"one header per query, with its line: {headers}")
for n, q in enumerate(batch_queries):
    at = objects.index(headers[n])
    end = objects.index(headers[n + 1]) if n + 1 < len(headers) else len(objects)
    _, single = p.json_hits(q)
    p.check([o for o in objects[at + 1:end] if o["type"] == "passage"] == single, f"batch = single run for {q!r}")
piped = p.loci("-c", "--queries", "-", stdin=open(os.path.join(p.tmp, "queries.txt"), "rb"))
p.check(piped.returncode == 0 and len(piped.stdout.splitlines()) == 4, f"--queries - reads stdin: {piped.stdout!r}")
with open(os.path.join(p.tmp, "bad.txt"), "w") as f:
    f.write("china NOT\nUNMISS\n")
mixed = p.loci("-c", "--queries", "bad.txt")
p.check(mixed.returncode == 2 and mixed.stderr == b"loci: bad.txt:1: query position 7: NOT needs a word after it\n"
        and mixed.stdout == b"1\n", f"a bad query names its line, the rest still run: {mixed.stderr!r} {mixed.stdout!r}")
both = p.loci("UNMISS", "--queries", "queries.txt")
neither = p.loci()
p.check(both.returncode == 2 and both.stderr.count(b"\n") == 1 and neither.returncode == 2 and
        b"--queries" in neither.stderr, f"a query or --queries, one of them: {both.stderr!r} {neither.stderr!r}")
gone = p.loci("--queries", "no-such-file.txt")
p.check(gone.returncode == 2 and b"no-such-file.txt" in gone.stderr, f"an unreadable batch file: {gone.stderr!r}")

# A passage found only through a link's address says so: the address is
# indexed, not shown, and the match would otherwise show nothing matched.
links = os.path.join(p.tmp, "links")
os.makedirs(links)
with open(os.path.join(links, "sources.md"), "w") as f:
    f.write("# Sources\n\nSee [the rules](https://icrc.org/en/customary-ihl-database) for more.\n\n"
            "The customary rules bind every party.\n")
links_db = os.path.join(p.tmp, "links.db")
p.check(p.index("--db", links_db, links).returncode == 0, "indexing a file with a link")
via = p.loci("--db", links_db, "ihl", "--color", "never").stdout.decode()
p.check(via.splitlines()[2:3] == ["    link: https://icrc.org/en/customary-ihl-database"],
        f"a passage found through its link target shows it: {via!r}")
_, via_json = p.json_hits("--db", links_db, "ihl")
found = via_json[0].get("link_matches") if len(via_json) == 1 else None
p.check(found and via_json[0]["matches"] == [] and via_json[0]["links"][found[0]["offset"]:][:3] == "ihl",
        f"JSON gives the link and where the word is in it: {via_json}")
_, both = p.json_hits("--db", links_db, "customary rules")
p.check(len(both) == 2 and all(h["matches"] and "links" not in h for h in both),
        f"where a word of the text matches, no link is shown: {both}")
_, filtered = p.json_hits("--db", links_db, "section:sources")
p.check(filtered and all("links" not in h for h in filtered), f"a filter alone shows no link: {filtered}")

# A quoted field value: a file name with spaces, a heading of two words.
with open(os.path.join(links, "annual report 2023.md"), "w") as f:
    f.write("# Human rights\n\nThe customary rules of the annual report.\n")
p.check(p.index("--db", links_db, links).returncode == 0, "indexing a file name with spaces")
_, named = p.json_hits("--db", links_db, 'file:"annual report*" customary')
p.check([os.path.basename(h["path"]) for h in named] == ["annual report 2023.md"],
        f'file:"annual report*" finds the file with spaces in its name: {named}')
_, headed = p.json_hits("--db", links_db, 'section:"human rights" customary')
p.check([h["section"] for h in headed] == ["Human rights"], f'section:"human rights": {headed}')
bare = p.loci("--db", links_db, "section: customary")
p.check(bare.returncode == 2 and bare.stderr.decode().startswith("loci: query position 1: section: needs its value"),
        f"a field without its value is an error, not a search for its name: {bare.stderr!r}")

# --db given the reports themselves (a slip of the fingers): refused in one
# line, exit 2, and nothing touched, where a build once replaced the folder.
mine = os.path.join(p.tmp, "mine")
os.makedirs(mine)
with open(os.path.join(mine, "report.txt"), "w") as f:
    f.write("The protection of civilians.\n")
for args in (["--db", mine, mine], ["--rebuild", "--db", mine, mine],
             ["--rebuild", "--db", os.path.join(mine, "report.txt"), mine]):
    slip = p.index(*args)
    lines = slip.stderr.decode().splitlines()
    p.check(slip.returncode == 2 and len(lines) == 1 and "not an index; loci-index will not replace it" in lines[0],
            f"loci-index {' '.join(args)} is refused in one line: {slip.returncode} {lines}")
with open(os.path.join(mine, "report.txt")) as f:
    p.check(os.listdir(mine) == ["report.txt"] and f.read() == "The protection of civilians.\n",
            f"the reports are left as they were: {os.listdir(mine)}")

# A file changed since it was indexed: its citation may point at a moved
# line, so each output says so; a touch or a copy (same bytes) is no change.
os.makedirs(os.path.join(p.tmp, "drift"))
drift = os.path.join(p.tmp, "drift", "note.txt")
with open(drift, "w") as f:
    f.write("Title\n\nThe driftword paragraph is here.\n")
p.check(p.index("drift", "--db", "drift.db").returncode == 0, "the drift folder indexes")
def drift_hit():
    proc, hits = p.json_hits("--db", "drift.db", "driftword")
    return hits[0] if proc.returncode == 0 and len(hits) == 1 else {}
p.check(drift_hit().get("line") == 3 and "changed" not in drift_hit(), "an unchanged file is not marked")
os.utime(drift, (1, 1))
p.check("changed" not in drift_hit(), "a touched file, the same bytes, is not marked")
with open(drift, "w") as f:
    f.write("Title\n\nThe driftword paragraph is HERE.\n")  # the same size
os.utime(drift, (2, 2))
p.check(drift_hit().get("changed") is True, "the same size, other bytes: marked changed")
with open(drift, "w") as f:
    f.write("Title\nA new line.\n\nThe driftword paragraph is here.\n")
text = p.loci("--db", "drift.db", "--color", "never", "driftword").stdout.decode()
p.check(text.startswith("drift/note.txt:3") and "changed since indexed" in text, f"the text output says so: {text[:120]!r}")
vim = p.loci("--db", "drift.db", "--vimgrep", "driftword")
p.check(vim.stdout.decode().startswith("drift/note.txt:3:") and b"drift/note.txt changed since it was indexed" in vim.stderr,
        f"--vimgrep names it on stderr: {vim.stderr!r}")
p.check(p.index("drift", "--db", "drift.db").returncode == 0 and drift_hit().get("line") == 4 and "changed" not in drift_hit(),
        "loci-index updates it: the citation moves with the line")

# LOCI_DB and --db.
p.check(p.loci("UNMISS", cwd="/", env={"LOCI_DB": os.path.join(p.tmp, ".loci")}).returncode == 0, "LOCI_DB is read")
p.finish()
