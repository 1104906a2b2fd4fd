/** @file office_extractor.h
 *  @brief Word-processor documents -> text lines, one per paragraph:
 *  Word's .docx (Office Open XML) and OpenDocument's .odt (LibreOffice).
 *
 *  Both are zip archives of XML (libzip opens them, libxml2 reads the XML).
 *  A document has no lines of its own: a citation's line is a paragraph's
 *  number in the document's body, counting every paragraph (empty ones
 *  too) and each table row as one; footnotes and endnotes follow the body,
 *  numbered on. Headings (by their style: Word's "heading 1".."heading 9"
 *  and "Title", by name or outline level, whatever the language of the
 *  style's id; an .odt's text:h; in a .docx also a short line set by hand
 *  all in bold or in larger type) give sections; list paragraphs are list
 *  items; a table's rows are rows (a one-column table, a box around text,
 *  is read as its paragraphs); a footnote is a footnote passage that the
 *  paragraph citing it cites; a link's address stays searchable. Tracked
 *  deletions, field codes, hidden text, comments, a drawing's fallback copy and tables
 *  of contents (which repeat the headings) are no text. The title comes from
 *  the document's properties, unless it is a placeholder (metadata_title()).
 */
#pragma once
#include <string>
#include <variant>

#include "indexer/text_extractor.h"

namespace loci {

std::variant<ExtractedText, SkipReason> extract_docx(const std::string& bytes);
std::variant<ExtractedText, SkipReason> extract_odt(const std::string& bytes);

}  // namespace loci
