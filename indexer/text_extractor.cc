// Reading and decoding source files; see text_extractor.h.
#include "indexer/text_extractor.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/epub_extractor.h"
#include "indexer/filter_extractor.h"
#include "indexer/html_extractor.h"
#include "indexer/office_extractor.h"
#include "indexer/pdf_extractor.h"
#include "indexer/text_decoder.h"

namespace loci {
namespace {

bool looks_binary(std::string_view bytes) {
    return std::memchr(bytes.data(), '\0', std::min<std::size_t>(bytes.size(), 8192)) != nullptr;
}

std::variant<std::string, SkipReason> read_file(const std::string& path, std::uint64_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return SkipReason{"cannot open: " + system_message(errno)};
    std::string data;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return SkipReason{"cannot read: " + system_message(err)};
        }
        if (n == 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        if (data.size() > max_bytes) {
            ::close(fd);
            return SkipReason{"too large (over " + std::to_string(max_bytes >> 20) +
                              " MiB; see --max-file-size)"};
        }
    }
    ::close(fd);
    return data;
}

/// Where a slice of @p buffer should end: after its last line break, else
/// after its last space, else at the last character boundary.
std::size_t slice_cut(std::string_view buffer) {
    if (std::size_t nl = buffer.rfind('\n'); nl != std::string_view::npos) return nl + 1;
    if (std::size_t sp = buffer.rfind(' '); sp != std::string_view::npos) return sp + 1;
    std::size_t cut = buffer.size();
    for (int back = 0; back < 3 && cut > 0 && (static_cast<unsigned char>(buffer[cut - 1]) & 0xC0) == 0x80; ++back) --cut;
    if (cut > 0 && static_cast<unsigned char>(buffer[cut - 1]) >= 0xC0) --cut;  // a lead byte whose sequence is cut
    if (cut > 1 && buffer[cut - 1] == '\r') --cut;  // a line's last \r is dropped only before its \n
    return cut == 0 ? buffer.size() : cut;
}

}  // namespace

TextSlices::TextSlices(const std::string& path, std::size_t slice_bytes)
    : slice_bytes_(slice_bytes), hash_(fnv1a64("")) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error("cannot open: " + system_message(errno));
}

TextSlices::~TextSlices() {
    if (fd_ >= 0) ::close(fd_);
}

bool TextSlices::refill() {
    const std::size_t want = slice_bytes_;
    const std::size_t had = buffer_.size();
    buffer_.resize(had + want);
    std::size_t got = 0;
    while (got < want) {
        ssize_t n = ::read(fd_, buffer_.data() + had + got, want - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error("cannot read: " + system_message(errno));
        if (n == 0) {
            eof_ = true;
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    buffer_.resize(had + got);
    hash_ = fnv1a64(std::string_view(buffer_).substr(had), hash_);
    return got > 0;
}

bool TextSlices::next_bytes(std::string& bytes) {
    if (buffer_.size() < slice_bytes_ && !eof_) refill();
    if (buffer_.empty()) return false;
    const std::size_t cut = eof_ ? buffer_.size() : slice_cut(buffer_);
    bytes.assign(buffer_, 0, cut);
    buffer_.erase(0, cut);
    // A UTF-8 BOM is no text: editors hide it, and columns do not count it.
    if (first_slice_ && std::string_view(bytes).substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.erase(0, kUtf8Bom.size());
    first_slice_ = false;
    return true;
}

bool TextSlices::next(ExtractedText& slice) {
    std::string bytes;
    if (!next_bytes(bytes)) return false;
    repaired_ += repair_utf8(bytes);
    slice = split_text(bytes, next_line_);
    // Where the next slice starts, in repaired bytes as the lines hold them.
    first_column_ = next_column_;
    const std::size_t last_nl = bytes.rfind('\n');
    if (last_nl == std::string::npos) {
        next_column_ += static_cast<std::uint32_t>(bytes.size());
    } else {
        next_line_ += static_cast<std::uint32_t>(std::count(bytes.begin(), bytes.end(), '\n'));
        next_column_ = static_cast<std::uint32_t>(bytes.size() - last_nl - 1);
    }
    return true;
}

ExtractedText split_text(std::string_view bytes, std::uint32_t first_number) {
    ExtractedText out;
    std::uint32_t number = first_number;
    std::size_t start = 0;
    while (start <= bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view line = bytes.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!(end == bytes.size() && line.empty() && start == bytes.size() && number > first_number))
            out.lines.push_back(SourceLine{std::string(line), number});
        ++number;
        start = end + 1;
    }
    return out;
}

std::string metadata_title(std::string title) {
    while (!title.empty() && std::isspace(static_cast<unsigned char>(title.back()))) title.pop_back();
    const std::string lower = ascii_lower(title);
    static const char* const kPlaceholders[] = {"untitled", "title", "document", "slide 1", "no title"};
    for (const char* p : kPlaceholders)
        if (lower == p) return "";
    if (starts_with_ignoring_case(title, "microsoft ") && title.find(" - ") != std::string::npos) return "";
    static const char* const kFileEndings[] = {".doc", ".docx", ".pdf", ".rtf", ".odt", ".indd", ".ppt", ".pptx",
                                               ".xls", ".xlsx", ".qxd", ".txt", ".tex", ".dvi", ".ps"};
    for (const char* e : kFileEndings) {
        const std::size_t n = std::strlen(e);
        if (lower.size() > n && lower.compare(lower.size() - n, n, e) == 0) return "";
    }
    return title;
}

bool reads_as_heading(std::string_view text) {
    constexpr std::size_t kMaxHeadingBytes = 150;
    if (text.empty() || text.size() > kMaxHeadingBytes) return false;
    const auto letters = std::count_if(text.begin(), text.end(),
                                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80); });
    return letters >= 2 && !std::strchr(".,:;", text.back());
}

namespace {

/// ".pdf" of "Report.PDF"; "" without one.
std::string extension_of(const std::string& path) {
    const std::size_t dot = path.find_last_of("./");
    return ascii_lower(path.substr(dot == std::string::npos || path[dot] == '/' ? path.size() : dot));
}

/// Text in any encoding text_decoder knows -> lines; @p hash is the source file's.
std::variant<ExtractedText, SkipReason> read_text(std::string bytes, std::uint64_t hash) {
    // UTF-16 is all NUL bytes in English: its BOM says it is text.
    if (!has_utf16_bom(bytes) && looks_binary(bytes)) return SkipReason{"binary file (NUL bytes); not indexed"};
    DecodedText decoded = decode_text(std::move(bytes));
    if (looks_binary(decoded.utf8)) return SkipReason{"binary file (NUL characters); not indexed"};
    ExtractedText text = split_text(decoded.utf8);
    std::string().swap(decoded.utf8);  // a large file: keep one copy of its text, not two
    text.content_hash = hash;
    if (!decoded.warning.empty()) text.warnings.push_back(std::move(decoded.warning));
    return text;
}

/// Pages where a program marks them, as pdftotext, ps2ascii and djvutxt
/// do: a form feed opens each page after the first. The form feed stays in
/// its line (whitespace to the segmenter), so columns stay the output's.
void mark_pages(ExtractedText& text) {
    for (const SourceLine& line : text.lines) {
        if (line.text.empty() || line.text[0] != '\f') continue;
        if (text.page_starts.empty()) text.page_starts.push_back(text.lines.front().number);
        text.page_starts.push_back(line.number);
    }
}

/// A file read by its --filter program, whose output is read as text.
std::variant<ExtractedText, SkipReason> extract_converted(const SourceFile& file, const std::string& command,
                                                          std::uint64_t hash, const ExtractOptions& options) {
    auto output = run_filter(command, file.read_path.empty() ? file.path : file.read_path,
                             FilterLimits{options.filter_seconds, options.max_file_bytes});
    if (auto* skip = std::get_if<SkipReason>(&output)) return *skip;
    std::string& bytes = std::get<std::string>(output);
    if (bytes.find_first_not_of(" \t\r\n\f") == std::string::npos)
        return SkipReason{"filter '" + command + "' wrote no text"};
    auto text = read_text(std::move(bytes), hash);
    if (auto* converted = std::get_if<ExtractedText>(&text)) {
        converted->format = SourceFormat::converted;
        mark_pages(*converted);
    }
    return text;
}

}  // namespace

SourceFormat format_of(const std::string& path) {
    const std::string ext = extension_of(path);
    if (ext == ".pdf") return SourceFormat::pdf;
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return SourceFormat::html;
    if (ext == ".docx" || ext == ".odt" || ext == ".epub") return SourceFormat::document;
    return SourceFormat::text;
}

std::string filter_for(const std::string& path, const FilterMap& filters) {
    const auto it = filters.find(extension_of(path));
    return it == filters.end() ? "" : it->second;
}

std::variant<ExtractedText, SkipReason> extract_text(const SourceFile& file, const ExtractOptions& options) {
    auto read = read_file(file.read_path.empty() ? file.path : file.read_path, options.max_file_bytes);
    if (auto* skip = std::get_if<SkipReason>(&read)) return *skip;
    std::string& bytes = std::get<std::string>(read);
    if (bytes.empty()) return SkipReason{"empty file"};
    if (const std::string command = filter_for(file.path, options.filters); !command.empty())
        return extract_converted(file, command, fnv1a64(bytes), options);
    switch (format_of(file.path)) {
        case SourceFormat::pdf: return extract_pdf(bytes);
        case SourceFormat::html: return extract_html(bytes);
        case SourceFormat::document: {
            const std::string ext = extension_of(file.path);
            return ext == ".odt" ? extract_odt(bytes) : ext == ".epub" ? extract_epub(bytes) : extract_docx(bytes);
        }
        case SourceFormat::text:
        case SourceFormat::converted: break;
    }
    const std::uint64_t hash = fnv1a64(bytes);
    return read_text(std::move(bytes), hash);
}

}  // namespace loci
