/** @file pdf_extractor.h
 *  @brief A PDF (through poppler-cpp) -> text lines, page by page.
 *
 *  Words are placed by their boxes: a page whose text leaves an empty
 *  gutter down the middle is read as two columns, left then right; lines
 *  are words on one baseline; a wide vertical gap makes a blank line (a
 *  paragraph break). Lines that repeat at the top or bottom of most pages
 *  (running headers and footers, page numbers aside) are left out. The
 *  title comes from the document's metadata. Lines are numbered through
 *  the whole extracted text; page_starts says where each page begins.
 */
#pragma once
#include <string>
#include <variant>

#include "indexer/text_extractor.h"

namespace loci {

/// @p bytes: the file's content. Broken, encrypted or text-less PDFs are a SkipReason.
std::variant<ExtractedText, SkipReason> extract_pdf(const std::string& bytes);

}  // namespace loci
