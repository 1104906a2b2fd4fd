/** @file index_writer.h
 *  @brief A batch of source files -> the Xapian database: the only code
 *  that opens a WritableDatabase.
 *
 *  Incremental: a file whose size and mtime are unchanged is not read; one
 *  whose content hash is unchanged is not re-indexed; the passages of files
 *  gone from the walked roots are removed.
 *  Atomic: a file's new passages take over its old ones (their documents
 *  reused, see write_prepared_file) in the same commit; commits happen
 *  every N files or M bytes and at the end, never inside a file but a huge
 *  one, which is committed as it goes and gets its record last (Xapian's
 *  own automatic flush is turned off), so a kill -9 leaves the last
 *  committed state and the next run completes it.
 *  Reading, cleaning, segmenting and analysing run on worker threads; the
 *  Xapian updates run on the calling thread.
 */
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "indexer/corpus_walker.h"
#include "indexer/passage_segmenter.h"
#include "indexer/text_extractor.h"

namespace loci {

struct IndexOptions {
    std::string db_path;                 ///< the database folder
    bool rebuild = false;                ///< start from an empty database
    std::string language;                ///< stemmer; "" = the database's, or english when new
    SegmentOptions segment;
    ExtractOptions extract;
    std::size_t commit_every_files = 1000;         ///< Default: 1000 files
    /// Default: 512 KiB of source text. Xapian holds a batch in memory until
    /// its commit, and its cost per change grows with the batch: on the 100 MB
    /// bench corpus a fresh build took 139-146 s of CPU with 4 MiB batches,
    /// 113-127 s with 1 MiB, 106-114 s with 512 KiB (peak RSS 230, 95, 73 MB).
    std::uint64_t commit_every_bytes = 512ull << 10;
    unsigned threads = 0;                ///< worker threads; 0 = one per core
    /// Store paths relative to this folder (absolute; "" = absolute paths), so
    /// that an index moved to another machine, or served as a remote shard,
    /// still cites files that sit under the same root there.
    std::string root;
    /// Index only shard `shard_index` (1-based) of `shard_count`, by a stable
    /// hash of each file's stored path. Default 1 of 1: everything.
    unsigned shard_index = 1, shard_count = 1;
    /// Only preview(): the index read as it is, if it is there; nothing
    /// created, written or locked.
    bool dry_run = false;
};

struct IndexSummary {
    std::size_t files = 0, added = 0, changed = 0, removed = 0, unchanged = 0, skipped = 0;
    std::size_t passages = 0;        ///< passages written in this run
    std::uint64_t bytes_read = 0;
    std::size_t warnings = 0;
    double seconds = 0;
    /// An update built whole: it brought more new text than the index kept
    /// (passages and bytes_read then count every file).
    bool rebuilt = false;
    /// Built whole: the files it held outside the folders given, read again.
    std::size_t reread_beyond = 0;
};

/// Where the writer reports what a user should see; called on the writer's thread.
struct IndexObserver {
    virtual ~IndexObserver() = default;
    virtual void warning(const std::string& line) = 0;  ///< one line, naming the file
    virtual void progress(std::size_t /*files_done*/, std::size_t /*files_total*/,
                          std::uint64_t /*bytes_done*/, std::uint64_t /*bytes_total*/) {}
};

class IndexWriter {
  public:
    /// Opens or creates the database.
    /// @throws IndexOpenError when it is locked, corrupt or not a loci index.
    /// @throws SchemaVersionError when it was built by another schema version.
    explicit IndexWriter(IndexOptions options);
    ~IndexWriter();

    /// The filter programs in force (filter_extractor.h): those the index
    /// remembers (not on a --rebuild), then IndexOptions' (an empty command
    /// forgets one). Their extensions are walked as well as the built-in ones.
    const FilterMap& filters() const;

    /// Brings the database up to date with @p walk, whose roots were @p roots.
    IndexSummary update(const WalkResult& walk, const std::vector<std::string>& roots, IndexObserver& observer);

    /// What update() would do, reading no file and changing nothing: its
    /// counts (a file whose size, time or reader changed counts as changed,
    /// though update() may find its bytes the same), whether it would be
    /// built whole, and the bytes it would read; in @p listing, when given,
    /// "new PATH", "changed PATH" and "removed PATH" (paths as stored).
    IndexSummary preview(const WalkResult& walk, const std::vector<std::string>& roots,
                         std::vector<std::string>* listing = nullptr);

  private:
    struct Internal;
    std::unique_ptr<Internal> internal_;
};

}  // namespace loci
