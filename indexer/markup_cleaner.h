/** @file markup_cleaner.h
 *  @brief One line of markdown/HTML-flavoured text -> plain text, with a map
 *  from every byte of the plain text back to its source column.
 *
 *  Strips HTML tags (<sup>16</sup> and [^16] footnote markers leave a word
 *  boundary, never glue, and are kept aside as references), markdown
 *  emphasis, [text](url) and [text][label] links (the text stays, the URL
 *  goes to hidden, searchable text), images (their alt text stays), HTML
 *  comments on one line, backslash escapes and HTML entities; tabs and
 *  runs of spaces become one space.
 *  Pure function of its input; thread-safe.
 */
#pragma once
#include <cstdint>
#include <map>
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

/// An HTML tag at the start of a string, as the cleaner strips it.
struct HtmlTag {
    std::string name;        ///< its letters and digits, lower case, without a closing tag's '/'
    bool closing = false;    ///< </td>
    std::size_t length = 0;  ///< bytes, '<' to '>'; 0 when no tag starts there
};

/// The tag that starts @p s ("<td>", "</tr>", "<h2 id=x>"); length 0 when
/// none does (<www.icrc.org> is text, as CommonMark reads it). The
/// segmenter finds HTML blocks with it where the cleaner drops their tags.
HtmlTag html_tag_at(std::string_view s);

/// A file's reference link definitions: label (ASCII lower-cased) -> address.
using LinkDefinitions = std::map<std::string, std::string>;

/// True when @p line defines a reference link ("[icrc]: https://www.icrc.org"),
/// which markdown does not show; its label and address are then set. The
/// address must look like one (holding / . # : or <), alone or before a
/// quoted title, so that a report's "[Unofficial translation]: The
/// delegation said..." stays text.
bool parse_link_definition(std::string_view line, std::string& label, std::string& address);

/// Cleans @p line (one source line, without its newline). Column numbers
/// in the runs are byte offsets into @p line plus @p column_base. A
/// reference link ([text][label]) takes its address from @p links.
CleanText clean_markup(std::string_view line, std::uint32_t column_base = 0, const LinkDefinitions* links = nullptr);

/// A line of a fenced code block: its text as written, since markdown reads
/// no markup in code (`*ptr`, `<b>`, `&amp;` stay), white space collapsed
/// as clean_markup() does.
CleanText verbatim_text(std::string_view line, std::uint32_t column_base = 0);

}  // namespace loci
