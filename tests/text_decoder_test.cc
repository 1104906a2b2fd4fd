// Tests of decoding plain-text files: the bytes each encoding writes (made
// here by ICU, whose converters are the reference) come back as the text.
#include <catch2/catch.hpp>

#include <unicode/ucnv.h>

#include <string>

#include "indexer/text_decoder.h"

namespace {

/// @p utf8 encoded in @p charset by ICU.
std::string encode(const std::string& utf8, const char* charset) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 4 + 16, '\0');
    const int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                   static_cast<int32_t>(utf8.size()), &status);
    REQUIRE(U_SUCCESS(status));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

const std::string kReport =
    "The \u201cprotection of civilians\u201d \u2013 a r\u00e9sum\u00e9 of the ICRC\u2019s work in armed conflict.\n"
    "Caf\u00e9 cr\u00e8me, na\u00efve fa\u00e7ade: the report\u2019s second line.\n";

}  // namespace

TEST_CASE("UTF-8 stays as it is, its BOM is dropped") {
    auto plain = loci::decode_text(kReport);
    CHECK(plain.utf8 == kReport);
    CHECK(plain.warning.empty());
    auto bom = loci::decode_text(std::string(loci::kUtf8Bom) + kReport);
    CHECK(bom.utf8 == kReport);
    CHECK(bom.warning.empty());
}

TEST_CASE("UTF-16 with a BOM, either byte order, is decoded without a warning") {
    const std::string text = kReport + "\u4e2d\u56fd\u7ea2\u5341\u5b57\u4f1a \U0001F30D\n";
    for (const char* charset : {"UTF-16LE", "UTF-16BE"}) {
        INFO(charset);
        const std::string bytes = encode("\uFEFF" + text, charset);
        REQUIRE(loci::has_utf16_bom(bytes));
        auto d = loci::decode_text(bytes);
        CHECK(d.utf8 == text);
        CHECK(d.warning.empty());
    }
    // Cut in the middle of a character: what is whole comes back, and the
    // rest is valid UTF-8 still.
    const std::string cut = encode("\uFEFFpeace \U0001F30D", "UTF-16LE");
    auto d = loci::decode_text(cut.substr(0, cut.size() - 3));
    CHECK(d.utf8.rfind("peace ", 0) == 0);
    CHECK(loci::count_invalid_utf8(d.utf8) == 0);
}

TEST_CASE("a file in an older encoding is read in the one it looks like, and the warning names it") {
    struct Row {
        std::string text;
        const char* charset;
        const char* named;
    };
    const Row rows[] = {
        {kReport, "windows-1252", "windows-1252"},
        // No curly quotes: ISO-8859-1, read as its superset windows-1252.
        {"Der Schutz der Zivilbev\u00f6lkerung ist f\u00fcr das IKRK wichtig, sagt der Bericht.\n", "ISO-8859-1",
         "windows-1252"},
        {"\u4e2d\u56fd\u7ea2\u5341\u5b57\u4f1a\u5728\u5317\u4eac\u4e3e\u884c\u4f1a\u8bae\uff0c\u8ba8\u8bba\u56fd\u9645"
         "\u4eba\u9053\u6cd5\u548c\u5e73\u6c11\u4fdd\u62a4\u3002\n",
         "GB18030", "GB18030"},
    };
    for (const Row& r : rows) {
        INFO(r.charset);
        auto d = loci::decode_text(encode(r.text, r.charset));
        CHECK(d.utf8 == r.text);
        CHECK(d.warning == std::string("not UTF-8: read as ") + r.named + ", the encoding it looks like");
    }
}

TEST_CASE("a UTF-8 file with a stray byte keeps its UTF-8, the byte becomes U+FFFD") {
    auto d = loci::decode_text("Caf\u00e9 cr\u00e8me \u4e2d\u56fd and a stray \x92 byte.\n");
    CHECK(d.utf8 == "Caf\u00e9 cr\u00e8me \u4e2d\u56fd and a stray \uFFFD byte.\n");
    CHECK(d.warning == "invalid UTF-8: 1 byte(s) read as U+FFFD");
}
