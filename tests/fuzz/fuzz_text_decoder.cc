// Fuzz target: any bytes as a plain-text file through the decoder. What
// comes out is valid UTF-8 whatever came in, without a UTF-8 BOM, and with
// a warning exactly when the bytes were neither UTF-8 nor UTF-16 as marked.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "indexer/text_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const loci::DecodedText d = loci::decode_text(bytes);
    if (loci::count_invalid_utf8(d.utf8) != 0) std::abort();
    if (!loci::has_utf16_bom(bytes) && d.utf8.rfind(loci::kUtf8Bom, 0) == 0 && bytes.rfind(loci::kUtf8Bom, 0) != 0) std::abort();
    const bool was_utf8 = loci::count_invalid_utf8(bytes) == 0;
    if (!loci::has_utf16_bom(bytes) && was_utf8 != d.warning.empty()) std::abort();
    return 0;
}
