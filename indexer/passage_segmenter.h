/** @file passage_segmenter.h
 *  @brief Lines of one file -> passages: what a person reads and a
 *  citation points at.
 *
 *  A passage is a paragraph (hard-wrapped lines joined while the sentence
 *  goes on, even across blank lines and a lone page number), a list item,
 *  a table row (tab-separated, a markdown pipe table's or an HTML <tr>,
 *  on one line or a cell a line; column headers kept as context; a tab row continued after a
 *  block of footnotes is joined back), a footnote, or a fenced code block.
 *  A passage longer than max_words is split at ICU sentence boundaries.
 *  Headings (#, underlined, <h1>-<h6>) are not passages: they become the
 *  section of the passages below them. A front matter gives the title.
 *  Thread-safety: a PassageSegmenter is not thread-safe; one per thread.
 */
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/analysis/passage_record.h"
#include "indexer/text_extractor.h"

namespace loci {

struct SegmentOptions {
    /// Passages longer than this are split at sentence boundaries. Default: 120.
    std::size_t max_words = 120;
    /// How far back (in lines) a continued row or paragraph may be joined. Default: 30.
    std::uint32_t max_join_distance = 30;
};

struct SegmentedFile {
    std::string title;
    std::vector<Passage> passages;
};

class PassageSegmenter {
  public:
    explicit PassageSegmenter(SegmentOptions options = {});
    ~PassageSegmenter();
    PassageSegmenter(PassageSegmenter&&) noexcept;

    /// Passages of @p text, in source order, each with @p path.
    SegmentedFile segment(const ExtractedText& text, std::string_view path) const;

  private:
    struct Internal;
    std::unique_ptr<Internal> internal_;
};

}  // namespace loci
