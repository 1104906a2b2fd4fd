/** @file term_signature.h
 *  @brief A passage's terms as a few bytes (a Bloom filter): what the query
 *  side reads to tell which passages of a matching file may match, without
 *  analysing them (docs/design-file-documents.md).
 *
 *  "No" is certain, "maybe" is wrong for about 1 term in 18 (6 bits a
 *  term, 4 probes): a passage a signature admits is checked on its own
 *  terms (match_tree's matches()) before it is shown.
 *
 *  What a signature holds (signature_terms()): the passage's counted terms
 *  (words, stems, link targets' words), but not a word whose stem term
 *  (kStemPrefix + Analyzer::stem_term()) it holds: a reader asks for such
 *  a word as "the word or its stem term". Not its filters (section words,
 *  the file's path and id): a reader asks its file for those.
 */
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/analysis/analyzer.h"

namespace loci {

/// The terms of @p counted (a passage's counted terms, repeats allowed)
/// that its signature is made of: all but the words whose stem term is
/// among them (see above): about half a passage's terms.
std::vector<std::string> signature_terms(const std::vector<std::string>& counted, const analysis::Analyzer& analyzer);

/// The signature of @p terms (distinct or not: repeats set the same bits).
/// Its size grows with their number, a multiple of 8 bytes, 8 at least.
std::string term_signature(const std::vector<std::string>& terms);

/// A term as term_signature() hashes it, made once to ask many signatures.
struct TermProbe {
    explicit TermProbe(std::string_view term);
    std::uint64_t hash;
};

/// False only when the probe's term is surely not among the terms
/// @p signature was made of.
bool may_hold(std::string_view signature, const TermProbe& probe);
inline bool may_hold(std::string_view signature, std::string_view term) { return may_hold(signature, TermProbe(term)); }

}  // namespace loci
