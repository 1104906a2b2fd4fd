// Blocks of structured documents as markdown lines; see block_lines.h.
#include "indexer/block_lines.h"

#include <algorithm>
#include <cstring>

namespace loci {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

void remove_block_marks(std::string& text, std::size_t from) {
    std::replace_if(text.begin() + static_cast<std::ptrdiff_t>(std::min(from, text.size())), text.end(), is_block_mark,
                    ' ');
}

void mark_link(std::string& raw, std::size_t start, std::string address) {
    for (char& c : address)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    const std::size_t first = address.find_first_not_of(' ');
    if (first == std::string::npos) return;
    address.erase(0, first);
    while (address.back() == ' ') address.pop_back();
    const std::string_view shown = std::string_view(raw).substr(std::min(start, raw.size()));
    if (std::all_of(shown.begin(), shown.end(), is_space) ||
        std::any_of(shown.begin(), shown.end(), [](char c) { return c == ']' || is_block_mark(c); }))
        return;
    raw.insert(start, 1, kLinkOpen);
    raw += kLinkAddress + address + kLinkClose;
}

std::string block_text(std::string_view raw) {
    std::string out;
    bool space = false, in_address = false, in_note = false;
    for (char c : raw) {
        if (is_space(c)) {
            space = !out.empty();
            continue;
        }
        if (space && !in_note) out += ' ';
        space = false;
        switch (c) {
            case kLinkOpen: out += '['; break;
            case kLinkAddress: out += "]("; in_address = true; break;
            case kLinkClose: out += ')'; in_address = false; break;
            case kNoteOpen: out += "[^"; in_note = true; break;
            case kNoteClose: out += ']'; in_note = false; break;
            default:
                if (!in_note && (std::strchr("\\*_`~[<>&#", c) || (in_address && (c == '(' || c == ')')))) out += '\\';
                out += c;
        }
    }
    return out;
}

void append_block(ExtractedText& out, std::string text, std::uint32_t line) {
    line = std::max(line, out.lines.empty() ? 1u : out.lines.back().number);
    out.lines.push_back(SourceLine{std::move(text), line});
    out.lines.push_back(SourceLine{std::string(), line});
}

void append_row(ExtractedText& out, const std::vector<std::string>& cells, std::uint32_t line) {
    std::string joined;
    for (std::size_t i = 0; i < cells.size(); ++i) joined += (i ? "\t" : "") + cells[i];
    if (joined.find_first_not_of('\t') != std::string::npos) append_block(out, std::move(joined), line);
}

}  // namespace loci
