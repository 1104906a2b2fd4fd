// PDF text extraction with reading order; see pdf_extractor.h.
#include "indexer/pdf_extractor.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "indexer/analysis/passage_record.h"

namespace loci {
namespace {

struct Word {
    std::string text;
    double x0, y0, x1, y1;
    bool space_after;
    double mid_y() const { return (y0 + y1) / 2; }
    double height() const { return y1 - y0; }
};

struct Line {
    std::string text;
    double y0, y1;
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

std::vector<Word> words_of(const poppler::page& page) {
    std::vector<Word> words;
    for (const poppler::text_box& box : text_boxes(page)) {
        const poppler::rectf r = box.bbox();
        std::string text = utf8(box.text());
        if (text.empty()) continue;
        words.push_back(Word{std::move(text), r.x(), r.y(), r.x() + r.width(), r.y() + r.height(), box.has_space_after()});
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
    return share > 0.2 && share < 0.8 ? gutter : -1;
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
        for (std::size_t i = 0; i < row.size(); ++i) {
            line.text += row[i].text;
            const bool gap = i + 1 < row.size() && row[i + 1].x0 - row[i].x1 > 0.15 * std::max(1.0, row[i].height());
            if (i + 1 < row.size() && (row[i].space_after || gap)) line.text += ' ';
            line.y0 = std::min(line.y0, row[i].y0);
            line.y1 = std::max(line.y1, row[i].y1);
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

/// Appends @p lines, with a blank line where the gap says a paragraph ends.
void add_with_breaks(const std::vector<Line>& lines, std::vector<std::string>& out) {
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
        out.push_back(lines[i].text);
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
using PageBlocks = std::vector<std::vector<std::string>>;

/// Removes lines that repeat among the first or last two lines of a column
/// on most pages: running headers and footers.
void drop_running_headers(std::vector<PageBlocks>& pages) {
    if (pages.size() < 3) return;
    std::map<std::string, std::size_t> seen;
    auto edges = [](const std::vector<std::string>& page) {
        std::vector<std::size_t> at;
        for (std::size_t i = 0, n = 0; i < page.size() && n < 2; ++i)
            if (!page[i].empty()) at.push_back(i), ++n;
        for (std::size_t i = page.size(), n = 0; i-- > 0 && n < 2;)
            if (!page[i].empty()) at.push_back(i), ++n;
        std::sort(at.begin(), at.end());
        at.erase(std::unique(at.begin(), at.end()), at.end());
        return at;
    };
    for (const PageBlocks& page : pages) {
        std::set<std::string> keys;
        for (const auto& block : page)
            for (std::size_t i : edges(block)) keys.insert(header_key(block[i]));
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
            for (std::size_t i : edges(block)) drop[i] = is_running(header_key(block[i]));
            std::vector<std::string> kept;
            for (std::size_t i = 0; i < block.size(); ++i)
                if (!drop[i]) kept.push_back(std::move(block[i]));
            block.swap(kept);
        }
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
    out.content_hash = fnv1a64(bytes);
    out.title = utf8(doc->info_key("Title"));
    std::uint32_t number = 1;
    bool any_text = false;
    for (PageBlocks& page : pages) {
        out.page_starts.push_back(number);
        for (auto& block : page) {
            for (std::string& line : block) {
                any_text |= !line.empty();
                out.lines.push_back(SourceLine{std::move(line), number++});
            }
            out.lines.push_back(SourceLine{std::string(), number++});  // columns and pages end paragraphs
        }
    }
    if (!any_text) return SkipReason{"PDF without text (scanned images?); not indexed"};
    return out;
}

}  // namespace loci
