/** @file acronym_miner.h
 *  @brief Acronyms that a report defines, as "long form (ACRONYM)":
 *  "international humanitarian law (IHL)", "Red Cross Society of China
 *  (RCSC)". The indexer stores them so that a query for either finds both.
 *  Thread-safety: pure apart from the caller's Analyzer.
 */
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "indexer/analysis/analyzer.h"

namespace loci {

struct AcronymDefinition {
    std::string acronym;                 ///< exact term ("ihl")
    std::vector<std::string> expansion;  ///< exact terms of the long form, in order
};

/// Definitions in @p text: an acronym of 2 to 10 letters or digits in
/// parentheses, whose letters are the initials of the words before it
/// (small words such as "of" and "the" may be skipped; 2 may stand for
/// "to" and 4 for "for", as in R2P).
std::vector<AcronymDefinition> find_acronym_definitions(std::string_view text, const analysis::Analyzer& analyzer);

}  // namespace loci
