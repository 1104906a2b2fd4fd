// Tests of ranking, citations, collapsing and did-you-mean on the corpus.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdio.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <xapian.h>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/analysis/term_signature.h"
#include "query/passage_searcher.h"
#include "query/shard_set.h"
#include "query/spelling_suggester.h"
#include "test_support.h"

namespace {
/// One index of the corpus for all tests of this file.
loci::PassageSearcher& corpus() {
    static loci::test::TempDir dir;
    static bool built = (loci::test::index_paths(dir.path("db"), {LOCI_TEST_CORPUS}), true);
    static loci::PassageSearcher searcher({dir.path("db")});
    (void)built;
    return searcher;
}

loci::SearchResult search(const std::string& q, std::size_t limit = 10) {
    loci::SearchRequest r;
    r.query = q;
    r.limit = limit;
    return corpus().search(r);
}

std::string name_of(const loci::Hit& h) { return h.passage.path.substr(h.passage.path.find_last_of('/') + 1); }
}  // namespace

TEST_CASE("the first command's query cites the R2P assessment with a line") {
    auto r = search("peacekeeping South Sudan");
    REQUIRE(!r.hits.empty());
    CHECK(name_of(r.hits[0]) == "r2p-china-assessment-2023.txt");
    CHECK(r.hits[0].citation.line == 269);
    CHECK(r.hits[0].rank == 1);
}

TEST_CASE("the citation's column points at the matched word in the source line") {
    auto r = search("UNMISS", 1);
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits[0].citation.line == 269);
    CHECK(r.hits[0].citation.column == 269);  // 1-based byte column, as ripgrep counts
}

TEST_CASE("a passage broken by a page number cites the line where the answer is") {
    auto r = search("joint training exercises with Tianjin and Hebei", 1);
    REQUIRE(r.hits.size() == 1);
    CHECK(name_of(r.hits[0]) == "beijing-red-cross-submission.txt");
    CHECK(r.hits[0].citation.line >= 135);
    CHECK(r.hits[0].citation.line <= 139);
}

TEST_CASE("covering more of the query beats repeating one word") {
    auto r = search("Rohingya Muslims Myanmar", 1);
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits[0].citation.line == 200);
}

TEST_CASE("near-verbatim repeats are collapsed") {
    auto r = search("Cooperation with Red Cross for innovative solutions", 10);
    std::size_t headlines = std::count_if(r.hits.begin(), r.hits.end(), [](const loci::Hit& h) {
        return h.passage.text.find("Cooperation with Red Cross for innovative solutions") != std::string::npos;
    });
    CHECK(headlines == 1);
}

TEST_CASE("did-you-mean: words of the corpus are suggested from its vocabulary") {
    CHECK(search("humanitarain").suggestion == "humanitarian");
    CHECK(search("Carbonier").suggestion == "carbonnier");
    CHECK(search("peacekeeping").suggestion.empty());  // known words get none
    CHECK(search("Dorbes").suggestion.empty());
    CHECK(loci::edit_distance("peacekeepng", "peacekeeping", 2) == 1);
    auto far = search("humanitaraen law");  // two edits: suggested, not searched while "law" matches
    CHECK(far.suggestion == "humanitarian law");
    CHECK_FALSE(far.searched_suggestion);
    CHECK(loci::edit_distance("form", "from", 2) == 1);  // a swap counts one
    // Words of up to 5 letters get one edit: "pays" is two from "past",
    // which a query of that word alone used to search instead.
    CHECK(search("Genva").suggestion == "geneva");
    auto short_word = search("pays");
    CHECK(short_word.suggestion.empty());
    CHECK(short_word.hits.empty());
    CHECK(loci::edit_distance("abc", "xyzw", 2) == 3);   // capped at limit + 1
}

TEST_CASE("did-you-mean: a word in no passage is replaced by its closest indexed word") {
    auto r = search("peacekeepng operations");
    CHECK(r.suggestion == "peacekeeping operations");
    CHECK(r.searched_suggestion);  // "operations" alone would have found passages too
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].passage.text.find("peacekeeping") != std::string::npos);
    auto only = search("peacekeepng");
    CHECK(only.searched_suggestion);
    REQUIRE(!only.hits.empty());
}

TEST_CASE("per file: every file with a matching passage, once, limit and offset count files") {
    auto files_of = [](const std::vector<loci::Hit>& hits) {
        std::vector<std::string> out;
        for (const loci::Hit& h : hits) out.push_back(name_of(h));
        return out;
    };
    for (const std::string q : {"humanitarian", "vaccine doses", "UNMISS", "file:beijing*", "\"Red Cross\" China"}) {
        INFO(q);
        loci::SearchRequest all_passages;
        all_passages.query = q;
        all_passages.limit = 100000;
        all_passages.collapse = false;
        std::set<std::string> expected;
        for (const std::string& f : files_of(corpus().search(all_passages).hits)) expected.insert(f);
        loci::SearchRequest r;
        r.query = q;
        r.per_file = true;
        r.limit = 100000;
        const std::vector<std::string> listed = files_of(corpus().search(r).hits);
        CHECK(std::set<std::string>(listed.begin(), listed.end()) == expected);
        CHECK(listed.size() == expected.size());  // each once
        // Files only (loci -l): the same files in the same order, read or not.
        loci::SearchRequest files_only = r;
        files_only.files_only = true;
        CHECK(files_of(corpus().search(files_only).hits) == listed);
        r.limit = 2;
        r.offset = 1;
        const auto page = corpus().search(r).hits;
        CHECK(files_of(page) == std::vector<std::string>(listed.begin() + std::min<std::size_t>(1, listed.size()),
                                                         listed.begin() + std::min<std::size_t>(3, listed.size())));
        if (!page.empty()) CHECK(page[0].rank == 2);
    }
    loci::SearchRequest r;
    r.query = "humanitarian";
    r.per_file = true;
    CHECK(corpus().search(r).hits.size() == 5);  // the word is in every report; the default page holds passages of 2
}

TEST_CASE("filters restrict, and a filter that names no file finds nothing") {
    auto r = search("Red Cross file:icrc-*.txt", 10);
    REQUIRE(!r.hits.empty());
    for (const auto& h : r.hits) CHECK(name_of(h) == "icrc-in-china-2025.txt");
    CHECK(search("Red Cross file:nothing-here.txt").hits.empty());
    auto s = search("section:forensics search");
    REQUIRE(!s.hits.empty());
    CHECK(s.hits[0].passage.section == "HUMANITARIAN FORENSICS");
    auto t = search("title:assessment China", 50);
    REQUIRE(!t.hits.empty());
    for (const auto& h : t.hits) CHECK(name_of(h) == "r2p-china-assessment-2023.txt");
}

TEST_CASE("paging with offset continues the same ranking") {
    auto all = search("humanitarian", 6);
    loci::SearchRequest r;
    r.query = "humanitarian";
    r.limit = 3;
    r.offset = 3;
    auto page = corpus().search(r);
    REQUIRE(page.hits.size() == 3);
    CHECK(page.hits[0].rank == 4);
    CHECK(page.hits[0].passage.text == all.hits[3].passage.text);
}

TEST_CASE("opening a missing index says what to do") {
    try {
        loci::PassageSearcher s({"/nonexistent/.loci"});
        FAIL("opened");
    } catch (const loci::IndexOpenError& e) {
        CHECK(std::string(e.what()) == "no index at /nonexistent/.loci; run: loci-index PATH...");
    }
}

TEST_CASE("an index missing a table is named by the path given, not the one it was opened by") {
    loci::test::TempDir dir;
    dir.write("r/report.txt", "Water and sanitation were restored.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("r")});
    std::filesystem::remove(dir.path("db/postlist.glass"));
    try {
        loci::PassageSearcher s({dir.path("db")});
        FAIL("opened");
    } catch (const loci::IndexOpenError& e) {
        const std::string message = e.what();
        CHECK(message.find(dir.path("db") + "/postlist.glass") != std::string::npos);
        CHECK(message.find("/proc/") == std::string::npos);
    }
}

TEST_CASE("an index of an older schema is refused, naming its version") {
    loci::test::TempDir dir;
    {
        Xapian::WritableDatabase w(dir.path("db"), Xapian::DB_CREATE);
        w.set_metadata(std::string(loci::schema::kMetaHeader), "11");  // as versions before 12 left it
        w.add_document(Xapian::Document());
        w.commit();
    }
    try {
        loci::PassageSearcher s({dir.path("db")});
        FAIL("opened");
    } catch (const loci::SchemaVersionError& e) {
        CHECK(std::string(e.what()).find("has schema version 11, this loci reads " +
                                         std::string(loci::schema::kSchemaVersion)) != std::string::npos);
    }
}

TEST_CASE("a damaged record in the index is reported naming the index and the mend") {
    // Xapian checks its own blocks; what loci keeps in them (signatures in
    // a document's data, passage records in metadata) loci checks itself.
    loci::test::TempDir dir;
    dir.write("r/report.txt", "Water and sanitation were restored.\n\nThe camps were moved in spring.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("r")});
    loci::SearchRequest req;
    req.query = "sanitation";
    REQUIRE(loci::PassageSearcher({dir.path("db")}).search(req).hits.size() == 1);
    const auto damage = [&](bool records) {
        Xapian::WritableDatabase w(dir.path("db"));
        if (records) {
            const std::string prefix(loci::schema::kMetaPassagesPrefix);
            for (auto k = w.metadata_keys_begin(prefix); k != w.metadata_keys_end(prefix); ++k) {
                const std::string value = w.get_metadata(*k);
                w.set_metadata(*k, value.substr(0, value.size() - 3));
            }
        } else {
            Xapian::Document doc = w.get_document(1);
            const std::string data = doc.get_data();
            doc.set_data(data.substr(0, data.size() - 3));
            w.replace_document(1, doc);
        }
        w.commit();
    };
    for (const bool records : {true, false}) {
        INFO((records ? "records" : "signatures"));
        loci::test::index_paths(dir.path("db"), {dir.path("r")}, nullptr, /*rebuild=*/true);
        damage(records);
        try {
            loci::PassageSearcher({dir.path("db")}).search(req);
            FAIL("searched a damaged index");
        } catch (const loci::CorruptRecordError& e) {
            const std::string message = e.what();
            CHECK(message.find("index " + dir.path("db") + ": corrupt record (") == 0);
            CHECK(message.find("; run loci-index --rebuild") != std::string::npos);
        }
    }
}

TEST_CASE("an acronym finds its long form, and the passage defining it first") {
    auto r = search("what does IHL stand for", 3);
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].passage.text.find("international humanitarian law (IHL)") != std::string::npos);
    auto spelled = search("\"Red Cross Society of China\"", 50);
    auto acronym = search("RCSC", 50);
    // Every passage that spells it out is found by the acronym too.
    for (const auto& h : spelled.hits) {
        bool found = std::any_of(acronym.hits.begin(), acronym.hits.end(),
                                 [&](const loci::Hit& a) { return a.passage.text == h.passage.text; });
        CHECK(found);
    }
}

namespace {
/// Two reports that define CPA differently, each with a passage that only
/// spells its long form out. The first (by path, the order a build takes
/// files in) is long: a parallel build's second worker takes the other,
/// and the parts' acronyms must be merged.
void write_two_cpas(const loci::test::TempDir& dir) {
    std::string audit = "Each account was checked by a Certified Public Accountant (CPA) last year.\n\n"
                        "The firm hired a certified public accountant for the audit.\n\n";
    for (int i = 0; i < 3000; ++i) audit += "Ledger page " + std::to_string(i) + " was reconciled with the bank.\n\n";
    dir.write("audit/finance.txt", audit);
    dir.write("sudan/peace.txt",
              "Both parties signed the Comprehensive Peace Agreement (CPA) in 2005.\n\n"
              "Monitors reported on the comprehensive peace agreement every month.\n");
}

/// Whether @p searcher finds, for "CPA", the passages that spell out each long form only.
void check_both_long_forms(loci::PassageSearcher& searcher) {
    loci::SearchRequest req;
    req.query = "CPA";
    const loci::SearchResult r = searcher.search(req);
    auto found = [&](const char* text) {
        return std::any_of(r.hits.begin(), r.hits.end(),
                           [&](const loci::Hit& h) { return h.passage.text.find(text) != std::string::npos; });
    };
    CHECK(found("Monitors reported on the comprehensive peace agreement"));
    CHECK(found("The firm hired a certified public accountant"));
}
}  // namespace

TEST_CASE("a path kept under --root is cited with one slash, whatever the root") {
    loci::test::TempDir dir;
    const std::string report = dir.write("reports/cholera.txt", "Cholera vaccination reached the northern camps.\n");
    loci::IndexOptions options;
    options.db_path = dir.path("db");
    options.root = "/";
    loci::test::CollectingObserver observer;
    const std::vector<std::string> roots{dir.path("reports")};
    loci::IndexWriter(options).update(loci::walk_corpus(roots, {}), roots, observer);
    loci::PassageSearcher searcher({dir.path("db")});
    loci::SearchRequest req;
    req.query = "cholera";
    for (const std::string root : {"", "/"}) {  // the index's own, and given
        req.root = root;
        const loci::SearchResult r = searcher.search(req);
        REQUIRE(r.hits.size() == 1);
        CHECK(r.hits[0].passage.path == report);
        CHECK(r.hits[0].available);
    }
}

TEST_CASE("an acronym two reports define differently finds both long forms, however the index was made") {
    loci::test::TempDir dir;
    write_two_cpas(dir);
    SECTION("one build, in parallel parts") {
        loci::IndexOptions options;
        options.db_path = dir.path("db");
        options.threads = 3;
        loci::test::CollectingObserver observer;
        const std::vector<std::string> roots{dir.path("audit"), dir.path("sudan")};
        loci::IndexWriter(options).update(loci::walk_corpus(roots, {}), roots, observer);
        loci::PassageSearcher searcher({dir.path("db")});
        check_both_long_forms(searcher);
    }
    SECTION("the second report added by an update") {
        // The long one first: the short one is less new text than the
        // index holds, so the second run is an update, not a build.
        loci::test::index_paths(dir.path("db"), {dir.path("audit")});
        REQUIRE_FALSE(loci::test::index_paths(dir.path("db"), {dir.path("audit"), dir.path("sudan")}).rebuilt);
        loci::PassageSearcher searcher({dir.path("db")});
        check_both_long_forms(searcher);
    }
    SECTION("each report in a shard of its own") {
        loci::test::index_paths(dir.path("one.db"), {dir.path("sudan")});
        loci::test::index_paths(dir.path("two.db"), {dir.path("audit")});
        loci::PassageSearcher searcher({dir.path("one.db"), dir.path("two.db")});
        check_both_long_forms(searcher);
    }
}

namespace {
/// Every acronym key of @p db and its value.
std::map<std::string, std::string> acronym_keys(const std::string& db) {
    const Xapian::Database d(db);
    std::map<std::string, std::string> out;
    for (std::string_view prefix : {loci::schema::kMetaAcronymPrefix, loci::schema::kMetaExpansionPrefix})
        for (auto it = d.metadata_keys_begin(std::string(prefix)); it != d.metadata_keys_end(std::string(prefix)); ++it)
            out[*it] = d.get_metadata(*it);
    return out;
}
}  // namespace

TEST_CASE("after reports that define an acronym change or go, an update's acronyms are a new build's") {
    loci::test::TempDir dir;
    write_two_cpas(dir);
    dir.write("notes/careers.txt", "She trained to become a certified public accountant in Leeds.\n");
    const std::vector<std::string> roots{dir.path("audit"), dir.path("sudan"), dir.path("notes")};
    loci::test::index_paths(dir.path("db"), roots);
    REQUIRE(acronym_keys(dir.path("db")).count(std::string(loci::schema::kMetaAcronymPrefix) + "cpa"));

    // The report defining CPA as an accountant goes; the peace report now
    // defines it twice over, once as a country programme.
    std::filesystem::remove(dir.path("audit/finance.txt"));
    dir.write("sudan/peace.txt",
              "Both parties signed the Comprehensive Peace Agreement (CPA) in 2005.\n\n"
              "A Country Programme Action (CPA) plan followed in 2006.\n");
    loci::test::index_paths(dir.path("db"), roots);
    loci::test::index_paths(dir.path("clean"), roots, nullptr, /*rebuild=*/true);
    const auto updated = acronym_keys(dir.path("db"));
    CHECK(updated == acronym_keys(dir.path("clean")));
    CHECK(updated.at(std::string(loci::schema::kMetaAcronymPrefix) + "cpa") ==
          "1 comprehensive peace agreement\n1 country programme action");

    // No report left calls an accountant CPA: the note that only says
    // "certified public accountant" is not found for it.
    loci::SearchRequest req;
    req.query = "CPA";
    const loci::SearchResult r = loci::PassageSearcher({dir.path("db")}).search(req);
    CHECK(std::none_of(r.hits.begin(), r.hits.end(),
                       [](const loci::Hit& h) { return h.passage.text.find("accountant") != std::string::npos; }));
    CHECK(std::any_of(r.hits.begin(), r.hits.end(),
                      [](const loci::Hit& h) { return h.passage.text.find("Country Programme Action") != std::string::npos; }));
}

TEST_CASE("an acronym's long form weighs about as one word, not as the sum of its words") {
    // For the query "ICRC", a passage that only spells out "International
    // Committee of the Red Cross" must not outrank every passage that says "ICRC".
    auto r = search("ICRC", 100);
    auto says = [](const loci::Hit& h, const char* s) { return h.passage.text.find(s) != std::string::npos; };
    const loci::Hit* named = nullptr;    // best hit naming the acronym only
    const loci::Hit* spelled = nullptr;  // best hit spelling it out only
    for (const auto& h : r.hits) {
        const bool n = says(h, "ICRC"), sp = says(h, "International Committee of the Red Cross");
        if (n && !sp && !named) named = &h;
        if (sp && !n && !spelled) spelled = &h;
    }
    REQUIRE(named);
    REQUIRE(spelled);
    INFO("named: " << named->passage.text << "\nspelled: " << spelled->passage.text);
    CHECK(named->rank < spelled->rank);
}

TEST_CASE("a question for a time or a number ranks the passage saying it near the words asked about first") {
    loci::test::TempDir dir;
    // Alike; the second of each pair says when, or how many (one word more).
    dir.write("docs/notes.txt",
              "The museum opened its doors to the public after a long and careful restoration.\n\n"
              "The museum opened its doors to the public in 1901 after a careful restoration.\n\n"
              "The club has loyal volunteers who help out every weekend in the town.\n\n"
              "The club has 120 loyal volunteers who help out every weekend in the town.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("docs")});
    loci::PassageSearcher searcher({dir.path("db")});
    auto first_line = [&](const std::string& q) {
        loci::SearchRequest r;
        r.query = q;
        r.limit = 1;
        const auto result = searcher.search(r);
        return result.hits.empty() ? 0u : result.hits[0].passage.line_start;
    };
    CHECK(first_line("when did the museum open its doors to the public") == 3);
    CHECK(first_line("how many loyal volunteers does the club have") == 7);
    // Not asked when or how many: the first passage (or the shorter) is first.
    CHECK(first_line("museum opened its doors to the public") == 1);
    CHECK(first_line("loyal volunteers of the club") == 5);
}

TEST_CASE("an acronym the report uses, spelled out only in its publisher's name, matches both ways (R2P)") {
    auto has = [](const loci::Hit& h, const char* s) { return h.passage.text.find(s) != std::string::npos; };
    auto spells = [&](const loci::Hit& h) {
        return has(h, "Responsibility to Protect") || has(h, "responsibility to protect");
    };
    // The long form finds passages that only say R2P...
    auto r = search("Responsibility to Protect", 10);
    CHECK(std::any_of(r.hits.begin(), r.hits.end(), [&](const loci::Hit& h) { return has(h, "R2P") && !spells(h); }));
    // ...and R2P the passages that only spell it out.
    auto a = search("R2P", 30);
    CHECK(std::any_of(a.hits.begin(), a.hits.end(), [&](const loci::Hit& h) { return spells(h) && !has(h, "R2P"); }));
    // A footnote naming the ICCPR stays above the row that only spells it out and cites it.
    auto i = search("ICCPR ratification", 2);
    REQUIRE(!i.hits.empty());
    CHECK(i.hits[0].passage.kind == loci::PassageKind::footnote);
    CHECK(has(i.hits[0], "ICCPR"));
}

TEST_CASE("a footnote ranks below the passage that cites it, when that holds as much of the query") {
    auto r = search("overseas police stations", 2);
    REQUIRE(r.hits.size() == 2);
    // The footnote's titles repeat the words more, but the row says it.
    CHECK(r.hits[0].passage.kind == loci::PassageKind::table_row);
    CHECK(r.hits[0].citation.line == 152);
    CHECK(r.hits[1].passage.kind == loci::PassageKind::footnote);
    CHECK(r.hits[1].passage.label == "27");
    // A query for the reference itself: the row lacks its words, the footnote comes first.
    auto ref = search("Al Jazeera investigating secret overseas stations", 1);
    REQUIRE(ref.hits.size() == 1);
    CHECK(ref.hits[0].passage.label == "27");
}

TEST_CASE("words of like meaning match, below the word typed") {
    loci::SearchRequest req;
    req.query = "when was the ICRC founded";
    req.limit = 5;
    auto r = corpus().search(req);
    auto cites_1863 = [](const loci::Hit& h) {
        return h.passage.text.find("Established in 1863") != std::string::npos;
    };
    const auto at = std::find_if(r.hits.begin(), r.hits.end(), cites_1863);
    REQUIRE(at != r.hits.end());
    const bool established_matched = std::any_of(at->matches.begin(), at->matches.end(), [&](const loci::WordMatch& m) {
        return at->passage.text.compare(m.text_offset, m.length, "Established") == 0;
    });
    CHECK(established_matched);
    // "founded" is in no passage, but its stem is ("can be found"): the
    // query matches it, so no did-you-mean.
    CHECK(r.suggestion.empty());
    req.related = false;
    auto exact = corpus().search(req);
    CHECK(std::none_of(exact.hits.begin(), exact.hits.end(), cites_1863));

    // The same fact said with the word typed and with a word of like meaning.
    loci::test::TempDir dir;
    dir.write("docs/a.txt", "The society was established in 1904 by merchants.\n");
    dir.write("docs/b.txt", "The society was founded in 1904 by merchants.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("docs")});
    loci::PassageSearcher searcher({dir.path("db")});
    req.query = "when was the society founded";
    req.related = true;
    auto both = searcher.search(req);
    REQUIRE(both.hits.size() == 2);
    CHECK(name_of(both.hits[0]) == "b.txt");
    CHECK(name_of(both.hits[1]) == "a.txt");
}

TEST_CASE("which copy of a repeated passage is shown does not depend on the order files were indexed") {
    // Document numbers follow indexing order (and interleave across shards):
    // ties in relevance must not be settled by them.
    loci::test::TempDir dir;
    for (const char* folder : {"a", "b"})
        for (int i = 0; i < 6; ++i)
            dir.write(std::string(folder) + "/report" + std::to_string(i) + ".txt",
                      "Water and sanitation in the camps were restored by volunteers.\n\nPage " +
                          std::string(folder) + std::to_string(i) + " of the annex.\n");
    loci::test::index_paths(dir.path("ab.db"), {dir.path("a")});
    loci::test::index_paths(dir.path("ab.db"), {dir.path("b")});
    loci::test::index_paths(dir.path("ba.db"), {dir.path("b")});
    loci::test::index_paths(dir.path("ba.db"), {dir.path("a")});
    loci::SearchRequest req;
    req.query = "sanitation in the camps";
    std::vector<std::string> shown;
    for (const char* db : {"ab.db", "ba.db"}) {
        auto r = loci::PassageSearcher({dir.path(db)}).search(req);
        REQUIRE(r.hits.size() == 1);  // twelve copies, collapsed to one
        shown.push_back(r.hits[0].passage.path.substr(dir.path("").size()));
    }
    CHECK(shown[0] == shown[1]);
}

TEST_CASE("a passage with the words of one before it is read only when the page needs it") {
    // The finder reads the candidates in the order their signatures rank
    // them; one whose signature an earlier one has too is most likely a
    // repeat (a report saved twice), and comes after the others. Here the
    // second passage has the first one's words in another order: no
    // repeat, so it is still found, but only when the others fall short.
    loci::test::TempDir dir;
    std::string text = "Quokka sighting 900 near 901.\n\nQuokka sighting 901 near 900.\n\n";
    for (int i = 0; i < 40; ++i)  // as long as those two, each with words of its own
        text += "Quokka sighting " + std::to_string(100 + i) + " near " + std::to_string(500 + i) + ".\n\n";
    dir.write("r/sightings.txt", text);
    loci::test::index_paths(dir.path("db"), {dir.path("r")});
    loci::PassageSearcher searcher({dir.path("db")});
    auto lines_shown = [&](std::size_t limit, bool collapse) {
        loci::SearchRequest req;
        req.query = "quokka";
        req.limit = limit;
        req.collapse = collapse;
        std::set<std::uint32_t> lines;
        for (const loci::Hit& h : searcher.search(req).hits) lines.insert(h.citation.line);
        return lines;
    };
    // Every passage weighs the same: a page shows them by line.
    const std::set<std::uint32_t> page = lines_shown(10, true);
    CHECK(page.size() == 10);
    CHECK(page.count(1) == 1);
    CHECK(page.count(3) == 0);
    CHECK(lines_shown(42, true).count(3) == 1);
    CHECK(lines_shown(10, false).count(3) == 1);  // --no-collapse: every passage in its place
}

TEST_CASE("a passage's bm25 is normalised for its length, though the match never reads lengths") {
    // Lengths are in the stored wdfs (schema::stored_wdf): the weights must
    // keep BM25's ratios between a short and a long passage, and between one
    // and three mentions. Filler words are their own stems: a passage's
    // length is its number of words.
    namespace schema = loci::schema;
    std::string filler;
    for (int i = 0; i < 12; ++i) filler += " cat dog fish bird lamp";
    loci::test::TempDir dir;
    dir.write("r/report.txt", "Zebra cat dog.\n\nZebra" + filler + ".\n\nZebra zebra zebra" + filler +
                                  ".\n\nCat" + filler + ".\n\nDog" + filler + ".\n\nFish" + filler + ".\n");
    loci::test::index_paths(dir.path("db"), {dir.path("r")});
    loci::SearchRequest req;
    req.query = "zebra";
    req.explain = true;
    std::map<std::uint32_t, double> bm25;  // by line
    for (const loci::Hit& h : loci::PassageSearcher({dir.path("db")}).search(req).hits) {
        const std::size_t at = h.explanation.find("bm25 ");
        REQUIRE(at != std::string::npos);
        bm25[h.citation.line] = std::stod(h.explanation.substr(at + 5));
    }
    REQUIRE(bm25.size() == 3);
    auto textbook = [](double tf, double length) {  // BM25's part for tf, k1 = 1.2
        const double norm =
            1 - schema::kLengthB + schema::kLengthB * std::max(length / schema::kPivotLength, schema::kMinNormLength);
        return 2.2 * tf / (1.2 * norm + tf);
    };
    const double short_one = textbook(1, 3), long_one = textbook(1, 61), long_three = textbook(3, 63);
    CHECK(bm25[1] / bm25[3] == Approx(short_one / long_one).epsilon(0.03));
    CHECK(bm25[5] / bm25[3] == Approx(long_three / long_one).epsilon(0.03));
}

namespace {
/// @p query's results over a new index of @p dir's folder @p folder.
loci::SearchResult search_folder(const loci::test::TempDir& dir, const std::string& folder, const std::string& query) {
    loci::test::index_paths(dir.path("db"), {dir.path(folder)});
    loci::SearchRequest req;
    req.query = query;
    return loci::PassageSearcher({dir.path("db")}).search(req);
}
}  // namespace

TEST_CASE("a long report's one answer is found among many short pages that repeat a word of the query") {
    // The finder reads the passages of the files that BM25 ranks first.
    // With BM25's length normalisation a long report, which holds many
    // passages, falls below every short page saying one of the words often
    // (the relevance sets with distractors lost queries so): files are
    // ranked without it.
    loci::test::TempDir dir;
    std::string report;
    const char* filler[] = {"harvest", "bridge", "winter", "ledger", "convoy", "orchard", "signal", "timber"};
    for (int i = 0; i < 240; ++i) {
        if (i == 120) report += "Cholera vaccination reached the northern camps in March.\n\n";
        report += "Paragraph " + std::to_string(i) + " on the " + filler[i % 8] + " and the " + filler[(i + 3) % 8] +
                  " of the " + filler[(i + 5) % 8] + " district.\n\n";
    }
    dir.write("c/annual-report.txt", report);
    for (int p = 0; p < 30; ++p) {
        std::string page;
        for (int k = 0; k < 4; ++k) page += "Vaccination schedule " + std::to_string(p * 4 + k) + ": vaccination.\n\n";
        dir.write("c/page" + std::to_string(p) + ".txt", page);
    }
    for (int o = 0; o < 40; ++o)  // so that "vaccination" is not in every file, and weighs
        dir.write("c/other" + std::to_string(o) + ".txt", std::string("Notes on the ") + filler[o % 8] + ".\n");
    const loci::SearchResult r = search_folder(dir, "c", "cholera vaccination");
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].passage.path == dir.path("c/annual-report.txt"));
    CHECK(r.hits[0].citation.line == 241);
}

namespace {
/// Short lines saying "orchestra" whose signatures wrongly say "maybe" for
/// @p rare (or its stem), as the indexer makes them: picked from many
/// lines indexed in a scratch database.
std::vector<std::string> lines_falsely_holding(const std::string& rare, std::size_t wanted) {
    const char* vocab[] = {"strings", "brass", "choir", "violin", "cello", "drum", "flute", "harp", "organ",
                           "piano", "tenor", "alto", "soprano", "score", "encore", "sonata", "quartet", "ballad",
                           "hymn", "march", "waltz", "tango", "opera", "ballet", "ticket", "balcony", "curtain"};
    constexpr std::size_t kVocab = sizeof vocab / sizeof *vocab;
    loci::test::TempDir scratch;
    std::string text;
    for (std::size_t n = 0; n < 10000; ++n) {
        text += "Orchestra";
        for (std::size_t j = 0; j < 12; ++j)  // words picked by a hash of (n, j): many different lines
            text += std::string(" ") + vocab[((n + 1) * 2654435761u ^ (j + 1) * 40503u) % 9973 % kVocab];
        text += " " + std::to_string(n) + ".\n\n";
    }
    scratch.write("pool/lines.txt", text);
    loci::test::index_paths(scratch.path("db"), {scratch.path("pool")});
    Xapian::Database db(scratch.path("db"));
    const loci::RecordsDictionary dictionary = loci::test::dictionary_of(db);
    const loci::TermProbe word(rare), stem(std::string(loci::schema::kStemPrefix) + loci::test::analyzer().stem_term(rare));
    std::vector<std::string> out;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const std::string data = db.get_document(*it).get_data();
        const auto [id, signatures] = loci::schema::split_document_data(data);
        const std::string_view place = std::string_view(data).substr(0, data.size() - signatures.size());
        const loci::PassageSignatures sig(signatures);
        loci::PassageRecords records(db.get_metadata(loci::schema::passages_key(place)), dictionary);
        for (std::size_t i = 0; i < sig.size() && out.size() < wanted; ++i)
            if (loci::may_hold(sig[i].bits, word) || loci::may_hold(sig[i].bits, stem))
                out.push_back(loci::decode_passage(records.record(i)).text);
    }
    return out;
}
}  // namespace

TEST_CASE("a rare word's one passage is found though other files' signatures wrongly say they may hold it") {
    // A passage's signature says "maybe" for about one term in eighteen it
    // lacks. Short passages saying the common word and wrongly "maybe" for
    // the rare one would be analysed before the long passage that holds
    // both (shorter, they weigh more), fill the candidates and hide it: a
    // file's postings say which of the query's terms it holds at all.
    const std::vector<std::string> wrong = lines_falsely_holding("xylophone", 40);
    REQUIRE(wrong.size() == 40);
    loci::test::TempDir dir;
    std::string story = "The orchestra bought a xylophone for the winter season";
    for (const char* place : {"workshops of the valley", "auction houses of the capital", "catalogues of makers",
                              "markets of the coast", "schools of the north", "churches of the hills"})
        story += std::string(", after a long and patient search through the ") + place + " that the players knew";
    dir.write("f/catalogue.txt", story + ".\n");
    for (std::size_t f = 0; f < 10; ++f)
        dir.write("f/programme" + std::to_string(f) + ".txt",
                  wrong[4 * f] + "\n\n" + wrong[4 * f + 1] + "\n\n" + wrong[4 * f + 2] + "\n\n" + wrong[4 * f + 3] + "\n");
    for (int o = 0; o < 20; ++o)  // so that "orchestra" weighs something
        dir.write("f/other" + std::to_string(o) + ".txt", "Notes on the harvest " + std::to_string(o) + ".\n");
    const loci::SearchResult r = search_folder(dir, "f", "xylophone orchestra");
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].passage.path == dir.path("f/catalogue.txt"));
}

TEST_CASE("databases searched as one each unpack their records with their own dictionary") {
    // Each index trains the dictionary of its records on its own files: a
    // passage must be unpacked with that of the database holding it (the
    // documents of several databases interleave).
    loci::test::TempDir dir;
    const char* places[] = {"camp", "clinic", "school", "bridge", "river", "market", "village", "harbour"};
    for (const char* folder : {"a", "b"}) {
        std::string text;
        for (int i = 0; i < 160; ++i)
            text += std::string(folder[0] == 'a' ? "Water and sanitation teams" : "Surgical teams of the hospital") +
                    " visited the " + places[i % 8] + " number " + std::to_string(i) + " on day " +
                    std::to_string(i * 7 % 31) + ".\n\n";
        dir.write(std::string(folder) + "/report.txt", text);
        loci::test::index_paths(dir.path(std::string(folder) + ".db"), {dir.path(folder)});
    }
    const loci::RecordsDictionary a = loci::test::dictionary_of(Xapian::Database(dir.path("a.db")));
    const loci::RecordsDictionary b = loci::test::dictionary_of(Xapian::Database(dir.path("b.db")));
    REQUIRE(!a.empty());
    REQUIRE(!b.empty());
    REQUIRE(a.bytes() != b.bytes());
    loci::SearchRequest req;
    req.query = "teams visited the harbour";
    req.limit = 40;
    const loci::SearchResult r = loci::PassageSearcher({dir.path("a.db"), dir.path("b.db")}).search(req);
    std::set<std::string> files;
    for (const loci::Hit& h : r.hits) {
        files.insert(h.passage.path);
        CHECK(h.passage.text.find("harbour number") != std::string::npos);
    }
    CHECK(files == std::set<std::string>{dir.path("a/report.txt"), dir.path("b/report.txt")});
}

TEST_CASE("an index opened while rebuilds swap folders under its path is read whole, never a mix of two") {
    // A rebuild swaps a new folder in under the index's path (renameat2);
    // Xapian opens a folder's files one by one, by path. Queries during
    // updates read "records and signatures disagree" (e2e_faults) before
    // the shard set held the folder open and opened its files through it.
    loci::test::TempDir dir;
    dir.write("a/report.txt", "Water and sanitation were restored.\n\nThe camps were moved in spring.\n");
    std::string longer;
    for (int i = 0; i < 40; ++i) longer += "Paragraph " + std::to_string(i) + " on shelter and cholera response.\n\n";
    dir.write("b/report.txt", longer);
    dir.write("b/other.txt", "Vaccination reached the northern camps.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("a")});
    loci::test::index_paths(dir.path("other"), {dir.path("b")});
    // What a reader of each index sees: its documents' data and records.
    auto seen = [](const Xapian::Database& db) {
        std::vector<std::string> out;
        for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) out.push_back(db.get_document(id).get_data());
        for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k) out.push_back(db.get_metadata(*k));
        return out;
    };
    const std::vector<std::vector<std::string>> whole{seen(Xapian::Database(dir.path("db"))),
                                                      seen(Xapian::Database(dir.path("other")))};
    std::atomic<bool> done{false};
    std::thread swapper([&] {
        while (!done) ::renameat2(AT_FDCWD, dir.path("db").c_str(), AT_FDCWD, dir.path("other").c_str(), RENAME_EXCHANGE);
    });
    int opened = 0, mixed = 0;
    std::string first_error;
    for (const auto start = std::chrono::steady_clock::now();
         std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1500);) {
        try {
            const loci::ShardSet shards({dir.path("db")}, loci::ShardOptions{});
            const std::vector<std::string> got = seen(shards.db());
            ++opened;
            if (got != whole[0] && got != whole[1]) ++mixed;
        } catch (const std::exception& e) {
            ++mixed;
            if (first_error.empty()) first_error = e.what();
        } catch (const Xapian::Error& e) {
            ++mixed;
            if (first_error.empty()) first_error = e.get_description();
        }
    }
    done = true;
    swapper.join();
    INFO("first error: " << first_error);
    CHECK(opened > 50);
    CHECK(mixed == 0);
}

TEST_CASE("a held folder knows a rebuild swapped another in, and the shard set then opens the new index") {
    loci::test::TempDir dir;
    dir.write("a/report.txt", "Water and sanitation were restored.\n");
    dir.write("b/report.txt", "Vaccination reached the northern camps.\n\nShelter was rebuilt.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("a")});
    const loci::PinnedFolder held(dir.path("db"));
    CHECK(held.path() != dir.path("db"));  // through the descriptor
    CHECK_FALSE(held.swapped());
    const std::string first = Xapian::Database(held.path()).get_document(1).get_data();
    // A rebuild: a new index swapped in under the path (replace_database()).
    loci::test::index_paths(dir.path("db"), {dir.path("b")}, nullptr, /*rebuild=*/true);
    CHECK(held.swapped());
    CHECK(Xapian::Database(dir.path("db")).get_document(1).get_data() != first);
    // The old folder is gone: opening through the held one fails, and the
    // shard set takes that as a swap and opens the new index.
    CHECK_THROWS_AS(Xapian::Database(held.path()), Xapian::DatabaseError);
    const loci::ShardSet shards({dir.path("db")}, loci::ShardOptions{});
    CHECK(shards.data_of({1}).front() == Xapian::Database(dir.path("db")).get_document(1).get_data());
}

TEST_CASE("a reader retries a changing database for its budget's time, then gives up", "[retry]") {
    // Budgeted by time: a slow writer must not exhaust a fixed number of
    // tries (stop 29's failed query under TSan); a gone writer must not
    // keep a query waiting for ever.
    using namespace std::chrono;
    const auto start = steady_clock::now();
    loci::RetryBudget budget(milliseconds(400));
    int tries = 0;
    while (budget.wait_before_retry()) ++tries;
    const auto spent = duration_cast<milliseconds>(steady_clock::now() - start).count();
    CHECK(tries >= 4);    // 20 + 40 + 60 + 80 + 100 ms fit in 400
    CHECK(spent >= 200);  // it did wait between tries
    CHECK(spent <= 400 + 250);  // and stopped near its budget (a loaded machine may oversleep)
}
