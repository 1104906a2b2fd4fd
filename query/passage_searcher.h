/** @file passage_searcher.h
 *  @brief Databases + a query -> ranked passages with citations.
 *
 *  Ranking: BM25 over passages picks candidates (PassageFinder: Xapian
 *  picks the files, their passages are found and weighed); they are then
 *  re-ranked by what helps a reader: covering more of the query's words
 *  (weighted by rarity) beats repeating one, words close together beat
 *  words far apart, and words of the section heading or title count a
 *  little; a passage defining an acronym asked about, or holding what a
 *  question asks for (a date for "when", a number for "how many") next to
 *  its words, counts more; a footnote goes just below a passage that cites
 *  it and holds as much of the query. Near-verbatim repeats are collapsed.
 *  Several databases are searched as one (statistics merged by Xapian).
 */
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "indexer/analysis/passage_record.h"
#include "query/citation.h"
#include "query/shard_set.h"

namespace loci {

struct Hit {
    Passage passage;
    std::string title;
    std::size_t rank = 0;     ///< 1-based, over the whole ranking (offset included)
    double score = 0;         ///< final score, higher is better
    Citation citation;        ///< where the best match is
    std::uint32_t page = 0;   ///< PDF: 1-based page of the citation, 0 for other formats
    std::uint32_t page_line = 0;  ///< PDF: the citation's line within that page
    std::uint8_t format = 0;  ///< the source's SourceFormat
    bool available = true;    ///< the cited file is on this machine (see SearchRequest::root)
    bool changed = false;     ///< it is, but changed since it was indexed: its lines may have moved
    std::vector<WordMatch> matches;
    /// Only where no word of the text matches: the query's words in the
    /// passage's link targets (Passage::hidden_text, offsets into it), so
    /// that a passage found through a link's address says why.
    std::vector<WordMatch> link_matches;
    std::string explanation;  ///< filled with SearchRequest::explain
};

struct SearchRequest {
    std::string query;
    std::size_t limit = 10;   ///< Default: 10
    std::size_t offset = 0;
    bool explain = false;
    bool suggest = true;      ///< look for a did-you-mean suggestion
    bool collapse = true;     ///< show one of passages with the same words
    bool related = true;      ///< free words also match words of like meaning (Thesaurus)
    /// One hit per file, its best passage by BM25, for every file with a
    /// matching passage; limit and offset count files (loci -l).
    bool per_file = false;
    /// With per_file: only the files are wanted, not their passages (loci -l
    /// prints paths). Where Xapian's match over files decides (a query of
    /// words, any of which matches: any_word_decides()), a hit then names
    /// its file and holds no passage: -l on a common word of the 100 MB
    /// bench (2,477 files) took 0.49 s when it read a passage of each,
    /// 40-50 ms without.
    bool files_only = false;
    /// Where paths stored relative (loci-index --root) are found: "" = the
    /// index's own root if it exists here, else the current folder.
    std::string root;
};

struct SearchResult {
    std::vector<Hit> hits;
    std::string suggestion;       ///< did-you-mean query, "" if none
    bool searched_suggestion = false;  ///< hits answer the suggestion (a query word is in no passage)
};

class PassageSearcher {
  public:
    /// Opens the databases (folders or stub files; several are searched as one).
    /// @throws IndexOpenError naming the path or shard, SchemaVersionError.
    explicit PassageSearcher(const std::vector<std::string>& db_paths, const ShardOptions& options = {});

    /// Shards skipped with ShardOptions::allow_partial, one line each.
    const std::vector<std::string>& warnings() const;
    ~PassageSearcher();

    /// @throws QuerySyntaxError naming the position.
    SearchResult search(const SearchRequest& request);

  private:
    struct Internal;
    std::unique_ptr<Internal> internal_;
};

}  // namespace loci
