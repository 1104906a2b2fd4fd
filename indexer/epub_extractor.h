/** @file epub_extractor.h
 *  @brief An e-book (.epub: a zip archive of XHTML chapters) -> text lines.
 *
 *  The chapters are read in the book's reading order (its package's spine),
 *  each as an HTML page (html_extractor.h: headings give sections, lists,
 *  tables and links as there); the table of contents (EPUB 3's navigation
 *  document) is left out, as it repeats the headings. An e-book's lines
 *  depend on the reader's screen, so a citation's line is the block's
 *  number in the book: `book.epub:120` is its 120th paragraph, heading,
 *  list item or table row, counted through the chapters. The title comes
 *  from the package's metadata (dc:title).
 */
#pragma once
#include <string>
#include <variant>

#include "indexer/text_extractor.h"

namespace loci {

std::variant<ExtractedText, SkipReason> extract_epub(const std::string& bytes);

}  // namespace loci
