/** @file filter_extractor.h
 *  @brief A file of a format loci does not read -> text, by a program the
 *  user names (loci-index --filter .doc=antiword), as omindex's and
 *  Recoll's filters do: old binary Word files (antiword, catdoc), RTF
 *  (pandoc -f rtf -t markdown), PostScript (ps2ascii), DjVu (djvutxt)...
 *
 *  The command runs through /bin/sh with the file's path where it says
 *  %f, else as its last argument; passed as an argument ("$1"), never
 *  pasted into the command line, so no file name can run anything. Its
 *  standard output is the text, read as a text file is (markdown headings
 *  and tables included): a citation's line is a line of that output. It runs with no input, in a process
 *  group of its own, killed when it overruns its time or its output
 *  limit; a failure (not found, a non-zero exit, no text) skips the file
 *  with one reason that quotes the program's first line of stderr.
 */
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "indexer/text_extractor.h"  // SkipReason

namespace loci {

struct FilterLimits {
    unsigned seconds = 60;                     ///< the program is killed after this
    std::uint64_t max_output_bytes = 256ull << 20;  ///< and when it writes more than this
};

/// What @p command writes on its standard output for the file at @p path
/// (text_extractor reads it as a text file's bytes).
std::variant<std::string, SkipReason> run_filter(const std::string& command, const std::string& path,
                                                 const FilterLimits& limits);

/// Parses loci-index's `--filter EXT=COMMAND` (an empty COMMAND forgets
/// the extension's filter). @throws Error naming the option when malformed.
std::pair<std::string, std::string> parse_filter_option(const std::string& option);

/// The index remembers its filters (metadata), one "EXT\tCOMMAND" a line.
std::string encode_filters(const FilterMap& filters);
FilterMap decode_filters(const std::string& value);

}  // namespace loci
