/** @file citation.h
 *  @brief Where, inside a passage, the query matched: the words to
 *  highlight and the line and column to cite.
 *
 *  Matching re-analyses the passage's stored text with the same Analyzer
 *  that indexed it, so highlights and citations agree with the index
 *  (accent-folded, stemmed and compound matches included).
 */
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"
#include "query/query_compiler.h"

namespace loci {

/// One matched word in a passage's text.
struct WordMatch {
    std::size_t word = 0;           ///< index in CompiledQuery::words
    std::uint32_t text_offset = 0;  ///< byte offset in Passage::text
    std::uint32_t length = 0;       ///< bytes
    std::uint32_t position = 0;     ///< word position in the passage
    bool sequence = false;          ///< matched as the word's long form (several words)
    /// How surely it is the word: 1, kSynonymWeight for an acronym's long
    /// form, kRelatedWeight for a word of like meaning.
    double strength = 1;
};

/// A place in a source file.
struct Citation {
    std::uint32_t line = 0;    ///< 1-based
    std::uint32_t column = 1;  ///< 1-based, in bytes (as ripgrep counts)
};

/// The words of @p text that match the query's positive words, in text order;
/// the words of a phrase or a NEAR (CompiledQuery::groups) only where they
/// stand together, as Xapian's match found them.
/// With @p answers, also the word positions of the words that are of the
/// kind the query asks for (CompiledQuery::answer; see is_answer()).
std::vector<WordMatch> find_word_matches(const std::string& text, const analysis::Analyzer& analyzer,
                                         const CompiledQuery& query, std::vector<std::uint32_t>* answers = nullptr);

/// The same, from @p tokens: the text analysed already
/// (Analyzer::analyze_for_matching()) for at least words_wanted(@p query),
/// as the passage finder does to check a candidate.
std::vector<WordMatch> find_word_matches(const std::vector<analysis::Token>& tokens, const CompiledQuery& query,
                                         std::vector<std::uint32_t>* answers = nullptr);

/// What find_word_matches() compares a passage's words with, for
/// Analyzer::analyze_for_matching(): the query's words, stems and words of
/// like meaning, and the words is_answer() looks for (digits, months, ...).
analysis::WantedTerms words_wanted(const CompiledQuery& query);

/// Whether @p t is of the kind a question asks for: a year (1000-2099, or a
/// decade such as 1930s), a month or a weekday for a time; a number, in
/// digits or an English number word, for a quantity.
bool is_answer(const analysis::Token& t, AnswerKind kind);

/// The source line holding the most (by weight) distinct query words, and
/// the column of its first match; the passage's first line without matches.
Citation best_citation(const Passage& passage, const std::vector<WordMatch>& matches,
                       const std::vector<double>& word_weights);

}  // namespace loci
