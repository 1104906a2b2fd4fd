/** @file result_printer.h
 *  @brief Search results -> standard output, in the shape of ripgrep's
 *  Sink: begin, one call per hit, finish. The only code that writes results.
 *
 *  Formats:
 *  - text (people): "path:line" citation with the passage's line range and
 *    section, then the passage text with matched words highlighted;
 *  - vimgrep (editors): path:line:column:text, one line per hit, the
 *    column 1-based in bytes as ripgrep counts it;
 *  - json (scripts): JSON Lines, one object per hit, best first; the
 *    schema is in docs/json-output.md;
 *  - files (--files-with-matches) and count (--count).
 *  Paths are shown relative to the current directory when below it.
 */
#pragma once
#include <memory>
#include <ostream>
#include <string>

#include "query/passage_searcher.h"

namespace loci {

enum class OutputFormat { text, vimgrep, json, files, count };

struct PrintOptions {
    OutputFormat format = OutputFormat::text;
    bool color = false;
    bool explain = false;
    std::string cwd;  ///< absolute; paths below it are shown relative
};

class ResultPrinter {
  public:
    virtual ~ResultPrinter() = default;
    /// In a batch (loci --queries, one printer for all), before each
    /// query's results: the line of the query in its file, and the query.
    /// Text and JSON print it; every format starts the query afresh.
    virtual void query_header(std::size_t /*line*/, const std::string& /*query*/) {}
    /// Before any hit: the query as run, and a did-you-mean suggestion.
    virtual void begin(const std::string& query, const SearchResult& result) = 0;
    virtual void hit(const Hit& hit) = 0;
    virtual void finish(const SearchResult& result) = 0;
};

std::unique_ptr<ResultPrinter> make_printer(std::ostream& out, std::ostream& err, const PrintOptions& options);

/// @p path relative to @p cwd when below it, else unchanged.
std::string display_path(const std::string& path, const std::string& cwd);

/// @p s as a JSON string literal (valid for any bytes: invalid UTF-8 becomes U+FFFD).
std::string json_string(const std::string& s);

}  // namespace loci
