// Fuzz target: any bytes as an HTML page through extraction and
// segmentation. Lines never go backwards, every passage cites lines the
// page has, and the marks the extractor puts around links never reach a
// passage's text or its hidden link targets.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

#include "indexer/block_lines.h"
#include "indexer/html_extractor.h"
#include "indexer/passage_segmenter.h"

namespace {

bool holds_link_mark(const std::string& s) { return std::any_of(s.begin(), s.end(), loci::is_block_mark); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static loci::PassageSegmenter segmenter(loci::SegmentOptions{20, 30});
    auto extracted = loci::extract_html(std::string(reinterpret_cast<const char*>(data), size));
    if (!std::holds_alternative<loci::ExtractedText>(extracted)) return 0;
    const loci::ExtractedText& text = std::get<loci::ExtractedText>(extracted);
    for (std::size_t i = 1; i < text.lines.size(); ++i)
        if (text.lines[i].number < text.lines[i - 1].number) std::abort();
    const std::uint32_t last_line = text.lines.empty() ? 0 : text.lines.back().number;
    for (const loci::Passage& p : segmenter.segment(text, "/fuzz/page.html").passages) {
        if (p.line_start < 1 || p.line_end < p.line_start || p.line_end > last_line) std::abort();
        if (holds_link_mark(p.text) || holds_link_mark(p.hidden_text)) std::abort();
    }
    return 0;
}
