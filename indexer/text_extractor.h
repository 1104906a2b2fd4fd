/** @file text_extractor.h
 *  @brief A source file -> its text as lines, each with the line number
 *  that citations use, or the reason the file is skipped.
 *
 *  The stage where formats differ: plain text and markdown are decoded to
 *  UTF-8 (text_decoder.h: UTF-16 and older encodings too, for files below
 *  prepared_file.h's kHugeFileBytes; a huge file is read a slice at a
 *  time as UTF-8, its invalid bytes as U+FFFD). Every
 *  other stage sees only SourceLines.
 */
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "indexer/analysis/passage_record.h"
#include "indexer/corpus_walker.h"

namespace loci {

struct SourceLine {
    std::string text;          ///< the line without its line break, valid UTF-8
    std::uint32_t number = 0;  ///< 1-based line number in the source
    /// The extractor saw a heading in type of this size (a PDF's larger
    /// type); 0: none. Lines of one heading have the same size.
    float heading_size = 0;
};

struct ExtractedText {
    std::vector<SourceLine> lines;
    std::uint64_t content_hash = 0;     ///< of the raw bytes
    std::vector<std::string> warnings;  ///< not fatal (invalid UTF-8 repaired)
    SourceFormat format = SourceFormat::text;
    std::string title;                  ///< from the document's metadata, "" if none
    std::vector<std::uint32_t> page_starts;  ///< PDF: first line of each page
    bool soft_hyphens = false;          ///< a word split by "-" at a line end is one word (PDF)
    /// Headings are written as markdown's (# and underlines, fences, a
    /// front matter): not a PDF's, whose "====" under a line is a drawn
    /// rule and whose headings the extractor marks (SourceLine::heading_size).
    bool markdown_headings = true;
};

/// Why a file was not indexed; the message names no path (the caller adds it).
struct SkipReason {
    std::string message;
};

/// Filters by extension (".doc", lower case) -> the command that turns
/// such a file into text (filter_extractor.h).
using FilterMap = std::map<std::string, std::string>;

struct ExtractOptions {
    std::uint64_t max_file_bytes = 256ull << 20;  ///< larger files are skipped
    FilterMap filters;                            ///< before the built-in readers
    unsigned filter_seconds = 60;                 ///< a filter running longer is killed
};

/// Dispatches on the file name: an extension with a filter to its
/// program (filter_extractor.h), .pdf (poppler), .html/.htm (libxml2),
/// .docx/.odt/.epub (libzip and libxml2), anything else as text.
std::variant<ExtractedText, SkipReason> extract_text(const SourceFile& file, const ExtractOptions& options);

/// The format extract_text() will read @p path as, filters aside.
SourceFormat format_of(const std::string& path);

/// The command of @p filters for @p path's extension, "" if none: a
/// --filter program reads the file, before any built-in reader.
std::string filter_for(const std::string& path, const FilterMap& filters);

/// A title from a document's metadata (a PDF's, a .docx's), or "" where
/// it is a producer's placeholder ("Microsoft Word - final_v3.docx",
/// "untitled", a file name): the document's first heading then names it.
std::string metadata_title(std::string title);

/// Whether a line an extractor sees set apart (in larger type, or bold)
/// reads as a heading: short (150 bytes at most), with letters, not ending
/// as a sentence or a clause does ("Note:" introduces, it does not head).
bool reads_as_heading(std::string_view text);

/// Whether type of @p size is a heading's beside body text of @p body:
/// at least a fifth larger, and a point more (any unit, both the same).
inline bool is_heading_type(double size, double body) { return size >= body * 1.2 && size >= body + 1; }

/// Splits UTF-8 (or repaired) @p bytes into lines numbered from
/// @p first_number; exposed for tests.
ExtractedText split_text(std::string_view bytes, std::uint32_t first_number = 1);

/// A plain-text file read a slice at a time, so that memory stays bounded
/// whatever its size (a 200 MB file without a newline included). A slice
/// ends where a line ends or, inside a line longer than a slice, after a
/// space, else at a character boundary: never inside a UTF-8 sequence, so
/// each slice repairs on its own. Line numbers continue across slices;
/// first_column() says where a cut line resumes.
class TextSlices {
  public:
    /// @throws loci::Error naming the reason (no path) when it cannot be opened.
    explicit TextSlices(const std::string& path, std::size_t slice_bytes = 4u << 20);
    ~TextSlices();
    TextSlices(const TextSlices&) = delete;
    TextSlices& operator=(const TextSlices&) = delete;

    /// The next slice's raw bytes, unrepaired; false at the end.
    /// @throws loci::Error when reading fails.
    bool next_bytes(std::string& bytes);
    /// The next slice as lines (invalid UTF-8 repaired, counted in
    /// repaired()); false at the end. @throws loci::Error when reading fails.
    bool next(ExtractedText& slice);
    /// Byte column in its source line where the last slice's first line starts.
    std::uint32_t first_column() const { return first_column_; }
    std::uint64_t content_hash() const { return hash_; }  ///< of the bytes read so far
    std::size_t repaired() const { return repaired_; }    ///< invalid bytes so far

  private:
    bool refill();
    int fd_ = -1;
    std::size_t slice_bytes_;
    std::string buffer_;       ///< read but not yet handed out
    bool eof_ = false;
    std::uint64_t hash_;
    std::size_t repaired_ = 0;
    std::uint32_t next_line_ = 1;      ///< number of the line the next slice starts in
    std::uint32_t next_column_ = 0;    ///< byte column where the next slice starts in it
    std::uint32_t first_column_ = 0;
    bool first_slice_ = true;
};

}  // namespace loci
