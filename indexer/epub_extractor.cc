// E-books by their chapters; see epub_extractor.h.
#include "indexer/epub_extractor.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "indexer/analysis/passage_record.h"
#include "indexer/html_extractor.h"
#include "indexer/libxml_setup.h"
#include "indexer/zip_xml.h"

namespace loci {
namespace {

/// "OEBPS/content.opf" -> "OEBPS/"; a name without a folder -> "".
std::string folder_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

/// A manifest's href as a part name: relative to the package's folder,
/// %20 and the like decoded, "../" followed, a #fragment dropped.
std::string part_name(const std::string& folder, std::string href) {
    href = href.substr(0, href.find('#'));
    std::string decoded;
    for (std::size_t i = 0; i < href.size(); ++i) {
        if (href[i] == '%' && i + 2 < href.size() && std::isxdigit(static_cast<unsigned char>(href[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(href[i + 2]))) {
            decoded += static_cast<char>(std::stoi(href.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            decoded += href[i];
        }
    }
    std::vector<std::string> parts;
    std::string path = folder + decoded, piece;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') {
            piece += path[i];
            continue;
        }
        if (piece == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!piece.empty() && piece != ".") {
            parts.push_back(piece);
        }
        piece.clear();
    }
    std::string name;
    for (const std::string& p : parts) name += (name.empty() ? "" : "/") + p;
    return name;
}

/// What the package (the .opf part) says: the chapters in reading order and the title.
struct Package {
    std::vector<std::string> chapters;  ///< part names
    std::string title;
};

Package read_package(const xmlNode* root, const std::string& folder) {
    Package package;
    package.title = dc_title(child(root, "metadata"));
    std::map<std::string, const xmlNode*> items;  // manifest, by id
    for (const xmlNode* i = child(child(root, "manifest"), "item"); i; i = i->next)
        if (named(i, "item")) items.emplace(attribute(i, "id"), i);
    for (const xmlNode* r = child(child(root, "spine"), "itemref"); r; r = r->next) {
        if (!named(r, "itemref")) continue;
        auto it = items.find(attribute(r, "idref"));
        if (it == items.end()) continue;
        const std::string type = attribute(it->second, "media-type");
        const std::string properties = " " + attribute(it->second, "properties") + " ";
        if ((type != "application/xhtml+xml" && type != "text/html") || properties.find(" nav ") != std::string::npos)
            continue;
        package.chapters.push_back(part_name(folder, attribute(it->second, "href")));
    }
    return package;
}

/// Appends a chapter's blocks, numbered on from the book's last block.
void append_chapter(ExtractedText& book, const ExtractedText& chapter) {
    std::uint32_t number = book.lines.empty() ? 0 : book.lines.back().number;
    for (const SourceLine& line : chapter.lines) {
        if (!line.text.empty()) ++number;
        book.lines.push_back(SourceLine{line.text, std::max<std::uint32_t>(number, 1), line.heading_size});
    }
}

}  // namespace

std::variant<ExtractedText, SkipReason> extract_epub(const std::string& bytes) {
    prepare_libxml2();
    const ZipParts zip(bytes);
    if (!zip.is_open()) return SkipReason{"not a readable .epub (not a zip archive)"};
    XmlDoc container(nullptr, xmlFreeDoc), opf(nullptr, xmlFreeDoc);
    const xmlNode* root = nullptr;
    if (std::string why = read_xml(zip, "META-INF/container.xml", container, root); !why.empty())
        return SkipReason{why + "; not a readable .epub"};
    const std::string package_name = attribute(child(child(root, "rootfiles"), "rootfile"), "full-path");
    if (package_name.empty()) return SkipReason{"META-INF/container.xml names no package; not a readable .epub"};
    if (std::string why = read_xml(zip, package_name, opf, root); !why.empty())
        return SkipReason{why + "; not a readable .epub"};
    const Package package = read_package(root, folder_of(package_name));
    ExtractedText book;
    book.format = SourceFormat::document;
    book.content_hash = fnv1a64(bytes);
    book.title = package.title;
    std::string data;
    for (const std::string& name : package.chapters) {
        if (std::string why = zip.read(name, data); !why.empty()) {
            book.warnings.push_back("chapter " + why + "; left out");
            continue;
        }
        auto chapter = extract_html(data);
        if (const auto* text = std::get_if<ExtractedText>(&chapter)) append_chapter(book, *text);
    }
    if (book.lines.empty()) return SkipReason{"e-book without text; not indexed"};
    return book;
}

}  // namespace loci
