/** @file xml_nodes.h
 *  @brief Walking a libxml2 tree by local names (prefixes differ between
 *  producers, and libxml2's HTML parser keeps "epub:type" as a name):
 *  what the HTML, document and e-book extractors share.
 */
#pragma once
#include <libxml/tree.h>

#include <string>

namespace loci {

/// An element of local name @p local, whatever its namespace prefix.
bool named(const xmlNode* n, const char* local);

/// The first child element of @p n named @p local; null if none (or no @p n).
const xmlNode* child(const xmlNode* n, const char* local);

/// The attribute of local name @p local, whatever its prefix; "" when absent.
std::string attribute(const xmlNode* n, const char* local);

/// The text of @p n and its descendants.
std::string content(const xmlNode* n);

}  // namespace loci
