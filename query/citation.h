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
};

/// A place in a source file.
struct Citation {
    std::uint32_t line = 0;    ///< 1-based
    std::uint32_t column = 1;  ///< 1-based, in bytes (as ripgrep counts)
};

/// The words of @p text that match the query's positive words, in text order.
std::vector<WordMatch> find_word_matches(const std::string& text, const analysis::Analyzer& analyzer,
                                         const CompiledQuery& query);

/// The source line holding the most (by weight) distinct query words, and
/// the column of its first match; the passage's first line without matches.
Citation best_citation(const Passage& passage, const std::vector<WordMatch>& matches,
                       const std::vector<double>& word_weights);

}  // namespace loci
