/** @file acronym_miner.h
 *  @brief Acronyms that a report defines, as "long form (ACRONYM)":
 *  "international humanitarian law (IHL)", "Red Cross Society of China
 *  (RCSC)", or uses and spells out apart ("R2P" in the text, "Responsibility
 *  to Protect" in a title). The indexer stores them so that a query for
 *  either finds both.
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

/// Acronyms of 3 or more characters that a report uses without defining
/// them in parentheses, and spells out elsewhere in the same report as a
/// run of capitalised words whose initials they are, by stricter rules
/// than above (a letter takes the initial of a word of two or more letters
/// that is not minor; 2 and 4 still take "to" and "for"):
/// "R2P" and "Asia-Pacific Centre for the Responsibility to Protect" give
/// r2p = responsibility to protect. @p texts are the report's passages;
/// acronyms in @p defined are left alone, and so is an acronym that two
/// different runs spell out. @p tokens, when given, hold each text (one
/// vector per text) as @p analyzer analyses it, made already (the indexer
/// makes them once for the passages' documents too); else each text is
/// analysed here.
std::vector<AcronymDefinition> find_spelled_out_acronyms(
    const std::vector<std::string_view>& texts, const std::vector<AcronymDefinition>& defined,
    const analysis::Analyzer& analyzer, const std::vector<std::vector<analysis::Token>>* tokens = nullptr);

}  // namespace loci
