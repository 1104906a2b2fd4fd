// A passage's terms; see passage_terms.h and index_schema.h.
#include "indexer/analysis/passage_terms.h"

#include <algorithm>

#include "indexer/analysis/index_schema.h"

namespace loci {
namespace {

/// Gap between the shown text and hidden link targets, so that no phrase spans them.
constexpr Xapian::termpos kHiddenTextGap = 100;

/// The terms of one token. Only words carry positions (phrases are made of
/// words); a stem is stored only where it differs from the word, since the
/// query side also looks the stem up as an exact word.
void add_token(const analysis::Token& t, Xapian::termcount wdf, TermSink& sink) {
    if (t.role == analysis::TokenRole::word) sink.position(t.term, t.position);
    sink.count(t.term, wdf);
    if (!t.stem.empty() && t.stem != t.term) sink.count(std::string(schema::kStemPrefix) + t.stem, wdf);
}

}  // namespace

FileTerms FileTerms::of_path(std::string_view path, bool first_of_file) {
    const std::string key = schema::file_key(path);
    FileTerms terms = of_id(schema::file_id(key));
    if (first_of_file) terms.path = std::string(schema::kFilePrefix) + key;
    return terms;
}

FileTerms FileTerms::of_id(std::string_view file_id) { return FileTerms{schema::file_id_term(file_id), ""}; }

void add_passage_terms(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                       const analysis::Analyzer& analyzer, const FileTerms& file, TermSink& sink,
                       const analysis::WantedTerms* wanted) {
    Xapian::termpos last = 0;
    for (const analysis::Token& t : text_tokens) {
        // Words of a web address are found, but weigh nothing: a footnote's
        // URL repeating its title must not outrank the text it supports.
        add_token(t, t.in_url ? 0 : 1, sink);
        last = std::max<Xapian::termpos>(last, t.position);
    }
    // Link targets: found, weigh nothing.
    for (const analysis::Token& t : analyzer.analyze(passage.hidden_text, last + kHiddenTextGap, wanted)) add_token(t, 0, sink);
    for (const analysis::Token& t : analyzer.analyze(passage.section, 1, wanted))
        if (t.role == analysis::TokenRole::word) sink.filter(schema::field_term(schema::kSectionPrefix, t));
    sink.file_id(file.id);
    if (!file.path.empty()) sink.filter(file.path);
}

}  // namespace loci
