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
#include "indexer/analysis/passage_terms.h"
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

/// The dictionary the passage records of @p db are packed with.
inline RecordsDictionary dictionary_of(const Xapian::Database& db) {
    return RecordsDictionary(db.get_metadata(std::string(schema::kMetaRecordsDictionary)));
}

/// One English analyzer for a test program's checks (made once: ICU's
/// objects are costly to make).
inline const analysis::Analyzer& analyzer() {
    static const analysis::Analyzer a;
    return a;
}

/// A passage's terms as a document of its own: positions as the passage
/// has them (see IndexedCorpus::by_passage).
class PassageDocumentSink : public TermSink {
  public:
    explicit PassageDocumentSink(Xapian::Document& doc) : doc_(doc) {}
    void position(const std::string& term, Xapian::termpos position) override { doc_.add_posting(term, position, 0); }
    void count(const std::string& term, Xapian::termcount wdf) override { doc_.add_term(term, wdf); }
    void filter(const std::string& term) override { doc_.add_boolean_term(term); }
    void file_id(const std::string& term) override { doc_.add_term(term, 1); }

  private:
    Xapian::Document& doc_;
};

/// An index of the corpus in a temporary folder, each of its passages
/// (path set), and the same passages as a database of one document each
/// (by_passage), made from their records by the indexer's own term code:
/// Xapian's match over it says which passages a query matches, the oracle
/// the query side's own checks are held to. Passages come by file id and
/// line, whatever ids the (parallel) build gave their files, so that tests
/// picking passages pick the same ones each run.
struct IndexedCorpus {
    TempDir dir;
    Xapian::Database db;
    RecordsDictionary dictionary;  ///< db's
    Xapian::WritableDatabase by_passage{std::string(), Xapian::DB_BACKEND_INMEMORY};
    /// Each passage with its document id in by_passage.
    std::vector<std::pair<Xapian::docid, Passage>> passages;
    std::vector<std::string> file_ids;  ///< of each passage
    std::vector<bool> first_of_file;    ///< each passage: its file's first
    /// Each passage's document in db and its place among that document's passages.
    std::vector<std::pair<Xapian::docid, std::size_t>> places;

    IndexedCorpus() {
        index_paths(dir.path("db"), {LOCI_TEST_CORPUS});
        db = Xapian::Database(dir.path("db"));
        dictionary = dictionary_of(db);
        std::map<std::string, Xapian::docid> by_value;  // data starts with the file id, then the line
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
            by_value.emplace(db.get_document(*it).get_data(), *it);
        std::string previous_file;
        for (const auto& [data, id] : by_value) {
            const auto [file_id, signatures] = schema::split_document_data(data);
            const std::string_view place = std::string_view(data).substr(0, data.size() - signatures.size());
            const std::string path = decode_file_record(db.get_metadata(schema::file_record_key(file_id))).value().path;
            PassageRecords records(db.get_metadata(schema::passages_key(place)), dictionary);
            for (std::size_t k = 0; k < records.size(); ++k) {
                Passage p = decode_passage(records.record(k));
                places.emplace_back(id, k);
                p.path = path;
                const bool first = file_id != previous_file;
                previous_file = std::string(file_id);
                Xapian::Document doc;
                PassageDocumentSink sink(doc);
                add_passage_terms(p, analyzer().analyze(p.text), analyzer(), FileTerms::of_path(path, first), sink);
                passages.emplace_back(by_passage.add_document(doc), std::move(p));
                file_ids.emplace_back(file_id);
                first_of_file.push_back(first);
            }
        }
        by_passage.commit();
    }
};

}  // namespace loci::test
