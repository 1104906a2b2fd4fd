// Lines -> passages; see passage_segmenter.h.
#include "indexer/passage_segmenter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "indexer/markup_cleaner.h"

namespace loci {
namespace {

/// no_text: a line with nothing to read and that ends nothing: a pipe
/// table's delimiter row, a markdown link's definition, an HTML comment's
/// line. fence: a code block's ``` or ~~~ line, which ends the passage
/// before it; code: a line inside, read as written.
enum class LineKind { blank, page_number, rule, heading, footnote, list_item, table_row, no_text, fence, code, text };

struct LineInfo {
    LineKind kind = LineKind::blank;
    std::size_t content_start = 0;  ///< byte where the content begins (after markers)
    std::string label;              ///< footnote number
    char cell_separator = '\t';     ///< a table row's: tab, '|' in a markdown pipe table, '<' in an HTML one
    bool header = false;            ///< a pipe table's header row (its delimiter row says so), an HTML one's (<th>)
    bool table_start = false;       ///< an HTML <table> line: what follows has its own header
    bool continues_row = false;     ///< an HTML row's cell line after its first: the same row goes on
};

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i;
}

bool is_page_number(std::string_view s) {
    std::size_t i = skip_spaces(s, 0), j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    return j > i && j - i <= 4 && skip_spaces(s, j) == s.size();
}

bool is_rule(std::string_view s) {
    std::size_t i = skip_spaces(s, 0);
    if (i >= s.size() || (s[i] != '-' && s[i] != '=' && s[i] != '*' && s[i] != '_')) return false;
    char c = s[i];
    std::size_t n = 0;
    for (; i < s.size(); ++i) {
        if (s[i] == c) ++n;
        else if (s[i] != ' ') return false;
    }
    return n >= 3;
}

/// Where a pipe table row's cells start and end: [start, end) pairs, the
/// outer pipes left out and escaped ones (\|) inside cells, as GitHub's
/// tables; nothing for a line without an unescaped pipe.
std::vector<std::pair<std::size_t, std::size_t>> pipe_cells(std::string_view s) {
    std::vector<std::size_t> pipes;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '|') pipes.push_back(i);
    }
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    if (pipes.empty()) return cells;
    const std::size_t first = skip_spaces(s, 0);
    std::size_t last = s.size();
    while (last > first && (s[last - 1] == ' ' || s[last - 1] == '\t')) --last;
    std::size_t from = pipes.front() == first ? first + 1 : first;
    for (std::size_t p : pipes) {
        if (p == first) continue;
        cells.emplace_back(from, p);
        from = p + 1;
    }
    if (from < last) cells.emplace_back(from, last);
    return cells;
}

/// "|---|:--:|" or "--- | ---": the row under a pipe table's header, each
/// cell dashes with an optional colon at either end.
bool is_pipe_delimiter_row(std::string_view s, std::size_t& cell_count) {
    const auto cells = pipe_cells(s);
    for (const auto& [from, to] : cells) {
        std::string_view c = s.substr(from, to - from);
        const std::size_t a = c.find_first_not_of(" \t"), b = c.find_last_not_of(" \t");
        if (a == std::string_view::npos) return false;
        c = c.substr(a, b - a + 1);
        if (c.front() == ':') c.remove_prefix(1);
        if (!c.empty() && c.back() == ':') c.remove_suffix(1);
        if (c.empty() || c.find_first_not_of('-') != std::string_view::npos) return false;
    }
    cell_count = cells.size();
    return !cells.empty();
}

bool may_be_table_row(const LineInfo& line) {
    return line.kind != LineKind::blank && line.kind != LineKind::no_text && line.kind != LineKind::fence &&
           line.kind != LineKind::code;
}

/// Markdown pipe tables: a header row with as many cells as the delimiter
/// row under it, then rows while lines hold a pipe.
void mark_pipe_tables(const std::vector<SourceLine>& lines, std::vector<LineInfo>& info) {
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        std::size_t columns = 0;
        if (!may_be_table_row(info[i]) || !may_be_table_row(info[i + 1]) ||
            !is_pipe_delimiter_row(lines[i + 1].text, columns) || pipe_cells(lines[i].text).size() != columns)
            continue;
        info[i] = LineInfo{LineKind::table_row, 0, {}, '|', true};
        info[i + 1] = LineInfo{LineKind::no_text, 0, {}, '|', false};
        std::size_t j = i + 2;
        for (; j < lines.size() && may_be_table_row(info[j]) && !pipe_cells(lines[j].text).empty(); ++j)
            info[j] = LineInfo{LineKind::table_row, 0, {}, '|', false};
        i = j - 1;
    }
}

/// "```lang" or "~~~": a code fence's character and length; length 0 when
/// the line is none. A backtick fence's info string holds no backtick:
/// "```x```" is inline code.
struct Fence {
    char mark = 0;
    std::size_t length = 0;
};

Fence fence_of(std::string_view s) {
    const std::size_t i = skip_spaces(s, 0);
    if (i >= s.size() || (s[i] != '`' && s[i] != '~')) return {};
    std::size_t j = i;
    while (j < s.size() && s[j] == s[i]) ++j;
    if (j - i < 3 || (s[i] == '`' && s.find('`', j) != std::string_view::npos)) return {};
    return {s[i], j - i};
}

/// The fence that closes @p open: the same mark, at least as long, alone on its line.
bool closes(const Fence& open, std::string_view s) {
    const Fence f = fence_of(s);
    return f.mark == open.mark && f.length >= open.length && skip_spaces(s, skip_spaces(s, 0) + f.length) == s.size();
}

/// A line that opens an HTML comment and does not close it.
bool opens_comment(std::string_view s) {
    const std::size_t i = skip_spaces(s, 0);
    return s.compare(i, 4, "<!--") == 0 && s.find("-->", i + 4) == std::string_view::npos;
}

/// Blocks whose lines are not read as markdown: fenced code (the fences
/// end passages, the lines between are code) and HTML comments over
/// several lines (no text). Only a closed block counts, so that a stray
/// ``` or <!-- in a messy report leaves the rest of the file as it was.
/// Linear time: an opening that found no close says no later one with the
/// same mark and at least its length (or no later comment) can close, and
/// a block is looked for over kMaxVerbatimLines lines at most.
void mark_verbatim_blocks(const std::vector<SourceLine>& lines, std::vector<LineInfo>& info) {
    constexpr std::size_t kMaxVerbatimLines = 10000;
    std::size_t unclosed_backticks = SIZE_MAX, unclosed_tildes = SIZE_MAX;
    bool unclosed_comment = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t last = std::min(lines.size(), i + kMaxVerbatimLines);
        if (const Fence open = fence_of(lines[i].text); open.length > 0) {
            std::size_t& unclosed = open.mark == '`' ? unclosed_backticks : unclosed_tildes;
            if (open.length >= unclosed) continue;
            std::size_t j = i + 1;
            while (j < last && !closes(open, lines[j].text)) ++j;
            if (j == last) {
                unclosed = open.length;
                continue;
            }
            info[i] = info[j] = LineInfo{LineKind::fence, 0, {}};
            for (std::size_t k = i + 1; k < j; ++k) info[k] = LineInfo{LineKind::code, 0, {}};
            i = j;
        } else if (!unclosed_comment && opens_comment(lines[i].text)) {
            std::size_t j = i + 1;
            while (j < last && lines[j].text.find("-->") == std::string::npos) ++j;
            if (j == last) {
                unclosed_comment = true;
                continue;
            }
            for (std::size_t k = i; k <= j; ++k) info[k] = LineInfo{LineKind::no_text, 0, {}};
            i = j;
        }
    }
}

/// A front matter's "key: value" line (YAML, as pandoc, Jekyll and Hugo
/// write them): the value, trimmed of spaces and one pair of quotes;
/// false when the line is not one of @p key.
bool front_matter_value(std::string_view s, std::string_view key, std::string& value) {
    if (s.size() <= key.size() || s.compare(0, key.size(), key) != 0 || s[key.size()] != ':') return false;
    std::string_view v = s.substr(key.size() + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    value = std::string(v);
    return true;
}

bool is_front_matter_fence(std::string_view s, bool closing) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s == "---" || (closing && s == "...");
}

/// A metadata block at the very top of a markdown file ("---", "key: value"
/// lines, "---" or "..."): its lines are no text (the last one would
/// otherwise underline a heading), and its title is returned, "" if none.
/// It must start with a key, so that a report opening with a rule stays.
std::string mark_front_matter(const std::vector<SourceLine>& lines, std::vector<LineInfo>& info) {
    constexpr std::size_t kMaxFrontMatterLines = 200;
    if (lines.size() < 3 || lines[0].number != 1 || !is_front_matter_fence(lines[0].text, false)) return "";
    const std::string_view first(lines[1].text);
    const std::size_t colon = first.find(':');
    if (colon == 0 || colon == std::string_view::npos ||
        !std::all_of(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }))
        return "";
    std::size_t end = 1;
    while (end < lines.size() && end <= kMaxFrontMatterLines && !is_front_matter_fence(lines[end].text, true)) ++end;
    if (end == lines.size() || end > kMaxFrontMatterLines) return "";
    std::string title;
    for (std::size_t i = 0; i <= end; ++i) {
        info[i] = LineInfo{LineKind::no_text, 0, {}};
        if (std::string v; title.empty() && front_matter_value(lines[i].text, "title", v)) title = clean_markup(v).text;
    }
    return title;
}

/// The HTML tag that opens a line of markdown ("<h2>Findings</h2>"); length 0 if none.
HtmlTag opening_tag(std::string_view s) {
    const std::size_t i = skip_spaces(s, 0);
    HtmlTag tag = html_tag_at(s.substr(i));
    tag.length += tag.length > 0 ? i : 0;  // from the line's start
    return tag;
}

/// An HTML table row on one line, "<tr><td>Hubei</td><td>1,200</td></tr>":
/// each cell's content, from its <td> or <th> to its closing tag or the
/// next cell; @p header when every cell is a <th>.
std::vector<std::pair<std::size_t, std::size_t>> html_cells(std::string_view s, bool& header) {
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    header = true;
    std::size_t open = std::string_view::npos;  // content start of the cell being read
    for (std::size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
        const HtmlTag tag = html_tag_at(s.substr(i));
        if (tag.length == 0 || (tag.name != "td" && tag.name != "th" && tag.name != "tr")) continue;
        const bool opens = !tag.closing && tag.name != "tr";
        if (open != std::string_view::npos) cells.emplace_back(open, i);
        open = opens ? i + tag.length : std::string_view::npos;
        if (opens && tag.name == "td") header = false;
    }
    if (open != std::string_view::npos) cells.emplace_back(open, s.size());
    return cells;
}

/// HTML table rows written a cell a line, as pandoc writes them:
///   <tr class="odd">
///   <td>Hubei</td>
///   <td>1,200</td>
///   </tr>
/// The cell lines of a row become one table row (a header if all are
/// <th>); the <tr> and </tr> lines have no text already.
void mark_html_rows(const std::vector<SourceLine>& lines, std::vector<LineInfo>& info) {
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const HtmlTag row = opening_tag(lines[i].text);
        bool header = false;
        if (row.length == 0 || row.closing || row.name != "tr" || !html_cells(lines[i].text, header).empty()) continue;
        std::size_t end = i + 1;
        bool all_th = true;
        for (; end < lines.size(); ++end) {
            const HtmlTag cell = opening_tag(lines[end].text);
            if (cell.length == 0 || cell.closing || (cell.name != "td" && cell.name != "th")) break;
            all_th &= cell.name == "th";
        }
        for (std::size_t k = i + 1; k < end; ++k)
            info[k] = LineInfo{LineKind::table_row, 0, {}, '<', all_th, false, k > i + 1};
        i = end - 1;
    }
}

/// "# Title" -> content start, 0 if not an ATX heading.
std::size_t heading_start(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && s[i] == '#') ++i;
    if (i == 0 || i > 6 || i >= s.size() || s[i] != ' ') return 0;
    return skip_spaces(s, i);
}

/// "<sup>4</sup> text" or "[^4]: text" -> content start and label.
std::size_t footnote_start(std::string_view s, std::string& label) {
    std::size_t i = skip_spaces(s, 0);
    std::string_view rest = s.substr(i);
    std::size_t digits_at = 0, after = 0;
    if (rest.rfind("<sup>", 0) == 0) {
        digits_at = 5;
        std::size_t close = rest.find("</sup>");
        if (close == std::string_view::npos) return 0;
        after = close + 6;
    } else if (rest.rfind("[^", 0) == 0) {
        digits_at = 2;
        std::size_t close = rest.find("]:");
        if (close == std::string_view::npos) return 0;
        after = close + 2;
    } else {
        return 0;
    }
    std::string_view number = rest.substr(digits_at, rest.find_first_of("<]", digits_at) - digits_at);
    if (!is_footnote_label(number)) return 0;
    label = std::string(number);
    return skip_spaces(s, i + after);
}

/// "- item", "* item", "• item", "3. item", "b) item" -> content start; 0 if none.
std::size_t list_start(std::string_view s, bool& numbered) {
    std::size_t i = skip_spaces(s, 0);
    if (i >= s.size()) return 0;
    numbered = false;
    if ((s[i] == '-' || s[i] == '*' || s[i] == '+') && i + 1 < s.size() && s[i + 1] == ' ')
        return skip_spaces(s, i + 1);
    if (s.compare(i, 3, "\xE2\x80\xA2") == 0) return skip_spaces(s, i + 3);  // •
    std::size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && j - i < 3) ++j;
    if (j == i && j < s.size() && s[j] >= 'a' && s[j] <= 'z') ++j;
    if (j > i && j + 1 < s.size() && (s[j] == '.' || s[j] == ')') && s[j + 1] == ' ') {
        numbered = true;
        return i;  // numbered items keep their number: "7. Regardless of ..."
    }
    return 0;
}

/// "> quoted" (and "> > nested"): where the quoted text starts; 0 when
/// the line is no block quote.
std::size_t quote_start(std::string_view s) {
    std::size_t i = skip_spaces(s, 0), after = 0;
    while (i < s.size() && s[i] == '>') {
        after = i + 1 < s.size() && s[i + 1] == ' ' ? i + 2 : i + 1;
        i = skip_spaces(s, after);
    }
    return after;
}

LineInfo classify(std::string_view s) {
    LineInfo info;
    if (is_blank(s)) return info;
    if (std::string label, address; parse_link_definition(s, label, address)) return {LineKind::no_text, 0, {}};
    if (std::size_t q = quote_start(s)) {
        // A quoted line is read as the line it quotes, its markers skipped.
        LineInfo inner = classify(s.substr(q));
        if (inner.kind == LineKind::text || inner.kind == LineKind::list_item || inner.kind == LineKind::heading) {
            inner.content_start += q;
            return inner;
        }
        if (inner.kind == LineKind::blank) return inner;
    }
    if (is_page_number(s)) return {LineKind::page_number, 0, {}};
    if (is_rule(s)) return {LineKind::rule, 0, {}};
    if (std::size_t h = heading_start(s)) return {LineKind::heading, h, {}};
    std::string label;
    if (std::size_t f = footnote_start(s, label)) return {LineKind::footnote, f, label};
    // HTML blocks in markdown, one line each; the cleaner drops their tags.
    if (const HtmlTag tag = opening_tag(s); tag.length > 0 && !tag.closing) {
        const std::string& name = tag.name;
        if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')
            return {LineKind::heading, skip_spaces(s, 0), {}};
        if (name == "li") return {LineKind::list_item, skip_spaces(s, 0), {}};
        bool header = false;
        if (name == "tr" && !html_cells(s, header).empty()) return {LineKind::table_row, 0, {}, '<', header};
        if (name == "table" && is_blank(s.substr(tag.length))) return {LineKind::no_text, 0, {}, '\t', false, true};
    }
    if (s.find('\t') != std::string_view::npos && !is_blank(s.substr(s.find('\t'))))
        return {LineKind::table_row, 0, {}};
    if (s.find('\t') != std::string_view::npos) s = s.substr(0, s.find('\t'));
    bool numbered = false;
    if (std::size_t l = list_start(s, numbered); l > 0 || numbered) return {LineKind::list_item, l, {}};
    return {LineKind::text, skip_spaces(s, 0), {}};
}

/// Ends a sentence: . ! ? : ; possibly followed by closing quotes or brackets.
bool ends_sentence(std::string_view text) {
    std::size_t i = text.size();
    while (i > 0) {
        unsigned char c = static_cast<unsigned char>(text[i - 1]);
        if (c == ')' || c == ']' || c == '"' || c == '\'' || c == '*' || c == ' ') {
            --i;
        } else if (i >= 3 && (text.compare(i - 3, 3, "\xE2\x80\x9D") == 0 ||
                              text.compare(i - 3, 3, "\xE2\x80\x99") == 0)) {  // ” ’
            i -= 3;
        } else {
            return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
        }
    }
    return false;
}

bool starts_lowercase(std::string_view text) {
    return !text.empty() && text[0] >= 'a' && text[0] <= 'z';
}

std::size_t count_words(std::string_view text) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : text) {
        bool space = c == ' ';
        if (!space && !in_word) ++n;
        in_word = !space;
    }
    return n;
}

/// Appends cleaned text of one source line (or cell) to a passage. A word
/// hyphenated across the line end is joined: "gender-" + "based" keeps its
/// hyphen; with @p soft_hyphens (PDF) "humani-" + "tarian" loses it.
void append(Passage& p, const CleanText& clean, std::uint32_t line, std::string_view separator,
            bool soft_hyphens = false) {
    if (clean.text.empty()) {
        // A line holding only a footnote marker: it cites from the end of the text.
        for (const FootnoteRef& ref : clean.cites)
            p.cites.push_back(FootnoteRef{static_cast<std::uint32_t>(p.text.size()), ref.label});
        if (clean.hidden.empty()) return;
    }
    if (!clean.text.empty()) {
        const bool glue_hyphen = !p.text.empty() && p.text.size() >= 2 && p.text.back() == '-' &&
                                 std::isalpha(static_cast<unsigned char>(p.text[p.text.size() - 2])) &&
                                 starts_lowercase(clean.text);
        if (glue_hyphen && soft_hyphens) {
            p.text.pop_back();
            while (!p.runs.empty() && p.runs.back().text_offset >= p.text.size()) p.runs.pop_back();
        }
        if (!p.text.empty() && !glue_hyphen) p.text += separator;
        const auto base = static_cast<std::uint32_t>(p.text.size());
        for (const SourceRun& r : clean.runs) p.runs.push_back(SourceRun{base + r.text_offset, line, r.column});
        for (const FootnoteRef& ref : clean.cites) p.cites.push_back(FootnoteRef{base + ref.text_offset, ref.label});
        p.text += clean.text;
    }
    if (!clean.hidden.empty()) {
        if (!p.hidden_text.empty()) p.hidden_text += ' ';
        p.hidden_text += clean.hidden;
    }
    if (p.line_start == 0) p.line_start = line;
    p.line_start = std::min(p.line_start, line);
    p.line_end = std::max(p.line_end, line);
}

/// Table cells of a row, cleaned; empty cells kept so positions mean columns.
std::vector<CleanText> split_cells(std::string_view s, char separator, const LinkDefinitions* links) {
    std::vector<CleanText> cells;
    if (separator == '|' || separator == '<') {
        bool header = false;
        for (const auto& [from, to] : separator == '|' ? pipe_cells(s) : html_cells(s, header))
            cells.push_back(clean_markup(s.substr(from, to - from), static_cast<std::uint32_t>(from), links));
        return cells;
    }
    std::size_t start = 0;
    for (;;) {
        std::size_t tab = s.find('\t', start);
        std::size_t end = tab == std::string_view::npos ? s.size() : tab;
        cells.push_back(clean_markup(s.substr(start, end - start), static_cast<std::uint32_t>(start), links));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return cells;
}

bool is_header_row(const std::vector<CleanText>& cells) {
    std::size_t filled = 0;
    for (const CleanText& c : cells) {
        if (c.text.empty()) continue;
        ++filled;
        if (count_words(c.text) > 4 || ends_sentence(c.text)) return false;
    }
    return filled >= 2;
}

/// A row whose first two cells are empty, or whose text starts in lower case,
/// carries on a row broken by a page or a block of footnotes.
bool is_continuation_row(const std::vector<CleanText>& cells) {
    std::size_t first = 0;
    while (first < cells.size() && cells[first].text.empty()) ++first;
    if (first == cells.size()) return false;
    return first >= 2 || starts_lowercase(cells[first].text);
}

/// Most content lines open (no full stop) and followed by a blank line:
/// a report hard-wrapped with blank lines between its lines.
bool is_blank_line_wrapped(const std::vector<SourceLine>& lines, const std::vector<LineInfo>& info) {
    std::size_t content = 0, wrapped = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (info[i].kind != LineKind::text && info[i].kind != LineKind::list_item) continue;
        ++content;
        const bool blank_after = i + 1 < lines.size() && info[i + 1].kind == LineKind::blank;
        if (blank_after && !ends_sentence(clean_markup(lines[i].text).text)) ++wrapped;
    }
    return wrapped >= 4 && wrapped * 10 >= content * 3;
}

/// Every line's kind. Markdown's headings (#, underlined, <h1>), fences
/// and front matter only where the text is written so (a PDF's "====" under
/// a line is a drawn rule, its "# 3" a number); a heading the extractor saw
/// is one. @p front_title: the front matter's title, if any.
std::vector<LineInfo> classify_lines(const ExtractedText& extracted, std::string& front_title) {
    const std::vector<SourceLine>& lines = extracted.lines;
    std::vector<LineInfo> info;
    info.reserve(lines.size());
    for (const SourceLine& l : lines) {
        info.push_back(classify(l.text));
        if (l.heading_size > 0) info.back() = LineInfo{LineKind::heading, skip_spaces(l.text, 0), {}};
        else if (!extracted.markdown_headings && info.back().kind == LineKind::heading)
            info.back() = LineInfo{LineKind::text, skip_spaces(l.text, 0), {}};
    }
    if (extracted.markdown_headings) {
        front_title = mark_front_matter(lines, info);
        mark_verbatim_blocks(lines, info);
        mark_html_rows(lines, info);
        // Setext headings: a text line underlined with === or ---.
        for (std::size_t i = 1; i < lines.size(); ++i)
            if (info[i].kind == LineKind::rule && info[i - 1].kind == LineKind::text &&
                lines[i].text.find_first_of("=-") != std::string::npos)
                info[i - 1].kind = LineKind::heading;
    }
    mark_pipe_tables(lines, info);
    return info;
}

}  // namespace

struct PassageSegmenter::Internal {
    SegmentOptions options;
    std::unique_ptr<icu::BreakIterator> sentences;

    explicit Internal(SegmentOptions opts) : options(opts) {
        UErrorCode status = U_ZERO_ERROR;
        sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status)) sentences.reset();
    }

    /// Sentence boundaries (byte offsets) of @p text, ending with text.size().
    std::vector<std::size_t> sentence_ends(std::string_view text) const {
        std::vector<std::size_t> ends;
        UErrorCode status = U_ZERO_ERROR;
        UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
        if (sentences && U_SUCCESS(status)) {
            sentences->setText(ut, status);
            for (int32_t b = sentences->next(); b != icu::BreakIterator::DONE; b = sentences->next())
                ends.push_back(static_cast<std::size_t>(b));
            sentences->setText(icu::UnicodeString());
        }
        utext_close(ut);
        if (ends.empty() || ends.back() != text.size()) ends.push_back(text.size());
        return ends;
    }

    /// Word boundaries every max_words words inside [from, to).
    std::vector<std::size_t> word_cuts(std::string_view text, std::size_t from, std::size_t to) const {
        std::vector<std::size_t> cuts;
        std::size_t words = 0;
        for (std::size_t i = from; i < to; ++i) {
            if (text[i] == ' ' && ++words % options.max_words == 0) cuts.push_back(i + 1);
        }
        cuts.push_back(to);
        return cuts;
    }

    void split_long(Passage&& p, std::vector<Passage>& out) const {
        if (count_words(p.text) <= options.max_words) {
            out.push_back(std::move(p));
            return;
        }
        // Greedy: fill a chunk with whole sentences up to max_words.
        std::vector<std::size_t> cuts;
        std::size_t chunk_start = 0, chunk_words = 0, prev = 0;
        for (std::size_t end : sentence_ends(p.text)) {
            std::size_t words = count_words(std::string_view(p.text).substr(prev, end - prev));
            if (chunk_words > 0 && chunk_words + words > options.max_words) {
                cuts.push_back(prev);
                chunk_start = prev;
                chunk_words = 0;
            }
            if (words > options.max_words) {
                for (std::size_t c : word_cuts(p.text, prev, end))
                    if (c < end) cuts.push_back(c);
                chunk_start = prev;
                chunk_words = words % options.max_words;
            } else {
                chunk_words += words;
            }
            prev = end;
        }
        (void)chunk_start;
        cuts.push_back(p.text.size());
        std::size_t from = 0;
        for (std::size_t to : cuts) {
            if (to <= from) continue;
            out.push_back(slice(p, from, to));
            from = to;
        }
    }

    static Passage slice(const Passage& p, std::size_t from, std::size_t to) {
        std::string_view text(p.text);
        while (from < to && text[from] == ' ') ++from;
        while (to > from && text[to - 1] == ' ') --to;
        Passage part;
        part.path = p.path;
        part.kind = p.kind;
        part.section = p.section;
        part.context = p.context;
        part.text = std::string(text.substr(from, to - from));
        part.label = p.label;
        // A marker at a cut belongs to the part whose text it follows.
        for (const FootnoteRef& ref : p.cites)
            if (ref.text_offset >= from && ref.text_offset <= to)
                part.cites.push_back(FootnoteRef{static_cast<std::uint32_t>(ref.text_offset - from), ref.label});
        // The run covering `from` starts the new passage's runs.
        auto first = std::upper_bound(p.runs.begin(), p.runs.end(), from,
                                      [](std::size_t off, const SourceRun& r) { return off < r.text_offset; });
        if (first != p.runs.begin()) --first;
        for (auto it = first; it != p.runs.end() && it->text_offset < to; ++it) {
            SourceRun r = *it;
            if (r.text_offset < from) {
                r.column += static_cast<std::uint32_t>(from - r.text_offset);
                r.text_offset = static_cast<std::uint32_t>(from);
            }
            r.text_offset -= static_cast<std::uint32_t>(from);
            part.runs.push_back(r);
        }
        part.line_start = part.runs.empty() ? p.line_start : part.runs.front().line;
        part.line_end = part.line_start;
        for (const SourceRun& r : part.runs) part.line_end = std::max(part.line_end, r.line);
        if (part.runs.size() == p.runs.size() && from == 0) part.hidden_text = p.hidden_text;
        else if (from == 0) part.hidden_text = p.hidden_text;  // link targets stay with the first part
        return part;
    }
};

PassageSegmenter::PassageSegmenter(SegmentOptions options) : internal_(std::make_unique<Internal>(options)) {}
PassageSegmenter::~PassageSegmenter() = default;
PassageSegmenter::PassageSegmenter(PassageSegmenter&&) noexcept = default;

SegmentedFile PassageSegmenter::segment(const ExtractedText& extracted, std::string_view path) const {
    const std::vector<SourceLine>& lines = extracted.lines;
    std::string front_title;
    const std::vector<LineInfo> info = classify_lines(extracted, front_title);
    // Reference links take their addresses from definitions anywhere in the file.
    LinkDefinitions definitions;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (std::string label, address; info[i].kind == LineKind::no_text && parse_link_definition(lines[i].text, label, address))
            definitions.emplace(std::move(label), std::move(address));
    const LinkDefinitions* links = definitions.empty() ? nullptr : &definitions;
    const bool wrapped = is_blank_line_wrapped(lines, info);

    SegmentedFile out;
    std::vector<Passage> done;  // finished passages, before splitting
    std::unique_ptr<Passage> current;  // the passage being built
    bool gap = false;           // a blank line since the last content line
    std::string section, table_header;
    bool in_table = false;
    const SegmentOptions& opt = internal_->options;

    auto finish = [&]() {
        if (current && !current->text.empty()) done.push_back(std::move(*current));
        current.reset();
    };
    auto start = [&](PassageKind kind) {
        finish();
        current = std::make_unique<Passage>();
        current->path = std::string(path);
        current->kind = kind;
        current->section = section;
    };
    // The passage that a continued row or paragraph at @p line joins: the
    // latest unfinished sentence (footnotes aside), else for a row the latest row.
    auto continuation_target = [&](std::uint32_t line, bool table) -> Passage* {
        auto near = [&](const Passage& p) { return line - p.line_end <= opt.max_join_distance; };
        for (auto it = done.rbegin(); it != done.rend() && near(*it); ++it)
            if (it->kind != PassageKind::footnote && it->kind != PassageKind::code && !ends_sentence(it->text))
                return &*it;
        if (!table) return nullptr;
        for (auto it = done.rbegin(); it != done.rend() && near(*it); ++it)
            if (it->kind == PassageKind::table_row) return &*it;
        return nullptr;
    };

    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& raw = lines[i].text;
        const std::uint32_t number = lines[i].number;
        const LineInfo& li = info[i];
        switch (li.kind) {
            case LineKind::blank:
            case LineKind::rule:
                gap = true;
                if (!wrapped || (current && current->kind == PassageKind::footnote)) finish();
                break;
            case LineKind::page_number:
                break;  // a page number never splits a paragraph
            case LineKind::no_text:
                if (li.table_start) {
                    table_header.clear();
                    in_table = false;
                }
                break;
            case LineKind::fence:
                finish();
                in_table = false;
                gap = false;
                break;
            case LineKind::code:
                // A block is one passage, whatever its blank lines.
                if (!current || current->kind != PassageKind::code) start(PassageKind::code);
                append(*current, verbatim_text(raw), number, " ");
                break;
            case LineKind::heading: {
                finish();
                CleanText h = clean_markup(std::string_view(raw).substr(li.content_start));
                while (!h.text.empty() && (h.text.back() == '#' || h.text.back() == ' ')) h.text.pop_back();
                // A PDF heading wrapped over lines is one heading; the next
                // line of other type is another ("Chapter 2" over "Methods").
                if (lines[i].heading_size > 0 && i > 0 && lines[i - 1].heading_size == lines[i].heading_size &&
                    !section.empty()) {
                    if (out.title == section) out.title += " " + h.text;
                    section += " " + h.text;
                    break;
                }
                section = h.text;
                if (out.title.empty() && number <= 40) out.title = h.text;
                in_table = false;
                gap = false;
                break;
            }
            case LineKind::footnote:
                start(PassageKind::footnote);
                current->context = "footnote " + li.label;
                current->label = li.label;
                append(*current, clean_markup(std::string_view(raw).substr(li.content_start),
                                              static_cast<std::uint32_t>(li.content_start), links),
                       number, " ");
                gap = false;
                break;
            case LineKind::table_row: {
                finish();
                const bool whole_rows = li.cell_separator != '\t';  // a pipe or HTML table's
                std::vector<CleanText> cells = split_cells(raw, li.cell_separator, links);
                if (whole_rows ? li.header : !in_table && is_header_row(cells)) {
                    if (!li.continues_row) table_header.clear();
                    for (const CleanText& c : cells)
                        if (!c.text.empty()) table_header += (table_header.empty() ? "" : " | ") + c.text;
                    in_table = true;
                    break;
                }
                in_table = true;
                // A pipe or HTML table's row is whole on its line; a tab table's
                // may go on after a page break.
                Passage* target = !whole_rows && is_continuation_row(cells) ? continuation_target(number, true) : nullptr;
                if (li.continues_row && !done.empty() && done.back().kind == PassageKind::table_row) target = &done.back();
                if (!target) {
                    Passage row;
                    row.path = std::string(path);
                    row.kind = PassageKind::table_row;
                    row.section = section;
                    row.context = table_header;
                    done.push_back(std::move(row));
                    target = &done.back();
                }
                for (const CleanText& c : cells) append(*target, c, number, " | ");
                gap = false;
                break;
            }
            case LineKind::list_item:
            case LineKind::text: {
                CleanText clean = clean_markup(std::string_view(raw).substr(li.content_start),
                                               static_cast<std::uint32_t>(li.content_start), links);
                if (clean.text.empty() && clean.hidden.empty()) break;
                const bool is_item = li.kind == LineKind::list_item;
                if (current && !is_item && current->kind != PassageKind::footnote &&
                    (!gap || (wrapped && (!ends_sentence(current->text) || starts_lowercase(clean.text))))) {
                    append(*current, clean, number, " ", extracted.soft_hyphens);
                } else if (current && current->kind == PassageKind::footnote && !gap && !is_item) {
                    append(*current, clean, number, " ");
                } else if (Passage* target = !is_item && starts_lowercase(clean.text) && !current
                                                 ? continuation_target(number, false)
                                                 : nullptr) {
                    append(*target, clean, number, " ", extracted.soft_hyphens);
                } else {
                    start(is_item ? PassageKind::list_item : PassageKind::paragraph);
                    append(*current, clean, number, " ");
                }
                if (!is_item) in_table = false;
                gap = false;
                break;
            }
        }
    }
    finish();

    // The document's own metadata first.
    if (!front_title.empty()) out.title = front_title;
    if (!extracted.title.empty()) out.title = extracted.title;
    if (out.title.empty()) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (info[i].kind != LineKind::text && info[i].kind != LineKind::list_item) continue;  // no rule, no code
            CleanText t = clean_markup(lines[i].text);
            if (t.text.empty()) continue;
            if (t.text.size() <= 150) out.title = t.text;
            break;
        }
    }
    if (out.title.empty()) {
        std::string_view name = path.substr(path.find_last_of('/') + 1);
        out.title = std::string(name.substr(0, name.find_last_of('.')));
    }
    for (Passage& p : done)
        if (!p.text.empty()) internal_->split_long(std::move(p), out.passages);
    return out;
}

}  // namespace loci
