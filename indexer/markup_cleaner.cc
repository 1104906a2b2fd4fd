// Inline markup stripping with a source map; see markup_cleaner.h.
#include "indexer/markup_cleaner.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "indexer/analysis/ascii.h"

namespace loci {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_word_byte(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}
bool is_ascii_punct(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

/// Appends UTF-8 of @p cp to @p out.
void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x110000) {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Decodes the entity at @p s (starting with '&'); returns its length, 0 if none.
std::size_t decode_entity(std::string_view s, std::string& out) {
    std::size_t semi = s.find(';');
    if (semi == std::string_view::npos || semi < 3 || semi > 10) return 0;
    std::string_view name = s.substr(1, semi - 1);
    if (name[0] == '#') {
        std::uint32_t cp = 0;
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty()) return 0;
        for (char c : digits) {
            int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(c)) ? (std::tolower(c) - 'a' + 10)
                                                                         : -1;
            if (v < 0) return 0;
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
            if (cp > 0x10FFFF) return 0;
        }
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        append_utf8(out, cp);
        return semi + 1;
    }
    static const struct { const char* name; std::uint32_t cp; } kNamed[] = {
        {"amp", '&'},     {"lt", '<'},      {"gt", '>'},      {"quot", '"'},    {"apos", '\''},
        {"nbsp", ' '},    {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
        {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"hellip", 0x2026}, {"copy", 0xA9},  {"eacute", 0xE9},
    };
    for (const auto& e : kNamed) {
        if (name == e.name) {
            append_utf8(out, e.cp);
            return semi + 1;
        }
    }
    return 0;
}

/// Builds the cleaned text and its runs byte by byte.
class Emitter {
  public:
    Emitter(CleanText& out, std::uint32_t base) : out_(out), base_(base) {}

    /// Appends bytes from source column @p column on (all from that one
    /// column when not @p linear: a decoded entity).
    void text(std::string_view bytes, std::uint32_t column, bool linear = true) {
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            char c = bytes[i];
            if (is_ascii_space(c)) {
                pending_space_ = !out_.text.empty();
                continue;
            }
            if (pending_space_) {
                // An inserted space belongs to the run before it.
                out_.text += ' ';
                ++expected_column_;
                pending_space_ = false;
            }
            const std::uint32_t col = base_ + column + (linear ? static_cast<std::uint32_t>(i) : 0);
            if (out_.runs.empty() || col != expected_column_)
                out_.runs.push_back(SourceRun{static_cast<std::uint32_t>(out_.text.size()), 0, col});
            out_.text += c;
            expected_column_ = col + 1;
        }
    }
    /// A word boundary that is not in the source (a removed tag).
    void boundary() { pending_space_ = !out_.text.empty(); }

  private:
    CleanText& out_;
    std::uint32_t base_;
    std::uint32_t expected_column_ = 0;  ///< column of the next byte if the current run goes on
    bool pending_space_ = false;
};

bool is_autolink(std::string_view inner) {
    // A scheme or an e-mail address; <www.icrc.org> is no autolink in
    // markdown, and stays as it is written (html_tag_at()).
    return starts_with_url_scheme(inner) ||
           (inner.find('@') != std::string_view::npos && inner.find(' ') == std::string_view::npos);
}


/// True when the emphasis marker run at [i, j) touches a word on one side only
/// or on both sides of an intraword underscore that is not emphasis.
bool is_emphasis(std::string_view s, std::size_t i, std::size_t j) {
    char before = i > 0 ? s[i - 1] : ' ';
    char after = j < s.size() ? s[j] : ' ';
    bool word_before = !is_space(before), word_after = !is_space(after);
    if (s[i] == '_' && is_word_byte(before) && is_word_byte(after)) return false;  // bej_beijing
    return word_before || word_after;
}

/// Where a link's address that starts at @p from ends: the ')' that
/// closes it, parentheses inside balanced or escaped as CommonMark's
/// (.../Geneva_Conventions_(1949)); npos when none does.
std::size_t address_end(std::string_view s, std::size_t from) {
    int depth = 0;
    for (std::size_t i = from; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && is_ascii_punct(s[i + 1])) ++i;
        else if (s[i] == '(') ++depth;
        else if (s[i] == ')' && depth-- == 0) return i;
    }
    return std::string_view::npos;
}

/// A link's address as it is meant: backslash escapes and entities
/// decoded, as CommonMark's; no emphasis nor tags inside (a_(b)_c keeps
/// its underscores); white space and CommonMark's <...> trimmed.
std::string unescape_address(std::string_view url) {
    while (!url.empty() && is_ascii_space(url.front())) url.remove_prefix(1);
    while (!url.empty() && is_ascii_space(url.back())) url.remove_suffix(1);
    if (url.size() >= 2 && url.front() == '<' && url.back() == '>') url = url.substr(1, url.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < url.size(); ++i) {
        std::string decoded;
        if (url[i] == '\\' && i + 1 < url.size() && is_ascii_punct(url[i + 1])) {
            out += url[++i];
        } else if (std::size_t n = url[i] == '&' ? decode_entity(url.substr(i), decoded) : 0; n > 0) {
            out += decoded;
            i += n - 1;
        } else {
            out += url[i];
        }
    }
    return out;
}

/// A link's parts: its text ends at close (the ']'), the link at end; its
/// address is "" for a reference link, whose address is on another line.
struct LinkSpan {
    std::size_t close = std::string_view::npos, end = std::string_view::npos;
    std::string_view address;
    std::string_view label;  ///< a reference link's ([text][] : its text)
};

/// The link that starts at @p i ('['): [text](address), or [text][label]
/// and [text][] whose text holds a letter (so that a report's bracketed
/// citations "[3][4]" stay as written); end npos when there is none.
LinkSpan link_at(std::string_view s, std::size_t i) {
    const std::size_t close = s.find(']', i + 1);
    if (close == std::string_view::npos || close + 1 >= s.size()) return {};
    if (s[close + 1] == '(') {
        const std::size_t paren = address_end(s, close + 2);
        if (paren == std::string_view::npos) return {};
        return {close, paren + 1, s.substr(close + 2, paren - close - 2), {}};
    }
    const std::string_view text = s.substr(i + 1, close - i - 1);
    const std::size_t label_end = s[close + 1] == '[' ? s.find(']', close + 2) : std::string_view::npos;
    if (label_end == std::string_view::npos || s.substr(close + 2, label_end - close - 2).find('[') != std::string_view::npos ||
        std::none_of(text.begin(), text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
        return {};
    const std::string_view label = s.substr(close + 2, label_end - close - 2);
    return {close, label_end + 1, {}, label.empty() ? text : label};
}

/// A reference link's address from the file's definitions, "" if none.
std::string defined_address(const LinkDefinitions* links, std::string_view label) {
    if (!links) return "";
    auto it = links->find(ascii_lower(label));
    return it == links->end() ? std::string() : it->second;
}

/// Emits a link's text, s[open + 1, close), cleaned, each run at its own
/// column; returns it.
std::string emit_link_text(std::string_view s, std::size_t open, std::size_t close, std::uint32_t column_base,
                           Emitter& emit) {
    CleanText inner = clean_markup(s.substr(open + 1, close - open - 1), column_base + static_cast<std::uint32_t>(open + 1));
    for (std::size_t r = 0; r < inner.runs.size(); ++r) {
        const std::size_t from = inner.runs[r].text_offset;
        const std::size_t to = r + 1 < inner.runs.size() ? inner.runs[r + 1].text_offset : inner.text.size();
        if (from == 0) emit.boundary();
        emit.text(std::string_view(inner.text).substr(from, to - from), inner.runs[r].column - column_base);
    }
    return inner.text;
}

/// Records the footnotes a marker names ("24", "24, 25") at the current end of the text.
void cite_footnotes(CleanText& out, std::string_view labels) {
    std::size_t i = 0;
    while (i < labels.size()) {
        std::size_t j = labels.find_first_of(", ", i);
        if (j == std::string_view::npos) j = labels.size();
        if (j > i)
            out.cites.push_back(FootnoteRef{static_cast<std::uint32_t>(out.text.size()), std::string(labels.substr(i, j - i))});
        i = j + 1;
    }
}

}  // namespace

bool is_footnote_label(std::string_view label) {
    return !label.empty() && label.size() <= 6 &&
           std::all_of(label.begin(), label.end(), [](char d) { return std::isalnum(static_cast<unsigned char>(d)); });
}

HtmlTag html_tag_at(std::string_view s) {
    HtmlTag tag;
    if (s.size() < 3 || s[0] != '<') return tag;
    std::size_t i = 1;
    tag.closing = s[i] == '/';
    if (tag.closing) ++i;
    if (i >= s.size() || !std::isalpha(static_cast<unsigned char>(s[i]))) return tag;
    // A tag's name (letters, digits, '-') ends at '>', '/' or white space, as
    // CommonMark's raw HTML: <www.icrc.org> or <a.b> is text, not a tag.
    const std::size_t name_at = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-')) ++i;
    if (i >= s.size() || !(s[i] == '>' || s[i] == '/' || is_ascii_space(s[i]))) return tag;
    const std::size_t close = s.find('>', i);
    if (close == std::string_view::npos || close > 200) return tag;
    std::size_t name_end = name_at;  // the name told apart: its letters and digits
    while (std::isalnum(static_cast<unsigned char>(s[name_end]))) ++name_end;
    tag.name = ascii_lower(s.substr(name_at, name_end - name_at));
    tag.length = close + 1;
    return tag;
}

bool parse_link_definition(std::string_view s, std::string& label, std::string& address) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i > 3 || i + 1 >= s.size() || s[i] != '[' || s[i + 1] == '^') return false;
    const std::size_t close = s.find(']', i + 1);
    if (close == std::string_view::npos || close == i + 1 || close + 1 >= s.size() || s[close + 1] != ':') return false;
    const std::size_t from = std::min(s.find_first_not_of(" \t", close + 2), s.size());
    const std::size_t to = std::min(s.find_first_of(" \t", from), s.size());
    const std::string_view dest = s.substr(from, to - from);
    const std::size_t rest_at = std::min(s.find_first_not_of(" \t", to), s.size());
    const std::string_view rest = s.substr(rest_at);
    if (dest.empty() || dest.find_first_of("/.#:<") == std::string_view::npos ||
        !(rest.empty() || rest[0] == '"' || rest[0] == '\'' || rest[0] == '('))
        return false;
    label = ascii_lower(s.substr(i + 1, close - i - 1));
    address = unescape_address(dest);
    return true;
}

CleanText clean_markup(std::string_view s, std::uint32_t column_base, const LinkDefinitions* links) {
    CleanText out;
    Emitter emit(out, column_base);
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '\\' && i + 1 == s.size() && i > 0) break;  // a hard line break
        if (c == '\\' && i + 1 < s.size()) {
            // \_ and over-escaped \\_ : the punctuation itself.
            std::size_t j = i;
            while (j < s.size() && s[j] == '\\') ++j;
            if (j < s.size() && is_ascii_punct(s[j])) {
                emit.text(s.substr(j, 1), static_cast<std::uint32_t>(j));
                i = j + 1;
                continue;
            }
        }
        if (c == '<' && s.compare(i, 4, "<!--") == 0) {
            // An HTML comment on one line: no text of the report.
            if (std::size_t end = s.find("-->", i + 4); end != std::string_view::npos) {
                emit.boundary();
                i = end + 3;
                continue;
            }
        }
        if (c == '<') {
            if (std::size_t close = s.find('>', i + 1); close != std::string_view::npos &&
                                                        is_autolink(s.substr(i + 1, close - i - 1))) {
                emit.text(s.substr(i + 1, close - i - 1), static_cast<std::uint32_t>(i + 1));
                i = close + 1;
                continue;
            }
            if (const HtmlTag tag = html_tag_at(s.substr(i)); tag.length > 0) {
                const std::size_t n = tag.length;
                const std::string& name = tag.name;
                if (name == "sup" && !tag.closing) {
                    // A numeric <sup>N</sup> is a footnote marker: drop it, keep a boundary.
                    std::size_t end = s.find("</sup>", i + n);
                    std::string_view inner = end == std::string_view::npos ? std::string_view()
                                                                          : s.substr(i + n, end - i - n);
                    if (!inner.empty() && std::all_of(inner.begin(), inner.end(), [](char d) {
                            return std::isdigit(static_cast<unsigned char>(d)) || d == ',' || d == ' ';
                        })) {
                        cite_footnotes(out, inner);
                        emit.boundary();
                        i = end + 6;
                        continue;
                    }
                }
                if (name != "b" && name != "i" && name != "em" && name != "strong" && name != "u" &&
                    name != "sup" && name != "sub" && name != "span" && name != "a")
                    emit.boundary();
                i += n;
                continue;
            }
        }
        if (c == '&') {
            std::string decoded;
            if (std::size_t n = decode_entity(s.substr(i), decoded); n > 0) {
                emit.text(decoded, static_cast<std::uint32_t>(i), false);
                i += n;
                continue;
            }
        }
        if (c == '[' && i + 1 < s.size() && s[i + 1] == '^') {
            // [^12]: a markdown footnote marker (its definition's label is cut
            // off before cleaning, by the segmenter).
            std::size_t close = s.find(']', i + 2);
            std::string_view label = close == std::string_view::npos ? std::string_view() : s.substr(i + 2, close - i - 2);
            if (is_footnote_label(label)) {
                cite_footnotes(out, label);
                emit.boundary();
                i = close + 1;
                continue;
            }
        }
        if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') {
            // ![alt](map.png): an image reads as its alt text; a file name is no text.
            if (LinkSpan image = link_at(s, i + 1); image.end != std::string_view::npos) {
                emit_link_text(s, i + 1, image.close, column_base, emit);
                i = image.end;
                continue;
            }
        }
        if (c == '[') {
            // [text](url), [text][label]: keep text, hide url.
            if (LinkSpan link = link_at(s, i); link.end != std::string_view::npos) {
                const std::string shown = emit_link_text(s, i, link.close, column_base, emit);
                std::string address = link.label.empty() ? unescape_address(link.address) : defined_address(links, link.label);
                if (!address.empty() && address != shown) {
                    if (!out.hidden.empty()) out.hidden += ' ';
                    out.hidden += address;
                }
                i = link.end;
                continue;
            }
        }
        if (c == '*' || c == '_' || c == '`' || c == '~') {
            std::size_t j = i;
            while (j < s.size() && s[j] == c) ++j;
            if ((c == '`' || c == '~' ? j - i >= 1 : true) && is_emphasis(s, i, j)) {
                i = j;
                continue;
            }
            emit.text(s.substr(i, j - i), static_cast<std::uint32_t>(i));
            i = j;
            continue;
        }
        // Copy a run of ordinary bytes.
        std::size_t j = i + 1;
        while (j < s.size() && !std::strchr("\\<&[*_`~!", s[j])) ++j;
        emit.text(s.substr(i, j - i), static_cast<std::uint32_t>(i));
        i = j;
    }
    return out;
}

CleanText verbatim_text(std::string_view line, std::uint32_t column_base) {
    CleanText out;
    Emitter(out, column_base).text(line, 0);
    return out;
}

}  // namespace loci
