/** @file fresh_build.h
 *  @brief A whole database built at once (a new index, or --rebuild) with
 *  every core: first a sample of the files trains the dictionary their
 *  passage records are packed with (RecordsDictionary); then each thread
 *  reads, analyses and writes its own shard, and the shards are merged by
 *  Xapian's compactor, which also packs the B-trees full. The result
 *  replaces the database in one step at the end, so an
 *  interrupted build leaves the previous index (or none) as it was.
 */
#pragma once
#include <string>
#include <vector>

#include "indexer/corpus_walker.h"
#include "indexer/index_writer.h"

namespace loci {

struct FreshBuildResult {
    std::size_t added = 0, skipped = 0, passages = 0, warnings = 0;
    std::uint64_t bytes_read = 0;
};

/// Builds a database of @p files in a folder beside @p db_path and returns
/// its path; the caller swaps it in with replace_database().
/// @throws loci::Error or Xapian::Error; the partial build is removed.
FreshBuildResult build_fresh_database(const std::vector<SourceFile>& files, const std::string& output,
                                      const IndexOptions& options, const std::string& language, unsigned threads,
                                      IndexObserver& observer);

/// Puts the database at @p built in place of @p db_path by one atomic
/// exchange (two renames only on a file system that cannot exchange), so
/// that readers always find a whole database there.
void replace_database(const std::string& built, const std::string& db_path);

/// A fresh folder for building beside @p db_path; stale ones of killed
/// builds are removed.
std::string make_build_folder(const std::string& db_path);

}  // namespace loci
