// Decoding plain-text files to UTF-8; see text_decoder.h.
#include "indexer/text_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "indexer/analysis/utf8.h"

namespace loci {
namespace {

/// How much of a file the detector reads: enough for its statistics, and
/// a bound on its time.
constexpr std::size_t kDetectorSample = 64 << 10;

/// Invalid bytes, and valid sequences of two bytes or more, in @p bytes.
struct Utf8Census {
    std::size_t invalid = 0, multibyte = 0;
};

Utf8Census utf8_census(std::string_view bytes) {
    Utf8Census c;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = utf8_sequence_length(bytes.substr(i));
        c.invalid += n == 0;
        c.multibyte += n > 1;
        i += n == 0 ? 1 : n;
    }
    return c;
}

/// @p bytes in @p charset as UTF-8 (ICU substitutes U+FFFD, or the
/// charset's own substitute, for what it cannot map); nullopt when ICU
/// has no converter of that name.
std::optional<std::string> convert_to_utf8(std::string_view bytes, const char* charset) {
    UErrorCode status = U_ZERO_ERROR;
    // Every encoding ICU detects takes at least one byte for each UTF-16
    // unit, and a unit takes at most 3 bytes of UTF-8.
    std::string out(bytes.size() * 3 + 16, '\0');
    const int32_t n = ucnv_convert("UTF-8", charset, out.data(), static_cast<int32_t>(out.size()), bytes.data(),
                                   static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<std::size_t>(n));
    return out;
}

/// The 8-bit or multi-byte encoding ICU's detector finds most likely for
/// @p bytes, "" when it finds none. ISO-8859-1 is read as windows-1252, its
/// superset that gives curly quotes and dashes to bytes 0x80-0x9F, as
/// browsers do.
std::string guess_legacy_charset(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector(ucsdet_open(&status), ucsdet_close);
    const std::string_view sample = bytes.substr(0, kDetectorSample);
    ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
    int32_t count = 0;
    const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
    for (int32_t i = 0; U_SUCCESS(status) && i < count; ++i) {
        const std::string name = ucsdet_getName(matches[i], &status);
        // Without a BOM and without NUL bytes, not UTF-16 or UTF-32; and not
        // UTF-8, which the census already ruled out.
        if (name.rfind("UTF-", 0) == 0) continue;
        return name == "ISO-8859-1" ? "windows-1252" : name;
    }
    return "";
}

}  // namespace

bool has_utf16_bom(std::string_view bytes) {
    return bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
}

DecodedText decode_text(std::string bytes) {
    if (has_utf16_bom(bytes)) {
        // ICU's "UTF-16" reads the BOM for the byte order and drops it.
        if (std::optional<std::string> utf8 = convert_to_utf8(bytes, "UTF-16")) return {std::move(*utf8), ""};
    }
    if (std::string_view(bytes).substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.erase(0, kUtf8Bom.size());
    const Utf8Census census = utf8_census(bytes);
    if (census.invalid == 0) return {std::move(bytes), ""};
    // More invalid bytes than valid sequences: not UTF-8 with a few strays
    // (which keeps its UTF-8 below) but another encoding.
    if (census.invalid > census.multibyte) {
        const std::string charset = guess_legacy_charset(bytes);
        if (!charset.empty())
            if (std::optional<std::string> utf8 = convert_to_utf8(bytes, charset.c_str()); utf8 && count_invalid_utf8(*utf8) == 0)
                return {std::move(*utf8), "not UTF-8: read as " + charset + ", the encoding it looks like"};
    }
    const std::size_t bad = repair_utf8(bytes);
    return {std::move(bytes), "invalid UTF-8: " + std::to_string(bad) + " byte(s) read as U+FFFD"};
}

std::size_t repair_utf8(std::string& s) {
    std::string out;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_sequence_length(std::string_view(s).substr(i));
        if (n == 0) {
            if (bad++ == 0) out.assign(s, 0, i);
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (bad) out.append(s, i, n);
        i += n;
    }
    if (bad) s.swap(out);
    return bad;
}

std::size_t count_invalid_utf8(std::string_view bytes) { return utf8_census(bytes).invalid; }

}  // namespace loci
