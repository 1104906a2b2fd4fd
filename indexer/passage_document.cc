// Passage -> Xapian document; see passage_document.h and index_schema.h.
#include "indexer/passage_document.h"

#include <algorithm>
#include <map>

#include "indexer/analysis/index_schema.h"

namespace loci {
namespace {

/// Gap between the shown text and hidden link targets, so that no phrase spans them.
constexpr Xapian::termpos kHiddenTextGap = 100;

std::string as_key(std::uint64_t h) {
    std::string key(8, '\0');
    for (int i = 7; i >= 0; --i, h >>= 8) key[i] = static_cast<char>(h & 0xFF);
    return key;
}

/// How make_passage_document() makes terms from a passage: a new value
/// when that changes, so that an update rewrites the documents made the old way.
constexpr std::string_view kTermsRecipe = "2";  // 2: the file id term counts in the length

/// Hash of everything make_passage_document() derives the terms and
/// positions from (the path is the file's, the same for all its passages).
std::string terms_source_key(const Passage& p, bool first_of_file) {
    std::uint64_t h = fnv1a64(first_of_file ? "1" : "0", fnv1a64(kTermsRecipe));
    for (const std::string* part : {&p.text, &p.hidden_text, &p.section})
        h = fnv1a64(*part, fnv1a64(std::to_string(part->size()), h));  // sized: no two splits of one string agree
    return as_key(h);
}

/// A passage's terms with their plain counts, and its length as Xapian
/// counts it; positions go straight to the document.
struct TermCounts {
    std::map<std::string, Xapian::termcount> tf;
    Xapian::termcount length = 0;

    /// The terms of one token. Only words carry positions (phrases are made
    /// of words); a stem is stored only where it differs from the word, since
    /// the query side also looks the stem up as an exact word.
    void add_token(Xapian::Document& doc, const analysis::Token& t, Xapian::termcount wdf) {
        if (t.role == analysis::TokenRole::word) doc.add_posting(t.term, t.position, 0);
        count(t.term, wdf);
        if (!t.stem.empty() && t.stem != t.term) count(std::string(schema::kStemPrefix) + t.stem, wdf);
    }

    void count(const std::string& term, Xapian::termcount wdf) {
        tf[term] += wdf;
        length += wdf;
    }

    /// Adds every term with its length-normalised wdf (schema::stored_wdf).
    void store(Xapian::Document& doc) const {
        for (const auto& [term, n] : tf) doc.add_term(term, schema::stored_wdf(n, length));
    }
};

}  // namespace

Xapian::Document make_passage_document(const Passage& passage, const analysis::Analyzer& analyzer,
                                       bool first_of_file) {
    return make_passage_document(passage, analyzer.analyze(passage.text), analyzer, first_of_file);
}

Xapian::Document make_passage_document(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                                       const analysis::Analyzer& analyzer, bool first_of_file) {
    Xapian::Document doc;
    TermCounts terms;
    std::uint64_t duplicate_key = fnv1a64("");
    Xapian::termpos last = 0;
    for (const analysis::Token& t : text_tokens) {
        // Words of a web address are found, but weigh nothing: a footnote's
        // URL repeating its title must not outrank the text it supports.
        terms.add_token(doc, t, t.in_url ? 0 : 1);
        if (t.role == analysis::TokenRole::word) duplicate_key = fnv1a64(t.term, fnv1a64(" ", duplicate_key));
        last = std::max<Xapian::termpos>(last, t.position);
    }
    // Link targets: found, weigh nothing.
    for (const analysis::Token& t : analyzer.analyze(passage.hidden_text, last + kHiddenTextGap))
        terms.add_token(doc, t, 0);
    terms.store(doc);
    for (const analysis::Token& t : analyzer.analyze(passage.section))
        if (t.role == analysis::TokenRole::word) doc.add_boolean_term(schema::field_term(schema::kSectionPrefix, t));
    const std::string key = schema::file_key(passage.path);
    const std::string id = schema::file_id(key);
    // The file id counts once in the passage's length: a passage made only
    // of web addresses (their words have wdf 0) must not have length 0,
    // which Xapian's check reads as a document without terms. The match
    // weighs at b = 0, so lengths move no weight.
    doc.add_term(schema::file_id_term(id), 1);
    if (first_of_file) doc.add_boolean_term(std::string(schema::kFilePrefix) + key);
    doc.add_value(schema::kSlotPassage, schema::passage_value(id, passage.line_start, encode_passage(passage)));
    doc.add_value(schema::kSlotDuplicateKey, as_key(duplicate_key));
    doc.add_value(schema::kSlotTermsSource, terms_source_key(passage, first_of_file));
    return doc;
}

}  // namespace loci
