/** @file block_lines.h
 *  @brief What the extractors of structured formats (HTML pages,
 *  word-processor documents) hand the segmenter: each block of the
 *  document as one line of markdown that reads back as written, a blank
 *  line after it.
 *
 *  The segmenter reads markdown's signs (a heading's "# ", a list item's
 *  "- ", a footnote's "[^3]: "): an extractor writes those for what the
 *  document marks as such, and escapes them in the document's own text, so
 *  that "# of people reached" in a table stays text.
 */
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/text_extractor.h"

namespace loci {

/// Marks an extractor puts around a link and a footnote reference in a
/// block's raw text, which block_text() writes as markdown's
/// [text](address) and [^label]: the segmenter's cleaner then keeps a
/// link's text and makes its address searchable hidden text, and a
/// reference cites its footnote, as in a markdown report. Control bytes,
/// so that no document's text can forge them (remove_block_marks()).
inline constexpr char kLinkOpen = '\x01', kLinkAddress = '\x02', kLinkClose = '\x03';
inline constexpr char kNoteOpen = '\x04', kNoteClose = '\x05';

inline bool is_block_mark(char c) { return c >= kLinkOpen && c <= kNoteClose; }

/// Replaces the mark bytes in @p text from @p from on with spaces: for
/// text taken from a document, before marks of the extractor's own join it.
void remove_block_marks(std::string& text, std::size_t from = 0);

/// Marks @p raw from @p start on (a link's text, just appended) as a link
/// to @p address (control bytes as spaces, trimmed). Not when there is no
/// address, no text (an icon: no passage of its own), or text that holds
/// marks already (a link in a link) or ']', which would end markdown's link
/// text early: then the text stays, without its address.
void mark_link(std::string& raw, std::size_t start, std::string address);

/// A block's raw text as one line: runs of white space as one space,
/// trimmed; markup characters escaped, so that the segmenter's markdown
/// reading leaves them as they are ("&gt; 50 people" is no block quote,
/// "# of people" no heading); marks written as markdown, a link's address
/// with its parentheses escaped so that it ends at its own.
std::string block_text(std::string_view raw);

/// Appends @p text as a block numbered @p line (never before the block
/// above: a number is where a citation sends the reader) and a blank line,
/// so that no two blocks join.
void append_block(ExtractedText& out, std::string text, std::uint32_t line);

/// Appends a table row, its cells (each a block_text()) joined by tabs as
/// the segmenter reads rows, numbered @p line; nothing when every cell is empty.
void append_row(ExtractedText& out, const std::vector<std::string>& cells, std::uint32_t line);

}  // namespace loci
