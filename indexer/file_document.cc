// A file's passages -> its Xapian document; see file_document.h and index_schema.h.
#include "indexer/file_document.h"

#include <algorithm>

#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_terms.h"
#include "indexer/analysis/term_signature.h"

namespace loci {
namespace {

std::string as_key(std::uint64_t h) {
    std::string key(8, '\0');
    for (int i = 7; i >= 0; --i, h >>= 8) key[i] = static_cast<char>(h & 0xFF);
    return key;
}

/// How add_passage_terms() and this builder make terms: a new value when
/// that changes, so that an update rewrites the documents made the old way.
constexpr std::string_view kTermsRecipe = "3";  // 3: documents of many passages

/// A document's positions stop here, far below Xapian's 32-bit limit: a
/// passage of a million words still fits after it.
constexpr Xapian::termpos kMaxFirstPosition = 1u << 30;

}  // namespace

/// One passage's terms: into the document (positions shifted to the
/// passage's place, filters), and into the passage's signature and counts.
class FileDocument::Terms : public TermSink {
  public:
    Terms(FileDocument& doc, Xapian::termpos base, const analysis::Analyzer& analyzer)
        : doc_(doc), base_(base), analyzer_(analyzer) {}

    void position(const std::string& term, Xapian::termpos position) override {
        doc_.doc_.add_posting(term, base_ + position, 0);
        last_ = std::max(last_, position);
    }
    void count(const std::string& term, Xapian::termcount wdf) override {
        weighed_[term] |= wdf > 0;
        terms_.push_back(term);
        length_ += wdf;
    }
    void filter(const std::string& term) override { doc_.doc_.add_boolean_term(term); }
    void file_id(const std::string& term) override { doc_.file_id_term_ = term; }

    /// Counts the passage in each term's wdf; adds its signature and length.
    void finish() {
        for (const auto& [term, weighed] : weighed_) doc_.passages_holding_[term] += weighed ? 1 : 0;
        doc_.next_position_ = base_ + last_ + schema::kPassagePositionGap;
        doc_.signatures_.push_back(term_signature(signature_terms(terms_, analyzer_)));
        doc_.lengths_.push_back(length_);
    }

  private:
    FileDocument& doc_;
    Xapian::termpos base_;
    const analysis::Analyzer& analyzer_;
    Xapian::termpos last_ = 0;
    std::map<std::string, bool> weighed_;  ///< counted terms: found with weight at least once
    std::vector<std::string> terms_;  ///< counted, repeats and all
    std::uint32_t length_ = 0;  ///< as BM25 counts it: the counted terms' weights
};

FileDocument::FileDocument(bool first_of_file)
    : first_of_file_(first_of_file), source_hash_(fnv1a64(first_of_file ? "1" : "0", fnv1a64(kTermsRecipe))) {}

bool FileDocument::full() const {
    return records_.size() >= schema::kPassagesPerDocument || next_position_ >= kMaxFirstPosition;
}

void FileDocument::add(const Passage& passage, const analysis::Analyzer& analyzer) {
    add(passage, analyzer.analyze(passage.text), analyzer);
}

void FileDocument::add(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                       const analysis::Analyzer& analyzer) {
    if (records_.empty()) {
        first_line_ = passage.line_start;
        path_ = passage.path;
    }
    Terms terms(*this, next_position_, analyzer);
    add_passage_terms(passage, text_tokens, analyzer, FileTerms::of_path(passage.path, first_of_file_ && records_.empty()),
                      terms);
    terms.finish();
    records_.push_back(encode_passage(passage));
    // Sized parts: no two splits of one string agree.
    for (const std::string* part : {&passage.text, &passage.hidden_text, &passage.section})
        source_hash_ = fnv1a64(*part, fnv1a64(std::to_string(part->size()), source_hash_));
}

BuiltDocument FileDocument::finish(const RecordsDictionary& dictionary) {
    Xapian::Document doc = std::move(doc_);
    for (const auto& [term, n] : passages_holding_) doc.add_term(term, n);
    // The file id counts once in the length: a file made only of web
    // addresses (their words have wdf 0) must not have length 0, which
    // Xapian's check reads as a document without terms.
    doc.add_term(file_id_term_, 1);
    doc.add_term(std::string(schema::kPassageCountTerm), static_cast<Xapian::termcount>(records_.size()));
    const std::string id = schema::file_id(schema::file_key(path_));
    const std::string place = schema::document_place(id, first_line_);
    doc.add_value(schema::kSlotPlace, place);
    doc.set_data(schema::document_data(place, encode_signatures(lengths_, signatures_)));
    doc.add_value(schema::kSlotTermsSource, as_key(source_hash_));
    return BuiltDocument{std::move(doc), schema::passages_key(place), encode_records(records_, dictionary)};
}

void FileDocuments::add(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                        const analysis::Analyzer& analyzer) {
    doc_.add(passage, text_tokens, analyzer);
    next_if_full();
}

void FileDocuments::add(const Passage& passage, const analysis::Analyzer& analyzer) {
    doc_.add(passage, analyzer);
    next_if_full();
}

void FileDocuments::next_if_full() {
    if (!doc_.full()) return;
    write_(doc_.finish(dictionary_));
    doc_ = FileDocument(false);
}

void FileDocuments::finish() {
    if (doc_.passages() > 0) write_(doc_.finish(dictionary_));
    doc_ = FileDocument(false);
}

void write_document(Xapian::WritableDatabase& db, const BuiltDocument& built, Xapian::docid id) {
    if (id)
        db.replace_document(id, built.doc);
    else
        db.add_document(built.doc);
    db.set_metadata(built.records_key, built.records);
}

}  // namespace loci
