/** @file passage_record.h
 *  @brief What the index keeps of a passage and of a file, and their
 *  byte encodings (a value slot and metadata values; see index_schema.h).
 *
 *  Line numbers are fixed once, at extraction, and travel with the passage:
 *  citations never re-read the source file.
 */
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loci {

/// Where a run of passage text comes from: text[text_offset, next run's
/// text_offset) starts at byte @p column (0-based) of source line @p line (1-based).
struct SourceRun {
    std::uint32_t text_offset = 0;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    bool operator==(const SourceRun& o) const {
        return text_offset == o.text_offset && line == o.line && column == o.column;
    }
};

/// A footnote marker in a passage's text (<sup>27</sup>, [^27]): the
/// marker is not in the text; @p text_offset is where it stood.
struct FootnoteRef {
    std::uint32_t text_offset = 0;
    std::string label;
    bool operator==(const FootnoteRef& o) const { return text_offset == o.text_offset && label == o.label; }
};

/// code: a fenced code block of a markdown file, its lines as written.
enum class PassageKind : std::uint8_t { paragraph = 0, list_item = 1, table_row = 2, footnote = 3, code = 4 };

std::string_view to_string(PassageKind kind);

/// A readable unit of a report: what a search result shows and cites.
struct Passage {
    std::string path;          ///< the file (absolute); not in the record: the file's id names it
    std::uint32_t line_start = 0;  ///< first source line, 1-based
    std::uint32_t line_end = 0;    ///< last source line, inclusive
    PassageKind kind = PassageKind::paragraph;
    std::string section;       ///< nearest heading above, "" if none
    std::string context;       ///< extra context shown, not indexed (table column headers)
    std::string text;          ///< cleaned text: no markup
    std::vector<SourceRun> runs;  ///< text offset -> source line/column, sorted by text_offset
    std::string hidden_text;   ///< searchable but not shown (link targets); in the record, so
                               ///< that the query side can make the passage's terms again
    std::string label;         ///< a footnote's own number ("27"), "" for other kinds
    std::vector<FootnoteRef> cites;  ///< footnotes this passage cites, by text offset

    /// True when the passage cites footnote @p footnote_label.
    bool cites_footnote(std::string_view footnote_label) const;

    /// Source line and byte column (0-based) of text offset @p offset.
    std::pair<std::uint32_t, std::uint32_t> source_of(std::uint32_t offset) const;
};

/// The record of a passage, all but its path. @throws loci::Error on malformed data.
std::string encode_passage(const Passage& passage);
Passage decode_passage(std::string_view data);

/// What the query reads of every passage of a file it considers: its
/// length as BM25 counts it (index_schema.h, "A passage's weight") and its
/// term signature (term_signature.h).
struct PassageSignature {
    std::uint32_t length = 0;
    std::string_view bits;
};

/// The signatures of a document's passages, as its data holds them after
/// its place (index_schema.h's document_data()), scrambled: Xapian
/// compresses a document's data with zlib when that makes it smaller, and
/// signatures, near random, gain a few per cent for an inflate at every
/// read of every candidate file (15% of a rare word's query); scrambled,
/// nothing is gained, and Xapian stores them as they are.
std::string encode_signatures(const std::vector<std::uint32_t>& lengths, const std::vector<std::string>& bits);

/// Reads what encode_signatures() wrote.
class PassageSignatures {
  public:
    /// @throws loci::Error on malformed data.
    explicit PassageSignatures(std::string_view data);
    PassageSignatures() = default;

    std::size_t size() const { return entries_.size(); }
    /// Passage @p i's; its bits are valid as long as this.
    PassageSignature operator[](std::size_t i) const {
        const Entry& e = entries_[i];
        return {e.length, std::string_view(bytes_).substr(e.offset, e.size)};
    }

  private:
    struct Entry {
        std::uint32_t length;
        std::size_t offset, size;  ///< of the bits in bytes_
    };
    std::string bytes_;  ///< unscrambled
    std::vector<Entry> entries_;
};

/// A zstd dictionary trained on an index's own passage records (stored
/// under schema::kMetaRecordsDictionary): with it, records compress in
/// groups of a few passages as small as in groups of twenty without, and a
/// query unpacks the few passages it reads, not twenty for each (the
/// unpacking was a quarter of a rare word's instructions). Empty: none (an
/// index too small to train one); records are then packed without.
/// Thread-safety: const use from any thread.
class RecordsDictionary {
  public:
    RecordsDictionary();
    /// @p bytes as train() made them, or "" for none; zstd loads them when
    /// first used (CorruptRecordError if it cannot).
    explicit RecordsDictionary(std::string bytes);
    ~RecordsDictionary();
    RecordsDictionary(RecordsDictionary&&) noexcept;
    RecordsDictionary& operator=(RecordsDictionary&&) noexcept;

    /// A dictionary for records like @p samples (encode_passage()'s); none
    /// when they are too few to train one.
    static RecordsDictionary train(const std::vector<std::string>& samples);

    bool empty() const { return bytes_.empty(); }
    const std::string& bytes() const { return bytes_; }

  private:
    friend class RecordsPacker;
    struct Digested;
    std::string bytes_;
    std::unique_ptr<Digested> digested_;  ///< zstd's tables, made once
};

/// The records of a document's passages, as its metadata key
/// (schema::passages_key()) holds them: compressed in small groups, since
/// the query reads those of the few passages it analyses, with the index's
/// @p dictionary.
std::string encode_records(const std::vector<std::string>& records, const RecordsDictionary& dictionary);

/// Reads what encode_records() wrote.
class PassageRecords {
  public:
    /// Reads the groups' sizes, not the records; @p dictionary (the
    /// index's, which the records were packed with) must outlive this.
    /// @throws CorruptRecordError on malformed data.
    PassageRecords(std::string data, const RecordsDictionary& dictionary);

    std::size_t size() const { return size_; }
    /// Passage @p i's record (encode_passage()), its group inflated on
    /// first use; valid as long as this. @throws loci::Error on malformed data.
    std::string_view record(std::size_t i);

  private:
    struct Group {
        std::uint64_t plain_size = 0, packed_size = 0, packed_offset = 0;
        std::string plain;  ///< inflated, once asked for
        std::vector<std::pair<std::size_t, std::size_t>> records;  ///< offset and length in plain
    };
    std::string data_;
    const RecordsDictionary* dictionary_ = nullptr;  ///< null: packed without one
    std::size_t size_ = 0;
    std::vector<Group> groups_;
    std::size_t packed_start_ = 0;  ///< in data_
};

/// What kind of source a file's text came from: how its lines and columns
/// map back (in the file record, for the query side's citations).
enum class SourceFormat : std::uint8_t {
    text = 0,      ///< .txt/.md: lines and byte columns are the file's own
    pdf = 1,       ///< lines counted through the extracted text; pages in page_starts
    html = 2,      ///< one line per block, numbered by its line in the HTML source
    document = 3,  ///< .docx/.odt/.epub: one line per paragraph (office_extractor.h, epub_extractor.h)
    converted = 4, ///< by a --filter program: lines and columns of its output (filter_extractor.h)
};

/// What the index remembers of a file, to tell whether it changed.
struct FileRecord {
    std::string path;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t content_hash = 0;
    std::uint32_t passages = 0;
    std::string title;
    std::uint8_t format = 0;                 ///< a SourceFormat
    std::vector<std::uint32_t> page_starts;  ///< PDF: first line of each page
    /// The acronyms it defines, each (acronym term, long form) once: what
    /// an update that changes or removes it takes back (schema::count_name()).
    std::vector<std::pair<std::string, std::string>> acronyms;

    /// 1-based page of @p line and the line's number within it; {0, line} without pages.
    std::pair<std::uint32_t, std::uint32_t> page_of(std::uint32_t line) const;
};

/// Where a file whose index path is @p path (FileRecord::path: absolute,
/// or relative to the index's --root) is, under folder @p root ("" or
/// "." : the current folder), with one slash between them: a root of /
/// keeps its paths from the top.
inline std::string path_under(const std::string& root, const std::string& path) {
    if (root.empty() || root == "." || path.empty() || path.front() == '/') return path;
    return root + (root.back() == '/' ? "" : "/") + path;
}

/// A file's modification time as FileRecord::mtime_ns keeps it: what the
/// walk records, an update compares and the query checks a cited file by.
inline std::int64_t mtime_ns_of(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::string encode_file_record(const FileRecord& record);
std::optional<FileRecord> decode_file_record(std::string_view data);

/// 64-bit FNV-1a: content hashes, duplicate keys, long path keys. Inline:
/// the query's repeat keys call it for every character of every candidate.
inline std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = 14695981039346656037ull) {
    std::uint64_t h = seed;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace loci
