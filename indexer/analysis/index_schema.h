/** @file index_schema.h
 *  @brief How loci lays out a Xapian database: one place for every prefix,
 *  value slot and metadata key, shared by the indexer and the query tool.
 *
 *  One Xapian document is one passage, held in a value (kSlotPassage); the
 *  document data is empty. Change anything here and bump kSchemaVersion: the
 *  query tool refuses a database of another version.
 */
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/key_filter.h"

namespace loci::schema {

/// Bumped whenever the layout below or the analysis changes meaning.
inline constexpr std::string_view kSchemaVersion = "30";  // 30: PDF headings of two sizes; 29: HTML rows a cell a line; 28: PDF placeholder titles; 27: PDF headings by type size; 26: a backslash ending a line; 25: HTML blocks in markdown; 24: markdown front matter; 23: HTML text starting with #; 22: fenced code, comments over lines (21: images, reference links, one-line comments; 20: block quotes, 19: pipe tables, 18: text encodings, 17: HTML links)

// ---- Term prefixes (Xapian convention: capital letters) ----
/// Exact words carry no prefix: normalised, case- and accent-folded, with
/// positions (compounds and parts without). Analysis lower-cases everything,
/// so no word can start with a capital letter and clash with a prefix below.
/// The stem of a word, where it differs from the word, no positions; a
/// query looks a stem up both here and as an exact word.
inline constexpr std::string_view kStemPrefix = "Z";
/// Word of the nearest heading, as its stem (or the word where it has none).
inline constexpr std::string_view kSectionPrefix = "S";
/// The file a passage comes from, by its id (file_id_term()): on every
/// passage, to delete a file's passages and to filter by file.
inline constexpr std::string_view kFileIdPrefix = "I";
/// The file's path key (file_key()), on its first passage only: the list of
/// indexed paths that file:GLOB and title: walk (one allterms request, on
/// remote shards too), stored once a file. On every passage, paths made up
/// about a third of the termlist table (the id above is 17 bytes). Titles
/// are in the file records.
inline constexpr std::string_view kFilePrefix = "F";

// ---- Within-passage frequencies (wdf) ----
/// A term's wdf is stored already normalised for the passage's length, as
/// BM25 would at query time with b = kLengthB against a fixed pivot:
///   wdf = max(1, round(kWdfScale * tf / norm)),
///   norm = 1 - b + b * max(length / kPivotLength, kMinNormLength),
/// where tf and length are the plain counts (length: the words, parts and
/// stems of the passage, as Xapian counts a document's length). The query
/// then weighs with BM25 at b = 0 and k1 scaled by kWdfScale, which gives
/// the same weights up to one constant factor, and never reads a document's
/// length: in a Xapian database of many short documents, looking lengths
/// up took two thirds of a query for a common word (100 MB corpus: 15 of
/// 21 M instructions). A term of wdf 0 (a web address's words) stays 0.
inline constexpr double kLengthB = 0.5;
/// The length a passage of average length is taken to have: a constant
/// rather than the index's average, so that a stored wdf never changes.
/// Passage lengths average 27 to 51 on the corpora at hand.
inline constexpr double kPivotLength = 40.0;
inline constexpr double kMinNormLength = 0.5;
inline constexpr double kWdfScale = 32.0;

/// The wdf stored for a term found @p tf times in a passage of @p length.
unsigned stored_wdf(unsigned tf, unsigned length);

// ---- Value slots ----
/// Hash of the passage's analysed words: equal for near-verbatim repeats,
/// used to collapse duplicates in results.
inline constexpr unsigned kSlotDuplicateKey = 0;
/// The passage: its file's id (file_id(): 8 bytes), its first line (4
/// bytes, big-endian, so that values sort by file, then line), then its
/// PassageRecord (passage_value()). A value, not the document data, because
/// the match itself returns it: the query sorts ties in relevance by this
/// slot, and a match sends each result's sort key along, so a remote shard
/// names and describes its candidates without a request per document. The
/// file's id (not its key) keeps the index small and finds the file's
/// record in one metadata lookup.
inline constexpr unsigned kSlotPassage = 1;
/// Hash of what the passage's terms and positions are made from (its text,
/// link targets and section heading, and whether it is its file's first):
/// when a file changes, a passage whose hash is unchanged keeps its
/// document, and only its kSlotPassage value is rewritten if that moved
/// (see write_prepared_file). Indexes written before it have none, and get
/// their passages rewritten.
inline constexpr unsigned kSlotTermsSource = 2;

// ---- Metadata keys ----
/// The index's header (IndexHeader, encode_header()): what every search
/// reads before it can start, in one key, since a remote shard answers one
/// key per round trip and every search opens every shard. The key is the
/// one where versions before 12 kept their bare version number, so that a
/// reader of any version names an older index's version.
inline constexpr std::string_view kMetaHeader = "loci.schema";
/// The index's --filter programs (filter_extractor.h's encode_filters):
/// the next run of loci-index reads the same files the same way without
/// being told again, and does not take their files for gone.
inline constexpr std::string_view kMetaFilters = "loci.filters";
/// Prefix of per-file records: key is file_record_key(), the file id in
/// hex, so that a passage's file id (kSlotPassage) finds its record in one
/// lookup, which on a remote shard is one round trip.
inline constexpr std::string_view kMetaFilePrefix = "loci.file:";
/// Prefix of acronym expansions: key is kMetaAcronymPrefix + acronym term,
/// value the expansion's exact terms separated by spaces.
inline constexpr std::string_view kMetaAcronymPrefix = "loci.acronym:";

/// Prefix of reverse acronym entries: key is kMetaExpansionPrefix + the
/// expansion's exact terms separated by spaces, value the acronym term.
inline constexpr std::string_view kMetaExpansionPrefix = "loci.expansion:";

/// True for the keys of acronyms and of their expansions, which a query
/// looks up for each of its words and runs of words (most of them absent).
bool is_acronym_key(std::string_view key);

struct IndexHeader {
    std::string version;   ///< the schema version (kSchemaVersion when written by this loci)
    std::string language;  ///< stemmer name, "none" for none
    std::string root;      ///< the folder stored paths are relative to (absolute; loci-index --root), or ""
    /// Every acronym key (is_acronym_key) of the index, as a Bloom filter:
    /// a search asks a shard only for those it may hold.
    KeyFilter acronym_keys;

    /// False only for an acronym key that acronym_keys rules out.
    bool may_hold(std::string_view key) const { return !is_acronym_key(key) || acronym_keys.may_contain(key); }
};

/// One field a line: version, language, acronym keys, root.
std::string encode_header(const IndexHeader& header);
/// Missing fields are empty: "" (no header) gives an empty version, an
/// older index's bare number that version alone.
IndexHeader decode_header(std::string_view value);

/// Xapian refuses terms longer than about 245 bytes.
inline constexpr std::size_t kMaxTermBytes = 240;

/// A field term (section): @p prefix + the token's stem, or its word.
std::string field_term(std::string_view prefix, const analysis::Token& token);

/// The key that names a file in terms and metadata: its path, or a hash
/// of it when the path is too long to be a term.
std::string file_key(std::string_view path);

/// A file's id: kFileIdBytes bytes of hash of its key.
inline constexpr std::size_t kFileIdBytes = 8;
std::string file_id(std::string_view key);

/// The kSlotPassage value of the passage starting on @p line_start of the
/// file with id @p id, whose PassageRecord is @p record.
std::string passage_value(std::string_view id, std::uint32_t line_start, std::string_view record);

/// The file id and the passage record of a kSlotPassage value.
std::pair<std::string_view, std::string_view> split_passage_value(std::string_view value);

/// The term of the file with id @p id (file_id()) on each of its passages:
/// kFileIdPrefix + the id in hex.
std::string file_id_term(std::string_view id);

/// The file id term of the file at @p path.
std::string file_id_term_of_path(std::string_view path);

/// The metadata key of the record of the file with id @p id (file_id()).
std::string file_record_key(std::string_view id);

/// The metadata key of the record of the file at @p path.
std::string file_record_key_of_path(std::string_view path);

}  // namespace loci::schema
