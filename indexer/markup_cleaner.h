/** @file markup_cleaner.h
 *  @brief One line of markdown/HTML-flavoured text -> plain text, with a map
 *  from every byte of the plain text back to its source column.
 *
 *  Strips HTML tags (<sup>16</sup> and [^16] footnote markers leave a word
 *  boundary, never glue, and are kept aside as references), markdown
 *  emphasis, [text](url) links (the text stays, the URL goes to hidden,
 *  searchable text), backslash escapes and HTML entities; tabs and runs of
 *  spaces become one space.
 *  Pure function of its input; thread-safe.
 */
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/analysis/passage_record.h"

namespace loci {

struct CleanText {
    std::string text;             ///< plain text, trimmed
    std::vector<SourceRun> runs;  ///< text_offset relative to text; line left 0
    std::string hidden;           ///< link targets: searchable, not shown
    std::vector<FootnoteRef> cites;  ///< footnote markers removed, text_offset relative to text
};

/// A footnote's label as markers and definitions write it: 1 to 6 letters or digits.
bool is_footnote_label(std::string_view label);

/// Cleans @p line (one source line, without its newline). Column numbers
/// in the runs are byte offsets into @p line plus @p column_base.
CleanText clean_markup(std::string_view line, std::uint32_t column_base = 0);

}  // namespace loci
