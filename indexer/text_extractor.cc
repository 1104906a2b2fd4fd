// Reading and decoding source files; see text_extractor.h.
#include "indexer/text_extractor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "indexer/analysis/passage_record.h"
#include "indexer/analysis/utf8.h"
#include "indexer/html_extractor.h"
#include "indexer/pdf_extractor.h"

namespace loci {
namespace {

/// Replaces invalid UTF-8 with U+FFFD; returns how many replacements were made.
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

bool looks_binary(std::string_view bytes) {
    return std::memchr(bytes.data(), '\0', std::min<std::size_t>(bytes.size(), 8192)) != nullptr;
}

std::variant<std::string, SkipReason> read_file(const std::string& path, std::uint64_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return SkipReason{"cannot open: " + std::error_code(errno, std::generic_category()).message()};
    std::string data;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return SkipReason{"cannot read: " + std::error_code(err, std::generic_category()).message()};
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

}  // namespace

ExtractedText split_text(std::string_view bytes) {
    ExtractedText out;
    std::uint32_t number = 1;
    std::size_t start = 0;
    while (start <= bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view line = bytes.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!(end == bytes.size() && line.empty() && start == bytes.size() && number > 1))
            out.lines.push_back(SourceLine{std::string(line), number});
        ++number;
        start = end + 1;
    }
    return out;
}

SourceFormat format_of(const std::string& path) {
    std::string ext = path.substr(path.find_last_of("./") == std::string::npos ? path.size() : path.find_last_of("./"));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".pdf") return SourceFormat::pdf;
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return SourceFormat::html;
    return SourceFormat::text;
}

std::variant<ExtractedText, SkipReason> extract_text(const SourceFile& file, const ExtractOptions& options) {
    auto read = read_file(file.read_path.empty() ? file.path : file.read_path, options.max_file_bytes);
    if (auto* skip = std::get_if<SkipReason>(&read)) return *skip;
    std::string& bytes = std::get<std::string>(read);
    if (bytes.empty()) return SkipReason{"empty file"};
    switch (format_of(file.path)) {
        case SourceFormat::pdf: return extract_pdf(bytes);
        case SourceFormat::html: return extract_html(bytes);
        case SourceFormat::text: break;
    }
    if (looks_binary(bytes)) return SkipReason{"binary file (NUL bytes); not indexed"};
    const std::uint64_t hash = fnv1a64(bytes);
    std::vector<std::string> warnings;
    if (std::size_t bad = repair_utf8(bytes); bad > 0)
        warnings.push_back("invalid UTF-8: " + std::to_string(bad) + " byte(s) read as U+FFFD");
    ExtractedText text = split_text(bytes);
    std::string().swap(bytes);  // a huge file: keep one copy of its text, not two
    text.content_hash = hash;
    text.warnings = std::move(warnings);
    return text;
}

}  // namespace loci
