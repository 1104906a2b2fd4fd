/** @file prepared_file.h
 *  @brief One source file made ready for the database (read, cleaned,
 *  segmented, analysed, on any thread), and how it is written (on the
 *  thread that owns the WritableDatabase). Shared by the incremental writer
 *  and the parallel fresh build, so that both write exactly the same.
 */
#pragma once
#include <optional>
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/acronym_miner.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/corpus_walker.h"
#include "indexer/file_document.h"
#include "indexer/passage_segmenter.h"
#include "indexer/text_extractor.h"

namespace loci {

/// Files larger than this are written in slices, committed as they go, the
/// file's record last, so that a file without a record is re-indexed whole
/// by the next run. A huge plain-text file is also read, segmented and
/// analysed a slice at a time (TextSlices): memory stays bounded for a
/// 200 MB file. Smaller files are written in one commit.
inline constexpr std::uint64_t kHugeFileBytes = 8ull << 20;

struct PreparedFile {
    SourceFile source;
    std::optional<SkipReason> skip;      ///< set when the file is not indexed
    std::vector<std::string> warnings;   ///< not fatal (invalid UTF-8 repaired)
    FileRecord record;
    std::vector<BuiltDocument> documents;     ///< analysed already (files below kHugeFileBytes)
    std::size_t document_passages = 0;        ///< how many passages they hold
    std::vector<Passage> passages;            ///< analysed while writing (huge files)
    std::vector<AcronymDefinition> acronyms;
    bool streamed = false;                    ///< a huge text file: read again, a slice at a time, while writing
    std::size_t streamed_passages = 0;        ///< how many passages that wrote
    std::size_t passage_count() const { return document_passages + passages.size() + streamed_passages; }
};

/// Reads and analyses @p file, its records packed with the index's
/// @p dictionary. Never throws for a bad file: see PreparedFile::skip.
PreparedFile prepare_file(const SourceFile& file, const ExtractOptions& extract, const analysis::Analyzer& analyzer,
                          const PassageSegmenter& segmenter, const RecordsDictionary& dictionary);

/// Writes the file's passages, its record and its acronyms to @p db, in
/// place of the passages it had (an older version's, or what a killed run
/// left), reusing their documents so that an edit rewrites little. A huge
/// file's old passages are deleted first, and its new ones are
/// analysed here with @p analyzer (a streamed one segmented with
/// @p segmenter) and committed every @p commit_bytes, their records packed
/// with @p dictionary.
/// A streamed file that can no longer be read is left out, its reason in
/// PreparedFile::skip.
void write_prepared_file(Xapian::WritableDatabase& db, PreparedFile& file, const analysis::Analyzer& analyzer,
                         const PassageSegmenter& segmenter, std::uint64_t commit_bytes,
                         const RecordsDictionary& dictionary);

/// Deletes a file's documents, passage records and file record from @p db.
void delete_file(Xapian::WritableDatabase& db, const std::string& path);

/// Sets the header of a database loci-index writes: this schema version,
/// @p language, @p root (absolute, or "" when paths are stored whole), and
/// the filter of the acronym keys @p db holds now.
void write_header(Xapian::WritableDatabase& db, const std::string& language, const std::string& root);

/// The header of the database that @p parts (each written by loci-index)
/// make when merged: the first part's, with a filter of all their acronyms.
std::string merged_header(const std::vector<Xapian::Database>& parts);

/// Commits @p db, its header's acronym filter first brought up to date: the
/// only way loci-index commits, so that every revision a reader (or a
/// kill -9) can meet has a filter covering its acronyms.
void commit_with_header(Xapian::WritableDatabase& db);

}  // namespace loci
