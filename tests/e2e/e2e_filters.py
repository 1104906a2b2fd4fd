"""End-to-end: formats loci does not read, through a program the user
names (--filter): RTF by pandoc, gzip'd reports by zcat. Citations are
lines of the program's output; the index remembers its filters; a failing
or hanging program skips its file with one warning and the batch goes on."""
import gzip
import os
import shutil
import subprocess
import sys
import time

from harness import Programs

p = Programs(sys.argv)
docs = os.path.join(p.tmp, "filtered")
os.makedirs(docs)
report = os.path.join(p.corpus, "icrc-in-china-2025.txt")

source = os.path.join(p.tmp, "water.md")
with open(source, "w", encoding="utf-8") as f:
    f.write("# Water\n\nThe delegation visited Kassala in May 2024.\n\n"
            "## Sanitation\n\nLatrines were built in Wad Sharifey camp.\n")
subprocess.run(["pandoc", "-s", source, "-o", os.path.join(docs, "water.rtf")], check=True, capture_output=True)
with open(report, "rb") as f, gzip.open(os.path.join(docs, "icrc.txt.gz"), "wb") as z:
    z.write(f.read())
with open(os.path.join(docs, "bad.gz"), "wb") as f:
    f.write(b"this is no gzip stream\n")
shutil.copy(os.path.join(p.corpus, "rcsc-congress-foreign-aid.txt"), docs)
rtf_filter = ".rtf=pandoc -f rtf -t markdown"

res = p.index("filtered", "--db", "f.db", "--filter", rtf_filter, "--filter", ".GZ=zcat")
err = res.stderr.decode()
warnings = [l for l in err.splitlines() if "warning" in l]
p.check(res.returncode == 1, f"a batch with a failing filter exits 1 ({res.returncode}): {err!r}")
p.check(len(warnings) == 1 and "bad.gz" in warnings[0] and "zcat" in warnings[0] and "not in gzip format" in warnings[0],
        f"one warning naming the file, the filter and what it said: {warnings}")
p.check("3 new" in err, f"the other three files are indexed: {err!r}")

# A citation is a line of the program's output, as the user can print it.
converted = subprocess.run(["pandoc", "-f", "rtf", "-t", "markdown", os.path.join(docs, "water.rtf")],
                           capture_output=True, text=True, check=True).stdout.splitlines()
expected = [n + 1 for n, line in enumerate(converted) if "Wad Sharifey" in line]
_, hits = p.json_hits("--db", "f.db", "latrines sharifey")
h = hits[0] if hits else {}
p.check(h.get("path") == "filtered/water.rtf" and [h.get("line")] == expected and h.get("section") == "Sanitation",
        f"the RTF's passage, at its line of pandoc's output ({expected}), in its section: {h}")
shown = p.loci("--db", "f.db", "--color", "never", "latrines sharifey").stdout.decode()
p.check(shown.startswith(f"filtered/water.rtf:{expected[0] if expected else 0}  (line {expected[0] if expected else 0} "
                         "of its converted text"), f"people are told whose lines these are: {shown[:120]!r}")

# The gzip'd report cites the lines of the report itself (zcat gives it back whole).
with open(report, encoding="utf-8") as f:
    lines = f.read().splitlines()
want = [n + 1 for n, line in enumerate(lines) if "high-level political initiative" in line]
_, hits = p.json_hits("--db", "f.db", '"high-level political initiative"')
p.check(hits and hits[0]["path"] == "filtered/icrc.txt.gz" and hits[0]["line_start"] <= want[0] <= hits[0]["line_end"],
        f"the gzip'd report's passage holds line {want}: {hits[:1]}")

# The index remembers its filters: a run without them keeps those files.
os.utime(os.path.join(docs, "water.rtf"))
res = p.index("filtered", "--db", "f.db")
err = res.stderr.decode()
p.check("0 removed" in err and "3 unchanged" in err and "1 skipped" in err,
        f"a run without --filter reads the same files the same way: {err!r}")
_, hits = p.json_hits("--db", "f.db", "kassala")
p.check(len(hits) == 1 and hits[0]["path"] == "filtered/water.rtf", f"the RTF is still found: {hits}")

# Another command for an extension reads its files again, unchanged as they are.
res = p.index("filtered", "--db", "f.db", "--filter", ".gz=zcat %f | tr a-z A-Z")
err = res.stderr.decode()
_, hits = p.json_hits("--db", "f.db", '"high-level political initiative"')
p.check("1 changed" in err and hits and "HIGH-LEVEL POLITICAL INITIATIVE" in hits[0]["text"],
        f"a mended filter re-reads its files: {err!r} {hits[:1]}")

# An empty command forgets a filter: its files leave the index.
res = p.index("filtered", "--db", "f.db", "--filter", ".gz=")
err = res.stderr.decode()
p.check(res.returncode == 0 and "1 removed" in err, f"--filter .gz= forgets the gzip'd files: {err!r}")
_, hits = p.json_hits("--db", "f.db", '"high-level political initiative"')
p.check(not hits, f"the forgotten file's passages are gone: {hits[:1]}")

# A program that hangs is killed at --filter-timeout; the batch goes on.
slow = os.path.join(p.tmp, "slow")
os.makedirs(slow)
with open(os.path.join(slow, "a.slow"), "w") as f:
    f.write("x\n")
shutil.copy(os.path.join(p.corpus, "rcsc-congress-foreign-aid.txt"), slow)
start = time.monotonic()
res = p.index("slow", "--db", "s.db", "--filter", ".slow=sleep 60; cat", "--filter-timeout", "1")
took = time.monotonic() - start
err = res.stderr.decode()
p.check(res.returncode == 1 and "a.slow" in err and "still running after 1 s" in err and "1 new" in err,
        f"a hanging filter is killed and its file skipped, the rest indexed: {err!r}")
p.check(took < 30, f"the batch did not wait for the hanging program ({took:.1f} s)")

# Pages where the program marks them with form feeds (pdftotext): the same
# page and line as loci's own PDF reader gives.
pdfs = os.path.join(p.tmp, "pdfs")
os.makedirs(pdfs)
for n, name in enumerate(["rcsc-congress-foreign-aid.txt", "china-red-cross-innovation.txt"]):
    subprocess.run(["pango-view", "--no-display", f"--output=p{n}.pdf", os.path.join(p.corpus, name)], cwd=p.tmp,
                   check=True, capture_output=True)
subprocess.run(["pdfunite", "p0.pdf", "p1.pdf", os.path.join(pdfs, "two.pdf")], cwd=p.tmp, check=True)
p.index("pdfs", "--db", "own.db")
p.index("pdfs", "--db", "pdftotext.db", "--filter", ".pdf=pdftotext %f -")
where = {}
for db in ("own.db", "pdftotext.db"):
    _, hits = p.json_hits("--db", db, "innovative solutions")
    where[db] = [(h["line"], h.get("page"), h.get("text_line")) for h in hits[:1]]
p.check(where["own.db"] and where["own.db"][0][1] == 2 and where["own.db"] == where["pdftotext.db"],
        f"a form feed starts a page: {where}")

# A malformed option names itself.
res = p.index("filtered", "--db", "f.db", "--filter", "rtf=cat")
p.check(res.returncode == 2 and "--filter rtf=cat" in res.stderr.decode(), f"a bad --filter is an error: {res.stderr!r}")
p.finish()
