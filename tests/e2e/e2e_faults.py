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
    part = os.path.join(batch, "a" if i < 80 else "b")
    os.makedirs(part, exist_ok=True)
    with open(os.path.join(part, f"report-{i:03}.txt"), "w", encoding="utf-8") as f:
        f.write(f"# Report {i}\n\nUnique marker word uniq{i}x.\n\n" + texts[i % len(texts)])


def all_passages(db):
    """Every passage of the index: exclusion-only queries match everything."""
    proc, hits = p.json_hits("--db", db, "--limit", "100000", "--no-suggest", "--no-collapse", "--", "-zzzzqqqq")
    return proc.returncode, sorted((h["path"], h["line_start"], h["line_end"], h["text"]) for h in hits)


clean_rc = p.index("batch", "--db", "clean.db", "--commit-every", "5", "-q")
p.check(clean_rc.returncode == 0, "clean build")
_, clean = all_passages("clean.db")
p.check(len(clean) > 1000, f"clean build has passages ({len(clean)})")

def count_by_file(passages):
    counts = {}
    for path, *_ in passages:
        counts[path] = counts.get(path, 0) + 1
    return counts


# A third of the batch first; the rest arrives as an incremental update.
p.check(p.index("batch/a", "--db", "killed.db", "-q").returncode == 0, "first part indexed")
survived = 0
for k in range(KILLS):
    proc = subprocess.Popen([p.index_bin, "batch", "--db", "killed.db", "--commit-every", "5", "-q"], cwd=p.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.01, 0.4))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rc, now = all_passages("killed.db")
    p.check(rc in (0, 1), f"after kill {k}: the index answers (exit {rc})")
    clean_counts = count_by_file(clean)
    partial = [f for f, n in count_by_file(now).items() if n != clean_counts.get(f)]
    p.check(not partial, f"after kill {k}: no file is half indexed ({partial[:3]})")
    survived += 1

# Kills during --rebuild: the previous index stays whole and searchable.
_, before = all_passages("killed.db")
for k in range(max(2, KILLS // 3)):
    proc = subprocess.Popen([p.index_bin, "batch", "--db", "killed.db", "--rebuild", "-q"], cwd=p.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.01, 0.3))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rc, now = all_passages("killed.db")
    p.check(rc in (0, 1) and (now == before or now == clean), f"after rebuild kill {k}: the index is whole (exit {rc})")
    before = now
    survived += 1

# Load: several query processes at once while the indexer commits (incremental
# updates, every 3 files) and then rebuilds (the new index swapped in): no error
# reaches the user. LOCI_LOAD_QUERIES sets how
# many queries at least (the README quotes a 10,000-query run).
import threading
MIN_QUERIES = int(os.environ.get("LOCI_LOAD_QUERIES", "300"))
p.index("batch/a", "--db", "load.db", "-q")
indexer = subprocess.Popen(["sh", "-c", '"$0" batch --db load.db --commit-every 3 -q && '
                            '"$0" batch --db load.db --rebuild -q', p.index_bin],
                           cwd=p.tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
lock = threading.Lock()
latencies, errors = [], []


def query_loop(seed):
    rnd = random.Random(seed)
    while indexer.poll() is None or len(latencies) < MIN_QUERIES:
        q = rnd.choice(["peacekeeping", "Red Cross", f"uniq{rnd.randrange(240)}x", "IHL", '"human rights"'])
        t = time.perf_counter()
        res = p.loci("--db", "load.db", "--no-suggest", q)
        with lock:
            latencies.append(time.perf_counter() - t)
            if res.returncode not in (0, 1):
                errors.append(res.stderr[:200])


threads = [threading.Thread(target=query_loop, args=(i,)) for i in range(3)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
indexer.wait()
elapsed = time.perf_counter() - start
p.check(not errors, f"{len(latencies)} queries in 3 processes during indexing, errors: {errors[:3]}")
print(f"queries during indexing: {len(latencies)} in {elapsed:.1f} s by 3 processes "
      f"({len(latencies) / elapsed:.0f}/s), slowest {1000 * max(latencies):.0f} ms, errors {len(errors)}")

final = p.index("batch", "--db", "killed.db", "-q")
p.check(final.returncode == 0, f"the re-run completes ({final.stderr!r})")
_, after = all_passages("killed.db")
p.check(after == clean, f"final index equals a clean build ({len(after)} vs {len(clean)} passages)")
print(f"kill points survived: {survived}")
p.finish()
