// Walking libxml2 trees; see xml_nodes.h.
#include "indexer/xml_nodes.h"

#include <cstring>

namespace loci {

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
