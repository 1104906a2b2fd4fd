// Helpers shared by the tests: temporary folders and files, a silent observer, an analyzer, an index of the corpus.
#pragma once
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/index_writer.h"

namespace loci::test {

/// The bytes of the file at @p path ("" if it cannot be read).
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh folder under $TMPDIR, removed with its contents at the end of scope.
class TempDir {
  public:
    TempDir() {
        std::string templ = (std::filesystem::temp_directory_path() / "loci-test-XXXXXX").string();
        path_ = ::mkdtemp(templ.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string path(const std::string& name = "") const { return name.empty() ? path_ : path_ + "/" + name; }
    std::string write(const std::string& name, const std::string& content) const {
        std::filesystem::create_directories(std::filesystem::path(path(name)).parent_path());
        std::ofstream(path(name), std::ios::binary) << content;
        return path(name);
    }

  private:
    std::string path_;
};

struct CollectingObserver : IndexObserver {
    std::vector<std::string> warnings;
    void warning(const std::string& line) override { warnings.push_back(line); }
};

/// Indexes @p roots into @p db with default options.
inline IndexSummary index_paths(const std::string& db, const std::vector<std::string>& roots,
                                CollectingObserver* observer = nullptr, bool rebuild = false) {
    IndexOptions options;
    options.db_path = db;
    options.rebuild = rebuild;
    WalkOptions walk_options;
    walk_options.skip_dir = absolute_path(db);
    CollectingObserver local;
    IndexWriter writer(options);
    return writer.update(walk_corpus(roots, walk_options), roots, observer ? *observer : local);
}

/// One English analyzer for a test program's checks (made once: ICU's
/// objects are costly to make).
inline const analysis::Analyzer& analyzer() {
    static const analysis::Analyzer a;
    return a;
}

/// An index of the corpus in a temporary folder, and each of its passages
/// with its document id: what the match of a query is checked against.
/// Passages come by file id and line, whatever ids the (parallel) build
/// gave them, so that tests picking passages pick the same ones each run.
struct IndexedCorpus {
    TempDir dir;
    Xapian::Database db;
    std::vector<std::pair<Xapian::docid, Passage>> passages;

    IndexedCorpus() {
        index_paths(dir.path("db"), {LOCI_TEST_CORPUS});
        db = Xapian::Database(dir.path("db"));
        std::map<std::string, Xapian::docid> by_value;  // the passage slot sorts by file id, then line
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
            by_value.emplace(db.get_document(*it).get_value(schema::kSlotPassage), *it);
        for (const auto& [value, id] : by_value)
            passages.emplace_back(id, decode_passage(schema::split_passage_value(value).second));
    }
};

}  // namespace loci::test
