"""End-to-end: PDF and HTML reports, made in the test by real producers
(pango-view, enscript + ps2pdf, pdfunite), indexed and searched: citations
land on the page and line; two columns read in order; running headers left
out; broken and encrypted PDFs are one warning each and the batch goes on."""
import os
import subprocess
import sys
import zipfile

from harness import Programs

p = Programs(sys.argv)
docs = os.path.join(p.tmp, "docs")
os.makedirs(docs)
corpus = p.corpus


def make(args, **kw):
    subprocess.run(args, check=True, cwd=p.tmp, capture_output=True, **kw)


def pdftotext_page(pdf, page):
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"], capture_output=True,
                          text=True).stdout


# A multi-page PDF: two reports rendered by pango, joined by pdfunite.
make(["pango-view", "--no-display", "--output=p1.pdf", os.path.join(corpus, "rcsc-congress-foreign-aid.txt")])
make(["pango-view", "--no-display", "--output=p2.pdf", os.path.join(corpus, "china-red-cross-innovation.txt")])
make(["pdfunite", "p1.pdf", "p2.pdf", os.path.join(docs, "multi.pdf")])

# A two-column PDF with a running header on each of its pages (enscript, Latin-1).
with open(os.path.join(corpus, "icrc-in-china-2025.txt"), encoding="utf-8") as f:
    icrc = f.read()
latin = icrc.encode("latin-1", "replace").decode("latin-1")
folded = subprocess.run(["fold", "-s", "-w", "40"], input=latin, capture_output=True, text=True).stdout
with open(os.path.join(p.tmp, "icrc-l1.txt"), "w", encoding="latin-1") as f:
    f.write(folded)
make(["enscript", "-q", "-2", "--header=Quarterly Humanitarian Review|Page $%", "-p", "two.ps", "icrc-l1.txt"])
make(["ps2pdf", "two.ps", os.path.join(docs, "two-columns.pdf")])

# A broken PDF (truncated) and an encrypted one.
with open(os.path.join(docs, "multi.pdf"), "rb") as f:
    good = f.read()
with open(os.path.join(docs, "broken.pdf"), "wb") as f:
    f.write(good[: len(good) // 3])
make(["ps2pdf", "-sOwnerPassword=owner", "-sUserPassword=secret", "two.ps", os.path.join(docs, "encrypted.pdf")])

# An HTML page: nested blocks, a script, a style, entities, a table.
html = """<!DOCTYPE html>
<html><head><title>ICRC &amp; China: a web page</title>
<style>p { color: red }</style>
<script>var secretscriptword = "never indexed";</script></head>
<body>
<h1>Dialogue</h1>
<div><div><p>The ICRC &amp; the RCSC work
together on <b>international humanitarian law</b>.</p></div></div>
<ul><li>first listitemword</li>
<li>second caf&eacute; item</li></ul>
<table><tr><th>Area</th><th>Note</th></tr>
<tr><td>Health</td><td>Medical teams tablecellword abroad.</td></tr></table>
<p>See the <a href="https://www.icrc.org/en/linkaddressword-database">study of customary rules</a>.</p>
</body></html>
"""
with open(os.path.join(docs, "page.html"), "w", encoding="utf-8") as f:
    f.write(html)
with open(os.path.join(docs, "image.png"), "wb") as f:
    f.write(b"\x89PNG\r\n")

res = p.index("docs")
warnings = [l for l in res.stderr.decode().splitlines() if "warning" in l]
p.check(res.returncode == 1, f"a batch with bad PDFs exits 1 ({res.returncode})")
p.check(len(warnings) == 2, f"one warning per bad PDF: {warnings}")
p.check(any("broken.pdf" in w and "not a readable PDF" in w for w in warnings), "broken PDF named")
p.check(any("encrypted.pdf" in w and "encrypted" in w for w in warnings), "encrypted PDF named")
p.check(b"1 files of other formats not indexed" in res.stderr, f"other formats counted: {res.stderr!r}")

# PDFs read by two workers at once, from a fresh process each time: poppler
# sets up shared colour state when it draws its first page, unguarded (see
# pdf_extractor.cc). The ThreadSanitizer build reported that race in about
# 1 run in 12 before loci read the first page alone.
for attempt in range(10):
    again = p.index("docs", "--db", f"pdfs-{attempt}.db")
    p.check(again.returncode == 1 and b"Sanitizer" not in again.stderr,
            f"indexing PDFs again, run {attempt + 1}: exit {again.returncode} {again.stderr[-300:]!r}")

# Multi-page: the cited page holds the match.
proc, hits = p.json_hits("Pierre Dorbes")
p.check(len(hits) > 0 and hits[0]["path"] == "docs/multi.pdf", f"found in the PDF: {hits[:1]}")
if hits:
    h = hits[0]
    p.check(h.get("page") == 2, f"on page 2 (got {h.get('page')})")
    p.check("Dorbes" in pdftotext_page(os.path.join(docs, "multi.pdf"), h["page"]), "the cited page holds the match")
    p.check(h["line"] >= 1 and h["text_line"] >= h["line_start"], "line within the page, text_line through the text")
v = p.loci("--vimgrep", "Pierre Dorbes").stdout.decode().splitlines()
p.check(v and v[0].startswith("docs/multi.pdf:") and ":[p. 2] " in v[0], f"vimgrep keeps path:line:col, page in text: {v[:1]}")
t = p.loci("--color", "never", "Pierre Dorbes").stdout.decode()
p.check("(page 2, line" in t, f"people see the page: {t[:120]!r}")

# Two columns: a sentence wrapped inside the left column reads in order.
proc, hits = p.json_hits('"strategic dialogue with the People\'s Republic of China"')
p.check(len(hits) == 1 and hits[0]["path"] == "docs/two-columns.pdf", f"a phrase across column lines: {hits[:1]}")
p.check(p.loci("--no-suggest", "Quarterly").returncode == 1, "the running header is not in any passage")

# HTML: blocks, title, sections, entities; no script; citation is the source line.
proc, hits = p.json_hits("international humanitarian law RCSC file:*.html")
p.check(hits and hits[0]["path"] == "docs/page.html", "the HTML page is found")
if hits:
    h = hits[0]
    p.check(h["title"] == "ICRC & China: a web page", f"<title> is the title: {h['title']!r}")
    p.check(h["section"] == "Dialogue", f"<h1> is the section: {h['section']!r}")
    p.check(h["text"] == "The ICRC & the RCSC work together on international humanitarian law.", f"text: {h['text']!r}")
    p.check(h["line_start"] == 7, f"cites the HTML source line of the block (got {h['line_start']})")
p.check(p.loci("--no-suggest", "secretscriptword").returncode == 1, "scripts are not indexed")
p.check(p.loci("cafe").returncode == 0, "entities decoded (caf&eacute; = cafe)")
proc, hits = p.json_hits("tablecellword")
p.check(hits and hits[0]["kind"] == "table row" and hits[0]["context"] == "Area | Note", f"table row with headers: {hits[:1]}")
proc, hits = p.json_hits("listitemword")
p.check(hits and hits[0]["kind"] == "list item", "list items")
proc, hits = p.json_hits("linkaddressword")
p.check(len(hits) == 1 and hits[0]["text"] == "See the study of customary rules." and
        hits[0].get("links") == "https://www.icrc.org/en/linkaddressword-database",
        f"a link's address is searched and shown, as a markdown link's: {hits}")
# Round trip, as for text: words of every PDF and HTML passage find that passage.
import random
import re
random.seed(3)
proc, every = p.json_hits("--limit", "100000", "--no-collapse", "--no-suggest", "--", "-zzzzqqqq")
checked = 0
for h in every:
    words = [w for w in re.findall(r"[A-Za-z]{4,}", h["text"])]
    for w in random.sample(words, min(2, len(words))):
        name = os.path.basename(h["path"])
        _, found = p.json_hits("--limit", "100000", "--no-collapse", "--no-suggest", f'"{w}" file:{name}')
        p.check(any(f["line_start"] == h["line_start"] and f["text"] == h["text"] for f in found),
                f"word {w!r} finds its passage in {name}:{h['line_start']}")
        checked += 1
p.check(checked >= 40, f"round trip checked {checked} words")

# Text saved in other encodings: a seed report as Notepad's "Unicode" (UTF-16
# with a BOM), as windows-1252 (its curly quotes in bytes 0x80-0x9F), and as
# UTF-8 with a BOM gives the passages, lines and citations of the original.
enc = os.path.join(p.tmp, "enc")
os.makedirs(enc)
with open(os.path.join(corpus, "r2p-china-assessment-2023.txt"), encoding="utf-8") as f:
    r2p = f.read()
for name, encoding in [("original.txt", "utf-8"), ("unicode.txt", "utf-16"), ("windows.txt", "cp1252"),
                       ("bom.txt", "utf-8-sig")]:
    with open(os.path.join(enc, name), "w", encoding=encoding, newline="") as f:
        f.write(r2p)
res = p.index("enc", "--db", "enc.db")
warnings = [l for l in res.stderr.decode().splitlines() if "warning" in l]
p.check(len(warnings) == 1 and "windows.txt: not UTF-8: read as windows-1252" in warnings[0],
        f"only the guessed encoding is a warning, naming it: {warnings}")
_, every = p.json_hits("--db", "enc.db", "--limit", "100000", "--no-collapse", "--no-suggest", "--", "-zzzzqqqq")
by_file = {}
for h in every:
    by_file.setdefault(os.path.basename(h["path"]), []).append((h["line_start"], h["line_end"], h["text"]))
original = sorted(by_file.get("original.txt", []))
p.check(len(original) > 50, f"the original's passages: {len(original)}")
for name in ["unicode.txt", "windows.txt", "bom.txt"]:
    p.check(sorted(by_file.get(name, [])) == original, f"{name} gives the original's passages and lines")
_, quoted = p.json_hits("--db", "enc.db", "--no-collapse", "“indivisible”")
p.check(sorted({os.path.basename(h["path"]) for h in quoted}) == ["bom.txt", "original.txt", "unicode.txt", "windows.txt"],
        f"a word in curly quotes is found in every copy: {[h['path'] for h in quoted]}")

# A PDF's headings are its larger type (pango's markup), not markdown's
# signs: a line over a drawn "=====" and a line starting "# 3" are text.
os.makedirs(os.path.join(p.tmp, "typeset"))
with open(os.path.join(p.tmp, "heads.txt"), "w", encoding="utf-8") as f:
    f.write('<span size="xx-large">Relief operations in the north</span>\n\n'
            "The society delivered reliefword parcels to flooded districts in the\n"
            "south during the spring floods.\n\n"
            "Status of the convoyword\n=====================\n\n"
            '<span size="x-large">Health and water</span>\n\n'
            "# 3 clinicword sites were opened in the camps, with water points.\n")
make(["pango-view", "--no-display", "--markup", "--output=" + os.path.join("typeset", "heads.pdf"), "heads.txt"])
p.check(p.index("typeset", "--db", "typeset.db").returncode == 0, "the typeset PDF indexes")
def only_hit(word):
    proc, hits = p.json_hits("--db", "typeset.db", word)
    return hits[0] if len(hits) == 1 else {}
relief, convoy, clinic = only_hit("reliefword"), only_hit("convoyword"), only_hit("clinicword")
p.check(relief.get("section") == "Relief operations in the north" and relief.get("title") == "Relief operations in the north",
        f"the large heading is the section and the title: {relief}")
p.check(convoy.get("section") == "Relief operations in the north" and convoy.get("text") == "Status of the convoyword",
        f"a line over ===== is text, not a heading: {convoy}")
p.check(clinic.get("section") == "Health and water" and clinic.get("text", "").startswith("# 3 clinicword"),
        f"'# 3' in a PDF is text; the next large line is the section: {clinic}")

# A PDF's metadata title, unless a producer's placeholder (Word's file
# name): then its first heading. PostScript with a pdfmark, by ps2pdf.
os.makedirs(os.path.join(p.tmp, "titled"))
for name, title in [("word", "Microsoft Word - final_v3.docx"), ("named", "Relief in 2024")]:
    body = "\n".join(f"72 {650 - 16 * i} moveto (Body line {i} of the {name}titleword report.) show" for i in range(8))
    with open(os.path.join(p.tmp, name + ".ps"), "w") as f:
        f.write(f"%!PS\n[ /Title ({title}) /DOCINFO pdfmark\n/Helvetica findfont 24 scalefont setfont\n"
                f"72 700 moveto (Annual Review of Relief) show\n/Helvetica findfont 11 scalefont setfont\n{body}\nshowpage\n")
    make(["ps2pdf", name + ".ps", os.path.join("titled", name + ".pdf")])
p.check(p.index("titled", "--db", "titled.db").returncode == 0, "the titled PDFs index")
_, word = p.json_hits("--db", "titled.db", "wordtitleword")
_, named = p.json_hits("--db", "titled.db", "namedtitleword")
p.check(word and word[0]["title"] == "Annual Review of Relief", f"Word's file name is no title: {word[:1]}")
p.check(named and named[0]["title"] == "Relief in 2024", f"a real metadata title is kept: {named[:1]}")
# Word (.docx) and LibreOffice (.odt) documents, written by pandoc from a
# report of the corpus and from a markdown source with a heading, a list,
# a table, a footnote and a link. A citation's line is the paragraph's
# number, counted here from the document's own XML.
office = os.path.join(p.tmp, "office")
os.makedirs(office)
source = os.path.join(p.tmp, "water.md")
with open(source, "w", encoding="utf-8") as f:
    f.write("---\ntitle: Field Report on Water Access\n---\n\n# Introduction\n\n"
            "The delegation visited Kassala in May 2024.[^1] See the [maps](https://www.icrc.org/en/kassala-water).\n\n"
            "## Findings\n\n- Boreholes repaired: 12\n- Latrines built in Wad Sharifey camp\n\n"
            "| Site | Households |\n|---|---|\n| Girba | 1,200 |\n| Shagarab | 830 |\n\n"
            "A final paragraph about chlorination tablets.\n\n[^1]: The visit was postponed twice by flooding.\n")
for ext in ("docx", "odt", "epub"):
    make(["pandoc", source, "-o", os.path.join(office, "water." + ext)])
    if ext != "epub":
        make(["pandoc", "-f", "markdown", os.path.join(corpus, "icrc-in-china-2025.txt"), "-o",
              os.path.join(office, "icrc." + ext)])
with open(os.path.join(office, "truncated.docx"), "wb") as f:
    with open(os.path.join(office, "water.docx"), "rb") as whole:
        f.write(whole.read()[:900])
with open(os.path.join(office, "notes.odt"), "w") as f:
    f.write("plain text saved under the wrong name\n")
res = p.index("office", "--db", "office.db")
warnings = [l for l in res.stderr.decode().splitlines() if "warning" in l]
p.check(res.returncode == 1, f"a batch with two unreadable documents exits 1 ({res.returncode}): {res.stderr!r}")
p.check(len(warnings) == 2 and any("truncated.docx" in w for w in warnings) and any("notes.odt" in w for w in warnings),
        f"one warning per unreadable document, naming it: {warnings}")
p.check(b"5 new" in res.stderr or b"5 new" in res.stdout, f"the five good documents are indexed: {res.stderr!r}")


def paragraph_numbers(path, words):
    """The numbers of the paragraphs of a .docx whose text holds @p words:
    body paragraphs and table rows counted in order, as loci cites them."""
    import xml.etree.ElementTree as ET
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(w + "body")
    blocks = []
    for el in body:
        if el.tag == w + "p":
            blocks.append(el)
        elif el.tag == w + "tbl":
            blocks.extend(el.findall(w + "tr"))
    return [n + 1 for n, el in enumerate(blocks) if words in "".join(t.text or "" for t in el.iter(w + "t"))]


for ext in ("docx", "odt", "epub"):  # an e-book's blocks are counted as a document's paragraphs
    _, hits = p.json_hits("--db", "office.db", "--exact-words", f"chlorination file:*.{ext}")
    h = hits[0] if len(hits) == 1 else {}
    p.check(h.get("path") == f"office/water.{ext}" and h.get("section") == "Findings"
            and h.get("title") == "Field Report on Water Access", f"{ext}: paragraph, section and title: {hits}")
    p.check(h.get("line") == 10, f"{ext}: the 10th paragraph (title, heading, text, heading, 2 items, 3 rows): {h}")
    shown = p.loci("--db", "office.db", "--color", "never", "--exact-words", f"chlorination file:*.{ext}").stdout.decode()
    p.check(shown.startswith(f"office/water.{ext}:10  (paragraph 10, paragraph in \"Findings\")"),
            f"{ext}: people are told the line is a paragraph's number: {shown[:120]!r}")
    _, hits = p.json_hits("--db", "office.db", f"flooding file:*.{ext}")
    p.check(len(hits) == 1 and hits[0]["kind"] == "footnote" and hits[0]["line"] == 11,
            f"{ext}: the footnote follows the body: {hits}")
    _, hits = p.json_hits("--db", "office.db", f"Shagarab file:*.{ext}")
    p.check(len(hits) == 1 and hits[0]["kind"] == "table row" and hits[0]["context"] == "Site | Households",
            f"{ext}: a table row under its header: {hits}")
    _, hits = p.json_hits("--db", "office.db", f"kassala-water file:*.{ext}")
    p.check(len(hits) == 1 and hits[0]["line"] == 3, f"{ext}: a link's address is searchable: {hits}")
_, hits = p.json_hits("--db", "office.db", "--no-collapse", '"high-level political initiative" file:icrc.*')
p.check(len(hits) >= 2 and {h["path"] for h in hits} == {"office/icrc.docx", "office/icrc.odt"},
        f"a report converted to both formats is found in both: {[h['path'] for h in hits]}")
for h in hits:
    if h["path"].endswith(".docx"):
        expected = paragraph_numbers(os.path.join(office, "icrc.docx"), "high-level political initiative")
        p.check(h["line"] in expected, f"the cited line is the paragraph's number in the .docx: {h['line']} in {expected}")
# Bytes a page's or a document's declared encoding cannot decode: libxml2
# prints its own "encoding error" lines unless told not to. Every line on
# stderr is loci-index's, one warning per file.
noisy = os.path.join(p.tmp, "noisy")
os.makedirs(noisy)
with open(os.path.join(noisy, "utf16.html"), "wb") as f:
    f.write(b"\xfe\xff\x00<\x00p\x00>\xd8\x00hi")
with zipfile.ZipFile(os.path.join(noisy, "nul.docx"), "w") as z:
    z.writestr("word/document.xml", b"\x00?xml version='1.0'?><w:document/>")
for name in ("utf16.html", "nul.docx"):  # one run each: libxml2 keeps its handlers per thread
    res = p.index(os.path.join("noisy", name), "--db", f"noisy-{name}.db")
    lines = [l for l in res.stderr.decode().splitlines() if l.strip()]
    p.check(res.returncode == 1 and all(l.startswith("loci-index: ") or " files: " in l for l in lines)
            and sum("warning" in l for l in lines) == 1, f"only loci-index's own lines on stderr: {lines}")
p.finish()
