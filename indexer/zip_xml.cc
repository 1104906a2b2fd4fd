// Zip archives of XML parts; see zip_xml.h.
#include "indexer/zip_xml.h"

#include <libxml/parser.h>

#include <cstring>

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

bool named(const xmlNode* n, const char* local) {
    return n && n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), local) == 0;
}

const xmlNode* child(const xmlNode* n, const char* local) {
    for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
        if (named(c, local)) return c;
    return nullptr;
}

std::string attribute(const xmlNode* n, const char* local) {
    if (!n) return "";
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(local));
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
}

std::string content(const xmlNode* n) {
    xmlChar* c = xmlNodeGetContent(n);
    std::string s = c ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return s;
}

}  // namespace loci
