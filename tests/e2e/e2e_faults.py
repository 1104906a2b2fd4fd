"""End-to-end: kill -9 of the indexer at many points, during incremental
updates (committed file by file) and during full rebuilds (built aside and
swapped in). After each kill the index answers from its last commit, no file
is half indexed, and a rebuild leaves the previous index whole; a re-run
completes the job, and the final index holds exactly the passages of a clean
build. Bounded in time for CI."""
import os
import random
import signal
import subprocess
import sys
import time

from harness import Programs

p = Programs(sys.argv)
KILLS = int(os.environ.get("LOCI_KILLS", "12"))
random.seed(7)

# A batch big enough to be killed mid-way: the corpus, many times, varied.
src = p.copy_corpus("seed")
batch = os.path.join(p.tmp, "batch")
texts = [open(os.path.join(src, n), encoding="utf-8").read() for n in sorted(os.listdir(src))]
for i in range(240):
    part = os.path.join(batch, "a" if i < 160 else "b")
    os.makedirs(part, exist_ok=True)
    with open(os.path.join(part, f"report-{i:03}.txt"), "w", encoding="utf-8") as f:
        f.write(f"# Report {i}\n\nUnique marker word uniq{i}x.\n\n" + texts[i % len(texts)])


def all_passages(db):
    """Every passage of the index: exclusion-only queries match everything."""
    proc, hits = p.json_hits("--db", db, "--limit", "100000", "--no-suggest", "--no-collapse", "--", "-zzzzqqqq")
    return proc.returncode, sorted((h["path"], h["line_start"], h["line_end"], h["text"]) for h in hits)


def xapian_check(db):
    """Xapian's own consistency check of the index (exit 0: no error found)."""
    return subprocess.run(["xapian-check", os.path.join(p.tmp, db)], capture_output=True, text=True)


def count_by_file(passages):
    counts = {}
    for path, *_ in passages:
        counts[path] = counts.get(path, 0) + 1
    return counts


clean_rc = p.index("batch", "--db", "clean.db", "--commit-every", "5", "-q")
p.check(clean_rc.returncode == 0, "clean build")
_, clean = all_passages("clean.db")
p.check(len(clean) > 1000, f"clean build has passages ({len(clean)})")
base = count_by_file(clean)

# Before each kill, some reports gain a revision paragraph, so that every
# kill lands on real work. After a kill each file must be whole in one of
# its versions: its revision paragraphs a prefix of those written, and its
# passage count its first version's plus exactly those paragraphs.
revisions = {}  # path -> revision numbers appended, in order
paths = sorted(base)


def revise(k):
    for path in random.sample(paths, 30):
        with open(os.path.join(p.tmp, path), "a", encoding="utf-8") as f:
            f.write(f"\n\n- Revision {k} adds revword{k}x to this report.\n")  # a list item: its own passage
        revisions.setdefault(path, []).append(k)


def whole_versions(passages):
    """Files of the index not whole in any version they have had."""
    found = {}
    for path, _, _, text in passages:
        if text.startswith("Revision ") and "revword" in text:
            found.setdefault(path, []).append(int(text.split()[1]))
    counts = count_by_file(passages)
    bad = []
    for path, n in counts.items():
        seen = sorted(found.get(path, []))
        if seen != revisions.get(path, [])[:len(seen)] or n != base.get(path, -1) + len(seen):
            bad.append(path)
    return bad


def kill_within(proc, limit):
    """Kills proc at a random moment before limit seconds; the next limit:
    shorter when proc finished first, so that kills keep landing on work
    however fast the machine (a fixed 0.3 s let a third finish first)."""
    time.sleep(random.uniform(0.01, limit))
    if proc.poll() is not None:
        return False, max(0.02, limit * 0.7)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True, limit


# Two thirds of the batch first; the rest arrives as an incremental update
# (less new text than the index holds: more would be built whole).
p.check(p.index("batch/a", "--db", "killed.db", "-q").returncode == 0, "first part indexed")
survived, runs, limit = 0, 0, 0.3
while survived < KILLS and runs < 3 * KILLS:
    k = runs
    runs += 1
    revise(k)
    proc = subprocess.Popen([p.index_bin, "batch", "--db", "killed.db", "--commit-every", "5", "-q"], cwd=p.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed, limit = kill_within(proc, limit)
    if not killed:
        continue  # it finished first: no kill point
    proc.wait()
    rc, now = all_passages("killed.db")
    p.check(rc in (0, 1), f"after kill {k}: the index answers (exit {rc})")
    bad = whole_versions(now)
    p.check(not bad, f"after kill {k}: every file is whole in one of its versions ({bad[:3]})")
    check = xapian_check("killed.db")
    p.check(check.returncode == 0, f"after kill {k}: xapian-check finds no error ({check.stdout[-300:]})")
    survived += 1
p.check(survived == KILLS, f"every kill landed on work ({survived} of {KILLS}, in {runs} runs)")

# Kills during --rebuild: the previous index stays whole and searchable.
p.check(p.index("batch", "--db", "killed.db", "-q").returncode == 0, "the re-run after the kills completes")
_, before = all_passages("killed.db")
p.check(not whole_versions(before), "after the re-run every file is whole")
rebuild_kills, limit = 0, 0.3
for k in range(max(2, KILLS // 3)):
    proc = subprocess.Popen([p.index_bin, "batch", "--db", "killed.db", "--rebuild", "-q"], cwd=p.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed, limit = kill_within(proc, limit)
    if not killed:
        continue
    rc, now = all_passages("killed.db")
    p.check(rc in (0, 1) and now == before, f"after rebuild kill {k}: the previous index is whole (exit {rc})")
    p.check(xapian_check("killed.db").returncode == 0, f"after rebuild kill {k}: xapian-check finds no error")
    rebuild_kills += 1
survived += rebuild_kills

# Load: several query processes at once while the indexer keeps working:
# rounds of revisions indexed incrementally, every other round a rebuild
# swapped in, until the queries are done. No error reaches the user.
# LOCI_LOAD_QUERIES sets how many (the README quotes a 10,000-query run).
import threading
MIN_QUERIES = int(os.environ.get("LOCI_LOAD_QUERIES", "300"))
p.index("batch/a", "--db", "load.db", "-q")
lock = threading.Lock()
latencies, errors, updates = [], [], []


def index_loop():
    k = runs  # revision numbers after the kill rounds
    while True:
        with lock:
            if len(latencies) >= MIN_QUERIES:
                return
        k += 1
        revise(k)
        extra = ["--rebuild"] if k % 2 else ["--commit-every", "3"]
        res = p.index("batch", "--db", "load.db", "-q", *extra)
        with lock:
            updates.append(res.returncode)


def query_loop(seed):
    rnd = random.Random(seed)
    while indexer.is_alive():
        q = rnd.choice(["peacekeeping", "Red Cross", f"uniq{rnd.randrange(240)}x", "IHL", '"human rights"'])
        t = time.perf_counter()
        res = p.loci("--db", "load.db", "--no-suggest", q)
        with lock:
            latencies.append(time.perf_counter() - t)
            if res.returncode not in (0, 1):
                errors.append(res.stderr[:200])


indexer = threading.Thread(target=index_loop)
threads = [threading.Thread(target=query_loop, args=(i,)) for i in range(3)]
start = time.perf_counter()
indexer.start()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
p.check(not errors, f"{len(latencies)} queries in 3 processes during indexing, errors: {errors[:3]}")
p.check(updates and all(rc == 0 for rc in updates), f"the indexer's {len(updates)} updates succeed: {updates}")
print(f"queries during indexing: {len(latencies)} in {elapsed:.1f} s by 3 processes "
      f"({len(latencies) / elapsed:.0f}/s) over {len(updates)} index updates, "
      f"slowest {1000 * max(latencies):.0f} ms, errors {len(errors)}")

# The end: the killed index, brought up to date, equals a clean build of the
# same files.
final = p.index("batch", "--db", "killed.db", "-q")
p.check(final.returncode == 0, f"the last re-run completes ({final.stderr!r})")
_, after = all_passages("killed.db")
p.index("batch", "--db", "clean-final.db", "-q")
_, clean_final = all_passages("clean-final.db")
p.check(after == clean_final, f"final index equals a clean build ({len(after)} vs {len(clean_final)} passages)")
print(f"kill points survived: {survived} ({survived - rebuild_kills} during updates, {rebuild_kills} during rebuilds)")
p.finish()
