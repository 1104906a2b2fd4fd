/** @file match_tree.h
 *  @brief The compiled query as loci's own tree: one structure from which
 *  the Xapian query is made (to_xapian()) and against which one passage's
 *  terms are checked (matches()), by the same rules.
 *
 *  Xapian's Query cannot be read back (a phrase's or NEAR's window, a
 *  wildcard's prefix), and a match can only say which documents match. An
 *  index document is a file (docs/design-file-documents.md), so loci
 *  tells which of a file's passages match the query itself: this tree is
 *  what it checks, and tests hold matches() to Xapian's match over a
 *  database of one document per passage made from the corpus's records.
 */
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string_view>
#include <map>
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/analysis/passage_terms.h"

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

/// A passage's plain counts, for its BM25 (index_schema.h, "A passage's
/// weight"): each counted term's occurrences that weigh (a web address's
/// words weigh nothing), and their sum, the passage's length.
struct PassageCounts {
    std::map<std::string, unsigned> tf;
    unsigned length = 0;
};

/// The terms @p passage is indexed under, made by the indexer's own code
/// (add_passage_terms()) from @p text_tokens, its text as @p analyzer
/// analyses it, and from its file's terms @p file; its counts go to
/// @p counts when given. With @p wanted, the terms of the words it wants
/// (@p text_tokens from Analyzer::analyze_for_matching()).
PassageTerms terms_of(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                      const analysis::Analyzer& analyzer, const FileTerms& file, PassageCounts* counts = nullptr,
                      const analysis::WantedTerms* wanted = nullptr);

/// The query Xapian runs over documents of many passages: @p node without
/// its exclusions (the second side of every AND_NOT). A file must match
/// when one of its passages does, and every operator but AND_NOT is
/// monotone: a file whose other passage says an excluded word still holds
/// passages that match. Exclusions are checked per passage (matches()).
MatchNode without_exclusions(const MatchNode& node);

/// Whether a passage may match @p node when @p may_hold(leaf) says whether
/// it may hold a term leaf's term (false: surely not; a term signature's
/// answer, see term_signature.h): false only when it surely does not.
/// Positions are not known: a phrase or NEAR may match when all its words
/// may be there; nor are a wildcard's words: it may match. A template: it
/// runs for every passage of every file a query considers.
template <typename MayHold>
bool may_match(const MatchNode& node, const MayHold& may_hold) {
    auto child = [&](const MatchNode& c) { return may_match(c, may_hold); };
    const std::vector<MatchNode>& c = node.children;
    switch (node.op) {
        case MatchNode::Op::nothing: return false;
        case MatchNode::Op::all: return true;
        case MatchNode::Op::term: return may_hold(node);
        case MatchNode::Op::wildcard: return true;
        case MatchNode::Op::or_: return std::any_of(c.begin(), c.end(), child);
        case MatchNode::Op::and_:
        case MatchNode::Op::filter:
        case MatchNode::Op::phrase:
        case MatchNode::Op::near: return std::all_of(c.begin(), c.end(), child);
        case MatchNode::Op::and_maybe:
        case MatchNode::Op::scale:
        case MatchNode::Op::and_not: return child(c.front());  // a "maybe" cannot exclude
    }
    return true;
}

/// True when a passage matches @p node as soon as it holds one of its
/// words or stems (an OR of words, scaled or weighed by more words): those
/// terms come to a file's document from its passages alone
/// (passage_terms.h), so every file that Xapian's match over files finds
/// for @p node holds a passage that matches it. False for anything that
/// asks more of one passage (AND, a phrase, NEAR, NOT, a filter).
bool any_word_decides(const MatchNode& node);

/// Every term of @p node's leaves (not wildcards' prefixes), each once.
std::vector<std::string> leaf_terms(const MatchNode& node);

/// What the passage of @p terms weighs for @p node, as Xapian weighs a
/// document that matches a query: the sum of @p term_weight over the terms
/// the match counts (every matching child of an OR, both sides of an
/// AND_MAYBE when the second matches, the first side only of an AND_NOT or
/// a filter, each word of a phrase or NEAR), scaled by OP_SCALE_WEIGHT's
/// factors. 0 for a passage that does not match.
double weigh(const MatchNode& node, const PassageTerms& terms,
             const std::function<double(const std::string& term)>& term_weight);

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
