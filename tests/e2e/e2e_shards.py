"""End-to-end: shards on Xapian's remote backend. Two shards of the corpus,
each served by xapian-tcpsrv on 127.0.0.1, searched through a stub file,
give the same passages in the same order as one index over everything;
did-you-mean, acronyms and titles work over them; a shard that is down is a
one-line error naming it, or with --allow-partial a warning; nothing hangs.
The servers run in sessions of their own (xapian-tcpsrv signals its whole
process group when it stops) and are stopped whatever happens."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from harness import Programs

p = Programs(sys.argv)
corpus = p.copy_corpus()
servers = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db):
    port = free_port()
    proc = subprocess.Popen(["xapian-tcpsrv", "--port", str(port), "--interface", "127.0.0.1", db], cwd=p.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    servers.append(proc)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("xapian-tcpsrv did not start")


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def ranking(*args, **kw):
    proc, hits = p.json_hits("--limit", "20", *args, **kw)
    return proc, [(h["path"], h["line_start"], h["line_end"], h["text"]) for h in hits], hits


try:
    root = ["--root", p.tmp]
    p.check(p.index("corpus", "--db", "one.db", "-q", *root).returncode == 0, "one index over everything")
    for i in (1, 2):
        built = p.index("corpus", "--db", f"s{i}.db", "-q", "--shard", f"{i}/2", "--stub", "local.stub", *root)
        p.check(built.returncode == 0, f"shard {i}/2: {built.stderr!r}")
    p.index("corpus", "--db", "s1.db", "-q", "--shard", "1/2", "--stub", "local.stub", *root)  # listed once
    stub_lines = [l for l in open(os.path.join(p.tmp, "local.stub")).read().splitlines() if not l.startswith("#")]
    p.check(stub_lines == ["auto s1.db", "auto s2.db"], f"--stub lists each shard once: {stub_lines}")
    with open(os.path.join(p.tmp, "broken.stub"), "w") as f:
        f.write("auto s1.db\nnonsense\n")
    refused = p.index("corpus", "--db", "s3.db", "--stub", "broken.stub")
    p.check(refused.returncode == 2 and b"broken.stub line 2" in refused.stderr and
            not os.path.exists(os.path.join(p.tmp, "s3.db")), f"a bad --stub fails before indexing: {refused.stderr!r}")
    bad = p.index("corpus", "--db", "x.db", "--shard", "3/2")
    p.check(bad.returncode == 2 and b"--shard 3/2" in bad.stderr, f"a bad --shard is refused: {bad.stderr!r}")
    _, s1, _ = ranking("--db", "s1.db", "--no-collapse", "--", "-zzzzqq")
    _, s2, _ = ranking("--db", "s2.db", "--no-collapse", "--", "-zzzzqq")
    files1, files2 = {h[0] for h in s1}, {h[0] for h in s2}
    p.check(files1 and files2 and not (files1 & files2), f"the shards split the files ({len(files1)} + {len(files2)})")

    (srv1, port1), (srv2, port2) = serve("s1.db"), serve("s2.db")
    with open(os.path.join(p.tmp, "remote.stub"), "w") as f:
        f.write(f"# two remote shards\nremote 127.0.0.1:{port1}\nremote 127.0.0.1:{port2}\n")

    queries = ["peacekeeping South Sudan", "Red Cross Society of China established 1904", "humanitarian",
               "what does IHL stand for", '"human rights council"', "Gilles Carbonnier", "title:assessment China",
               "-zzzzqq"]  # the last excludes only: every passage matches, and all tie
    for q in queries:
        _, one, one_hits = ranking("--db", "one.db", "--", q)
        proc, remote, remote_hits = ranking("--db", "remote.stub", "--", q)
        _, local, _ = ranking("--db", "local.stub", "--", q)
        _, twice, _ = ranking("--db", "s1.db", "--db", "s2.db", "--", q)
        p.check(proc.returncode in (0, 1), f"{q!r} over remote shards: exit {proc.returncode} {proc.stderr[:200]!r}")
        p.check(remote == one, f"{q!r}: remote shards rank as one index")
        p.check(local == one and twice == one, f"{q!r}: a local stub and two --db rank as one index")
        p.check(all(abs(a["score"] - b["score"]) < 1e-6 * max(1, abs(a["score"])) for a, b in zip(one_hits, remote_hits)),
                f"{q!r}: same scores")
    # One process, several queries: the connections are kept, the answers the same.
    with open(os.path.join(p.tmp, "batch.txt"), "w") as f:
        f.write("\n".join(queries) + "\n")
    batch = p.loci("--db", "remote.stub", "--limit", "20", "--json", "--queries", "batch.txt")
    answers = []
    for line in batch.stdout.decode().splitlines():
        o = json.loads(line)
        if o["type"] == "query":
            answers.append([])
        elif o["type"] == "passage":
            answers[-1].append((o["path"], o["line_start"], o["line_end"], o["text"]))
    p.check(batch.returncode == 0 and answers == [ranking("--db", "one.db", "--", q)[1] for q in queries],
            f"a batch over remote shards answers as one index: {batch.returncode} {batch.stderr[:200]!r}")

    # -l over remote shards: the files one index lists, in its order (a
    # query of words lists them from the match's sort keys, a phrase from
    # its passages).
    for q in ("humanitarian", '"human rights council"'):
        one_files = p.loci("--db", "one.db", "-l", q).stdout
        remote_files = p.loci("--db", "remote.stub", "-l", q).stdout
        p.check(one_files and remote_files == one_files, f"-l {q!r} over remote shards lists what one index lists")

    typo = p.loci("--db", "remote.stub", "peacekeepng operations")
    p.check(typo.returncode == 0 and b"showing results for: peacekeeping operations" in typo.stderr,
            f"did-you-mean over remote shards: {typo.stderr!r}")

    # Citations resolve against the index's root, from anywhere, and say when a file is not here.
    away = p.loci("--db", os.path.join(p.tmp, "remote.stub"), "--json", "UNMISS", cwd="/")
    hit = json.loads(away.stdout.decode().splitlines()[0])
    p.check(hit["path"] == os.path.join(p.tmp, "corpus", "r2p-china-assessment-2023.txt") and "available" not in hit,
            f"resolved against the stored root: {hit['path']}")
    shutil.move(corpus, corpus + ".away")
    gone = p.loci("--db", "remote.stub", "--color", "never", "UNMISS").stdout.decode()
    p.check("not on this machine" in gone, f"a file not here is said so: {gone[:160]!r}")
    shutil.move(corpus + ".away", corpus)

    # A shard down: one line naming it, quickly; --allow-partial searches the rest.
    stop(srv2)
    start = time.time()
    down = p.loci("--db", "remote.stub", "humanitarian", timeout=60)
    p.check(down.returncode == 2 and down.stderr.count(b"\n") == 1 and str(port2).encode() in down.stderr,
            f"a shard down: {down.returncode} {down.stderr!r}")
    p.check(time.time() - start < 15, "and no hang")
    partial = p.loci("--db", "remote.stub", "--allow-partial", "--json", "humanitarian", timeout=60)
    p.check(partial.returncode == 0 and b"warning" in partial.stderr and str(port2).encode() in partial.stderr,
            f"--allow-partial: {partial.returncode} {partial.stderr!r}")

    # A stub line with a bad port: one line naming the stub and the line.
    with open(os.path.join(p.tmp, "bad.stub"), "w") as f:
        f.write(f"remote 127.0.0.1:{port1}\nremote 127.0.0.1:99999\n")
    bad = p.loci("--db", "bad.stub", "humanitarian")
    p.check(bad.returncode == 2 and bad.stderr.count(b"\n") == 1 and b"bad.stub line 2: bad port" in bad.stderr,
            f"a bad port: {bad.returncode} {bad.stderr!r}")
finally:
    for s in servers:
        try:
            stop(s)
        except Exception:
            pass
p.finish()
