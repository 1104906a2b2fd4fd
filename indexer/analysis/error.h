/** @file error.h
 *  @brief The one exception tree of loci: run-ending problems.
 *
 *  Per-file problems are not exceptions: they are values (SkipReason) that
 *  the indexer reports and skips. What is thrown here ends a run, and the
 *  programs' main() turns it into a one-line message and exit status 2.
 */
#pragma once
#include <stdexcept>
#include <string>
#include <system_error>

namespace loci {

/// Base of every error loci throws.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The database cannot be opened (missing, locked, corrupt, not ours).
class IndexOpenError : public Error {
  public:
    using Error::Error;
};

/// The database was written by another schema or analysis version.
class SchemaVersionError : public Error {
  public:
    using Error::Error;
};

/// A record the index holds cannot be read: the index is damaged. The
/// searcher names the index and says how to mend it.
class CorruptRecordError : public Error {
  public:
    using Error::Error;
};

/// The query cannot be read; the message names the position.
class QuerySyntaxError : public Error {
  public:
    using Error::Error;
};

/// The system's words for errno value @p err ("No such file or directory").
inline std::string system_message(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace loci
