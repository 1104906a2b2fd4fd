// Text, vimgrep, JSON, files and count printers; see result_printer.h.
#include "query/result_printer.h"

#include <cstdio>
#include <set>

#include "indexer/analysis/utf8.h"

namespace loci {
namespace {

// ripgrep's default colours: path magenta, line number green, match bold red.
constexpr const char* kPathColor = "\033[35m";
constexpr const char* kLineColor = "\033[32m";
constexpr const char* kMatchColor = "\033[1;31m";
constexpr const char* kDimColor = "\033[2m";
constexpr const char* kReset = "\033[0m";
constexpr std::size_t kWrapColumn = 100;

std::string paint(const std::string& s, const char* color, bool on) { return on ? color + s + kReset : s; }

/// @p text with @p matches marked: colour when @p color, else as is.
std::string highlight(const std::string& text, const std::vector<WordMatch>& matches, bool color) {
    if (!color) return text;
    std::string out;
    std::size_t at = 0;
    for (const WordMatch& m : matches) {
        if (m.text_offset < at) continue;
        out.append(text, at, m.text_offset - at);
        out += kMatchColor;
        out.append(text, m.text_offset, m.length);
        out += kReset;
        at = m.text_offset + m.length;
    }
    out.append(text, at, std::string::npos);
    return out;
}

/// Wraps at spaces to about kWrapColumn visible columns, each line indented.
std::string wrap(const std::string& text, const std::string& indent) {
    std::string out = indent;
    std::size_t visible = 0;
    bool in_escape = false;
    for (char c : text) {
        if (c == '\033') in_escape = true;
        if (!in_escape && c == ' ' && visible >= kWrapColumn) {
            out += '\n' + indent;
            visible = 0;
            continue;
        }
        out += c;
        if (in_escape) {
            if (c == 'm') in_escape = false;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++visible;
        }
    }
    return out;
}

class TextPrinter : public ResultPrinter {
  public:
    TextPrinter(std::ostream& out, std::ostream& err, const PrintOptions& o) : out_(out), err_(err), o_(o) {}
    void query_header(std::size_t line, const std::string& query) override {
        if (count_ > 0) out_ << '\n';
        out_ << paint("# line " + std::to_string(line) + ": " + query, kDimColor, o_.color) << '\n';
        count_ = 0;
    }
    void begin(const std::string&, const SearchResult& r) override {
        if (!r.suggestion.empty())
            err_ << (r.searched_suggestion ? "loci: showing results for: " : "loci: did you mean: ")
                 << r.suggestion << '\n';
    }
    void hit(const Hit& h) override {
        if (count_++ > 0) out_ << '\n';
        const Passage& p = h.passage;
        out_ << paint(display_path(p.path, o_.cwd), kPathColor, o_.color) << ':'
             << paint(std::to_string(h.citation.line), kLineColor, o_.color);
        // A document's (.docx, .odt, .epub) lines are its paragraphs: say so to people.
        const std::string unit = static_cast<SourceFormat>(h.format) == SourceFormat::document ? "paragraph" : "line";
        std::string where = p.line_start == p.line_end
                                ? unit + " " + std::to_string(p.line_start)
                                : unit + "s " + std::to_string(p.line_start) + "-" + std::to_string(p.line_end);
        // A --filter program's lines: the file itself has none to open at.
        if (static_cast<SourceFormat>(h.format) == SourceFormat::converted) where += " of its converted text";
        std::string meta = where + ", " + std::string(to_string(p.kind));
        if (h.page > 0) meta = "page " + std::to_string(h.page) + ", line " + std::to_string(h.page_line) + "; " + meta;
        if (!p.section.empty()) meta += " in \"" + p.section + "\"";
        if (!h.available) meta += "; not on this machine";
        if (h.changed) meta += "; changed since indexed";
        out_ << "  " << paint("(" + meta + ")", kDimColor, o_.color) << '\n';
        if (!p.context.empty()) out_ << paint("    [" + p.context + "]", kDimColor, o_.color) << '\n';
        out_ << wrap(highlight(p.text, h.matches, o_.color), "    ") << '\n';
        if (!h.link_matches.empty())
            out_ << wrap(paint("link: ", kDimColor, o_.color) + highlight(p.hidden_text, h.link_matches, o_.color), "    ")
                 << '\n';
        if (o_.explain) out_ << paint("    " + h.explanation, kDimColor, o_.color) << '\n';
    }
    void finish(const SearchResult&) override {}

  private:
    std::ostream& out_;
    std::ostream& err_;
    PrintOptions o_;
    std::size_t count_ = 0;
};

class VimgrepPrinter : public ResultPrinter {
  public:
    VimgrepPrinter(std::ostream& out, std::ostream& err, const PrintOptions& o) : out_(out), err_(err), o_(o) {}
    void begin(const std::string&, const SearchResult& r) override {
        if (!r.suggestion.empty())
            err_ << (r.searched_suggestion ? "loci: showing results for: " : "loci: did you mean: ") << r.suggestion << '\n';
    }
    void hit(const Hit& h) override {
        out_ << display_path(h.passage.path, o_.cwd) << ':' << h.citation.line << ':' << h.citation.column << ':';
        if (h.page > 0) out_ << "[p. " << h.page << "] ";
        out_ << h.passage.text << '\n';
        if (h.changed) changed_.insert(display_path(h.passage.path, o_.cwd));
    }
    /// An editor shows no notes: the files whose lines may have moved are named on stderr.
    void finish(const SearchResult&) override {
        for (const std::string& path : changed_)
            err_ << "loci: warning: " << path << " changed since it was indexed: its lines may have moved"
                 << " (loci-index updates it)\n";
        changed_.clear();
    }

  private:
    std::ostream& out_;
    std::ostream& err_;
    PrintOptions o_;
    std::set<std::string> changed_;
};

class JsonPrinter : public ResultPrinter {
  public:
    JsonPrinter(std::ostream& out, const PrintOptions& o) : out_(out), o_(o) {}
    void query_header(std::size_t line, const std::string& query) override {
        out_ << "{\"type\":\"query\",\"line\":" << line << ",\"query\":" << json_string(query) << "}\n";
    }
    void begin(const std::string& query, const SearchResult& r) override {
        if (!r.suggestion.empty())
            out_ << "{\"type\":\"suggestion\",\"query\":" << json_string(query)
                 << ",\"suggestion\":" << json_string(r.suggestion)
                 << ",\"searched\":" << (r.searched_suggestion ? "true" : "false") << "}\n";
    }
    void hit(const Hit& h) override {
        const Passage& p = h.passage;
        char score[32];
        std::snprintf(score, sizeof score, "%.6g", h.score);
        out_ << "{\"type\":\"passage\",\"rank\":" << h.rank << ",\"score\":" << score
             << ",\"path\":" << json_string(display_path(p.path, o_.cwd)) << ",\"line_start\":" << p.line_start
             << ",\"line_end\":" << p.line_end << ",\"line\":" << (h.page ? h.page_line : h.citation.line)
             << ",\"column\":" << h.citation.column
             << ",\"kind\":" << json_string(std::string(to_string(p.kind))) << ",\"section\":" << json_string(p.section)
             << ",\"title\":" << json_string(h.title) << ",\"context\":" << json_string(p.context)
             << ",\"text\":" << json_string(p.text) << ",\"matches\":[";
        bool first = true;
        for (const WordMatch& m : h.matches) {
            auto [line, column] = p.source_of(m.text_offset);
            out_ << (first ? "" : ",") << "{\"line\":" << line << ",\"column\":" << column + 1
                 << ",\"length\":" << m.length << ",\"offset\":" << m.text_offset << '}';
            first = false;
        }
        out_ << ']';
        if (!h.link_matches.empty()) {
            out_ << ",\"links\":" << json_string(p.hidden_text) << ",\"link_matches\":[";
            for (std::size_t i = 0; i < h.link_matches.size(); ++i)
                out_ << (i ? "," : "") << "{\"length\":" << h.link_matches[i].length
                     << ",\"offset\":" << h.link_matches[i].text_offset << '}';
            out_ << ']';
        }
        if (h.page > 0) out_ << ",\"page\":" << h.page << ",\"text_line\":" << h.citation.line;
        if (!h.available) out_ << ",\"available\":false";
        if (h.changed) out_ << ",\"changed\":true";
        if (o_.explain) out_ << ",\"explain\":" << json_string(h.explanation);
        out_ << "}\n";
    }
    void finish(const SearchResult&) override {}

  private:
    std::ostream& out_;
    PrintOptions o_;
};

class FilesPrinter : public ResultPrinter {
  public:
    FilesPrinter(std::ostream& out, const PrintOptions& o) : out_(out), o_(o) {}
    void query_header(std::size_t, const std::string&) override { seen_.clear(); }
    void begin(const std::string&, const SearchResult&) override {}
    void hit(const Hit& h) override {
        if (seen_.insert(h.passage.path).second) out_ << display_path(h.passage.path, o_.cwd) << '\n';
    }
    void finish(const SearchResult&) override {}

  private:
    std::ostream& out_;
    PrintOptions o_;
    std::set<std::string> seen_;
};

class CountPrinter : public ResultPrinter {
  public:
    CountPrinter(std::ostream& out) : out_(out) {}
    void begin(const std::string&, const SearchResult&) override {}
    void hit(const Hit&) override { ++n_; }
    void finish(const SearchResult&) override {
        out_ << n_ << '\n';
        n_ = 0;
    }

  private:
    std::ostream& out_;
    std::size_t n_ = 0;
};

}  // namespace

std::unique_ptr<ResultPrinter> make_printer(std::ostream& out, std::ostream& err, const PrintOptions& o) {
    switch (o.format) {
        case OutputFormat::vimgrep: return std::make_unique<VimgrepPrinter>(out, err, o);
        case OutputFormat::json: return std::make_unique<JsonPrinter>(out, o);
        case OutputFormat::files: return std::make_unique<FilesPrinter>(out, o);
        case OutputFormat::count: return std::make_unique<CountPrinter>(out);
        case OutputFormat::text: break;
    }
    return std::make_unique<TextPrinter>(out, err, o);
}

std::string display_path(const std::string& path, const std::string& cwd) {
    if (!cwd.empty() && cwd != "/" && path.size() > cwd.size() && path.compare(0, cwd.size(), cwd) == 0 &&
        (cwd.back() == '/' || path[cwd.size()] == '/'))
        return path.substr(cwd.size() + (cwd.back() == '/' ? 0 : 1));
    return path;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; continue;
            case '\\': out += "\\\\"; continue;
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
            continue;
        }
        // Copy a valid UTF-8 sequence; anything else becomes U+FFFD.
        if (std::size_t n = utf8_sequence_length(std::string_view(s).substr(i)); n > 0) {
            out.append(s, i, n);
            i += n - 1;
        } else {
            out += "\xEF\xBF\xBD";
        }
    }
    return out + "\"";
}

}  // namespace loci
