// Passage -> Xapian document; see passage_document.h and index_schema.h.
#include "indexer/passage_document.h"

#include <algorithm>

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

void add_field_terms(Xapian::Document& doc, const std::string& text, std::string_view prefix,
                     const analysis::Analyzer& analyzer) {
    for (const analysis::Token& t : analyzer.analyze(text)) {
        doc.add_boolean_term(std::string(prefix) + t.term);
        if (!t.stem.empty()) doc.add_boolean_term(std::string(prefix) + std::string(schema::kStemPrefix) + t.stem);
    }
}

}  // namespace

bool is_spelling_word(const std::string& term) {
    // Stopwords are never worth suggesting: "Dorbes" must not become "does".
    return term.size() >= 3 && term.size() <= 32 &&
           std::all_of(term.begin(), term.end(), [](char c) { return (c >= 'a' && c <= 'z'); }) &&
           !analysis::is_stopword(term);
}

Xapian::Document make_passage_document(const Passage& passage, const std::string& title,
                                       const analysis::Analyzer& analyzer, WordCounts& words) {
    Xapian::Document doc;
    std::uint64_t duplicate_key = fnv1a64("");
    Xapian::termpos last = 0;
    for (const analysis::Token& t : analyzer.analyze(passage.text)) {
        // Words of a web address are found, but weigh nothing: a footnote's
        // URL repeating its title must not outrank the text it supports.
        const Xapian::termcount wdf = t.in_url ? 0 : 1;
        doc.add_posting(t.term, t.position, wdf);
        if (!t.stem.empty()) doc.add_term(std::string(schema::kStemPrefix) + t.stem, wdf);
        if (t.role == analysis::TokenRole::word) {
            duplicate_key = fnv1a64(t.term, fnv1a64(" ", duplicate_key));
            if (is_spelling_word(t.term)) ++words[t.term];
        }
        last = std::max<Xapian::termpos>(last, t.position);
    }
    if (!passage.hidden_text.empty()) {
        for (const analysis::Token& t : analyzer.analyze(passage.hidden_text, last + kHiddenTextGap)) {
            doc.add_posting(t.term, t.position, 0);  // link targets: found, weigh nothing
            if (!t.stem.empty()) doc.add_term(std::string(schema::kStemPrefix) + t.stem, 0);
        }
    }
    add_field_terms(doc, passage.section, schema::kSectionPrefix, analyzer);
    add_field_terms(doc, title, schema::kTitlePrefix, analyzer);
    doc.add_boolean_term(std::string(schema::kFilePrefix) + schema::file_key(passage.path));
    doc.add_value(schema::kSlotDuplicateKey, as_key(duplicate_key));
    doc.set_data(encode_passage(passage));
    return doc;
}

}  // namespace loci
