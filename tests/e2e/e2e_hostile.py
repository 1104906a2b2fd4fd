"""End-to-end: hostile input and a hostile environment. Odd file names, a
link out of the root, a huge file without a newline, a folder of many tiny
files (peak memory bounded), a corrupt database, a full disk. Sizes are
bounded for CI; LOCI_HUGE_MB and LOCI_TINY_FILES raise them (the README
quotes the full-size run)."""
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time

from harness import Programs

p = Programs(sys.argv)
HUGE_MB = int(os.environ.get("LOCI_HUGE_MB", "20"))
TINY = int(os.environ.get("LOCI_TINY_FILES", "20000"))
MAX_RSS_MB = 300
# Under AddressSanitizer peak RSS measures the sanitizer, not loci: the bound
# is checked in the Release build, and the sanitized run only reports it.
SANITIZED = os.environ.get("LOCI_SANITIZED") == "1"


def check_rss(rss, what):
    if SANITIZED:
        print(f"{what}: peak RSS {rss:.0f} MB under sanitizers, bound not checked")
    else:
        p.check(rss < MAX_RSS_MB, f"{what}: peak RSS {rss:.0f} MB < {MAX_RSS_MB}")


def index_with_rss(*args):
    """Runs loci-index; returns (process, its peak RSS in MB)."""
    out = subprocess.run(["/usr/bin/time", "-f", "RSS %M", p.index_bin, *args], cwd=p.tmp, capture_output=True)
    rss = [l for l in out.stderr.decode().splitlines() if l.startswith("RSS ")]
    return out, (int(rss[-1].split()[1]) / 1024 if rss else 0)


# Odd names: spaces, a newline, bytes that are not UTF-8, a leading dash.
odd = os.path.join(p.tmp, "odd").encode()
os.makedirs(odd)
names = [b"with space.txt", b"new\nline.txt", b"latin\xe9-name.txt", b"-dash.txt"]
for i, name in enumerate(names):
    with open(os.path.join(odd, name), "w") as f:
        f.write(f"Odd name number oddword{i}.\n")
outside = os.path.join(p.tmp, "outside.txt")
with open(outside, "w") as f:
    f.write("A linkedword file outside the root.\n")
os.symlink(outside, os.path.join(odd, b"link.txt"))
res = p.index("--db", "odd.db", "--", "odd")
p.check(res.returncode == 0, f"odd names index ({res.returncode}: {res.stderr[:200]!r})")
for i in range(len(names)):
    proc = p.loci("--db", "odd.db", "--json", f"oddword{i}")
    ok = proc.returncode == 0
    try:
        hit = json.loads(proc.stdout.decode("utf-8").splitlines()[0])
    except (ValueError, IndexError):
        ok = False
    p.check(ok, f"file {names[i]!r} found, JSON valid")
p.check(p.loci("--db", "odd.db", "linkedword").returncode == 0, "a link to a file outside the root is followed")
dash = p.index("--db", "dash.db", "--", os.path.join(p.tmp, "odd", "-dash.txt"))
p.check(dash.returncode == 0, "a file named with a leading dash, after --")

# A huge file with no newline: indexed with bounded memory.
huge = os.path.join(p.tmp, "huge", "one-line.txt")
os.makedirs(os.path.dirname(huge))
random.seed(5)
words = open(os.path.join(p.corpus, "r2p-china-assessment-2023.txt"), encoding="utf-8").read().split()
with open(huge, "w", encoding="utf-8") as f:
    written = 0
    while written < HUGE_MB * 1_000_000:
        chunk = " ".join(random.choice(words) for _ in range(5000)) + " "
        f.write(chunk)
        written += len(chunk.encode())
    f.write("hugeendword")
res, rss = index_with_rss("--db", "huge.db", "-q", "huge")
p.check(res.returncode == 0, f"{HUGE_MB} MB without a newline indexes ({res.stderr[-200:]!r})")
check_rss(rss, f"{HUGE_MB} MB file")
proc, hits = p.json_hits("--db", "huge.db", "hugeendword")
end_offset = os.path.getsize(huge) - len("hugeendword")
p.check([(h["line"], h["column"]) for h in hits] == [(1, end_offset + 1)],
        f"its last word is cited at line 1, column {end_offset + 1}: {[(h['line'], h['column']) for h in hits]}")
print(f"huge file: {HUGE_MB} MB, peak RSS {rss:.0f} MB")

# A huge file of many lines, read in slices: line numbers run on, and a
# passage far from its heading keeps it as its section.
lines_file = os.path.join(p.tmp, "huge-lines", "annex.md")
os.makedirs(os.path.dirname(lines_file))
plain = [w for w in words if w.isalpha()]  # no "#" or "-" that would start a heading or a list
with open(lines_file, "w", encoding="utf-8") as f:
    f.write("# Annex on slicedheading\n\n")
    count = 2
    while f.tell() < 9_000_000:
        f.write(" ".join(random.choice(plain) for _ in range(12)) + ".\n\n")
        count += 2
    f.write("The closing sentence names lastlineword.\n")
    count += 1
res = p.index("--db", "lines.db", "-q", "huge-lines")
proc, hits = p.json_hits("--db", "lines.db", "lastlineword")
p.check(res.returncode == 0 and [(h["line"], h["section"]) for h in hits] == [(count, "Annex on slicedheading")],
        f"a 9 MB file's last line is cited at line {count}, under its heading: {[(h['line'], h['section']) for h in hits]}")
proc, named = p.json_hits("--db", "lines.db", "file:annex.md lastlineword")
p.check([h["line"] for h in named] == [count], f"file: finds a file read in slices: {[h['line'] for h in named]}")

# Many tiny files: peak memory bounded.
tiny = os.path.join(p.tmp, "tiny")
for i in range(TINY):
    sub = os.path.join(tiny, f"{i // 1000:03}")
    if i % 1000 == 0:
        os.makedirs(sub)
    with open(os.path.join(sub, f"{i}.txt"), "w") as f:
        f.write(f"Tiny report {i} about tinyword{i % 97}.\n")
start = time.time()
res, rss = index_with_rss("--db", "tiny.db", "-q", "tiny")
p.check(res.returncode == 0, "many tiny files index")
check_rss(rss, f"{TINY} tiny files")
proc, hits = p.json_hits("--db", "tiny.db", "--limit", "100000", "tinyword5")
p.check(len(hits) == len(range(5, TINY, 97)), f"every tiny file is found ({len(hits)})")
print(f"tiny files: {TINY} in {time.time() - start:.1f} s, peak RSS {rss:.0f} MB")

# A corrupt database: a clear one-line error from both programs, never a crash.
p.copy_corpus()
p.index("--db", "corrupt.db", "-q", "corpus")
table = os.path.join(p.tmp, "corrupt.db", "postlist.glass")
with open(table, "r+b") as f:
    f.seek(0)
    f.write(b"\xff" * 8192)
q = p.loci("--db", "corrupt.db", "peacekeeping")
p.check(q.returncode == 2 and q.stderr.count(b"\n") == 1 and b"corrupt.db" in q.stderr,
        f"loci on a corrupt index: {q.returncode} {q.stderr!r}")
w = p.index("--db", "corrupt.db", "corpus")
p.check(w.returncode == 2 and w.stderr.count(b"\n") == 1 and b"corrupt.db" in w.stderr,
        f"loci-index on a corrupt index: {w.returncode} {w.stderr!r}")
r = p.index("--db", "corrupt.db", "-q", "--rebuild", "corpus")
p.check(r.returncode == 0 and p.loci("--db", "corrupt.db", "UNMISS").returncode == 0, "--rebuild replaces it")

# A full disk (RLIMIT_FSIZE): a clean error, the previous index intact.
p.index("--db", "full.db", "-q", "corpus")
before = p.loci("--db", "full.db", "--json", "--limit", "1000", "Red Cross").stdout
more = os.path.join(p.tmp, "corpus", "more.txt")
with open(more, "w") as f:
    f.write(" ".join(random.choice(words) for _ in range(400000)))


def small_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


full = subprocess.run([p.index_bin, "--db", "full.db", "corpus"], cwd=p.tmp, capture_output=True,
                      preexec_fn=small_files)
p.check(full.returncode == 2 and full.stderr.strip().count(b"\n") == 0, f"disk full: one line, exit 2: {full.stderr!r}")
after = p.loci("--db", "full.db", "--json", "--limit", "1000", "Red Cross").stdout
p.check(after == before, "the previous index is intact after a full disk")
p.check(p.index("--db", "full.db", "-q", "corpus").returncode == 0, "and the next run completes")
p.finish()
