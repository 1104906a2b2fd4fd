// Tests of the index writer: incremental updates, atomic replacement,
// locking, schema checks, and the index/query round trip on the corpus.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <csignal>
#include <random>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <set>
#include <thread>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/fresh_build.h"
#include "indexer/passage_segmenter.h"
#include "indexer/prepared_file.h"
#include "query/query_compiler.h"
#include "query/passage_searcher.h"
#include "test_support.h"

using loci::test::TempDir;
using loci::test::index_paths;
using loci::test::read_file;

namespace {
/// How many passages the index holds of the file at @p path, in all its documents.
std::size_t passages_of(const std::string& db, const std::string& path) {
    Xapian::Database d(db);
    const std::string term = loci::schema::file_id_term_of_path(path);
    std::size_t n = 0;
    for (auto it = d.postlist_begin(term); it != d.postlist_end(term); ++it) {
        const std::string value = d.get_document(*it).get_data();
        n += loci::PassageSignatures(loci::schema::split_document_data(value).second).size();
    }
    return n;
}

/// How many documents name the file's path (the index's list of paths: one each).
Xapian::doccount namings_of(const std::string& db, const std::string& path) {
    Xapian::Database d(db);
    return d.get_termfreq(std::string(loci::schema::kFilePrefix) + loci::schema::file_key(path));
}

/// Moves @p path's modification time 5 s on, so that the next run sees it changed.
void touch_later(const std::string& path) {
    std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
}

/// The path of the file record that a file's id finds in the index, "" if none.
std::string path_of_file_id(const std::string& db, const std::string& path) {
    const std::string id = loci::schema::file_id(loci::schema::file_key(path));
    auto record = loci::decode_file_record(Xapian::Database(db).get_metadata(loci::schema::file_record_key(id)));
    return record ? record->path : std::string();
}

/// What Xapian's own consistency check reports of @p db: "" when it finds
/// no error. The xapian-check program (xapian-tools, a test dependency),
/// not Database::check() in this process: libxapian 1.4.22's check deletes
/// one of its objects with the size of another, which AddressSanitizer
/// stops at (new-delete-type-mismatch), in Xapian's code, not ours.
std::string consistency_errors(const std::string& db) {
    std::string report;
    FILE* out = ::popen(("xapian-check '" + db + "' 2>&1").c_str(), "r");
    if (!out) return "xapian-check could not be run";
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) report.append(buffer, n);
    const int status = ::pclose(out);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? std::string() : "xapian-check: " + report;
}
}  // namespace

TEST_CASE("a second run touches only new, changed and removed files") {
    TempDir dir;
    const std::string db = dir.path("db");
    const std::string a = dir.write("docs/a.txt", "Alpha paragraph one.\n\nAlpha paragraph two.\n");
    const std::string b = dir.write("docs/b.md", "# B\n\nBeta text.\n");
    dir.write("docs/.hidden/c.txt", "hidden\n");
    dir.write("docs/image.png", "not text");

    auto first = index_paths(db, {dir.path("docs")});
    CHECK(first.files == 2);
    CHECK(first.added == 2);
    CHECK(first.passages == 3);

    CHECK(passages_of(db, a) == 2);
    CHECK(namings_of(db, a) == 1);

    auto again = index_paths(db, {dir.path("docs")});
    CHECK(again.unchanged == 2);
    CHECK(again.added + again.changed + again.removed == 0);

    dir.write("docs/a.txt", "Alpha rewritten.\n");
    touch_later(a);
    std::filesystem::remove(b);
    dir.write("docs/d.txt", "Delta.\n");
    auto third = index_paths(db, {dir.path("docs")});
    CHECK(third.changed == 1);
    CHECK(third.removed == 1);
    CHECK(third.added == 1);
    CHECK(passages_of(db, a) == 1);
    CHECK(passages_of(db, b) == 0);
    CHECK(namings_of(db, a) == 1);
    CHECK(namings_of(db, b) == 0);
    CHECK(Xapian::Database(db).get_doccount() == 2);
    // Each passage carries its file's id, which finds the file's record until it is removed.
    CHECK(path_of_file_id(db, a) == a);
    CHECK(path_of_file_id(db, b).empty());
    Xapian::Database d(db);
    for (auto it = d.postlist_begin(""); it != d.postlist_end(""); ++it) {
        const std::string value = d.get_document(*it).get_data();
        const std::string id(loci::schema::split_document_data(value).first);
        CHECK((id == loci::schema::file_id(loci::schema::file_key(a)) ||
               id == loci::schema::file_id(loci::schema::file_key(dir.path("docs/d.txt")))));
    }
}

namespace {
/// A dry run of an update of @p roots in @p db: its counts, and its listing.
std::pair<loci::IndexSummary, std::vector<std::string>> preview(const std::string& db,
                                                                const std::vector<std::string>& roots) {
    loci::IndexOptions options;
    options.db_path = db;
    options.dry_run = true;
    std::vector<std::string> listing;
    loci::IndexSummary s = loci::IndexWriter(options).preview(loci::walk_corpus(roots, {}), roots, &listing);
    std::sort(listing.begin(), listing.end());
    return {s, listing};
}
}  // namespace

TEST_CASE("a dry run says what the run would do, and reads, writes and locks nothing") {
    TempDir dir;
    const std::string db = dir.path("db");
    const std::string a = dir.write("docs/a.txt", "Alpha paragraph one.\n\nAlpha paragraph two.\n");
    const std::string b = dir.write("docs/b.md", "# B\n\nBeta text.\n");

    // No index yet: everything is new, and nothing is created.
    auto [fresh, fresh_list] = preview(db, {dir.path("docs")});
    CHECK(fresh.added == 2);
    CHECK(fresh.bytes_read == std::filesystem::file_size(a) + std::filesystem::file_size(b));
    CHECK(fresh_list == std::vector<std::string>{"new " + a, "new " + b});
    CHECK_FALSE(std::filesystem::exists(db));
    std::filesystem::create_directory(db);  // an empty folder, where a run would build it
    CHECK(preview(db, {dir.path("docs")}).first.added == 2);
    std::filesystem::remove(db);

    index_paths(db, {dir.path("docs")});
    dir.write("docs/a.txt", "Alpha rewritten.\n");
    touch_later(a);
    std::filesystem::remove(b);
    const std::string d = dir.write("docs/d.txt", "Delta.\n");
    const Xapian::rev revision = Xapian::Database(db).get_revision();
    {
        // Beside a writer that holds the index's lock.
        loci::IndexOptions writing;
        writing.db_path = db;
        loci::IndexWriter holder(writing);
        auto [s, listing] = preview(db, {dir.path("docs")});
        CHECK(s.added == 1);
        CHECK(s.changed == 1);
        CHECK(s.removed == 1);
        CHECK(s.unchanged == 0);
        CHECK_FALSE(s.rebuilt);
        CHECK(listing == std::vector<std::string>{"changed " + a, "new " + d, "removed " + b});
    }
    CHECK(Xapian::Database(db).get_revision() == revision);
    // The run then does what it said.
    const loci::IndexSummary done = index_paths(db, {dir.path("docs")});
    CHECK(done.added == 1);
    CHECK(done.changed == 1);
    CHECK(done.removed == 1);

    // One that would be built whole says so, with the files beyond the walk.
    for (int i = 0; i < 20; ++i)
        dir.write("more/m" + std::to_string(i) + ".txt", "A longer report on harbour relief, number " +
                                                             std::to_string(i) + ".\n");
    auto [whole, whole_list] = preview(db, {dir.path("more")});
    CHECK(whole.rebuilt);
    CHECK(whole.reread_beyond == 2);
    CHECK(whole.added == 20);
    CHECK(whole_list.size() == 20);
    CHECK(index_paths(db, {dir.path("more")}).rebuilt);
}

TEST_CASE("a touched file with the same content is not re-indexed") {
    TempDir dir;
    const std::string a = dir.write("a.txt", "Same words.\n");
    index_paths(dir.path("db"), {a});
    touch_later(a);
    auto s = index_paths(dir.path("db"), {a});
    CHECK(s.unchanged == 1);
    CHECK(s.passages == 0);
}

TEST_CASE("indexing another root does not remove the first root's files") {
    TempDir dir;
    dir.write("one/a.txt", "First root.\n");
    dir.write("two/b.txt", "Second root.\n");
    index_paths(dir.path("db"), {dir.path("one")});
    auto s = index_paths(dir.path("db"), {dir.path("two")});
    CHECK(s.removed == 0);
    CHECK(Xapian::Database(dir.path("db")).get_doccount() == 2);
}

TEST_CASE("a --db that holds something else than an index is refused, and left as it was") {
    // A build replaces the index folder whole: `loci-index --db corpus
    // corpus` once put an index where the reports were.
    TempDir dir;
    const std::string report = dir.write("docs/report.txt", "The protection of civilians.\n");
    const std::string notes = dir.write("notes/mine.txt", "My notes.\n");
    for (bool rebuild : {false, true}) {
        INFO("rebuild " << rebuild);
        CHECK_THROWS_WITH(index_paths(dir.path("docs"), {dir.path("docs")}, nullptr, rebuild),
                          dir.path("docs") + " is a folder of other files, not an index; loci-index will not replace "
                                             "it (give --db a new folder or an index's)");
        CHECK_THROWS_WITH(index_paths(dir.path("notes"), {dir.path("docs")}, nullptr, rebuild),
                          Catch::Contains("is a folder of other files"));
        CHECK_THROWS_WITH(index_paths(report, {dir.path("docs")}, nullptr, rebuild),
                          report + " is a file, not an index; loci-index will not replace it (give --db a new folder "
                                   "or an index's)");
    }
    CHECK(loci::test::read_file(report) == "The protection of civilians.\n");
    CHECK(loci::test::read_file(notes) == "My notes.\n");
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir.path("docs"))) left.push_back(e.path().filename());
    CHECK(left == std::vector<std::string>{"report.txt"});
    // A new folder, an empty one and an index are the places an index goes.
    std::filesystem::create_directories(dir.path("empty"));
    CHECK_NOTHROW(index_paths(dir.path("new"), {dir.path("docs")}));
    CHECK_NOTHROW(index_paths(dir.path("new"), {dir.path("docs")}, nullptr, true));
    CHECK_NOTHROW(index_paths(dir.path("empty"), {dir.path("docs")}));
    CHECK(Xapian::Database(dir.path("empty")).get_doccount() == 1);
    CHECK(Xapian::Database(dir.path("new")).get_doccount() == 1);
}

TEST_CASE("bad files are reported, skipped, and do not stop the batch") {
    TempDir dir;
    dir.write("docs/empty.txt", "");
    dir.write("docs/binary.txt", std::string("abc\0def", 7));
    dir.write("docs/latin1.txt", "caf\xe9 au lait.\n");
    dir.write("docs/good.txt", "Good text.\n");
    loci::test::CollectingObserver observer;
    auto s = index_paths(dir.path("db"), {dir.path("docs")}, &observer);
    CHECK(s.skipped == 2);
    CHECK(s.added == 2);
    REQUIRE(observer.warnings.size() == 3);
    for (const auto& w : observer.warnings) CHECK(w.find(dir.path("docs")) == 0);  // names the file
}

TEST_CASE("a huge UTF-16 file is skipped with a reason that says what to do") {
    // Files this large are read a slice at a time, as UTF-8 only.
    TempDir dir;
    std::string utf16 = "\xFF\xFE";
    for (std::size_t i = 0; i < (loci::kHugeFileBytes >> 1) + 10; ++i) utf16 += i % 50 == 49 ? std::string("\n\0", 2) : std::string("a\0", 2);
    dir.write("docs/huge-unicode.txt", utf16);
    loci::test::CollectingObserver observer;
    auto s = index_paths(dir.path("db"), {dir.path("docs")}, &observer);
    CHECK(s.skipped == 1);
    REQUIRE(observer.warnings.size() == 1);
    CHECK_THAT(observer.warnings[0], Catch::Contains("huge-unicode.txt") && Catch::Contains("UTF-16 text over 8 MiB is not read; save it as UTF-8"));
}

TEST_CASE("a rebuilt database is swapped in with no moment where none is there") {
    // A reader that looks while a rebuild is swapped in must find a whole
    // database, old or new; a watcher thread looks as fast as it can.
    TempDir dir;
    dir.write("db/marker", "old");
    const std::string db_path = dir.path("db");
    std::atomic<bool> done{false};
    std::atomic<long> looks{0}, missing{0};
    std::thread watcher([&] {
        struct stat st {};
        while (!done) {
            if (::stat(db_path.c_str(), &st) != 0) ++missing;
            ++looks;
        }
    });
    const int swaps = 300;
    for (int i = 0; i < swaps; ++i) {
        const std::string folder = loci::make_build_folder(db_path);
        std::filesystem::create_directories(folder + "/db");
        std::ofstream(folder + "/db/marker") << i;
        loci::replace_database(folder + "/db", db_path);
        std::filesystem::remove_all(folder);
    }
    done = true;
    watcher.join();
    CHECK(looks > swaps);
    CHECK(missing == 0);
    std::string last;
    std::ifstream(dir.path("db/marker")) >> last;
    CHECK(last == std::to_string(swaps - 1));
    // Nothing is left beside the database: old copies go with the build folder.
    std::set<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) left.insert(e.path().filename().string());
    CHECK(left == std::set<std::string>{"db"});
}

TEST_CASE("a second writer is refused with a clear error") {
    TempDir dir;
    dir.write("a.txt", "text\n");
    loci::IndexOptions options;
    options.db_path = dir.path("db");
    loci::IndexWriter first(options);
    try {
        loci::IndexWriter second(options);
        FAIL("second writer opened");
    } catch (const loci::IndexOpenError& e) {
        CHECK(std::string(e.what()) == "index " + dir.path("db") + " is locked by another loci-index");
    }
}

TEST_CASE("a database of another schema version is refused") {
    TempDir dir;
    {
        // As versions before 12 left it: the bare number under the header's key.
        Xapian::WritableDatabase w(dir.path("db"), Xapian::DB_CREATE);
        w.set_metadata(std::string(loci::schema::kMetaHeader), "11");
        w.commit();
    }
    loci::IndexOptions options;
    options.db_path = dir.path("db");
    CHECK_THROWS_WITH(loci::IndexWriter(options), Catch::Contains("has schema version 11,") &&
                                                      Catch::Contains("run loci-index --rebuild"));
    options.rebuild = true;
    CHECK_NOTHROW(loci::IndexWriter(options));
}

TEST_CASE("an update without --root stores paths as the index does, and another root is refused") {
    TempDir dir;
    dir.write("reports/a.txt", "First report.\n");
    dir.write("reports/b.txt", "Second report.\n");
    auto run = [&](const std::string& root) {
        loci::IndexOptions options;
        options.db_path = dir.path("db");
        options.root = root;
        loci::test::CollectingObserver observer;
        const std::vector<std::string> roots{dir.path("reports")};
        return loci::IndexWriter(options).update(loci::walk_corpus(roots, {}), roots, observer);
    };
    CHECK(run(dir.path("")).added == 2);
    dir.write("reports/b.txt", "Second report, revised.\n");
    const loci::IndexSummary update = run("");  // no --root: the index's
    CHECK(update.added == 0);
    CHECK(update.changed == 1);
    CHECK(update.unchanged == 1);
    CHECK(Xapian::Database(dir.path("db")).get_doccount() == 2);
    CHECK_THROWS_AS(run(dir.path("reports")), loci::SchemaVersionError);
    CHECK(Xapian::Database(dir.path("db")).get_doccount() == 2);  // refused before any change
}

TEST_CASE("the header holds the schema version, the language and the root, in one key") {
    TempDir dir;
    loci::IndexOptions options;
    options.db_path = dir.path("db");
    options.root = std::filesystem::path(LOCI_TEST_CORPUS).parent_path().string();
    options.language = "french";
    loci::test::CollectingObserver observer;
    loci::IndexWriter(options).update(loci::walk_corpus({LOCI_TEST_CORPUS}, {}), {LOCI_TEST_CORPUS}, observer);
    const loci::schema::IndexHeader header =
        loci::schema::decode_header(Xapian::Database(dir.path("db")).get_metadata(std::string(loci::schema::kMetaHeader)));
    CHECK(header.version == loci::schema::kSchemaVersion);
    CHECK(header.language == "french");
    CHECK(header.root == options.root);
}

namespace {
/// Every acronym key the index holds, and how many of them its header's filter lets through.
std::pair<std::size_t, std::size_t> acronym_keys_passing(const std::string& db_path) {
    Xapian::Database db(db_path);
    const loci::schema::IndexHeader header = loci::schema::decode_header(db.get_metadata(std::string(loci::schema::kMetaHeader)));
    std::size_t keys = 0, passing = 0;
    for (std::string_view prefix : {loci::schema::kMetaAcronymPrefix, loci::schema::kMetaExpansionPrefix}) {
        const std::string p(prefix);
        for (auto it = db.metadata_keys_begin(p); it != db.metadata_keys_end(p); ++it, ++keys)
            passing += header.acronym_keys.may_contain(*it);
    }
    return {keys, passing};
}

loci::IndexSummary index_with_threads(const std::string& db, const std::vector<std::string>& roots, unsigned threads) {
    loci::IndexOptions options;
    options.db_path = db;
    options.threads = threads;
    loci::test::CollectingObserver observer;
    return loci::IndexWriter(options).update(loci::walk_corpus(roots, {}), roots, observer);
}
}  // namespace

TEST_CASE("an update that brings more new text than the index holds is built whole, and loses nothing") {
    TempDir dir;
    const std::string db = dir.path("db");
    dir.write("reports/seed.txt", "The first report, alone.\n");
    REQUIRE_FALSE(index_with_threads(db, {dir.path("reports")}, 2).rebuilt);  // a new index: built, not "rebuilt"
    // Fewer new bytes than kept ones: an update.
    dir.write("reports/small.txt", "Short.\n");
    loci::IndexSummary s = index_with_threads(db, {dir.path("reports")}, 2);
    CHECK_FALSE(s.rebuilt);
    CHECK(s.added == 1);
    // Many more: built whole, and counted as an update would count it.
    dir.write("reports/seed.txt", "The first report, revised.\n");
    for (int i = 0; i < 40; ++i)
        dir.write("reports/many/r" + std::to_string(i) + ".txt",
                  "Report " + std::to_string(i) + " on harbour relief work.\n\nIts second paragraph.\n");
    std::filesystem::remove(dir.path("reports/small.txt"));
    s = index_with_threads(db, {dir.path("reports")}, 2);
    CHECK(s.rebuilt);
    CHECK(s.reread_beyond == 0);
    CHECK(s.added == 40);
    CHECK(s.changed == 1);
    CHECK(s.removed == 1);
    CHECK(s.unchanged == 0);
    // The same documents as a new build of the same files.
    index_with_threads(dir.path("clean"), {dir.path("reports")}, 2);
    CHECK(Xapian::Database(db).get_doccount() == 41);
    CHECK(Xapian::Database(dir.path("clean")).get_doccount() == 41);
    loci::SearchRequest req;
    req.query = "revised";
    CHECK(loci::PassageSearcher({db}).search(req).hits.size() == 1);

    // Files the index holds beyond the folders walked now, each as it was
    // indexed: read again with the new ones, so `loci-index other/` added
    // to an index of reports/ is built like a new index of both.
    std::string big;
    for (int i = 0; i < 400; ++i) big += "Paragraph " + std::to_string(i) + " of the warehouse inventory.\n\n";
    dir.write("other/big.txt", big);
    s = index_with_threads(db, {dir.path("other")}, 2);
    CHECK(s.rebuilt);
    CHECK(s.reread_beyond == 41);
    CHECK(s.added == 1);
    CHECK(s.changed == 0);
    CHECK(s.removed == 0);
    index_with_threads(dir.path("clean2"), {dir.path("reports"), dir.path("other")}, 2);
    CHECK(Xapian::Database(db).get_doccount() == Xapian::Database(dir.path("clean2")).get_doccount());
    CHECK(loci::PassageSearcher({db}).search(req).hits.size() == 1);
    req.query = "warehouse";
    CHECK(loci::PassageSearcher({db}).search(req).hits.size() >= 1);

    // One of them changed since: an update leaves its passages as they
    // were and a build could not, so the run stays an update.
    dir.write("reports/seed.txt", "The first report, changed while nobody indexed it.\n");
    dir.write("third/bigger.txt", big + big + big);
    s = index_with_threads(db, {dir.path("third")}, 2);
    CHECK_FALSE(s.rebuilt);
    CHECK(s.added == 1);
    req.query = "revised";
    CHECK(loci::PassageSearcher({db}).search(req).hits.size() == 1);
    req.query = "nobody";
    CHECK(loci::PassageSearcher({db}).search(req).hits.empty());
}

TEST_CASE("built whole with the files beyond the folders walked, paths under --root read from it") {
    TempDir dir;
    loci::IndexOptions options;
    options.db_path = dir.path("db");
    options.root = dir.path("");
    options.threads = 2;
    auto index = [&](const std::string& folder) {
        loci::test::CollectingObserver observer;
        const std::vector<std::string> roots{dir.path(folder)};
        return loci::IndexWriter(options).update(loci::walk_corpus(roots, {}), roots, observer);
    };
    dir.write("a/one.txt", "The orchard report.\n");
    index("a");
    std::string big;
    for (int i = 0; i < 100; ++i) big += "Line " + std::to_string(i) + " of the granary survey.\n\n";
    dir.write("b/two.txt", big);
    const loci::IndexSummary s = index("b");
    CHECK(s.rebuilt);
    CHECK(s.warnings == 0);
    const loci::IndexSummary clean = [&] {
        loci::IndexOptions fresh = options;
        fresh.db_path = dir.path("clean");
        loci::test::CollectingObserver observer;
        const std::vector<std::string> roots{dir.path("a"), dir.path("b")};
        return loci::IndexWriter(fresh).update(loci::walk_corpus(roots, {}), roots, observer);
    }();
    CHECK(clean.passages == s.passages);
    for (const std::string word : {"orchard", "granary"}) {
        loci::SearchRequest req;
        req.query = word;
        const loci::SearchResult r = loci::PassageSearcher({options.db_path}).search(req);
        REQUIRE(r.hits.size() >= 1);
        const std::string expected = word == "orchard" ? "a/one.txt" : "b/two.txt";
        const std::string& path = r.hits.front().passage.path;
        CHECK(path.size() >= expected.size());
        CHECK(path.compare(path.size() - std::min(path.size(), expected.size()), expected.size(), expected) == 0);
        CHECK(r.hits.front().available);
    }
}

TEST_CASE("the header's filter lets every acronym key through, after a parallel build and after an update") {
    TempDir dir;
    const std::string db = dir.path("db");
    dir.write("extra/notes.txt", "Nothing defined here.\n");
    // Built in three parts merged into one: the filter must be the whole's.
    index_with_threads(db, {LOCI_TEST_CORPUS, dir.path("extra")}, 3);
    auto [keys, passing] = acronym_keys_passing(db);
    CHECK(keys >= 10);  // the corpus defines IHL, RCSC, ICRC, ... both ways
    CHECK(passing == keys);

    dir.write("extra/harbour.txt", "The Quiet Harbour Relief Network (QHRN) met in March.\n");
    index_with_threads(db, {LOCI_TEST_CORPUS, dir.path("extra")}, 3);
    const std::string qhrn = std::string(loci::schema::kMetaAcronymPrefix) + "qhrn";
    REQUIRE(Xapian::Database(db).get_metadata(qhrn) == "1 quiet harbour relief network");
    std::tie(keys, passing) = acronym_keys_passing(db);
    CHECK(passing == keys);

    // And it rules out what is not there, or it would save nothing.
    const loci::schema::IndexHeader header =
        loci::schema::decode_header(Xapian::Database(db).get_metadata(std::string(loci::schema::kMetaHeader)));
    int absent_passing = 0;
    for (int i = 0; i < 1000; ++i)
        absent_passing += header.may_hold(std::string(loci::schema::kMetaAcronymPrefix) + "word" + std::to_string(i));
    CHECK(absent_passing < 50);
}

TEST_CASE("after a kill -9 mid-update, every acronym key the index holds passes its header's filter") {
    TempDir dir;
    const std::string db = dir.path("db");
    // Longer than all the files the rounds add: each run stays an update
    // (more new text than the index holds would be built whole).
    std::string first = "A first report, indexed before the kills.\n";
    for (int i = 0; i < 2000; ++i) first += "\nIts paragraph " + std::to_string(i) + " says little.\n";
    dir.write("batch/first.txt", first);
    index_with_threads(db, {dir.path("batch")}, 1);
    // Each file defines an acronym of its own; every file is a commit.
    const std::vector<std::string> words = {"amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet",
                                            "harbour", "indigo", "juniper", "kestrel", "lagoon"};
    std::mt19937 random(7);
    int killed = 0;
    for (int round = 0; round < 6; ++round) {
        for (int f = 0; f < 40; ++f) {
            const std::size_t n = static_cast<std::size_t>(round * 40 + f);  // a distinct acronym each
            const std::string& a = words[n % words.size()];
            const std::string& b = words[n / words.size() % words.size()];
            const std::string& c = words[n / words.size() / words.size() % words.size()];
            const std::string acronym{static_cast<char>(a[0] - 32), static_cast<char>(b[0] - 32),
                                      static_cast<char>(c[0] - 32), 'C'};
            dir.write("batch/r" + std::to_string(round) + "-" + std::to_string(f) + ".txt",
                      "The " + a + " " + b + " " + c + " Council (" + acronym + ") met in March.\n\n" +
                          "Its report is long enough to be a passage of its own.\n");
        }
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            loci::IndexOptions options;
            options.db_path = db;
            options.commit_every_files = 1;
            loci::test::CollectingObserver observer;
            loci::IndexWriter(options).update(loci::walk_corpus({dir.path("batch")}, {}), {dir.path("batch")}, observer);
            ::_exit(0);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 200)(random)));
        killed += ::kill(child, SIGKILL) == 0;
        int status = 0;
        ::waitpid(child, &status, 0);
        const auto [keys, passing] = acronym_keys_passing(db);
        CHECK(passing == keys);
        CHECK(consistency_errors(db).empty());
    }
    CHECK(acronym_keys_passing(db).first > 0);  // some kills came after some acronyms
    CHECK(killed > 0);
}

namespace {
struct OnlyDoc : Xapian::MatchDecider {
    Xapian::docid id;
    explicit OnlyDoc(Xapian::docid d) : id(d) {}
    bool operator()(const Xapian::Document& doc) const override { return doc.get_docid() == id; }
};
}  // namespace

TEST_CASE("round trip: every word of every corpus passage finds that passage") {
    TempDir dir;
    index_paths(dir.path("db"), {LOCI_TEST_CORPUS});
    Xapian::Database db(dir.path("db"));
    const loci::RecordsDictionary dictionary = loci::test::dictionary_of(db);
    loci::analysis::Analyzer analyzer;
    loci::QueryCompiler compiler(analyzer, db);
    Xapian::Enquire enquire(db);
    std::size_t checked = 0;
    for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) {
        const std::string place = db.get_document(id).get_value(loci::schema::kSlotPlace);
        loci::PassageRecords records(db.get_metadata(loci::schema::passages_key(place)), dictionary);
        for (std::size_t k = 0; k < records.size(); ++k) {
            const loci::Passage p = loci::decode_passage(records.record(k));
            std::set<std::string> words;
            for (const auto& t : analyzer.analyze(p.text))
                if (t.role == loci::analysis::TokenRole::word) words.insert(p.text.substr(t.byte_start, t.byte_length));
            for (const std::string& word : words) {
                INFO("document " << id << ", line " << p.line_start << " word '" << word << "'");
                enquire.set_query(compiler.compile("\"" + word + "\"").query);
                OnlyDoc only(id);
                CHECK(enquire.get_mset(0, 1, 0, nullptr, &only).size() == 1);
                ++checked;
            }
        }
    }
    CHECK(checked > 5000);
}

namespace {
/// Every passage of @p db as text (its values, its length, each term with
/// its wdf and positions), and every term with its frequencies: equal for
/// two databases with the same passages under other document ids.
/// @p with_terms_source: false to leave kSlotTermsSource out.
std::multiset<std::string> contents_of(const std::string& path, bool with_terms_source = true) {
    Xapian::Database db(path);
    std::multiset<std::string> out;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const Xapian::Document doc = db.get_document(*it);
        std::string s = "length " + std::to_string(db.get_doclength(*it)) + "\n";
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
            if (with_terms_source || v.get_valueno() != loci::schema::kSlotTermsSource)
                s += "value " + std::to_string(v.get_valueno()) + " " + *v + "\n";
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            s += *t + " " + std::to_string(t.get_wdf()) + ":";
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) s += " " + std::to_string(*p);
            s += "\n";
        }
        out.insert(s);
    }
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t)
        out.insert("term " + *t + " " + std::to_string(t.get_termfreq()) + " " +
                   std::to_string(db.get_collection_freq(*t)));
    out.insert("total length " + std::to_string(db.get_total_length()));
    const std::string files(loci::schema::kMetaFilePrefix), passages(loci::schema::kMetaPassagesPrefix);
    for (auto k = db.metadata_keys_begin(files); k != db.metadata_keys_end(files); ++k)
        out.insert("record " + *k + " " + db.get_metadata(*k));
    // Passage records as they read: each build packs them with a dictionary
    // trained on what it indexed first.
    const loci::RecordsDictionary dictionary = loci::test::dictionary_of(db);
    for (auto k = db.metadata_keys_begin(passages); k != db.metadata_keys_end(passages); ++k) {
        loci::PassageRecords records(db.get_metadata(*k), dictionary);
        std::string s = "passages " + *k;
        for (std::size_t i = 0; i < records.size(); ++i) s += " " + std::string(records.record(i));
        out.insert(s);
    }
    return out;
}

std::set<Xapian::docid> documents_of(const std::string& db, const std::string& path) {
    Xapian::Database d(db);
    const std::string term = loci::schema::file_id_term_of_path(path);
    return {d.postlist_begin(term), d.postlist_end(term)};
}
}  // namespace

TEST_CASE("an updated index holds exactly what a new index of the same files holds") {
    // Updates reuse a changed file's documents (write_prepared_file): every
    // kind of edit must leave the passages, terms, positions and records a
    // fresh index makes.
    TempDir dir;
    const std::string china = read_file(std::string(LOCI_TEST_CORPUS) + "/r2p-china-assessment-2023.txt");
    REQUIRE(china.size() > 10000);
    const std::string appended = dir.write("docs/appended.txt", "One.\n\nTwo words.\n\nThree more words.\n");
    const std::string link = dir.write("docs/link.md", "# Links\n\nSee [the ICRC](https://icrc.org/en/a) now.\n\nAfter.\n");
    const std::string heading = dir.write("docs/heading.md", "# Old heading\n\nUnder it.\n\n## Kept\n\nStill here.\n");
    const std::string shuffled = dir.write("docs/shuffled.txt", "First.\n\nSecond.\n\nThird.\n\nFourth.\n");
    const std::string shrunk = dir.write("docs/shrunk.txt", "Keep me.\n\nDrop me.\n\nAnd me.\n");
    const std::string report = dir.write("docs/report.txt", china);
    index_paths(dir.path("db"), {dir.path("docs")});
    const std::set<Xapian::docid> appended_before = documents_of(dir.path("db"), appended);

    dir.write("docs/appended.txt", "One.\n\nTwo words.\n\nThree more words.\n\nA line added.\n");
    dir.write("docs/link.md", "# Links\n\nSee [the ICRC](https://icrc.org/en/b) now.\n\nAfter.\n");
    dir.write("docs/heading.md", "# New heading\n\nUnder it.\n\n## Kept\n\nStill here.\n");
    dir.write("docs/shuffled.txt", "Third.\n\nFirst.\n\nFirst.\n\nFourth.\n\nFifth, new.\n");
    dir.write("docs/shrunk.txt", "Keep me.\n");
    dir.write("docs/report.txt", "A paragraph inserted at the top.\n\n" + china);
    for (const std::string& f : {appended, link, heading, shuffled, shrunk, report}) touch_later(f);
    const auto update = index_paths(dir.path("db"), {dir.path("docs")});
    REQUIRE(update.changed == 6);

    index_paths(dir.path("fresh"), {dir.path("docs")});
    CHECK(contents_of(dir.path("db")) == contents_of(dir.path("fresh")));
    // The appended file kept its document.
    const std::set<Xapian::docid> appended_after = documents_of(dir.path("db"), appended);
    CHECK(appended_before.size() == 1);
    CHECK(std::includes(appended_after.begin(), appended_after.end(), appended_before.begin(), appended_before.end()));
}

TEST_CASE("an index written before passages kept a terms hash is updated as well") {
    // Such an index's passages have no kSlotTermsSource: a changed file's
    // passages replace its old documents in order, terms compared by Xapian.
    TempDir dir;
    const std::string china = read_file(std::string(LOCI_TEST_CORPUS) + "/r2p-china-assessment-2023.txt");
    const std::string report = dir.write("docs/report.txt", china);
    const std::string other = dir.write("docs/other.txt", "Unchanged.\n\nAlso unchanged.\n");
    index_paths(dir.path("db"), {dir.path("docs")});
    {
        Xapian::WritableDatabase db(dir.path("db"), Xapian::DB_OPEN);
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            doc.remove_value(loci::schema::kSlotTermsSource);
            db.replace_document(*it, doc);
        }
        db.commit();
        CHECK(db.get_value_freq(loci::schema::kSlotTermsSource) == 0);
    }
    dir.write("docs/report.txt", "A paragraph inserted at the top.\n\n" + china + "\nAnd one at the end.\n");
    touch_later(report);
    REQUIRE(index_paths(dir.path("db"), {dir.path("docs")}).changed == 1);
    index_paths(dir.path("fresh"), {dir.path("docs")});
    CHECK(contents_of(dir.path("db"), false) == contents_of(dir.path("fresh"), false));
    CHECK(documents_of(dir.path("db"), other).size() == 1);
}

namespace {
/// Every passage record of @p db, unpacked with its dictionary; and how
/// many bytes they take packed.
std::vector<std::string> all_records(const Xapian::Database& db, std::size_t& packed_bytes) {
    const loci::RecordsDictionary dictionary = loci::test::dictionary_of(db);
    const std::string prefix(loci::schema::kMetaPassagesPrefix);
    std::vector<std::string> out;
    packed_bytes = 0;
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
        const std::string value = db.get_metadata(*k);
        packed_bytes += value.size();
        loci::PassageRecords records(value, dictionary);
        for (std::size_t i = 0; i < records.size(); ++i) out.emplace_back(records.record(i));
    }
    return out;
}
}  // namespace

TEST_CASE("a new index packs its passage records with a dictionary trained on them, updates use it") {
    TempDir dir;
    for (const char* name : {"r2p-china-assessment-2023.txt", "beijing-red-cross-submission.txt"})
        dir.write(std::string("docs/") + name, read_file(std::string(LOCI_TEST_CORPUS) + "/" + name));
    index_paths(dir.path("db"), {dir.path("docs")});
    std::size_t packed = 0;
    {
        Xapian::Database db(dir.path("db"));
        const loci::RecordsDictionary dictionary = loci::test::dictionary_of(db);
        REQUIRE(!dictionary.empty());
        const std::vector<std::string> records = all_records(db, packed);
        REQUIRE(records.size() > 100);
        // Smaller than the same records packed in the same groups without it.
        CHECK(packed < loci::encode_records(records, loci::RecordsDictionary()).size());
        CHECK(loci::encode_records(records, dictionary).size() < loci::encode_records(records, loci::RecordsDictionary()).size());
        // Records packed with it cannot be read without it: a clear error, not garbage.
        const std::string prefix(loci::schema::kMetaPassagesPrefix);
        CHECK_THROWS_AS(loci::PassageRecords(db.get_metadata(*db.metadata_keys_begin(prefix)), loci::RecordsDictionary()),
                        loci::CorruptRecordError);
    }
    // An update keeps the dictionary and packs the new file's records with it.
    const std::string before = Xapian::Database(dir.path("db")).get_metadata(std::string(loci::schema::kMetaRecordsDictionary));
    const std::string added = dir.write("docs/new.txt", "Water and sanitation in the camps were restored by volunteers.\n\nA second paragraph.\n");
    REQUIRE(index_paths(dir.path("db"), {dir.path("docs")}).added == 1);
    Xapian::Database db(dir.path("db"));
    CHECK(db.get_metadata(std::string(loci::schema::kMetaRecordsDictionary)) == before);
    const std::string its_key = loci::schema::passages_key_prefix(loci::schema::file_id(loci::schema::file_key(added)));
    REQUIRE(db.metadata_keys_begin(its_key) != db.metadata_keys_end(its_key));
    CHECK_THROWS_AS(loci::PassageRecords(db.get_metadata(*db.metadata_keys_begin(its_key)), loci::RecordsDictionary()),
                    loci::CorruptRecordError);
    const std::vector<std::string> records = all_records(db, packed);
    CHECK(std::count_if(records.begin(), records.end(), [](const std::string& r) {
              return loci::decode_passage(r).text == "Water and sanitation in the camps were restored by volunteers.";
          }) == 1);
}

TEST_CASE("an index of a few passages has no records dictionary, and reads its records without") {
    TempDir dir;
    dir.write("docs/short.txt", "One paragraph.\n\nAnother one.\n");
    index_paths(dir.path("db"), {dir.path("docs")});
    Xapian::Database db(dir.path("db"));
    CHECK(loci::test::dictionary_of(db).empty());
    std::size_t packed = 0;
    const std::vector<std::string> records = all_records(db, packed);
    REQUIRE(records.size() == 2);
    CHECK(loci::decode_passage(records[1]).text == "Another one.");
}

TEST_CASE("Xapian's consistency check finds no error in an index, passages of bare web addresses included") {
    // A web address's words weigh nothing (wdf 0): a passage made only of
    // one must still have a length, or xapian-check takes its positions for
    // those of a document without terms.
    TempDir dir;
    dir.write("docs/links.md", "# Sources\n\nhttps://www.icrc.org/en/document/ihl-rules\n\nText after.\n");
    index_paths(dir.path("db"), {dir.path("docs"), LOCI_TEST_CORPUS});
    CHECK(consistency_errors(dir.path("db")).empty());
    CHECK(passages_of(dir.path("db"), dir.path("docs/links.md")) == 2);
}
