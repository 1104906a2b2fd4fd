// Fuzz target: any bytes as a file through extraction and segmentation.
// Every passage cites lines of the file, and every byte maps to a line.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "indexer/passage_segmenter.h"
#include "indexer/text_extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static loci::PassageSegmenter segmenter(loci::SegmentOptions{20, 30});
    const loci::ExtractedText text = loci::split_text(std::string_view(reinterpret_cast<const char*>(data), size));
    const loci::SegmentedFile file = segmenter.segment(text, "/fuzz/input.md");
    for (const loci::Passage& p : file.passages) {
        if (p.text.empty() || p.line_start < 1 || p.line_end < p.line_start || p.line_end > text.lines.size())
            std::abort();
        for (std::uint32_t i = 0; i < p.text.size(); i += 7) {
            auto [line, column] = p.source_of(i);
            if (line < p.line_start || line > p.line_end) std::abort();
            (void)column;
        }
    }
    return 0;
}
