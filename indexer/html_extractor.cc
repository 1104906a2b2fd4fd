// HTML text extraction by blocks; see html_extractor.h.
#include "indexer/html_extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/block_lines.h"
#include "indexer/libxml_setup.h"
#include "indexer/markup_cleaner.h"
#include "indexer/xml_nodes.h"

namespace loci {
namespace {

bool is_one_of(const char* name, std::initializer_list<const char*> names) {
    return std::any_of(names.begin(), names.end(), [&](const char* n) { return std::strcmp(name, n) == 0; });
}

bool is_skipped(const char* name) {
    return is_one_of(name, {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"});
}

bool is_block(const char* name) {
    return is_one_of(name, {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote",
                            "pre", "section", "article", "header", "footer", "nav", "aside", "main", "dd", "dt",
                            "figcaption", "caption", "table", "ul", "ol", "dl", "br", "hr", "address", "form",
                            "fieldset", "figure", "body", "html"});
}

/// Collects blocks in document order as lines for the segmenter.
class BlockWriter {
  public:
    explicit BlockWriter(ExtractedText& out) : out_(out) {}

    /// Footnote references of the page, read before its blocks: a
    /// footnote's target (<li id="fn1">) is known by the references to it.
    void find_notes(xmlNode* node) {
        for (xmlNode* n = node; n; n = n->next) {
            if (n->type != XML_ELEMENT_NODE) continue;
            if (std::strcmp(reinterpret_cast<const char*>(n->name), "a") == 0) {
                if (std::string target, label; is_note_reference(n, target, label)) notes_.emplace(target, label);
                continue;
            }
            find_notes(n->children);
        }
    }

    void walk(xmlNode* node) {
        for (xmlNode* n = node; n; n = n->next) {
            if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
                text(reinterpret_cast<const char*>(n->content), static_cast<std::uint32_t>(xmlGetLineNo(n)));
                continue;
            }
            if (n->type != XML_ELEMENT_NODE) continue;
            const char* name = reinterpret_cast<const char*>(n->name);
            if (std::strcmp(name, "title") == 0) {
                if (out_.title.empty()) out_.title = block_text(content(n));
                continue;
            }
            if (is_skipped(name)) continue;
            if (std::strcmp(name, "a") == 0) {
                link(n);
                continue;
            }
            if (!is_block(name)) {
                walk(n->children);
                continue;
            }
            element(n, name);
        }
    }

    void finish() { flush(); }

  private:
    void element(xmlNode* n, const char* name) {
        const bool cell = is_one_of(name, {"td", "th"});
        const bool row = std::strcmp(name, "tr") == 0;
        if (cell && in_row_) {
            flush();
            walk(n->children);
            cells_.push_back(block_text(buffer_));
            if (cells_line_ == 0) cells_line_ = line_;
            buffer_.clear();
            line_ = 0;
            return;
        }
        flush();
        if (row) {
            in_row_ = true;
            walk(n->children);
            in_row_ = false;
            append_row(out_, cells_, cells_line_);
            cells_.clear();
            cells_line_ = 0;
            return;
        }
        const auto note = notes_.empty() ? notes_.end() : notes_.find(attribute(n, "id"));
        if (note != notes_.end()) prefix_ = "[^" + note->second + "]: ";
        else if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0') prefix_ = std::string(name[1] - '0', '#') + " ";
        else if (std::strcmp(name, "li") == 0) prefix_ = "- ";
        walk(n->children);  // a block inside (<li><p>) writes the prefix
        flush();
        prefix_.clear();
    }

    /// A link to a footnote in the page (<a href="#fn1">1</a>, pandoc's and
    /// EPUB's noterefs, Wikipedia's [1] in <sup>): its target id and label.
    static bool is_note_reference(xmlNode* n, std::string& target, std::string& label) {
        target = attribute(n, "href");
        if (target.size() < 2 || target[0] != '#') return false;
        target.erase(0, 1);
        label = content(n);
        const std::size_t from = label.find_first_not_of(" \t\r\n["), to = label.find_last_not_of(" \t\r\n]");
        label = from == std::string::npos || to < from ? "" : label.substr(from, to - from + 1);
        if (!is_footnote_label(label)) return false;
        const bool in_sup = n->parent && n->parent->name && std::strcmp(reinterpret_cast<const char*>(n->parent->name), "sup") == 0;
        const std::string marks = attribute(n, "class") + " " + attribute(n, "role") + " " + attribute(n, "epub:type");
        return in_sup || marks.find("noteref") != std::string::npos || marks.find("footnote-ref") != std::string::npos;
    }

    /// A footnote's link back to its reference (pandoc's "↩︎"): no text.
    static bool is_note_backlink(xmlNode* n) {
        const std::string marks = attribute(n, "class") + " " + attribute(n, "role");
        return marks.find("backlink") != std::string::npos || marks.find("footnote-back") != std::string::npos;
    }

    /// <a href>: its text in the block, its address kept for the index
    /// (mark_link()); a link around blocks (legal in HTML5) keeps its text only.
    void link(xmlNode* n) {
        if (is_note_backlink(n)) return;
        if (std::string target, label; is_note_reference(n, target, label)) {
            buffer_ += kNoteOpen + label + kNoteClose;  // cites the footnote, as markdown's [^1]
            return;
        }
        const std::string address = indexed_address(n);
        const std::size_t start = buffer_.size();
        walk(n->children);
        if (!holds_block(n->children)) mark_link(buffer_, start, address);
    }

    /// The href worth searching: not a jump within the page (#notes) nor a
    /// script.
    static std::string indexed_address(xmlNode* n) {
        std::string address = attribute(n, "href");
        std::size_t from = 0;  // white space and control bytes, as mark_link() reads them
        while (from < address.size() && static_cast<unsigned char>(address[from]) <= ' ') ++from;
        address.erase(0, from);
        if (address.empty() || address[0] == '#' || starts_with_ignoring_case(address, "javascript:")) return "";
        return address;
    }

    static bool holds_block(xmlNode* n) {
        for (; n; n = n->next)
            if (n->type == XML_ELEMENT_NODE &&
                (is_block(reinterpret_cast<const char*>(n->name)) || holds_block(n->children)))
                return true;
        return false;
    }

    void text(const char* s, std::uint32_t line) {
        if (!s) return;
        if (buffer_.find_first_not_of(' ') == std::string::npos && std::strspn(s, " \t\r\n") == std::strlen(s)) return;
        if (line_ == 0 && std::strspn(s, " \t\r\n") != std::strlen(s)) line_ = line;
        const std::size_t from = buffer_.size();
        buffer_ += s;  // inline elements do not separate words: <b>law</b>. is "law."
        remove_block_marks(buffer_, from);
    }

    /// Writes the block read so far; its element's prefix goes with the
    /// first text, so that <li><p>text</p></li> is still a list item.
    void flush() {
        std::string block = block_text(buffer_);
        if (!block.empty()) {
            append_block(out_, prefix_ + block, line_);
            prefix_.clear();
        }
        buffer_.clear();
        line_ = 0;
    }

    ExtractedText& out_;
    std::map<std::string, std::string> notes_;  ///< footnote target id -> label
    std::string buffer_, prefix_;
    std::uint32_t line_ = 0;
    bool in_row_ = false;
    std::vector<std::string> cells_;
    std::uint32_t cells_line_ = 0;
};

}  // namespace

std::variant<ExtractedText, SkipReason> extract_html(const std::string& bytes) {
    prepare_libxml2();
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
    std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
        htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options), xmlFreeDoc);
    if (!doc) return SkipReason{"not readable as HTML"};
    ExtractedText out;
    out.format = SourceFormat::html;
    out.content_hash = fnv1a64(bytes);
    // The title lives in the head, which the walk skips: read it first.
    xmlNode* root = xmlDocGetRootElement(doc.get());
    for (xmlNode* n = root ? root->children : nullptr; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), "head") == 0)
            for (xmlNode* h = n->children; h; h = h->next)
                if (h->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(h->name), "title") == 0) {
                    std::string title = content(h);
                    std::replace(title.begin(), title.end(), '\n', ' ');
                    out.title = title.substr(title.find_first_not_of(" \t\r") == std::string::npos
                                                 ? title.size()
                                                 : title.find_first_not_of(" \t\r"));
                    while (!out.title.empty() && out.title.back() == ' ') out.title.pop_back();
                }
    BlockWriter writer(out);
    writer.find_notes(root);
    writer.walk(root);
    writer.finish();
    if (out.lines.empty()) return SkipReason{"HTML without text; not indexed"};
    return out;
}

}  // namespace loci
