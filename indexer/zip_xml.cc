// Zip archives of XML parts; see zip_xml.h.
#include "indexer/zip_xml.h"

#include <libxml/parser.h>

#include <algorithm>
#include <cstring>

#include "indexer/text_extractor.h"

namespace loci {

ZipParts::ZipParts(const std::string& bytes) {
    zip_error_t error;
    zip_error_init(&error);
    if (zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error)) {
        archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (!archive_) zip_source_free(source);
    }
    zip_error_fini(&error);
}

ZipParts::~ZipParts() {
    if (archive_) zip_discard(archive_);
}

std::string ZipParts::read(const std::string& name, std::string& data) const {
    data.clear();
    if (!archive_) return "not a zip archive";
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive_, name.c_str(), 0, &st) != 0) return "no " + name;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxPartBytes)
        return name + " is over " + std::to_string(kMaxPartBytes >> 20) + " MiB uncompressed";
    zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
    if (!file) return name + " cannot be read (encrypted or damaged)";
    data.assign(st.size, '\0');
    const zip_int64_t got = zip_fread(file, data.data(), st.size);
    zip_fclose(file);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) return name + " is damaged";
    return "";
}

XmlDoc parse_xml(const std::string& data) {
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER;
    return XmlDoc(xmlReadMemory(data.data(), static_cast<int>(data.size()), nullptr, nullptr, options), xmlFreeDoc);
}

std::string read_xml(const ZipParts& zip, const std::string& name, XmlDoc& doc, const xmlNode*& root) {
    std::string data;
    root = nullptr;
    if (std::string why = zip.read(name, data); !why.empty()) return why;
    doc = parse_xml(data);
    root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
    return root ? "" : name + " is not XML";
}

std::string dc_title(const xmlNode* metadata) {
    std::string title = content(child(metadata, "title"));
    std::replace_if(title.begin(), title.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return metadata_title(title);
}

}  // namespace loci
