// PDF text extraction with reading order; see pdf_extractor.h.
#include "indexer/pdf_extractor.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/passage_record.h"

namespace loci {
namespace {

/// A word's type, told by its glyphs' widths (three at least).
enum class Type { unknown, monospace, proportional };

struct Word {
    std::string text;
    double x0, y0, x1, y1;
    bool space_after;
    double size;  ///< the type's: the box's height, to a tenth of a point
    Type type;
    double mid_y() const { return (y0 + y1) / 2; }
    double height() const { return y1 - y0; }
};

/// A line of a column; an empty one where a paragraph ends.
struct Line {
    std::string text;
    double y0 = 0, y1 = 0;
    double size = 0;            ///< the type size of most of its characters
    bool proportional = false;  ///< more of its characters in proportional type than in typewriter type
};

/// Poppler reports broken files on stderr; a bad file is our warning, not its noise.
void quiet_poppler() {
    static bool done = (poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr), true);
    (void)done;
}

std::string utf8(const poppler::ustring& s) {
    poppler::byte_array bytes = s.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

/// The first page read in the process is read alone. Poppler builds
/// process-wide LittleCMS state (an sRGB profile, transforms, an error
/// handler) when a page is first drawn, in GfxState's constructor, behind a
/// bare `if (!ptr)` on statics: two worker threads drawing their first pages
/// at once can corrupt the heap. ThreadSanitizer showed it in e2e_formats
/// (1 run in 10, free and malloc of the same lcms2 block on two threads);
/// the same race is reported against poppler (freedesktop work item 1800).
/// Once one page has been drawn the statics are set, and pages are read
/// in parallel again.
std::vector<poppler::text_box> text_boxes(const poppler::page& page) {
    static std::atomic<bool> drawn_once{false};
    static std::mutex first_draw;
    if (drawn_once.load(std::memory_order_acquire)) return page.text_list();
    std::lock_guard<std::mutex> lock(first_draw);
    std::vector<poppler::text_box> boxes = page.text_list();
    drawn_once.store(true, std::memory_order_release);
    return boxes;
}

/// Every glyph of the word as wide as the others: typewriter type, whose
/// boxes are taller than a proportional font's of the same size, so that
/// code would pass for headings.
Type type_of(const poppler::text_box& box, std::size_t glyphs) {
    if (glyphs < 3) return Type::unknown;
    double narrowest = 1e9, widest = 0;
    for (std::size_t i = 0; i < glyphs; ++i) {
        const double w = box.char_bbox(i).width();
        narrowest = std::min(narrowest, w);
        widest = std::max(widest, w);
    }
    if (widest <= 0) return Type::unknown;
    return widest - narrowest <= 0.02 * widest ? Type::monospace : Type::proportional;
}

std::vector<Word> words_of(const poppler::page& page) {
    std::vector<Word> words;
    for (const poppler::text_box& box : text_boxes(page)) {
        const poppler::rectf r = box.bbox();
        const poppler::ustring glyphs = box.text();
        std::string text = utf8(glyphs);
        if (text.empty()) continue;
        // The box's height stands for the type size: poppler sizes it by
        // the font, and asking for font information (text_list_include_font)
        // made PDF indexing half as slow again.
        const double size = std::round(r.height() * 10) / 10;
        words.push_back(Word{std::move(text), r.x(), r.y(), r.x() + r.width(), r.y() + r.height(), box.has_space_after(), size,
                             type_of(box, glyphs.size())});
    }
    return words;
}

/// The x of an empty gutter splitting the page into two columns, or a negative value.
double find_gutter(const std::vector<Word>& words, double page_width) {
    if (words.size() < 20 || page_width <= 0) return -1;
    constexpr double kBin = 2.0;
    const auto bins = static_cast<std::size_t>(page_width / kBin) + 1;
    std::vector<int> covered(bins, 0);
    for (const Word& w : words) {
        const auto from = static_cast<std::size_t>(std::max(0.0, w.x0) / kBin);
        const auto to = std::min(bins - 1, static_cast<std::size_t>(std::max(0.0, w.x1) / kBin));
        for (std::size_t b = from; b <= to; ++b) ++covered[b];
    }
    // The widest run of (nearly) empty bins in the middle half of the page:
    // a running header or a page number may cross the gutter.
    const int tolerated = std::max<int>(2, static_cast<int>(words.size() / 100));
    std::size_t best_start = 0, best_len = 0;
    for (std::size_t b = bins / 4; b < bins * 3 / 4;) {
        if (covered[b] > tolerated) {
            ++b;
            continue;
        }
        std::size_t e = b;
        while (e < bins * 3 / 4 && covered[e] <= tolerated) ++e;
        if (e - b > best_len) best_start = b, best_len = e - b;
        b = e;
    }
    if (best_len * kBin < 4) return -1;
    const double gutter = (best_start + best_len / 2.0) * kBin;
    const auto crossing = std::count_if(words.begin(), words.end(), [&](const Word& w) { return w.x0 < gutter && w.x1 > gutter; });
    if (crossing > tolerated) return -1;
    const auto left = std::count_if(words.begin(), words.end(), [&](const Word& w) { return w.x1 <= gutter; });
    const double share = static_cast<double>(left) / words.size();
    // Each column holds lines of its own: on a page of a few long lines the
    // spaces between words can line up into a "gutter" of a word or two.
    std::set<long> left_rows, right_rows;
    for (const Word& w : words) (w.x1 <= gutter ? left_rows : right_rows).insert(std::lround(w.mid_y()));
    constexpr std::size_t kMinColumnRows = 5;
    if (left_rows.size() < kMinColumnRows || right_rows.size() < kMinColumnRows) return -1;
    return share > 0.2 && share < 0.8 ? gutter : -1;
}

/// The size that most characters have.
double most_common(const std::map<double, std::size_t>& chars_by_size) {
    double size = 0;
    std::size_t most = 0;
    for (const auto& [s, n] : chars_by_size)
        if (n > most) size = s, most = n;
    return size;
}

/// Words of one column -> lines, top to bottom, blank lines at paragraph gaps.
std::vector<Line> lines_of(std::vector<Word> words) {
    std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
        return a.mid_y() < b.mid_y() || (a.mid_y() == b.mid_y() && a.x0 < b.x0);
    });
    std::vector<std::vector<Word>> rows;
    for (Word& w : words) {
        if (!rows.empty()) {
            const Word& first = rows.back().front();
            if (std::abs(w.mid_y() - first.mid_y()) < 0.5 * std::max(1.0, first.height())) {
                rows.back().push_back(std::move(w));
                continue;
            }
        }
        rows.push_back({std::move(w)});
    }
    std::vector<Line> lines;
    for (auto& row : rows) {
        std::sort(row.begin(), row.end(), [](const Word& a, const Word& b) { return a.x0 < b.x0; });
        Line line{{}, row.front().y0, row.front().y1};
        std::map<double, std::size_t> chars_by_size;
        std::size_t chars_by_type[3] = {0, 0, 0};
        for (std::size_t i = 0; i < row.size(); ++i) {
            chars_by_size[row[i].size] += row[i].text.size();
            chars_by_type[static_cast<int>(row[i].type)] += row[i].text.size();
            line.text += row[i].text;
            const bool gap = i + 1 < row.size() && row[i + 1].x0 - row[i].x1 > 0.15 * std::max(1.0, row[i].height());
            if (i + 1 < row.size() && (row[i].space_after || gap)) line.text += ' ';
            line.y0 = std::min(line.y0, row[i].y0);
            line.y1 = std::max(line.y1, row[i].y1);
        }
        line.size = most_common(chars_by_size);
        line.proportional = chars_by_type[static_cast<int>(Type::proportional)] >
                            chars_by_type[static_cast<int>(Type::monospace)];
        lines.push_back(std::move(line));
    }
    return lines;
}

/// Appends @p lines, with a blank line where the gap says a paragraph ends.
void add_with_breaks(const std::vector<Line>& lines, std::vector<Line>& out) {
    std::vector<double> gaps;
    for (std::size_t i = 1; i < lines.size(); ++i) gaps.push_back(lines[i].y0 - lines[i - 1].y0);
    // The line spacing inside paragraphs: a low percentile of the gaps, since
    // in a text of one-line paragraphs most gaps are paragraph breaks.
    double typical = 0;
    if (!gaps.empty()) {
        std::vector<double> sorted = gaps;
        std::sort(sorted.begin(), sorted.end());
        typical = sorted[sorted.size() / 5];
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0 && typical > 0 && gaps[i - 1] > 1.6 * typical) out.emplace_back();
        out.push_back(lines[i]);
    }
}

/// Digits as '#', trimmed: "Page 3 of 10" and "Page 4 of 10" are one header.
std::string header_key(const std::string& line) {
    std::string key;
    for (char c : line) key += std::isdigit(static_cast<unsigned char>(c)) ? '#' : c;
    while (!key.empty() && key.back() == ' ') key.pop_back();
    return key;
}

/// A page is one block of lines per column.
using PageBlocks = std::vector<std::vector<Line>>;

/// Removes lines that repeat among the first or last two lines of a column
/// on most pages: running headers and footers.
void drop_running_headers(std::vector<PageBlocks>& pages) {
    if (pages.size() < 3) return;
    std::map<std::string, std::size_t> seen;
    auto edges = [](const std::vector<Line>& page) {
        std::vector<std::size_t> at;
        for (std::size_t i = 0, n = 0; i < page.size() && n < 2; ++i)
            if (!page[i].text.empty()) at.push_back(i), ++n;
        for (std::size_t i = page.size(), n = 0; i-- > 0 && n < 2;)
            if (!page[i].text.empty()) at.push_back(i), ++n;
        std::sort(at.begin(), at.end());
        at.erase(std::unique(at.begin(), at.end()), at.end());
        return at;
    };
    for (const PageBlocks& page : pages) {
        std::set<std::string> keys;
        for (const auto& block : page)
            for (std::size_t i : edges(block)) keys.insert(header_key(block[i].text));
        for (const std::string& k : keys) ++seen[k];
    }
    const std::size_t needed = std::max<std::size_t>(3, pages.size() / 2);
    // A running line, or running lines side by side ("Review" + "Page #" on a
    // page read as one column).
    auto is_running = [&](std::string key) {
        while (!key.empty()) {
            if (seen[key] >= needed) return true;
            bool found = false;
            for (const auto& [k, n] : seen) {
                if (n < needed || k.size() >= key.size() || key.compare(0, k.size(), k) != 0 || key[k.size()] != ' ')
                    continue;
                key = key.substr(k.size() + 1);
                found = true;
                break;
            }
            if (!found) return false;
        }
        return false;
    };
    for (PageBlocks& page : pages)
        for (auto& block : page) {
            std::vector<bool> drop(block.size(), false);
            for (std::size_t i : edges(block)) drop[i] = is_running(header_key(block[i].text));
            std::vector<Line> kept;
            for (std::size_t i = 0; i < block.size(); ++i)
                if (!drop[i]) kept.push_back(std::move(block[i]));
            block.swap(kept);
        }
}

/// The body text's size: the one most characters of the document have.
double body_size(const std::vector<PageBlocks>& pages) {
    std::map<double, std::size_t> chars_by_size;
    for (const PageBlocks& page : pages)
        for (const auto& block : page)
            for (const Line& line : block) chars_by_size[line.size] += line.text.size();
    return most_common(chars_by_size);
}

/// A heading, as a reader sees one: a short line in type at least a fifth
/// larger than the body's (and a point more) that reads as a heading.
bool looks_like_heading(const Line& line, double body) {
    return body > 0 && line.proportional && is_heading_type(line.size, body) && reads_as_heading(line.text);
}

}  // namespace

std::variant<ExtractedText, SkipReason> extract_pdf(const std::string& bytes) {
    quiet_poppler();
    std::vector<char> data(bytes.begin(), bytes.end());
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
    if (!doc) return SkipReason{"not a readable PDF (broken or truncated)"};
    if (doc->is_locked()) return SkipReason{"encrypted PDF; not indexed"};

    std::vector<PageBlocks> pages;
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        PageBlocks blocks;
        if (page) {
            std::vector<Word> words = words_of(*page);
            const double gutter = find_gutter(words, page->page_rect().width());
            std::vector<Word> left, right;
            for (Word& w : words) (gutter >= 0 && w.x0 >= gutter ? right : left).push_back(std::move(w));
            for (auto* column : {&left, &right}) {
                if (column->empty()) continue;
                blocks.emplace_back();
                add_with_breaks(lines_of(std::move(*column)), blocks.back());
            }
        }
        pages.push_back(std::move(blocks));
    }
    drop_running_headers(pages);

    ExtractedText out;
    out.format = SourceFormat::pdf;
    out.soft_hyphens = true;
    out.markdown_headings = false;
    const double body = body_size(pages);
    out.content_hash = fnv1a64(bytes);
    out.title = metadata_title(utf8(doc->info_key("Title")));
    std::uint32_t number = 1;
    bool any_text = false;
    for (PageBlocks& page : pages) {
        out.page_starts.push_back(number);
        for (auto& block : page) {
            for (Line& line : block) {
                any_text |= !line.text.empty();
                const auto heading_size = static_cast<float>(looks_like_heading(line, body) ? line.size : 0);
                out.lines.push_back(SourceLine{std::move(line.text), number++, heading_size});
            }
            out.lines.push_back(SourceLine{std::string(), number++});  // columns and pages end paragraphs
        }
    }
    if (!any_text) return SkipReason{"PDF without text (scanned images?); not indexed"};
    return out;
}

}  // namespace loci
