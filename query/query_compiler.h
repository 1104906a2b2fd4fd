/** @file query_compiler.h
 *  @brief The user's query string -> a MatchNode tree -> a Xapian::Query,
 *  every word through the indexer's Analyzer (the same code path as
 *  indexing).
 *
 *  Language: free words (ranked; stopwords and question words never
 *  demand a match), "exact phrase", AND, OR, NOT, -word, +word, prefix*,
 *  a NEAR b (within 10 words; NEAR/N for N), parentheses, and the filters
 *  file:GLOB, section:word, title:word. Acronyms mined at index time match
 *  their long form and back; with a thesaurus, free words match words of
 *  like meaning, weighted lower.
 *  Malformed input gets a sensible reading (an unclosed quote or
 *  parenthesis ends at the end of the query) or a QuerySyntaxError whose
 *  message names the position.
 */
#pragma once
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "query/match_tree.h"

namespace loci {

class Thesaurus;

/// An acronym and its long form match each other a little below the word
/// itself.
inline constexpr double kSynonymWeight = 0.9;
/// Words of like meaning are weaker evidence than an acronym's long form:
/// "established" answers "founded", but a passage that says "founded" is surer.
inline constexpr double kRelatedWeight = 0.5;

/// One word of the query as the ranker and the highlighter see it: the
/// terms that count as a match for it.
struct QueryWord {
    std::set<std::string> exact;  ///< exact terms (incl. compounds, and acronyms of a long form)
    std::vector<std::vector<std::string>> sequences;  ///< exact terms in a row: an acronym's long form
    std::set<std::string> stems;  ///< stems, without prefix
    /// Stems (or words without one) of like meaning (Thesaurus): they match,
    /// weighted below the word itself.
    std::set<std::string> related;
    std::string prefix;           ///< for prefix* words: matches exact terms starting with it
    bool stopword = false;
    std::string source;           ///< the word as typed (for did-you-mean)
};

/// What a question asks for, read from its first words: the passage that
/// answers "when ..." names a time near the words asked about, the one that
/// answers "how many ..." a number.
enum class AnswerKind : std::uint8_t { any, time, quantity };

/// Query words that match only where they stand together, as Xapian
/// matches them: a quoted phrase's words in a row and in order, or the two
/// words of a NEAR within its window, in either order (taking_part()).
struct WordGroup {
    std::size_t first = 0;  ///< its first word's index in CompiledQuery::words
    MatchNode node;         ///< the phrase or NEAR in the tree: its words, words[first...], one per child
};

struct CompiledQuery {
    MatchNode tree;                  ///< what a passage must hold (matches())
    Xapian::Query query;             ///< the tree as Xapian matches and weighs it
    std::vector<QueryWord> words;    ///< positive words, in query order
    std::vector<WordGroup> groups;   ///< positive phrases and NEARs of two words or more
    bool matches_all = false;        ///< only exclusions or filters: everything else matches
    AnswerKind answer = AnswerKind::any;  ///< what the question asks for
};

class QueryCompiler {
  public:
    /// Reads metadata (acronyms, file records): the value of each key, "" for
    /// none. A query's keys are asked for together (see compile()).
    using MetadataLookup = std::function<std::vector<std::string>(const std::vector<std::string>& keys)>;

    /// @p db is read for file names (file:) and prefix expansion; @p metadata
    /// for acronyms and titles (default: db.get_metadata, which on several
    /// combined databases reads only the first).
    QueryCompiler(const analysis::Analyzer& analyzer, const Xapian::Database& db, MetadataLookup metadata = {});

    /// Free words also match words of like meaning from @p thesaurus
    /// (nullptr: none, the default), weighted below the words typed.
    void use_thesaurus(const Thesaurus* thesaurus) { thesaurus_ = thesaurus; }

    /// The query's metadata is read in one batch: a dry run of the parser
    /// lists the keys it reads (a remote shard answers one key per round
    /// trip, and a query of three words reads six), then the parse proper
    /// finds them read.
    /// @throws QuerySyntaxError naming the position (1-based, in characters).
    CompiledQuery compile(std::string_view query) const;

  private:
    const analysis::Analyzer& analyzer_;
    const Xapian::Database& db_;
    MetadataLookup metadata_;
    const Thesaurus* thesaurus_ = nullptr;
};

}  // namespace loci
