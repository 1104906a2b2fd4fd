/** @file stub_file.h
 *  @brief Xapian stub files, the part loci reads and writes: one database
 *  per line, searched as one by `loci --db STUB`.
 *
 *      auto PATH          a local database (relative to the stub's folder)
 *      remote HOST:PORT   a database served by xapian-tcpsrv
 *
 *  Blank lines and # comments are skipped; "glass PATH" reads as auto.
 *  loci-index --stub adds the database it built (shared by indexer and
 *  query: both sides must agree on the format).
 */
#pragma once
#include <string>
#include <vector>

namespace loci {

struct StubEntry {
    std::string kind;   ///< "auto" or "remote"
    std::string where;  ///< auto: the path, resolved against the stub's folder; remote: HOST:PORT
};

/// The databases @p stub_path lists, in order.
/// @throws IndexOpenError naming the file and line of a line it cannot read,
/// or the file when it lists no database (unless @p may_be_empty).
std::vector<StubEntry> read_stub(const std::string& stub_path, bool may_be_empty = false);

/// The port of "HOST:PORT", 0 if it has none or a bad one.
unsigned remote_port(const std::string& where);

/// The host of "HOST:PORT" (of ":PORT": 127.0.0.1, as Xapian reads it).
std::string remote_host(const std::string& where);

/// Lists @p db_path in @p stub_path ("auto" + its path relative to the
/// stub's folder), creating the stub if needed; a database already listed
/// is left as it is. Safe when several indexers add to one stub at once
/// (the file is locked while it is read and appended to).
/// @throws Error naming the stub when it cannot be read or written.
void add_to_stub(const std::string& stub_path, const std::string& db_path);

}  // namespace loci
