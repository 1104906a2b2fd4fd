/** @file text_extractor.h
 *  @brief A source file -> its text as lines, each with the line number
 *  that citations use, or the reason the file is skipped.
 *
 *  The stage where formats differ: plain text and markdown are read as
 *  UTF-8 (invalid bytes become U+FFFD, with a warning). Every other stage
 *  sees only SourceLines.
 */
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "indexer/corpus_walker.h"

namespace loci {

struct SourceLine {
    std::string text;          ///< the line without its line break, valid UTF-8
    std::uint32_t number = 0;  ///< 1-based line number in the source
};

/// What kind of source the text came from: how its lines and columns map back.
enum class SourceFormat : std::uint8_t {
    text = 0,  ///< .txt/.md: lines and byte columns are the file's own
    pdf = 1,   ///< lines counted through the extracted text; pages in page_starts
    html = 2,  ///< one line per block, numbered by its line in the HTML source
};

struct ExtractedText {
    std::vector<SourceLine> lines;
    std::uint64_t content_hash = 0;     ///< of the raw bytes
    std::vector<std::string> warnings;  ///< not fatal (invalid UTF-8 repaired)
    SourceFormat format = SourceFormat::text;
    std::string title;                  ///< from the document's metadata, "" if none
    std::vector<std::uint32_t> page_starts;  ///< PDF: first line of each page
    bool soft_hyphens = false;          ///< a word split by "-" at a line end is one word (PDF)
};

/// Why a file was not indexed; the message names no path (the caller adds it).
struct SkipReason {
    std::string message;
};

struct ExtractOptions {
    std::uint64_t max_file_bytes = 256ull << 20;  ///< larger files are skipped
};

/// Dispatches on the file name: .pdf (poppler), .html/.htm (libxml2),
/// anything else as UTF-8 text.
std::variant<ExtractedText, SkipReason> extract_text(const SourceFile& file, const ExtractOptions& options);

/// The format extract_text() will read @p path as.
SourceFormat format_of(const std::string& path);

/// Splits UTF-8 (or repaired) @p bytes into lines; exposed for tests.
ExtractedText split_text(std::string_view bytes);

}  // namespace loci
