// Opening local and remote shards as one database; see shard_set.h.
#include "query/shard_set.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"

namespace loci {

namespace {

/// A database caught mid-write (a rebuild swapping it in): worth another try.
struct TransientOpenError : IndexOpenError {
    using IndexOpenError::IndexOpenError;
};

constexpr int kOpenAttempts = 8;

void check_schema(const Xapian::Database& shard, const std::string& name) {
    const std::string version = shard.get_metadata(std::string(schema::kMetaSchemaVersion));
    // An empty database without a schema is one whose first commit never
    // happened (loci-index killed at once): it holds nothing, and that is no error.
    if (version.empty() && shard.get_doccount() == 0) return;
    if (version.empty()) throw IndexOpenError(name + " is not a loci index (no loci schema in its metadata)");
    if (version != schema::kSchemaVersion)
        throw SchemaVersionError("index " + name + " has schema version " + version + ", this loci reads " +
                                 std::string(schema::kSchemaVersion) + "; run loci-index --rebuild");
}

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

ShardSet::ShardSet(const std::vector<std::string>& db_args, const ShardOptions& options)
    : args_(db_args), options_(options) {
    for (int attempt = 1;; ++attempt) {
        try {
            open();
            return;
        } catch (const TransientOpenError& e) {
            if (attempt >= kOpenAttempts) throw IndexOpenError(e.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
        }
    }
}

ShardSet::ShardSet(const Xapian::Database& single) : combined_(single), shards_{single} {}

void ShardSet::reopen() {
    if (args_.empty()) {
        combined_.reopen();
        return;
    }
    try {
        combined_.reopen();  // the same files, a newer revision
    } catch (const Xapian::Error&) {
        open();  // files replaced (a rebuild): open them again
    }
}

std::string ShardSet::metadata(const std::string& key) const {
    for (const Xapian::Database& shard : shards_) {
        std::string value = shard.get_metadata(key);
        if (!value.empty()) return value;
    }
    return {};
}

std::string ShardSet::metadata_of(Xapian::docid id, const std::string& key) const {
    // Xapian interleaves the documents of combined databases: document id of
    // the whole set -> shard (id - 1) mod n. Every shard is one database here.
    if (id > 0 && !shards_.empty()) {
        std::string value = shards_[(id - 1) % shards_.size()].get_metadata(key);
        if (!value.empty()) return value;
    }
    return metadata(key);
}

void ShardSet::add_shard(const std::string& name, const Xapian::Database& shard) {
    check_schema(shard, name);
    shards_.push_back(shard);
    combined_.add_database(shard);
}

void ShardSet::open() {
    combined_ = Xapian::Database();
    shards_.clear();
    warnings_.clear();
    for (const std::string& arg : args_) {
        struct stat st {};
        if (::stat(arg.c_str(), &st) != 0) throw IndexOpenError("no index at " + arg + "; run: loci-index PATH...");
        // A folder is one database; a file is a stub listing shards.
        std::vector<std::pair<std::string, std::string>> entries;  // kind, where
        if (!is_regular_file(arg)) {
            entries.emplace_back("auto", arg);
        } else {
            std::ifstream stub(arg);
            std::string line;
            const std::string folder = arg.find('/') == std::string::npos ? "." : arg.substr(0, arg.find_last_of('/'));
            for (int number = 1; std::getline(stub, line); ++number) {
                std::istringstream words(line);
                std::string kind, where, extra;
                words >> kind >> where >> extra;
                if (kind.empty() || kind[0] == '#') continue;
                if ((kind != "auto" && kind != "glass" && kind != "remote") || where.empty() || !extra.empty())
                    throw IndexOpenError("stub file " + arg + " line " + std::to_string(number) +
                                         ": expected 'auto PATH' or 'remote HOST:PORT'");
                if (kind != "remote" && where[0] != '/') where = folder + "/" + where;
                entries.emplace_back(kind == "remote" ? "remote" : "auto", where);
            }
            if (entries.empty()) throw IndexOpenError("stub file " + arg + " names no database");
        }
        for (const auto& [kind, where] : entries) {
            const std::string name = kind == "remote" ? "shard remote " + where : where;
            try {
                if (kind == "remote") {
                    const std::size_t colon = where.rfind(':');
                    const std::string host = colon == 0 || colon == std::string::npos ? "127.0.0.1" : where.substr(0, colon);
                    const unsigned port = colon == std::string::npos ? 0 : static_cast<unsigned>(std::atoi(where.c_str() + colon + 1));
                    if (port == 0 || port > 65535) throw IndexOpenError("stub file " + arg + ": bad port in 'remote " + where + "'");
                    add_shard(name, Xapian::Remote::open(host, port, options_.remote_timeout_ms, options_.connect_timeout_ms));
                } else {
                    if (::stat(where.c_str(), &st) != 0) throw IndexOpenError("no index at " + where + "; run: loci-index PATH...");
                    add_shard(name, Xapian::Database(where));
                }
            } catch (const Xapian::NetworkError& e) {
                const std::string message = name + " is unreachable: " + e.get_msg();
                if (!options_.allow_partial) throw IndexOpenError(message + " (--allow-partial searches the others)");
                warnings_.push_back(message + "; searching the other shards");
            } catch (const Xapian::DatabaseNotFoundError&) {
                throw IndexOpenError(name + " is not a loci index (no Xapian database there)");
            } catch (const Xapian::DatabaseVersionError& e) {
                throw IndexOpenError("cannot open index " + name + ": " + e.get_msg());
            } catch (const Xapian::DatabaseError& e) {
                throw TransientOpenError("cannot open index " + name + ": " + e.get_msg());
            }
        }
    }
    if (shards_.empty()) throw IndexOpenError("no shard could be opened");
}

}  // namespace loci
