/** @file index_schema.h
 *  @brief How loci lays out a Xapian database: one place for every prefix,
 *  value slot and metadata key, shared by the indexer and the query tool.
 *
 *  One Xapian document is one passage. Its data is a PassageRecord
 *  (passage_record.h). Change anything here and bump kSchemaVersion: the
 *  query tool refuses a database of another version.
 */
#pragma once
#include <string>
#include <string_view>

namespace loci::schema {

/// Bumped whenever the layout below or the analysis changes meaning.
inline constexpr std::string_view kSchemaVersion = "3";

// ---- Term prefixes (Xapian convention: capital letters) ----
/// Exact words carry no prefix: normalised, case- and accent-folded, with
/// positions. Analysis lower-cases everything, so no word can start with a
/// capital letter and clash with a prefix below.
inline constexpr std::string_view kStemPrefix = "Z";     ///< stemmed word, no positions
inline constexpr std::string_view kSectionPrefix = "S";  ///< word of the nearest heading
inline constexpr std::string_view kTitlePrefix = "T";    ///< word of the document's title
inline constexpr std::string_view kFilePrefix = "F";     ///< the file a passage comes from (path key)

// ---- Value slots ----
/// Hash of the passage's analysed words: equal for near-verbatim repeats,
/// used to collapse duplicates in results.
inline constexpr unsigned kSlotDuplicateKey = 0;

// ---- Metadata keys ----
inline constexpr std::string_view kMetaSchemaVersion = "loci.schema";
inline constexpr std::string_view kMetaLanguage = "loci.language";  ///< stemmer name, "none" for none
/// Prefix of per-file records: key is kMetaFilePrefix + path key.
inline constexpr std::string_view kMetaFilePrefix = "loci.file:";
/// Prefix of acronym expansions: key is kMetaAcronymPrefix + acronym term,
/// value the expansion's exact terms separated by spaces.
inline constexpr std::string_view kMetaAcronymPrefix = "loci.acronym:";

/// Prefix of reverse acronym entries: key is kMetaExpansionPrefix + the
/// expansion's exact terms separated by spaces, value the acronym term.
inline constexpr std::string_view kMetaExpansionPrefix = "loci.expansion:";

/// Xapian refuses terms longer than about 245 bytes.
inline constexpr std::size_t kMaxTermBytes = 240;

/// The key that names a file in terms and metadata: its path, or a hash
/// of it when the path is too long to be a term.
std::string file_key(std::string_view path);

}  // namespace loci::schema
