// Word-processor documents by paragraphs; see office_extractor.h.
#include "indexer/office_extractor.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/block_lines.h"
#include "indexer/libxml_setup.h"
#include "indexer/markup_cleaner.h"
#include "indexer/zip_xml.h"

namespace loci {
namespace {

/// Appends a document's own text to @p raw: any mark bytes in it are spaces.
void append_text(std::string& raw, const std::string& text) {
    const std::size_t from = raw.size();
    raw += text;
    remove_block_marks(raw, from);
}

/// The root of an optional XML part, parsed into @p doc; null when absent.
const xmlNode* optional_part(const ZipParts& zip, const char* name, XmlDoc& doc) {
    const xmlNode* root = nullptr;
    read_xml(zip, name, doc, root);
    return root;
}

/// The title in a docProps/core.xml or meta.xml part (dc:title), "" if none.
std::string title_of(const ZipParts& zip, const char* part) {
    XmlDoc doc(nullptr, xmlFreeDoc);
    const xmlNode* root = optional_part(zip, part, doc);
    return dc_title(named(root, "document-meta") ? child(root, "meta") : root);  // .odt: one level down
}

// ---- What both formats are read into ----

struct Block {
    enum class Kind { paragraph, heading, list_item, row } kind = Kind::paragraph;
    int level = 0;                   ///< a heading's, 1 to 6
    std::string raw;                 ///< the text, with block marks (block_lines.h)
    std::vector<std::string> cells;  ///< a row's, each raw
};

struct Note {
    std::string label;  ///< as the reference shows it
    std::string raw;
};

struct DocumentText {
    std::vector<Block> blocks;  ///< the body's, in order, each counted as a line
    std::vector<Note> notes;    ///< in the order the body cites them
};

/// One line per block, numbered by its place in the body, the notes after it.
ExtractedText to_lines(const DocumentText& doc, const std::string& bytes, std::string title) {
    ExtractedText out;
    out.format = SourceFormat::document;
    out.content_hash = fnv1a64(bytes);
    out.title = std::move(title);
    std::uint32_t number = 0;
    for (const Block& b : doc.blocks) {
        ++number;
        if (b.kind == Block::Kind::row) {
            std::vector<std::string> cells;
            for (const std::string& cell : b.cells) cells.push_back(block_text(cell));
            append_row(out, cells, number);
            continue;
        }
        std::string text = block_text(b.raw);
        if (text.empty()) continue;
        if (b.kind == Block::Kind::heading) text = std::string(static_cast<std::size_t>(b.level), '#') + " " + text;
        if (b.kind == Block::Kind::list_item) text = "- " + text;
        append_block(out, std::move(text), number);
    }
    for (const Note& n : doc.notes) {
        ++number;
        std::string text = block_text(n.raw);
        if (!text.empty()) append_block(out, "[^" + n.label + "]: " + text, number);
    }
    return out;
}

/// A note's label as markdown's [^label] holds it: the document's own
/// when it is one (1 to 6 letters or digits), else its number.
std::string note_label(const std::string& shown, std::size_t number) {
    return is_footnote_label(shown) ? shown : std::to_string(number);
}

int heading_level_of(int outline) { return std::clamp(outline, 1, 6); }

/// What reading either format's body shares: blocks in order, tables,
/// and text boxes put aside until the paragraph holding them is read.
class BodyReader {
  public:
    explicit BodyReader(DocumentText& out) : out_(out) {}
    virtual ~BodyReader() = default;
    BodyReader(const BodyReader&) = delete;
    BodyReader& operator=(const BodyReader&) = delete;

    /// The paragraphs and tables of a container: the body, a text box, a
    /// one-column table's cell.
    virtual void blocks(const xmlNode* container) = 0;

  protected:
    virtual bool is_cell(const xmlNode* n) const = 0;
    /// Every paragraph of a cell, nested tables' included, as one text.
    virtual void cell_text(const xmlNode* cell, std::string& raw) = 0;

    /// A block read; then the text boxes met inside it.
    void add(Block b) {
        out_.blocks.push_back(std::move(b));
        std::vector<const xmlNode*> boxes;
        boxes.swap(boxes_);
        for (const xmlNode* box : boxes) blocks(box);
    }

    /// A text box (a frame) met inside a paragraph: its paragraphs are
    /// blocks of their own, after that paragraph.
    void put_aside(const xmlNode* box) { boxes_.push_back(box); }

    /// A table's rows as rows of cells; a one-column table (a box around
    /// text) as its cells' paragraphs.
    void rows(const std::vector<const xmlNode*>& rows) {
        const bool one_column = std::all_of(rows.begin(), rows.end(), [&](const xmlNode* r) {
            int cells = 0;
            for (const xmlNode* c = r->children; c; c = c->next) cells += is_cell(c);
            return cells <= 1;
        });
        for (const xmlNode* r : rows) {
            Block row;
            row.kind = Block::Kind::row;
            for (const xmlNode* c = r->children; c; c = c->next) {
                if (!is_cell(c)) continue;
                if (one_column) blocks(c);
                else cell_text(c, row.cells.emplace_back());
            }
            if (!one_column) add(std::move(row));
        }
    }

    DocumentText& out_;

  private:
    std::vector<const xmlNode*> boxes_;
};

// ---- Word (.docx) ----

/// An element of WordprocessingML, not of the DrawingML inside drawings
/// (whose a:p and a:t hold a chart's or a shape's own labels).
bool word(const xmlNode* n, const char* local) {
    return named(n, local) && n->ns && n->ns->href &&
           std::strstr(reinterpret_cast<const char*>(n->ns->href), "wordprocessingml") != nullptr;
}

/// Paragraph and character styles (word/styles.xml), by id: headings and
/// lists are styles, whose ids are in the author's language
/// ("berschrift1") but whose names and outline levels are not; and how
/// each sets its text (bold, size), for headings set by hand.
class WordStyles {
  public:
    explicit WordStyles(const xmlNode* root) {
        for (const xmlNode* s = root ? root->children : nullptr; s; s = s->next) {
            if (named(s, "docDefaults")) default_look_ = look_of(child(child(s, "rPrDefault"), "rPr"));
            const std::string type = attribute(s, "type");
            if (!named(s, "style") || (type != "paragraph" && type != "character")) continue;
            Style style;
            style.name = ascii_lower(attribute(child(s, "name"), "val"));
            style.based_on = attribute(child(s, "basedOn"), "val");
            const xmlNode* props = child(s, "pPr");
            style.outline = outline_level(props);
            style.numbered = numbered(props);
            style.look = look_of(child(s, "rPr"));
            const std::string id = attribute(s, "styleId");
            if (type == "paragraph" && is_on(attribute(s, "default"))) normal_ = id;
            styles_[id] = std::move(style);
        }
        body_size_ = with_defaults(inherit(normal_, Look{})).size;
    }

    /// How a run is set: bold or not, its size in half-points; unset: -1, 0.
    struct Look {
        int bold = -1;
        int size = 0;
    };

    /// A run's properties (w:rPr) as a Look; what they leave unset, unset.
    static Look look_of(const xmlNode* run_props) {
        Look look;
        if (const xmlNode* b = child(run_props, "b")) look.bold = is_on(attribute(b, "val")) ? 1 : 0;
        const std::string size = attribute(child(run_props, "sz"), "val");
        look.size = std::atoi(size.c_str());
        return look;
    }

    /// @p look with what it leaves unset taken from style @p id (a
    /// paragraph without one has the default paragraph style) and the
    /// styles it is based on.
    Look inherit(std::string id, Look look) const {
        if (id.empty()) id = normal_;
        for (int depth = 0; depth < kMaxDepth && (look.bold < 0 || look.size <= 0); ++depth) {
            const Style* s = find(id);
            if (!s) break;
            if (look.bold < 0) look.bold = s->look.bold;
            if (look.size <= 0) look.size = s->look.size;
            id = s->based_on;
        }
        return look;
    }

    /// @p look with what is still unset from the document's defaults, then
    /// Word's own (not bold, 10 points).
    Look with_defaults(Look look) const {
        if (look.bold < 0) look.bold = std::max(default_look_.bold, 0);
        if (look.size <= 0) look.size = default_look_.size > 0 ? default_look_.size : 20;
        return look;
    }

    /// A toggle's value: absent (as in <w:b/>) or anything but "0", "false", "off".
    static bool is_on(const std::string& v) { return v != "0" && v != "false" && v != "off"; }

    /// The body text's size, in half-points: the default paragraph style's.
    int body_size() const { return body_size_; }

    /// "heading 3" (or a style based on one, or of outline level 3) is 3;
    /// "Title" 1; 0 for body text.
    int heading_level(std::string id) const {
        for (int depth = 0; depth < kMaxDepth; ++depth) {
            const Style* s = find(id);
            if (!s) return 0;
            if (s->name == "title") return 1;
            if (s->name.rfind("heading ", 0) == 0 && s->name.size() == 9 && s->name[8] >= '1' && s->name[8] <= '9')
                return heading_level_of(s->name[8] - '0');
            if (s->outline > 0) return heading_level_of(s->outline);
            id = s->based_on;
        }
        return 0;
    }

    /// "List Paragraph", "List Bullet", or a style that numbers its paragraphs.
    bool is_list(std::string id) const {
        for (int depth = 0; depth < kMaxDepth; ++depth) {
            const Style* s = find(id);
            if (!s) return false;
            if (s->name.rfind("list", 0) == 0 || s->numbered) return true;
            id = s->based_on;
        }
        return false;
    }

    /// A table of contents' entry ("toc 1"): it repeats a heading.
    bool is_contents_entry(const std::string& id) const {
        const Style* s = find(id);
        return s && s->name.rfind("toc ", 0) == 0;
    }

    /// w:outlineLvl in paragraph properties, 1-based; 0 for body text (9 in Word's own 0-based count).
    static int outline_level(const xmlNode* props) {
        const std::string v = attribute(child(props, "outlineLvl"), "val");
        return v.size() == 1 && v[0] >= '0' && v[0] <= '8' ? v[0] - '0' + 1 : 0;
    }

    /// w:numPr in paragraph properties, unless it turns numbering off (numId 0).
    static bool numbered(const xmlNode* props) {
        const xmlNode* num = child(props, "numPr");
        return num && attribute(child(num, "numId"), "val") != "0";
    }

  private:
    static constexpr int kMaxDepth = 10;  ///< of basedOn chains, which may loop in a damaged file
    struct Style {
        std::string name, based_on;
        int outline = 0;
        bool numbered = false;
        Look look;
    };
    const Style* find(const std::string& id) const {
        auto it = styles_.find(id);
        return it == styles_.end() ? nullptr : &it->second;
    }
    std::map<std::string, Style> styles_;
    std::string normal_;  ///< the default paragraph style: the body's type
    Look default_look_;
    int body_size_ = 20;
};

/// Element names whose content is no text of the document: properties,
/// tracked deletions and moves away, field codes, the separator of notes,
/// comments' anchors, content controls' settings.
bool is_word_non_text(const xmlNode* n) {
    static const char* const kNames[] = {"pPr", "rPr", "del", "moveFrom", "instrText", "delText", "delInstrText",
                                         "fldData", "sdtPr", "sdtEndPr", "footnoteRef", "endnoteRef",
                                         "separator", "continuationSeparator", "tblPr", "trPr", "tcPr", "tblGrid"};
    return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* name) { return named(n, name); });
}

/// A run of hidden text (w:vanish): a reader of the document does not see
/// it (an author's notes, a template's instructions).
bool is_hidden_run(const xmlNode* n) {
    if (!named(n, "r")) return false;
    const xmlNode* vanish = child(child(n, "rPr"), "vanish");
    return vanish && WordStyles::is_on(attribute(vanish, "val"));
}

/// The body of word/document.xml (and the notes it cites) as blocks.
class WordReader : public BodyReader {
  public:
    WordReader(const WordStyles& styles, std::map<std::string, std::string> links, DocumentText& out)
        : BodyReader(out), styles_(styles), links_(std::move(links)) {}

    void blocks(const xmlNode* container) override {
        for (const xmlNode* n = container->children; n; n = n->next) {
            if (word(n, "p")) paragraph(n);
            else if (word(n, "tbl")) table(n);
            else if (named(n, "sdt")) {
                if (const xmlNode* c = child(n, "sdtContent")) blocks(c);
            } else if (named(n, "customXml") || named(n, "ins") || named(n, "moveTo")) {
                blocks(n);
            }
        }
    }

    /// The notes cited, in the order of their first citation, from
    /// word/footnotes.xml (@p endnotes false) or word/endnotes.xml.
    void notes(const xmlNode* root, bool endnotes) {
        std::map<std::string, const xmlNode*> by_id;
        for (const xmlNode* n = root ? root->children : nullptr; n; n = n->next)
            if (named(n, endnotes ? "endnote" : "footnote")) by_id.emplace(attribute(n, "id"), n);
        reading_notes_ = true;
        for (const auto& [is_end, id, label] : cited_) {
            auto it = by_id.find(id);
            if (is_end != endnotes || it == by_id.end()) continue;
            Note note{label, ""};
            for (const xmlNode* p = it->second->children; p; p = p->next)
                if (word(p, "p")) {
                    inline_text(p, note.raw);
                    note.raw += ' ';
                }
            out_.notes.push_back(std::move(note));
        }
    }

  private:
    void paragraph(const xmlNode* p) {
        const xmlNode* props = child(p, "pPr");
        const std::string style = attribute(child(props, "pStyle"), "val");
        Block b;
        inline_text(p, b.raw);
        const int outline = WordStyles::outline_level(props);
        b.level = outline ? heading_level_of(outline) : styles_.heading_level(style);
        if (styles_.is_contents_entry(style)) b.raw.clear();  // still a line: the numbers after it stay put
        const bool list = WordStyles::numbered(props) || styles_.is_list(style);
        if (b.level == 0 && !list) b.level = heading_set_by_hand(p, style, b.raw);
        if (b.level > 0) b.kind = Block::Kind::heading;
        else if (list) b.kind = Block::Kind::list_item;
        add(std::move(b));
    }

    /// Many reports set their headings by hand, not by style: a short line
    /// all in bold, or in larger type, as a PDF's (reads_as_heading()).
    /// Larger type is a level 2 heading, bold at the body's size a level 3.
    int heading_set_by_hand(const xmlNode* p, const std::string& style, const std::string& raw) const {
        std::size_t from = raw.find_first_not_of(' '), to = raw.find_last_not_of(' ');
        if (from == std::string::npos || !reads_as_heading(std::string_view(raw).substr(from, to - from + 1))) return 0;
        TextLook look;
        look_of_text(p, style, look);
        if (!look.any) return 0;
        if (is_heading_type(look.smallest / 2.0, styles_.body_size() / 2.0)) return 2;
        return look.all_bold ? 3 : 0;
    }

    /// How a paragraph's text is set: whether every run holding text is
    /// bold, and the smallest size among them.
    struct TextLook {
        bool any = false, all_bold = true;
        int smallest = INT_MAX;
    };

    void look_of_text(const xmlNode* parent, const std::string& style, TextLook& look) const {
        for (const xmlNode* n = parent->children; n; n = n->next) {
            if (word(n, "r")) {
                const xmlNode* t = is_hidden_run(n) ? nullptr : child(n, "t");
                if (!t || content(t).find_first_not_of(" \t") == std::string::npos) continue;
                const xmlNode* props = child(n, "rPr");
                // A run's own properties, then its character style's, then the paragraph's style's.
                WordStyles::Look run = WordStyles::look_of(props);
                const std::string run_style = attribute(child(props, "rStyle"), "val");
                if (!run_style.empty()) run = styles_.inherit(run_style, run);
                run = styles_.with_defaults(styles_.inherit(style, run));
                look.any = true;
                look.all_bold = look.all_bold && run.bold == 1;
                look.smallest = std::min(look.smallest, run.size);
            } else if (named(n, "hyperlink") || named(n, "ins") || named(n, "smartTag") || named(n, "sdt") ||
                       named(n, "sdtContent") || named(n, "fldSimple") || named(n, "customXml")) {
                look_of_text(n, style, look);
            }
        }
    }

    void table(const xmlNode* tbl) {
        std::vector<const xmlNode*> found;
        for (const xmlNode* r = tbl->children; r; r = r->next)
            if (word(r, "tr")) found.push_back(r);
        rows(found);
    }

    bool is_cell(const xmlNode* n) const override { return word(n, "tc"); }

    void cell_text(const xmlNode* n, std::string& raw) override {
        for (const xmlNode* c = n->children; c; c = c->next) {
            if (word(c, "p")) {
                inline_text(c, raw);
                raw += ' ';
            } else if (c->type == XML_ELEMENT_NODE && !is_word_non_text(c)) {
                cell_text(c, raw);
            }
        }
    }

    /// A paragraph's text: runs, links, note references; text boxes put aside.
    void inline_text(const xmlNode* parent, std::string& raw) {
        for (const xmlNode* n = parent->children; n; n = n->next) {
            if (n->type != XML_ELEMENT_NODE || is_word_non_text(n) || is_hidden_run(n)) continue;
            if (word(n, "t")) append_text(raw, content(n));
            else if (named(n, "tab") || named(n, "br") || named(n, "cr")) raw += ' ';
            else if (named(n, "noBreakHyphen")) raw += '-';
            else if (named(n, "footnoteReference")) cite(raw, false, attribute(n, "id"));
            else if (named(n, "endnoteReference")) cite(raw, true, attribute(n, "id"));
            else if (named(n, "hyperlink")) hyperlink(n, raw);
            else if (named(n, "txbxContent")) put_aside(n);
            else if (named(n, "AlternateContent")) {
                // Its choices hold the same content for different readers (a
                // shape and its VML copy): the first only.
                if (const xmlNode* choice = child(n, "Choice")) inline_text(choice, raw);
            } else {
                inline_text(n, raw);  // runs, insertions, smart tags, fields' results, drawings
            }
        }
    }

    /// A link's text; its address where the relationship is an outside one.
    void hyperlink(const xmlNode* n, std::string& raw) {
        const std::size_t start = raw.size();
        inline_text(n, raw);
        auto it = links_.find(attribute(n, "id"));
        if (it != links_.end()) mark_link(raw, start, it->second);
    }

    /// A reference to a note: Word numbers them in the order the body
    /// cites them, footnotes 1, 2, 3 and endnotes i, ii, iii.
    void cite(std::string& raw, bool endnote, const std::string& id) {
        if (reading_notes_) return;  // a note citing a note: not followed
        std::size_t& count = endnote ? endnotes_cited_ : footnotes_cited_;
        auto [it, first] = label_of_.try_emplace({endnote, id});
        if (first) {
            ++count;
            it->second = note_label(endnote ? roman(count) : std::to_string(count), count);
            cited_.push_back({endnote, id, it->second});
        }
        raw += kNoteOpen + it->second + kNoteClose;
    }

    static std::string roman(std::size_t n) {
        static const std::pair<std::size_t, const char*> kDigits[] = {
            {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
            {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
        std::string out;
        for (const auto& [value, digits] : kDigits)
            for (; n >= value; n -= value) out += digits;
        return out;
    }

    struct Cited {
        bool endnote;
        std::string id, label;
    };
    const WordStyles& styles_;
    const std::map<std::string, std::string> links_;  ///< relationship id -> outside address
    std::vector<Cited> cited_;  ///< in the order of their first citation
    std::map<std::pair<bool, std::string>, std::string> label_of_;  ///< (endnote, id) -> label
    std::size_t footnotes_cited_ = 0, endnotes_cited_ = 0;
    bool reading_notes_ = false;
};

/// word/_rels/document.xml.rels: the outside addresses links point to, by id.
std::map<std::string, std::string> word_links(const ZipParts& zip) {
    std::map<std::string, std::string> links;
    XmlDoc doc(nullptr, xmlFreeDoc);
    const xmlNode* root = optional_part(zip, "word/_rels/document.xml.rels", doc);
    for (const xmlNode* r = root ? root->children : nullptr; r; r = r->next)
        if (named(r, "Relationship") && attribute(r, "TargetMode") == "External")
            links.emplace(attribute(r, "Id"), attribute(r, "Target"));
    return links;
}

// ---- OpenDocument (.odt) ----

/// content.xml's office:text as blocks; notes are read where they are cited.
class OdfReader : public BodyReader {
  public:
    explicit OdfReader(DocumentText& out) : BodyReader(out) {}

    void blocks(const xmlNode* container) override { blocks(container, false); }

  private:
    void blocks(const xmlNode* container, bool in_list) {
        for (const xmlNode* n = container->children; n; n = n->next) {
            if (named(n, "h")) {
                const std::string level = attribute(n, "outline-level");
                block(n, Block::Kind::heading, level.size() == 1 && level[0] >= '1' && level[0] <= '9' ? level[0] - '0' : 1);
            } else if (named(n, "p")) {
                const bool title = attribute(n, "style-name") == "Title";
                block(n, title ? Block::Kind::heading : in_list ? Block::Kind::list_item : Block::Kind::paragraph, 1);
            } else if (named(n, "list") || named(n, "list-item") || named(n, "list-header")) {
                blocks(n, true);
            } else if (named(n, "table")) {
                table(n);
            } else if (named(n, "section") || named(n, "text-box") || named(n, "frame")) {
                blocks(n, in_list);
            }
            // Anything else is no text of the body: tracked changes, tables of
            // contents and indexes (they repeat it), declarations.
        }
    }

    void block(const xmlNode* n, Block::Kind kind, int level) {
        Block b;
        b.kind = kind;
        b.level = heading_level_of(level);
        inline_text(n, b.raw);
        add(std::move(b));
    }

    void table(const xmlNode* t) {
        std::vector<const xmlNode*> found;
        collect_rows(t, found);
        rows(found);
    }

    bool is_cell(const xmlNode* n) const override { return named(n, "table-cell") || named(n, "covered-table-cell"); }

    /// Rows, also inside header-rows and row groups.
    static void collect_rows(const xmlNode* n, std::vector<const xmlNode*>& rows) {
        for (const xmlNode* c = n->children; c; c = c->next) {
            if (named(c, "table-row")) rows.push_back(c);
            else if (named(c, "table-header-rows") || named(c, "table-rows") || named(c, "table-row-group")) collect_rows(c, rows);
        }
    }

    void cell_text(const xmlNode* n, std::string& raw) override {
        for (const xmlNode* c = n->children; c; c = c->next) {
            if (named(c, "p") || named(c, "h")) {
                inline_text(c, raw);
                raw += ' ';
            } else if (named(c, "list") || named(c, "list-item") || named(c, "table") || named(c, "table-row") ||
                       named(c, "table-cell") || named(c, "section") || named(c, "table-header-rows") ||
                       named(c, "table-rows")) {
                cell_text(c, raw);
            }
        }
    }

    void inline_text(const xmlNode* parent, std::string& raw) {
        for (const xmlNode* n = parent->children; n; n = n->next) {
            if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
                append_text(raw, reinterpret_cast<const char*>(n->content));
                continue;
            }
            if (n->type != XML_ELEMENT_NODE) continue;
            if (named(n, "s")) {
                const std::string c = attribute(n, "c");
                raw.append(std::clamp(std::atoi(c.c_str()), 1, 100), ' ');
            } else if (named(n, "tab") || named(n, "line-break")) {
                raw += ' ';
            } else if (named(n, "note")) {
                note(n, raw);
            } else if (named(n, "a")) {
                const std::size_t start = raw.size();
                inline_text(n, raw);
                const std::string href = attribute(n, "href");
                if (!href.empty() && href[0] != '#') mark_link(raw, start, href);
            } else if (named(n, "frame") || named(n, "text-box")) {
                put_aside(n);
            } else if (!named(n, "annotation") && !named(n, "tracked-changes") && !named(n, "note-citation")) {
                inline_text(n, raw);  // spans, ruby, fields' shown values
            }
        }
    }

    /// A footnote or endnote written where it is cited: its citation stays
    /// as a reference, its body becomes a note after the body.
    void note(const xmlNode* n, std::string& raw) {
        const xmlNode* body = child(n, "note-body");
        if (!body) return;
        std::string shown = content(child(n, "note-citation"));
        shown.erase(std::remove_if(shown.begin(), shown.end(), [](char c) { return c == ' ' || c == '\n'; }), shown.end());
        Note note{note_label(shown, out_.notes.size() + 1), ""};
        raw += kNoteOpen + note.label + kNoteClose;
        for (const xmlNode* p = body->children; p; p = p->next) {
            if (!named(p, "p") && !named(p, "h")) continue;
            inline_text(p, note.raw);
            note.raw += ' ';
        }
        out_.notes.push_back(std::move(note));
    }

};

/// The root of the archive's main part @p name, parsed into @p doc, or
/// why the file is no @p format document.
std::variant<const xmlNode*, SkipReason> main_part(const ZipParts& zip, const char* name, const std::string& format,
                                                   XmlDoc& doc) {
    if (!zip.is_open()) return SkipReason{"not a readable " + format + " (not a zip archive; an encrypted one is not)"};
    const xmlNode* root = nullptr;
    if (std::string why = read_xml(zip, name, doc, root); !why.empty()) return SkipReason{why + "; not a readable " + format};
    return root;
}

std::variant<ExtractedText, SkipReason> lines_of(const DocumentText& text, const std::string& bytes, std::string title) {
    ExtractedText out = to_lines(text, bytes, std::move(title));
    if (out.lines.empty()) return SkipReason{"document without text; not indexed"};
    return out;
}

}  // namespace

std::variant<ExtractedText, SkipReason> extract_docx(const std::string& bytes) {
    prepare_libxml2();
    const ZipParts zip(bytes);
    XmlDoc document(nullptr, xmlFreeDoc), styles_doc(nullptr, xmlFreeDoc), footnotes_doc(nullptr, xmlFreeDoc),
        endnotes_doc(nullptr, xmlFreeDoc);
    auto root = main_part(zip, "word/document.xml", ".docx", document);
    if (auto* skip = std::get_if<SkipReason>(&root)) return *skip;
    const xmlNode* body = child(std::get<const xmlNode*>(root), "body");
    if (!body) return SkipReason{"word/document.xml has no body; not a readable .docx"};
    const WordStyles styles(optional_part(zip, "word/styles.xml", styles_doc));
    DocumentText text;
    WordReader reader(styles, word_links(zip), text);
    reader.blocks(body);
    reader.notes(optional_part(zip, "word/footnotes.xml", footnotes_doc), false);
    reader.notes(optional_part(zip, "word/endnotes.xml", endnotes_doc), true);
    return lines_of(text, bytes, title_of(zip, "docProps/core.xml"));
}

std::variant<ExtractedText, SkipReason> extract_odt(const std::string& bytes) {
    prepare_libxml2();
    const ZipParts zip(bytes);
    XmlDoc content_doc(nullptr, xmlFreeDoc);
    auto root = main_part(zip, "content.xml", ".odt", content_doc);
    if (auto* skip = std::get_if<SkipReason>(&root)) return *skip;
    const xmlNode* text_root = child(child(std::get<const xmlNode*>(root), "body"), "text");
    if (!text_root) return SkipReason{"content.xml has no text body; not a readable .odt"};
    DocumentText text;
    OdfReader(text).blocks(text_root);
    return lines_of(text, bytes, title_of(zip, "meta.xml"));
}

}  // namespace loci
