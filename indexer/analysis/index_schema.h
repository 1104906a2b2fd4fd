/** @file index_schema.h
 *  @brief How loci lays out a Xapian database: one place for every prefix,
 *  value slot and metadata key, shared by the indexer and the query tool.
 *
 *  One Xapian document is one file (a huge one: a document every
 *  kPassagesPerDocument passages), its passages held in the document's
 *  data (document_data()). Xapian picks the files that
 *  match; the query side then tells which of their passages do, by their
 *  term signatures and then their own terms (docs/design-file-documents.md).
 *  Change anything here and bump kSchemaVersion: the query tool refuses a
 *  database of another version.
 */
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/key_filter.h"

namespace loci::schema {

/// Bumped whenever the layout below or the analysis changes meaning.
inline constexpr std::string_view kSchemaVersion = "35";  // 35: signature probes from a mixed hash; 34: acronyms counted by the files that give them; 33: an acronym's several long forms; 32: records packed with the index's dictionary, 4 a group; 31: a document per file; 30: PDF headings of two sizes; 29: HTML rows a cell a line; 28: PDF placeholder titles; 27: PDF headings by type size; 26: a backslash ending a line; 25: HTML blocks in markdown; 24: markdown front matter; 23: HTML text starting with #; 22: fenced code, comments over lines (21: images, reference links, one-line comments; 20: block quotes, 19: pipe tables, 18: text encodings, 17: HTML links)

// ---- Term prefixes (Xapian convention: capital letters) ----
/// Exact words carry no prefix: normalised, case- and accent-folded, with
/// positions (compounds and parts without). Analysis lower-cases everything,
/// so no word can start with a capital letter and clash with a prefix below.
/// The stem of a word, where it differs from the word, no positions; a
/// query looks a stem up both here and as an exact word.
inline constexpr std::string_view kStemPrefix = "Z";
/// True for an exact word's term: no prefix.
inline bool is_word_term(std::string_view term) { return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'); }
/// Word of the nearest heading, as its stem (or the word where it has none).
inline constexpr std::string_view kSectionPrefix = "S";
/// The file a document comes from, by its id (file_id_term()): on each of
/// its documents, to delete them and to filter by file.
inline constexpr std::string_view kFileIdPrefix = "I";
/// The file's path key (file_key()), on its first document only: the list
/// of indexed paths that file:GLOB and title: walk (one allterms request,
/// on remote shards too), stored once a file. Titles are in the file records.
inline constexpr std::string_view kFilePrefix = "F";

// ---- Documents of many passages ----
/// Passages a document holds at most: a huge file is several documents,
/// so that no value grows past what a query reads in one go.
inline constexpr std::size_t kPassagesPerDocument = 256;
/// Word positions run on through a document's passages, with this gap
/// between two passages: a phrase of up to this many words cannot span
/// two passages. A longer phrase or a NEAR can, which makes the file a
/// candidate whose passages are then checked one by one (no wrong answer,
/// a wasted candidate). The gap costs bits on every position: ~1000,
/// enough for any NEAR, made the position table a third larger; 16
/// instead of 4, 0.4% of the index.
inline constexpr unsigned kPassagePositionGap = 4;
/// In a document, a term's wdf is the number of its passages that hold it
/// with weight (a web address's words weigh nothing), so that Xapian's
/// collection frequency of a term is the number of passages that hold it:
/// the document frequency a passage's BM25 needs, kept up to date by
/// Xapian through every update, kill -9 included.
/// And this term's wdf is the document's passage count: its collection
/// frequency is the index's.
inline constexpr std::string_view kPassageCountTerm = "N";

// ---- A passage's weight ----
/// A passage is weighed at query time by BM25 with a length normalisation
/// that uses a fixed pivot rather than the index's average, so that it
/// needs no statistic but the term's passage count:
///   wdf = max(1, round(kWdfScale * tf / norm)),
///   norm = 1 - b + b * max(length / kPivotLength, kMinNormLength),
/// where tf and length are the plain counts (length: the words, parts and
/// stems of the passage), weighed by BM25 at b = 0, k1 scaled by kWdfScale.
inline constexpr double kLengthB = 0.5;
/// The length a passage of average length is taken to have.
/// Passage lengths average 27 to 51 on the corpora at hand.
inline constexpr double kPivotLength = 40.0;
inline constexpr double kMinNormLength = 0.5;
inline constexpr double kWdfScale = 32.0;

/// The wdf stored for a term found @p tf times in a passage of @p length.
unsigned stored_wdf(unsigned tf, unsigned length);

// ---- Value slots ----
/// The document's place: its file's id (file_id(), 8 bytes) and its first
/// passage's first line (4 bytes, big-endian), the start of its data
/// (document_data()). The match sorts files of equal weight by it (all of
/// them, for filters alone): the same files whatever the document numbers
/// (indexing order, shards). The passages are in the data, not in a value:
/// a value is read from a stream of the slot's values, which the match
/// reads for every document it sorts, and a file's passages are some 8 KB;
/// the data is read by document, for the few files a query looks into.
inline constexpr unsigned kSlotPlace = 1;
/// Hash of what the document's terms and positions are made from (its
/// passages' texts, link targets and section headings, and whether it is
/// its file's first): when a file changes, a document whose hash is
/// unchanged keeps its terms, and only its data (and place) is rewritten
/// if that moved (see write_prepared_file).
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
/// The zstd dictionary the passage records are packed with
/// (RecordsDictionary), trained on the records of a sample of the files
/// when the database was built; absent when they were too few.
inline constexpr std::string_view kMetaRecordsDictionary = "loci.records-dictionary";
/// Prefix of per-file records: key is file_record_key(), the file id in
/// hex, so that a document's file id (kSlotPlace) finds its record in one
/// lookup, which on a remote shard is one round trip.
inline constexpr std::string_view kMetaFilePrefix = "loci.file:";
/// Prefix of the keys of documents' passage records (passages_key(): the
/// document's place in hex, so that a file's keys share the prefix
/// kMetaPassagesPrefix + its id in hex). Not in the document's data: the
/// query reads every candidate file's data, and Xapian inflates all of it
/// (a file's records are 6 KB compressed, its signatures 2 KB), where it
/// reads the records of a few; here Xapian finds them uncompressible and
/// stores them as they are.
inline constexpr std::string_view kMetaPassagesPrefix = "loci.passages:";
/// Prefix of acronym expansions: key is kMetaAcronymPrefix + acronym term,
/// value its long forms, each its exact terms separated by spaces, counted
/// (count_name()).
inline constexpr std::string_view kMetaAcronymPrefix = "loci.acronym:";

/// Prefix of reverse acronym entries: key is kMetaExpansionPrefix + the
/// expansion's exact terms separated by spaces, value the acronym terms,
/// counted (count_name()).
inline constexpr std::string_view kMetaExpansionPrefix = "loci.expansion:";

/// True for the keys of acronyms and of their expansions, which a query
/// looks up for each of its words and runs of words (most of them absent).
bool is_acronym_key(std::string_view key);

/// Long forms of an acronym a query asks for at most: files may define it
/// differently ("IHL": international humanitarian law in one report,
/// Internet Header Length in a manual), and a query asks for each.
inline constexpr std::size_t kMaxLongForms = 4;

/// Names an acronym key's value (is_acronym_key()) keeps at most: the
/// long forms of an acronym, or the acronyms of a long form, each with the
/// number of files that give it, so that an update that changes or
/// removes a file takes away what it gave and leaves what a new build of
/// the same files would (unless more than this many names ever met). On
/// the bench's 450 MB of manuals, 2 of 1,807 acronyms had more than 16
/// (API 17, SLS 77: Scala file names read as long forms, which the miner
/// now refuses; since, API's 17 are the most); 16 made their tails depend
/// on the order files came in.
inline constexpr std::size_t kMaxCountedNames = 64;

/// @p value (an acronym key's) with @p name counted @p delta files more
/// (or fewer): names by their count, the most first, then by name; a name
/// at 0 goes, and past kMaxCountedNames the least counted.
std::string count_name(std::string_view value, std::string_view name, int delta);

/// @p values (an acronym key's, from several parts or shards of an index)
/// as one: each name's counts summed.
std::string merge_counts(const std::vector<std::string>& values);

/// The first @p at_most names of @p value (an acronym key's), the most
/// counted first.
std::vector<std::string> counted_names(std::string_view value, std::size_t at_most);

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

/// The kSlotPlace value of a document of the file with id @p id whose
/// first passage starts on @p line_start.
std::string document_place(std::string_view id, std::uint32_t line_start);

/// The data of a document: its place (document_place()), then its
/// passages' signatures (encode_signatures()).
std::string document_data(std::string_view place, std::string_view signatures);

/// The file id and the signatures of a document's data.
std::pair<std::string_view, std::string_view> split_document_data(std::string_view data);

/// The metadata key of the records of the document at @p place (document_place()).
std::string passages_key(std::string_view place);
/// What the passages keys of every document of the file with id @p id start with.
inline std::string passages_key_prefix(std::string_view id) { return passages_key(id); }

/// The term of the file with id @p id (file_id()) on each of its documents:
/// kFileIdPrefix + the id in hex.
std::string file_id_term(std::string_view id);

/// The file id term of the file at @p path.
std::string file_id_term_of_path(std::string_view path);

/// The metadata key of the record of the file with id @p id (file_id()).
std::string file_record_key(std::string_view id);

/// The metadata key of the record of the file at @p path.
std::string file_record_key_of_path(std::string_view path);

}  // namespace loci::schema
