/** @file html_extractor.h
 *  @brief An HTML page (through libxml2's HTML parser, which recovers from
 *  the tag soup real pages are) -> text lines, one per block.
 *
 *  Block elements (p, li, h1-h6, td, div...) become lines separated by
 *  blank lines, numbered by the line of the HTML source where the block's
 *  text starts; headings become sections, list items list items, table rows
 *  tab-separated rows; scripts, styles and the head are ignored, entities
 *  decoded, <title> gives the title; a link is written as markdown's
 *  [text](address), so that the segmenter's cleaner keeps its address as
 *  searchable hidden text. Columns inside a line are those of the
 *  extracted text, not of the HTML source.
 */
#pragma once
#include <string>
#include <variant>

#include "indexer/text_extractor.h"

namespace loci {

std::variant<ExtractedText, SkipReason> extract_html(const std::string& bytes);

}  // namespace loci
