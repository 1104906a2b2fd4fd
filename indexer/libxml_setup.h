/** @file libxml_setup.h
 *  @brief What the extractors that parse with libxml2 (HTML pages, .docx,
 *  .odt, .epub) do before each parse, on whichever worker thread.
 *
 *  libxml2 sets up its global state on first use, and that set-up is not
 *  safe when two threads start at once (ThreadSanitizer saw two workers
 *  race in xmlInitializeGlobalState): it is done once, before any parse.
 *  And whatever a parser's options say, libxml2 prints some errors itself
 *  (bytes that a document's declared encoding cannot decode give
 *  "encoding error" lines on stderr, between loci-index's own, where each
 *  bad file is to have one warning naming it); its handlers are kept per
 *  thread, so each extraction sets them on the thread it runs on.
 */
#pragma once
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <mutex>

namespace loci {

inline void ignore_libxml2_message(void*, const char*, ...) {}

inline void prepare_libxml2() {
    static std::once_flag initialised;
    std::call_once(initialised, xmlInitParser);
    xmlSetGenericErrorFunc(nullptr, ignore_libxml2_message);
    xmlSetStructuredErrorFunc(nullptr, [](void*, xmlErrorPtr) {});
}

}  // namespace loci
