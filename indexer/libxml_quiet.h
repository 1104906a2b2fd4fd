/** @file libxml_quiet.h
 *  @brief Keeps libxml2 (the HTML and document extractors' parser) off
 *  stderr.
 *
 *  Whatever a parser's options say, libxml2 prints some errors itself: bytes
 *  that a document's declared encoding cannot decode give "encoding error"
 *  lines on stderr, between loci-index's own, where each bad file is to
 *  have one warning naming it. Its handlers are kept per thread, so each
 *  extraction sets them on the thread it runs on.
 */
#pragma once
#include <libxml/xmlerror.h>

namespace loci {

inline void ignore_libxml2_message(void*, const char*, ...) {}

inline void silence_libxml2() {
    xmlSetGenericErrorFunc(nullptr, ignore_libxml2_message);
    xmlSetStructuredErrorFunc(nullptr, [](void*, xmlErrorPtr) {});
}

}  // namespace loci
