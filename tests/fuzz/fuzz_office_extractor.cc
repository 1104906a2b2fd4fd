// Fuzz target: any bytes as the XML of a zip-packaged document, put in a
// zip archive as a .docx's word/document.xml (the bytes after a first NUL
// as its word/footnotes.xml), as an .odt's content.xml and as an .epub's
// package (with one chapter), through extraction and segmentation. Lines never go backwards, every passage
// cites lines the document has, and the extractor's marks never reach a
// passage's text or its hidden link targets.
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "indexer/block_lines.h"
#include "indexer/epub_extractor.h"
#include "indexer/office_extractor.h"
#include "indexer/passage_segmenter.h"

namespace {

/// A zip archive of @p parts, written by libzip into memory.
std::string zip_of(const std::vector<std::pair<const char*, std::string>>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(buffer);
    zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    if (!zip) std::abort();
    for (const auto& [name, data] : parts)
        if (zip_file_add(zip, name, zip_source_buffer(zip, data.data(), data.size(), 0), 0) < 0) std::abort();
    if (zip_close(zip) != 0) std::abort();
    zip_stat_t st;
    std::string bytes;
    if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
        bytes.resize(st.size);
        if (zip_source_read(buffer, bytes.data(), st.size) != static_cast<zip_int64_t>(st.size)) std::abort();
        zip_source_close(buffer);
    }
    zip_source_free(buffer);
    zip_error_fini(&error);
    return bytes;
}

bool holds_mark(const std::string& s) { return std::any_of(s.begin(), s.end(), loci::is_block_mark); }

void check(const std::variant<loci::ExtractedText, loci::SkipReason>& extracted, const char* path) {
    static const loci::PassageSegmenter segmenter(loci::SegmentOptions{20, 30});
    if (!std::holds_alternative<loci::ExtractedText>(extracted)) return;
    const loci::ExtractedText& text = std::get<loci::ExtractedText>(extracted);
    for (std::size_t i = 1; i < text.lines.size(); ++i)
        if (text.lines[i].number < text.lines[i - 1].number) std::abort();
    const std::uint32_t last_line = text.lines.empty() ? 0 : text.lines.back().number;
    for (const loci::Passage& p : segmenter.segment(text, path).passages) {
        if (p.line_start < 1 || p.line_end < p.line_start || p.line_end > last_line) std::abort();
        if (holds_mark(p.text) || holds_mark(p.hidden_text)) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string document = input.substr(0, nul);
    const std::string notes = nul == std::string::npos ? "" : input.substr(nul + 1);
    check(loci::extract_docx(zip_of({{"word/document.xml", document}, {"word/footnotes.xml", notes}})),
          "/fuzz/report.docx");
    check(loci::extract_odt(zip_of({{"content.xml", input}})), "/fuzz/report.odt");
    static const std::string container =
        R"(<?xml version="1.0"?><container><rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>)";
    check(loci::extract_epub(zip_of({{"META-INF/container.xml", container},
                                     {"OEBPS/book.opf", input},
                                     {"OEBPS/text/c1.xhtml", "<html><body><h1>One</h1><p>Text.</p></body></html>"}})),
          "/fuzz/book.epub");
    return 0;
}
