"""End-to-end: incremental re-indexing as a user meets it (new, changed,
removed and unchanged files), and bad files that never stop a batch."""
import os
import re
import sys
import time

from harness import Programs

p = Programs(sys.argv)
corpus = p.copy_corpus()


def summary(proc):
    m = re.search(rb"(\d+) files: (\d+) new, (\d+) changed, (\d+) removed, (\d+) unchanged, (\d+) skipped; (\d+) passages",
                  proc.stderr)
    return tuple(int(x) for x in m.groups()) if m else None


first = p.index("corpus")
p.check(summary(first)[:6] == (5, 5, 0, 0, 0, 0), f"first run indexes 5 new files: {first.stderr!r}")
again = p.index("corpus")
p.check(summary(again)[:7] == (5, 0, 0, 0, 5, 0, 0), f"second run touches nothing: {again.stderr!r}")

# Change one file, remove one, add one.
changed = os.path.join(corpus, "rcsc-congress-foreign-aid.txt")
with open(changed, "a", encoding="utf-8") as f:
    f.write("\nThe quokkaword appears only after the change.\n")
future = time.time() + 10
os.utime(changed, (future, future))
os.remove(os.path.join(corpus, "china-red-cross-innovation.txt"))
with open(os.path.join(corpus, "new-report.md"), "w", encoding="utf-8") as f:
    f.write("# New\n\nA wallabyword report.\n")
# A dry run says so first, lists each file on stdout, and changes nothing.
dry = p.index("--dry-run", "--verbose", "corpus")
p.check(dry.returncode == 0 and b"dry run: 5 files: 1 new, 1 changed, 1 removed, 3 unchanged;" in dry.stderr,
        f"the dry run's counts: {dry.stderr!r}")
listed = sorted(line.split(" ", 1)[0] + " " + os.path.basename(line.split(" ", 1)[1])
                for line in dry.stdout.decode().splitlines())
p.check(listed == ["changed rcsc-congress-foreign-aid.txt", "new new-report.md",
                   "removed china-red-cross-innovation.txt"], f"the dry run's list: {dry.stdout!r}")
p.check(p.loci("--no-suggest", "quokkaword").returncode == 1, "a dry run indexes nothing")
third = p.index("corpus")
p.check(summary(third)[:6] == (5, 1, 1, 1, 3, 0), f"new, changed, removed counted: {third.stderr!r}")
p.check(p.loci("quokkaword").returncode == 0, "the changed file's new text is found")
p.check(p.loci("wallabyword").returncode == 0, "the new file is found")
p.check(p.loci("--no-suggest", "Dorbes").returncode == 1, "the removed file's passages are gone")

# A paragraph inserted at the top: every passage below keeps its words and
# its document (the writer reuses them), and is cited two lines further down.
report = os.path.join(corpus, "r2p-china-assessment-2023.txt")
before = p.loci("peacekeeping South Sudan", "--color", "never").stdout.decode().splitlines()
with open(report, encoding="utf-8") as f:
    text = f.read()
with open(report, "w", encoding="utf-8") as f:
    f.write("A paragraph inserted at the top.\n\n" + text)
future += 10
os.utime(report, (future, future))
fourth = p.index("corpus")
p.check(summary(fourth)[:3] == (5, 0, 1), f"the report counted as changed: {fourth.stderr!r}")
after = p.loci("peacekeeping South Sudan", "--color", "never").stdout.decode().splitlines()
p.check(before and before[0].startswith("corpus/r2p-china-assessment-2023.txt:269 "), f"cited at 269 first: {before[:1]}")
p.check(after and after[0].startswith("corpus/r2p-china-assessment-2023.txt:271 "), f"then at 271: {after[:1]}")
p.check(p.loci("inserted at the top").returncode == 0, "the new paragraph is found")

# Bad files: one warning line each, naming the file; the batch goes on; exit 1.
bad = os.path.join(p.tmp, "bad")
os.makedirs(bad)
open(os.path.join(bad, "empty.txt"), "w").close()
with open(os.path.join(bad, "binary.txt"), "wb") as f:
    f.write(b"\x00\x01\x02binary")
with open(os.path.join(bad, "latin1.txt"), "wb") as f:
    f.write(b"caf\xe9 cr\xe8me latin1word\n")
with open(os.path.join(bad, "locked.txt"), "w") as f:
    f.write("secret\n")
os.chmod(os.path.join(bad, "locked.txt"), 0)
with open(os.path.join(bad, "good.txt"), "w") as f:
    f.write("A good emuword file.\n")
os.symlink(bad, os.path.join(bad, "loop"))  # a link back to the folder: not followed
res = p.index("bad", "--db", "bad.db")
warnings = [l for l in res.stderr.decode().splitlines() if "warning" in l]
can_read_locked = os.geteuid() == 0  # root reads a file with mode 000
p.check(res.returncode == 1, f"warnings give exit 1 (got {res.returncode})")
p.check(len(warnings) == 3, f"one warning per bad file (empty, binary, not UTF-8): {warnings}")
for w in warnings:
    p.check(bad in w, f"the warning names the file: {w}")
p.check(p.loci("emuword", "--db", "bad.db").returncode == 0, "good file indexed despite bad neighbours")
p.check(p.loci("+creme +latin1word", "--db", "bad.db").returncode == 0, "Latin-1 is decoded and indexed")
if not can_read_locked:
    p.check(any("locked.txt" in w for w in warnings), "unreadable file reported")

# --exclude and the database inside the indexed folder.
ex = os.path.join(p.tmp, "ex")
os.makedirs(os.path.join(ex, "drafts"))
with open(os.path.join(ex, "keep.txt"), "w") as f:
    f.write("koalaword kept.\n")
with open(os.path.join(ex, "drafts", "draft.txt"), "w") as f:
    f.write("dingoword draft.\n")
with open(os.path.join(ex, "notes.md"), "w") as f:
    f.write("numbatword notes.\n")
res = p.index("ex", "--db", "ex/db", "--exclude", "drafts", "--exclude", "*.md")
p.check(summary(res)[:2] == (1, 1), f"--exclude skips a folder and a glob, the database itself is skipped: {res.stderr!r}")
p.check(p.loci("--db", "ex/db", "--no-suggest", "dingoword").returncode == 1, "excluded folder not indexed")
p.check(p.loci("--db", "ex/db", "koalaword").returncode == 0, "the rest is indexed")

# A file with a path longer than a Xapian term (hashed key).
deep = os.path.join(p.tmp, "deep", *(["a-rather-long-folder-name-for-testing"] * 8))
os.makedirs(deep)
with open(os.path.join(deep, "long-path-report.txt"), "w") as f:
    f.write("A longpathword report.\n")
res = p.index("deep", "--db", "deep.db")
p.check(res.returncode == 0, f"a long path indexes: {res.stderr!r}")
proc, hits = p.json_hits("--db", "deep.db", "longpathword")
p.check(len(hits) == 1 and hits[0]["path"].endswith("long-path-report.txt"), "and is found with its full path")
again = p.index("deep", "--db", "deep.db")
p.check(summary(again)[4] == 1, "and is unchanged on the next run")

# --rebuild starts over; a missing root is a warning, not a crash.
rebuilt = p.index("corpus", "--rebuild")
p.check(summary(rebuilt)[1] == 5, f"--rebuild re-adds every file: {rebuilt.stderr!r}")
gone = p.index("no-such-folder", "--db", "other.db")
p.check(gone.returncode == 1 and b"no-such-folder: no such file or folder" in gone.stderr, f"missing root: {gone.stderr!r}")
# A named pipe: never opened (reading it would wait for a writer forever);
# named, it is a warning; met in a folder, passed over.
os.makedirs(os.path.join(p.tmp, "piped"))
os.mkfifo(os.path.join(p.tmp, "piped", "pipe.txt"))
with open(os.path.join(p.tmp, "piped", "note.txt"), "w") as f:
    f.write("A pipewordtest note.\n")
named = p.index("piped/pipe.txt", "--db", "pipe.db")
p.check(named.returncode == 1 and b"pipe.txt: skipped: not a regular file" in named.stderr, f"named pipe: {named.stderr!r}")
walked = p.index("piped", "--db", "pipe.db")
p.check(walked.returncode == 0 and b"pipe.txt" not in walked.stderr, f"pipe in a folder: {walked.stderr!r}")
p.check(p.loci("--db", "pipe.db", "pipewordtest").returncode == 0, "the folder's file is indexed")
p.finish()
