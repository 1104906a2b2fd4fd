/** @file match_tree.h
 *  @brief The compiled query as loci's own tree: one structure from which
 *  the Xapian query is made (to_xapian()) and against which one passage's
 *  terms are checked (matches()), by the same rules.
 *
 *  Xapian's Query cannot be read back (a phrase's or NEAR's window, a
 *  wildcard's prefix), and a match can only say which documents match. To
 *  search documents larger than a passage (docs/design-file-documents.md),
 *  loci must then tell which of a document's passages match the query
 *  itself: this tree is what it checks, and tests hold matches() to
 *  Xapian's match on an index of one document per passage.
 */
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"

namespace loci {

struct MatchNode {
    enum class Op : std::uint8_t {
        nothing,    ///< matches nothing (a query word of punctuation only)
        all,        ///< every passage (Xapian's MatchAll)
        term,       ///< passages holding term
        wildcard,   ///< passages holding a word that starts with term
        or_,        ///< any child
        and_,       ///< every child
        and_maybe,  ///< the first child; the second only weighs
        and_not,    ///< the first child and not the second
        filter,     ///< both children; the second does not weigh
        phrase,     ///< the children in order, spanning fewer than window positions
        near,       ///< the children in any order, at distinct positions spanning fewer than window
        scale,      ///< the child, its weight times factor
    };
    Op op = Op::nothing;
    std::string term;  ///< term, wildcard: the term or the prefix
    std::vector<MatchNode> children;
    unsigned window = 0;  ///< phrase, near: at least the number of children (the compiler's are)
    double factor = 1;    ///< scale

    static MatchNode leaf(std::string term);
    static MatchNode prefix(std::string prefix);
    static MatchNode every();
    static MatchNode of(Op op, std::vector<MatchNode> children, unsigned window = 0);
    static MatchNode of(Op op, MatchNode first, MatchNode second);
    static MatchNode scaled(MatchNode child, double factor);
    /// Terms in order as a phrase of window @p terms.size(), as Xapian's PHRASE.
    static MatchNode phrase_of(const std::vector<std::string>& terms);

    bool empty() const { return op == Op::nothing; }
};

/// The most words a wildcard expands to, its most frequent ones (Xapian's
/// WILDCARD_LIMIT_MOST_FREQUENT).
inline constexpr Xapian::termcount kMaxWildcardExpansion = 200;

/// The Xapian query of @p node, built by the same calls the compiler made
/// before the tree existed (tests compare their descriptions).
Xapian::Query to_xapian(const MatchNode& node);

/// One passage's terms as the index holds them: each term with its word
/// positions (none for stems, section words and file terms).
using PassageTerms = std::map<std::string, std::vector<std::uint32_t>>;

/// The terms @p passage is indexed under, made by the indexer's own code
/// (add_passage_terms()); @p passage.path must be its file's stored path.
PassageTerms terms_of(const Passage& passage, const analysis::Analyzer& analyzer, bool first_of_file);

/// For a phrase or NEAR @p node: the positions of each of its children
/// that take part in an occurrence of it among @p terms, sorted (all empty
/// where it does not stand; for any other node, empty). What a phrase's or
/// NEAR's words are highlighted at, and what matches() asks of them.
std::vector<std::vector<std::uint32_t>> taking_part(const MatchNode& node, const PassageTerms& terms);

/// Whether a passage of @p terms matches @p node, as Xapian would match a
/// document holding those terms. One difference: a wildcard matches any
/// word with its prefix, where Xapian takes only the most frequent
/// kMaxWildcardExpansion of the index.
bool matches(const MatchNode& node, const PassageTerms& terms);

}  // namespace loci
