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

# Readers keep working while the indexer commits: no error reaches the user.
rebuild = subprocess.Popen([p.index_bin, "batch", "--db", "killed.db", "--rebuild", "--commit-every", "3", "-q"],
                           cwd=p.tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
queries = 0
errors = []
while rebuild.poll() is None or queries == 0:
    res = p.loci("--db", "killed.db", "--no-suggest", random.choice(["peacekeeping", "Red Cross", "uniq7x", "IHL"]))
    queries += 1
    if res.returncode not in (0, 1):
        errors.append(res.stderr[:200])
rebuild.wait()
p.check(not errors, f"{queries} queries during indexing, errors: {errors[:3]}")
print(f"queries during indexing: {queries}")

final = p.index("batch", "--db", "killed.db", "-q")
p.check(final.returncode == 0, f"the re-run completes ({final.stderr!r})")
_, after = all_passages("killed.db")
p.check(after == clean, f"final index equals a clean build ({len(after)} vs {len(clean)} passages)")
print(f"kill points survived: {survived}")
p.finish()
