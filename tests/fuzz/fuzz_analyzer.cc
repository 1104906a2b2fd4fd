// Fuzz target: any bytes through the analyzer. Tokens lie inside the input,
// terms are non-empty and within Xapian's term length limit.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/index_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static loci::analysis::Analyzer analyzer;
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (const loci::analysis::Token& t : analyzer.analyze(text)) {
        if (t.term.empty() || t.term.size() > loci::schema::kMaxTermBytes - 2) std::abort();
        if (std::size_t(t.byte_start) + t.byte_length > text.size()) std::abort();
        if (t.stem.size() > loci::schema::kMaxTermBytes - 2) std::abort();
    }
    return 0;
}
