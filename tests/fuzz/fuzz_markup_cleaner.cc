// Fuzz target: one line of any bytes through the markup cleaner. The runs
// must be sorted and point inside the line.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "indexer/markup_cleaner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string line(reinterpret_cast<const char*>(data), size);
    loci::CleanText c = loci::clean_markup(line);
    std::uint32_t last = 0;
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
        const loci::SourceRun& r = c.runs[i];
        if (r.text_offset >= c.text.size() && !c.text.empty()) std::abort();
        if (i > 0 && r.text_offset <= last) std::abort();
        if (r.column >= line.size() + 1) std::abort();
        last = r.text_offset;
    }
    if (!c.text.empty() && (c.text.front() == ' ' || c.text.back() == ' ')) std::abort();
    return 0;
}
