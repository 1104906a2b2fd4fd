"""Shared helpers for the end-to-end tests: run the two programs as a user would."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Programs:
    def __init__(self, argv):
        if len(argv) != 4:
            sys.exit("usage: TEST.py LOCI_INDEX LOCI CORPUS_DIR")
        # Absolute: the programs run from a temporary folder.
        self.index_bin, self.loci_bin, self.corpus = (os.path.abspath(a) for a in argv[1:4])
        self.tmp = tempfile.mkdtemp(prefix="loci-e2e-")
        self.failures = 0
        self.checks = 0

    def copy_corpus(self, name="corpus"):
        dest = os.path.join(self.tmp, name)
        shutil.copytree(self.corpus, dest)
        return dest

    def run(self, args, cwd=None, env=None, timeout=120, stdin=subprocess.DEVNULL):
        full_env = dict(os.environ)
        full_env.pop("LOCI_DB", None)
        full_env.update(env or {})
        return subprocess.run(args, cwd=cwd or self.tmp, env=full_env, capture_output=True, timeout=timeout,
                              stdin=stdin)

    def index(self, *args, **kw):
        return self.run([self.index_bin, *args], **kw)

    def loci(self, *args, **kw):
        return self.run([self.loci_bin, *args], **kw)

    def json_hits(self, *args, **kw):
        proc = self.loci("--json", *args, **kw)
        hits = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
        return proc, [h for h in hits if h.get("type") == "passage"]

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.failures += 1
            print(f"FAILED: {what}")

    def finish(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        print(f"{self.checks - self.failures} passed, {self.failures} failed")
        sys.exit(1 if self.failures else 0)
