/** @file spelling_suggester.h
 *  @brief Did-you-mean from the index's own vocabulary: the indexed word
 *  closest to an unknown query word (edit distance at most 2, at most 1
 *  for words of up to 5 letters; the more frequent on a tie). Reads only
 *  the term list, so it needs no spelling table: indexing stays cheaper,
 *  and it works on remote shards, which serve no spelling data.
 */
#pragma once
#include <string>
#include <xapian.h>

namespace loci {

struct Suggestion {
    std::string word;           ///< "" when nothing is close enough
    std::size_t distance = 0;   ///< edit distance from the word asked about (1 or 2)
};

/// The suggestion for the exact term @p word. Scans the words that share its first letter.
Suggestion suggest_word(const Xapian::Database& db, const std::string& word);

/// Damerau-Levenshtein distance (adjacent swaps count 1), capped at @p limit + 1.
std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t limit);

}  // namespace loci
