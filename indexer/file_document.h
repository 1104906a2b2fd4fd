/** @file file_document.h
 *  @brief A file's passages -> its Xapian document (one for each
 *  schema::kPassagesPerDocument passages of a huge file), by the schema in
 *  index_schema.h.
 *  Thread-safety: one builder per thread; the Analyzer belongs to the caller's thread.
 */
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"

namespace loci {

/// A document made, and its passages' records, which go in the
/// database's metadata under records_key (index_schema.h).
struct BuiltDocument {
    Xapian::Document doc;
    std::string records_key;
    std::string records;
};

/// Writes @p built to @p db: its document in place of document @p id (0:
/// a new one), its records under their key.
void write_document(Xapian::WritableDatabase& db, const BuiltDocument& built, Xapian::docid id = 0);

/// Collects passages of one file, in order, into one document.
class FileDocument {
  public:
    /// @p first_of_file: the document is its file's first, and names the
    /// file's path (kFilePrefix), so that the index lists every path once.
    explicit FileDocument(bool first_of_file);

    /// Adds @p passage, whose text @p analyzer analyses as @p text_tokens
    /// (Analyzer::analyze(passage.text), made once for the acronym miner too).
    void add(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
             const analysis::Analyzer& analyzer);
    void add(const Passage& passage, const analysis::Analyzer& analyzer);

    std::size_t passages() const { return records_.size(); }
    /// No more passages fit: the file goes on in a new document.
    bool full() const;

    /// The document of the passages added (at least one), its records
    /// packed with the index's @p dictionary; the builder is spent.
    BuiltDocument finish(const RecordsDictionary& dictionary);

  private:
    class Terms;
    bool first_of_file_;
    Xapian::Document doc_;                             ///< positions and filters as they come
    std::map<std::string, Xapian::termcount> passages_holding_;  ///< each counted term's wdf (index_schema.h)
    std::string file_id_term_;
    Xapian::termpos next_position_ = 0;                ///< where the next passage's positions start
    std::vector<std::string> signatures_, records_;
    std::vector<std::uint32_t> lengths_;  ///< each passage's, as BM25 counts it
    std::uint32_t first_line_ = 0;
    std::string path_;
    std::uint64_t source_hash_;                        ///< of what the terms are made from
};

/// Cuts a file's passages, in order, into documents: the first names the
/// file's path, a new one starts whenever one is full, and each is handed
/// to @p write when done. What the indexer writes a file through, whole
/// (prepare_file) or as it is read (a huge file).
class FileDocuments {
  public:
    using Write = std::function<void(BuiltDocument&& built)>;
    /// Records packed with @p dictionary, which must outlive this.
    FileDocuments(Write write, const RecordsDictionary& dictionary)
        : write_(std::move(write)), dictionary_(dictionary) {}

    void add(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
             const analysis::Analyzer& analyzer);
    void add(const Passage& passage, const analysis::Analyzer& analyzer);
    /// Hands on the last document, if it holds passages.
    void finish();

  private:
    void next_if_full();
    Write write_;
    const RecordsDictionary& dictionary_;
    FileDocument doc_{true};
};

}  // namespace loci
