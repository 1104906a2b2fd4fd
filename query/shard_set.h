/** @file shard_set.h
 *  @brief The databases one query reads, searched as one: local folders,
 *  and Xapian stub files whose lines name local or remote shards
 *  (served by xapian-tcpsrv). Xapian merges the statistics, so the
 *  ranking is the one a single index over everything would give.
 *
 *  Stub files: see indexer/analysis/stub_file.h.
 *  Metadata (file records, acronyms) is looked up shard by shard: a
 *  combined Xapian database answers get_metadata from its first shard only.
 *  Xapian 1.4 answers a remote shard's requests one at a time, so with
 *  remote shards every shard is asked on a thread of its own (opening
 *  and its header, metadata): the slowest shard's round trips, not their sum. The
 *  matching files' passage signatures come with their documents (data_of());
 *  the records of the passages analysed, by metadata_of().
 */
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/index_schema.h"

namespace loci {

struct ShardOptions {
    bool allow_partial = false;       ///< skip unreachable shards (with a warning) instead of failing
    unsigned remote_timeout_ms = 10000;  ///< per operation on a remote shard
    unsigned connect_timeout_ms = 3000;
};

/// How long a reader keeps trying a database that a writer is changing
/// under it. Xapian lets a reader see a revision until the writer's second
/// commit after it; a reader that falls behind gets an error and must open
/// the newest. Budgeted by time, not tries: a slow writer (a loaded disk, a
/// sanitizer build) can take longer between commits than a fixed number of
/// short waits covers, and a reader that gives up early fails a query that
/// a moment later would have been answered.
class RetryBudget {
  public:
    explicit RetryBudget(std::chrono::milliseconds total = std::chrono::seconds(3)) : total_(total) {}

    /// Waits a little longer each time (20, 40, ... ms, at most 200) and says
    /// whether another try is allowed; false once the budget is spent.
    bool wait_before_retry();

  private:
    using Clock = std::chrono::steady_clock;
    std::chrono::milliseconds total_;
    Clock::time_point start_ = Clock::now();
    int waits_ = 0;
};

/// A local index's folder, held open while its database is. Xapian opens
/// a folder's files one by one by path (and reopen() its version file),
/// while a rebuild swaps a new folder in under the same path (renameat2,
/// replace_database()): an open that straddled the swap read one index's
/// documents with the other's records, "records and signatures disagree"
/// (e2e_faults; about one query in 4,000 while rebuilds and updates
/// alternated). Opened through the folder held (/proc/self/fd/N), every
/// file a database reads is of one folder. A folder swapped away fails to
/// reopen, and is opened again by its path.
class PinnedFolder {
  public:
    explicit PinnedFolder(const std::string& path);
    ~PinnedFolder();
    PinnedFolder(const PinnedFolder&) = delete;
    PinnedFolder& operator=(const PinnedFolder&) = delete;
    /// The path to open the database by: through the folder held, or the
    /// path itself when that cannot be (not a folder; no /proc).
    const std::string& path() const { return path_; }
    /// Whether another folder (or none) is at the path now: a rebuild
    /// swapped it away.
    bool swapped() const;
    /// @p message (Xapian's, naming files) with the path given, not path().
    std::string named(std::string message) const;

  private:
    int fd_ = -1;
    std::string given_;  ///< the path as given
    std::string path_;
};

class ShardSet {
  public:
    /// Opens every database named by @p db_args (folders or stub files).
    /// @throws IndexOpenError naming the database or shard; SchemaVersionError.
    ShardSet(const std::vector<std::string>& db_args, const ShardOptions& options);

    /// One database, already open (tests).
    explicit ShardSet(const Xapian::Database& single);

    const Xapian::Database& db() const { return combined_; }

    /// The shards' header, read as they were opened: each field from the
    /// first shard that has it (but acronym_keys, which is each shard's own
    /// and used by metadata()).
    const schema::IndexHeader& header() const { return header_; }

    /// The databases as they were named (comma-separated), for messages.
    std::string name() const;

    /// The first non-empty value of @p key among the shards, "" if none.
    std::string metadata(const std::string& key) const;

    /// metadata() of each of @p keys, read in one go: each remote shard is
    /// asked for all of them on its own thread, so a query's keys cost the
    /// slowest shard's round trips once, not a batch of threads per key.
    /// A shard is not asked for the acronym keys its header rules out.
    std::vector<std::string> metadata(const std::vector<std::string>& keys) const;

    /// The value of each (document id, key), like metadata(), but asking the
    /// shard holding the document first: a file's record lives on the shard
    /// of its passages, and each remote shard asked costs a round trip.
    /// Remote shards are asked at once.
    std::vector<std::string> metadata_of(const std::vector<std::pair<Xapian::docid, std::string>>& wanted) const;

    /// The data of each of @p docs (ids of the whole set), each shard asked
    /// for its own: MSet::fetch() does not ask a remote shard ahead in
    /// Xapian 1.4, and 20 documents one round trip after another took
    /// 4 ms over four loopback shards.
    std::vector<std::string> data_of(const std::vector<Xapian::docid>& docs) const;

    /// Each shard's own value of @p key, by shard_of()'s numbers (remote
    /// shards asked at once): what holds for one shard only, as the
    /// dictionary its records are packed with.
    std::vector<std::string> metadata_of_each(const std::string& key) const;

    /// The shard holding document @p id of the whole set.
    std::size_t shard_of(Xapian::docid id) const;
    /// Document @p id of the whole set, by its own shard's numbers.
    Xapian::docid id_in_shard(Xapian::docid id) const;

    /// @p term's collection frequency over all the shards, asked of the
    /// remote ones at once.
    Xapian::termcount collection_freq(const std::string& term) const;

    struct TermStats {
        std::vector<Xapian::termcount> collection_freqs;  ///< each term's, over all the shards
        std::vector<std::vector<bool>> holding;           ///< [term][doc]: whether the document holds the term
    };
    /// For each of @p terms, its collection frequency and which of @p docs
    /// (ids of the whole set) hold it; @p doc_terms names each document by
    /// a term it holds and few others do (its file's id): a remote shard
    /// is asked by a match of each term among those (a few round trips a
    /// term), not for the term's whole posting list. The remote shards at once.
    TermStats term_stats(const std::vector<std::string>& terms, const std::vector<Xapian::docid>& docs,
                         const std::vector<std::string>& doc_terms) const;

    /// Shards skipped by allow_partial, one line each.
    const std::vector<std::string>& warnings() const { return warnings_; }

    /// Opens everything again (after a database was replaced under us).
    void reopen();

    /// @p message (Xapian's, naming files) with each local folder's path as
    /// given, not the path it was opened by (PinnedFolder::path()).
    std::string named(std::string message) const;

  private:
    void open();
    /// open(), again a little later while a rebuild is caught mid-swap.
    void open_retrying();
    void add_shard(const Xapian::Database& shard, const schema::IndexHeader& header, bool remote);
    /// work(i) for every shard i; on threads when @p in_parallel.
    void for_each_shard(bool in_parallel, const std::function<void(std::size_t)>& work) const;
    std::vector<std::string> args_;
    ShardOptions options_;
    /// The local shards' folders: declared before the databases, which
    /// must close first.
    std::vector<std::shared_ptr<PinnedFolder>> folders_;
    Xapian::Database combined_;
    std::vector<Xapian::Database> shards_;
    std::vector<schema::IndexHeader> headers_;  ///< each shard's, as shards_
    std::size_t remote_ = 0;  ///< how many of the shards are remote
    std::vector<bool> is_remote_;  ///< each shard's, as shards_
    schema::IndexHeader header_;
    std::vector<std::string> warnings_;
};

}  // namespace loci
