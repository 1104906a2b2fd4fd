/** @file passage_finder.h
 *  @brief Matching files -> their matching passages, each weighed by BM25
 *  (docs/design-file-documents.md).
 *
 *  An index document is a file (index_schema.h). Xapian picks the files
 *  that match best; each file's passage signatures then admit the passages
 *  that may match, which are ordered by what the signatures tell (the
 *  query's words they may hold, weighted by rarity, and the passage's
 *  size); the first of them are analysed, by the indexer's code
 *  (terms_of()), checked against the whole query (matches(): phrases,
 *  NEAR, exclusions) and weighed by BM25 over passages, with the passage
 *  statistics the index keeps (the number of passages holding a term is
 *  its collection frequency).
 */
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"
#include "query/query_compiler.h"
#include "query/shard_set.h"

namespace loci {

/// BM25's k1 for passages (short, similar lengths): see scripts/eval. Its
/// length normalisation (b) is schema::kLengthB against a fixed pivot.
inline constexpr double kBm25K1 = 1.2;

/// One passage that matches the query.
struct FoundPassage {
    Xapian::docid doc = 0;  ///< its file's document (the shard that holds the file's record)
    std::string file_id;    ///< schema::file_id()
    Passage passage;        ///< its record; path not known yet
    double bm25 = 0;
    std::string sort_key;   ///< its place (schema::document_place()): what ties sort by
    std::uint64_t repeat_key = 0;  ///< equal for near-verbatim repeats
    /// Its text's analysis, as its check made it, for at least the words
    /// the highlighting looks for (words_wanted()): the searcher's
    /// find_word_matches() takes it rather than analysing the text again.
    std::vector<analysis::Token> tokens;
};

class PassageFinder {
  public:
    /// Every request beyond the match goes through @p shards, in batches
    /// asked of all the shards at once.
    PassageFinder(const ShardSet& shards, const analysis::Analyzer& analyzer)
        : shards_(shards), db_(shards.db()), analyzer_(analyzer) {}

    /// Forgets the statistics read: the index changed.
    void reset() {
        passage_freqs_.clear();
        file_freqs_.clear();
        passages_ = 0;
        dictionaries_.clear();  // a rebuilt database has a dictionary of its own
    }

    /// Files holding @p term, when a match of this search told (Xapian's
    /// match reports its query's terms' frequencies with no request).
    std::optional<Xapian::doccount> file_freq(const std::string& term) const;

    /// Passages holding @p term (with weight), of all the index's.
    Xapian::termcount passage_freq(const std::string& term);
    double passages();
    /// Rarity of each of @p q's words among passages: the largest IDF
    /// among its terms (after a search of @p q, with no request).
    std::vector<double> word_weights(const CompiledQuery& q);

    /// The best passages for @p q, candidates for a page ending at the
    /// @p shown th result (kMinCandidates, or 3x as many as shown when
    /// more), in no order; of near-verbatim repeats (the same letters and
    /// digits) only the first found when @p collapse.
    std::vector<FoundPassage> best(const CompiledQuery& q, std::size_t shown, bool collapse);

    /// The best passage of each matching file, files in the order the match
    /// ranks them (BM25 over files; ties by file id), the first @p offset +
    /// @p limit of them. Without @p passages only the files are wanted:
    /// where the match over files decides (any_word_decides()), they come
    /// with no passage read (FoundPassage::passage empty).
    std::vector<FoundPassage> best_of_each_file(const CompiledQuery& q, std::size_t offset, std::size_t limit,
                                                bool passages);

  private:
    struct AskedTerms;
    struct File;
    struct Admitted;
    /// Xapian's match over files: the best @p count.
    Xapian::MSet match_files(const CompiledQuery& q, Xapian::doccount count);
    /// The files of match_files(), their signatures read.
    std::vector<File> matching_files(const CompiledQuery& q, Xapian::doccount count);
    /// The first @p count files of match_files(), each once, no passage read.
    std::vector<FoundPassage> files_of_match(const CompiledQuery& q, std::size_t count);
    /// Reads which of the asked terms each of @p files holds, and their
    /// passage frequencies, in one batch.
    void read_term_stats(const AskedTerms& asked, std::vector<File>& files);
    /// False for a term the match said no file holds.
    bool may_exist(const std::string& term) const;
    std::vector<Admitted> admitted(const CompiledQuery& q, const AskedTerms& asked, std::vector<File>& files,
                                   const std::vector<double>& word_weights);
    std::vector<FoundPassage> best_in(const CompiledQuery& q, const AskedTerms& asked, std::vector<File>& files,
                                      std::size_t wanted, bool collapse, const std::vector<double>& word_weights,
                                      bool& bounded);
    FoundPassage read_passage(File& file, std::size_t index);
    bool analyse(const CompiledQuery& q, const AskedTerms& asked, const File& file, std::size_t index,
                 FoundPassage& out);
    double term_weight(const std::string& term, const PassageCounts& counts);

    /// Moves behind the others each candidate of @p order whose signature
    /// (its terms' bits and its length) an earlier one has: most likely a
    /// repeat of it, which would be read only to be passed over (a folder
    /// that holds a report twice gives every passage twice). Not left out:
    /// same words in another order are no repeat, and come when needed.
    /// Of the order only the first @p visited candidates are ever visited.
    static void put_probable_repeats_last(std::vector<Admitted>& order, const std::vector<File>& files,
                                          std::size_t visited);
    static std::vector<File*> next_files(const std::vector<Admitted>& order, std::size_t from, std::vector<File>& files,
                                         std::size_t count);
    void read_records(std::vector<File*> files);
    /// The dictionary the records of document @p doc's shard are packed with.
    const RecordsDictionary& dictionary_of(Xapian::docid doc);

    const ShardSet& shards_;
    const Xapian::Database& db_;
    const analysis::Analyzer& analyzer_;
    std::map<std::string, Xapian::termcount> passage_freqs_;
    std::map<std::string, Xapian::doccount> file_freqs_;
    double passages_ = 0;  ///< of the index, once read
    std::vector<RecordsDictionary> dictionaries_;  ///< each shard's, once read
};

}  // namespace loci
