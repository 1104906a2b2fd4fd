// Passage -> Xapian document; see passage_document.h and index_schema.h.
#include "indexer/passage_document.h"

#include <map>

#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_terms.h"

namespace loci {
namespace {

std::string as_key(std::uint64_t h) {
    std::string key(8, '\0');
    for (int i = 7; i >= 0; --i, h >>= 8) key[i] = static_cast<char>(h & 0xFF);
    return key;
}

/// How add_passage_terms() makes terms from a passage: a new value when
/// that changes, so that an update rewrites the documents made the old way.
constexpr std::string_view kTermsRecipe = "2";  // 2: the file id term counts in the length

/// Hash of everything make_passage_document() derives the terms and
/// positions from (the path is the file's, the same for all its passages).
std::string terms_source_key(const Passage& p, bool first_of_file) {
    std::uint64_t h = fnv1a64(first_of_file ? "1" : "0", fnv1a64(kTermsRecipe));
    for (const std::string* part : {&p.text, &p.hidden_text, &p.section})
        h = fnv1a64(*part, fnv1a64(std::to_string(part->size()), h));  // sized: no two splits of one string agree
    return as_key(h);
}

/// Puts a passage's terms in its document: positions and filters as they
/// come, counts summed and stored length-normalised at the end (store()).
class DocumentTerms : public TermSink {
  public:
    explicit DocumentTerms(Xapian::Document& doc) : doc_(doc) {}

    void position(const std::string& term, Xapian::termpos position) override { doc_.add_posting(term, position, 0); }
    void count(const std::string& term, Xapian::termcount wdf) override {
        tf_[term] += wdf;
        length_ += wdf;
    }
    void filter(const std::string& term) override { doc_.add_boolean_term(term); }
    void file_id(const std::string& term) override { file_id_term_ = term; }

    /// Adds every counted term with its length-normalised wdf
    /// (schema::stored_wdf), then the file id term. The file id counts once
    /// in the passage's length: a passage made only of web addresses (their
    /// words have wdf 0) must not have length 0, which Xapian's check reads
    /// as a document without terms. The match weighs at b = 0, so lengths
    /// move no weight.
    void store() {
        for (const auto& [term, n] : tf_) doc_.add_term(term, schema::stored_wdf(n, length_));
        doc_.add_term(file_id_term_, 1);
    }

  private:
    Xapian::Document& doc_;
    std::map<std::string, Xapian::termcount> tf_;  ///< plain counts
    Xapian::termcount length_ = 0;                 ///< as Xapian counts it, the file id term aside
    std::string file_id_term_;
};

}  // namespace

Xapian::Document make_passage_document(const Passage& passage, const analysis::Analyzer& analyzer,
                                       bool first_of_file) {
    return make_passage_document(passage, analyzer.analyze(passage.text), analyzer, first_of_file);
}

Xapian::Document make_passage_document(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                                       const analysis::Analyzer& analyzer, bool first_of_file) {
    Xapian::Document doc;
    DocumentTerms terms(doc);
    add_passage_terms(passage, text_tokens, analyzer, first_of_file, terms);
    terms.store();
    std::uint64_t duplicate_key = fnv1a64("");
    for (const analysis::Token& t : text_tokens)
        if (t.role == analysis::TokenRole::word) duplicate_key = fnv1a64(t.term, fnv1a64(" ", duplicate_key));
    const std::string id = schema::file_id(schema::file_key(passage.path));
    doc.add_value(schema::kSlotPassage, schema::passage_value(id, passage.line_start, encode_passage(passage)));
    doc.add_value(schema::kSlotDuplicateKey, as_key(duplicate_key));
    doc.add_value(schema::kSlotTermsSource, terms_source_key(passage, first_of_file));
    return doc;
}

}  // namespace loci
