/** @file zip_xml.h
 *  @brief Zip archives of XML parts, which .docx, .odt and .epub files
 *  are: libzip reads a part, libxml2 parses it (xml_nodes.h walks it).
 */
#pragma once
#include <libxml/tree.h>
#include <zip.h>

#include <memory>
#include <string>

#include "indexer/xml_nodes.h"

namespace loci {

/// A part larger than this, uncompressed, is refused: its XML tree takes
/// several times as much memory, and a zip bomb's parts claim gigabytes.
/// 64 MiB of a .docx's document.xml is some ten thousand pages.
inline constexpr zip_uint64_t kMaxPartBytes = 64ull << 20;

/// A zip archive held in memory (not copied: @p bytes must outlive it),
/// its parts read by name.
class ZipParts {
  public:
    explicit ZipParts(const std::string& bytes);
    ~ZipParts();
    ZipParts(const ZipParts&) = delete;
    ZipParts& operator=(const ZipParts&) = delete;

    bool is_open() const { return archive_ != nullptr; }

    /// The part @p name, uncompressed, into @p data; "" when it is read,
    /// else why not ("no word/document.xml", "... is damaged").
    std::string read(const std::string& name, std::string& data) const;

  private:
    zip_t* archive_ = nullptr;
};

using XmlDoc = std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)>;

/// No network, no messages; entities are not expanded (the formats use
/// none), so that no part can grow by expansion. Null when not XML.
XmlDoc parse_xml(const std::string& data);

/// The root element of the part @p name, parsed into @p doc (which owns
/// it), in @p root; "" when read, else why not ("no meta.xml", "... is
/// not XML").
std::string read_xml(const ZipParts& zip, const std::string& name, XmlDoc& doc, const xmlNode*& root);

/// The dc:title child of @p metadata (a .docx's core properties, an .odt's
/// meta, an .epub's package metadata) on one line, "" where it is none or
/// a placeholder (metadata_title()).
std::string dc_title(const xmlNode* metadata);

}  // namespace loci
