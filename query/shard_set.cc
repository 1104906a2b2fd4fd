// Opening local and remote shards as one database; see shard_set.h.
#include "query/shard_set.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <thread>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/stub_file.h"

namespace loci {

namespace {

/// A database caught mid-write (a rebuild swapping it in): worth another try.
struct TransientOpenError : IndexOpenError {
    using IndexOpenError::IndexOpenError;
};

void check_schema(const Xapian::Database& shard, const std::string& version, const std::string& name) {
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

/// Runs work(0..n-1), each on a thread of its own when @p in_parallel: a
/// remote shard's request waits a round trip, and the shards can all wait
/// at once. Each call touches one shard only (Xapian objects are not
/// thread-safe, distinct databases are independent). The first exception
/// is rethrown once all are done.
void run_each(std::size_t n, bool in_parallel, const std::function<void(std::size_t)>& work) {
    if (!in_parallel || n < 2) {
        for (std::size_t i = 0; i < n; ++i) work(i);
        return;
    }
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            try {
                work(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

struct OpenedShard {
    std::string name;  ///< for messages: the folder, or "shard remote HOST:PORT"
    std::shared_ptr<PinnedFolder> folder;  ///< a local shard's, while db is open
    Xapian::Database db;
    schema::IndexHeader header;
    std::exception_ptr error;
};

/// @p message as PinnedFolder::named() gives it, for a local @p shard.
std::string message_of(const OpenedShard& shard, std::string message) {
    return shard.folder ? shard.folder->named(std::move(message)) : message;
}

/// Opens one shard named by a stub line (or a folder) and reads its header.
OpenedShard open_shard(const StubEntry& entry, const ShardOptions& options) {
    const std::string& kind = entry.kind;
    const std::string& where = entry.where;
    OpenedShard shard;
    shard.name = kind == "remote" ? "shard remote " + where : where;
    try {
        if (kind == "remote") {
            shard.db = Xapian::Remote::open(remote_host(where), remote_port(where), options.remote_timeout_ms,
                                            options.connect_timeout_ms);
        } else {
            struct stat st {};
            if (::stat(where.c_str(), &st) != 0) throw IndexOpenError("no index at " + where + "; run: loci-index PATH...");
            shard.folder = std::make_shared<PinnedFolder>(where);
            shard.db = Xapian::Database(shard.folder->path());
        }
        shard.header = schema::decode_header(shard.db.get_metadata(std::string(schema::kMetaHeader)));
    } catch (...) {
        shard.error = std::current_exception();
    }
    return shard;
}

}  // namespace

PinnedFolder::PinnedFolder(const std::string& path) : given_(path), path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) return;  // not a folder (a single-file database): by its path
    const std::string by_fd = "/proc/self/fd/" + std::to_string(fd_);
    struct stat st {};
    if (::stat(by_fd.c_str(), &st) == 0) path_ = by_fd;  // else no /proc: by its path
}

PinnedFolder::~PinnedFolder() {
    if (fd_ >= 0) ::close(fd_);
}

bool PinnedFolder::swapped() const {
    struct stat held {}, now {};
    if (fd_ < 0 || ::fstat(fd_, &held) != 0) return false;
    return ::stat(given_.c_str(), &now) != 0 || now.st_ino != held.st_ino || now.st_dev != held.st_dev;
}

std::string PinnedFolder::named(std::string message) const {
    if (path_ == given_) return message;
    for (std::size_t at = message.find(path_); at != std::string::npos; at = message.find(path_, at + given_.size()))
        message.replace(at, path_.size(), given_);
    return message;
}

bool RetryBudget::wait_before_retry() {
    auto pause = std::chrono::milliseconds(std::min(20 * ++waits_, 200));
    if (Clock::now() + pause - start_ > total_) return false;
    std::this_thread::sleep_for(pause);
    return true;
}

ShardSet::ShardSet(const std::vector<std::string>& db_args, const ShardOptions& options)
    : args_(db_args), options_(options) {
    open_retrying();
}

void ShardSet::open_retrying() {
    RetryBudget budget;
    for (;;) {
        try {
            open();
            return;
        } catch (const TransientOpenError& e) {
            if (!budget.wait_before_retry()) throw IndexOpenError(e.what());
        }
    }
}

ShardSet::ShardSet(const Xapian::Database& single)
    : combined_(single),
      shards_{single},
      headers_{schema::decode_header(single.get_metadata(std::string(schema::kMetaHeader)))},
      is_remote_{false},
      header_(headers_.front()) {}

std::string ShardSet::name() const {
    std::string out;
    for (const std::string& arg : args_) out += (out.empty() ? "" : ", ") + arg;
    return out.empty() ? std::string("the index") : out;
}

std::string ShardSet::named(std::string message) const {
    for (const auto& folder : folders_) message = folder->named(std::move(message));
    return message;
}

void ShardSet::reopen() {
    if (args_.empty()) {
        combined_.reopen();
        return;
    }
    try {
        combined_.reopen();  // the same folders, a newer revision
    } catch (const Xapian::Error&) {
        open_retrying();  // a folder swapped away by a rebuild: open the new one
    }
}

std::string ShardSet::metadata(const std::string& key) const { return metadata(std::vector<std::string>{key}).front(); }

std::vector<std::string> ShardSet::metadata(const std::vector<std::string>& keys) const {
    std::vector<std::string> out(keys.size());
    // Each shard is asked only for the keys its header's filter lets
    // through: most of a query's acronym keys exist nowhere, and on a
    // remote shard each costs a round trip.
    std::vector<std::size_t> asking;                        // shards with keys to read
    std::vector<std::vector<std::size_t>> asked(shards_.size());  // per shard, indexes in keys
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        for (std::size_t k = 0; k < keys.size(); ++k)
            if (headers_[i].may_hold(keys[k])) asked[i].push_back(k);
        if (!asked[i].empty()) asking.push_back(i);
    }
    std::vector<std::vector<std::string>> values(keys.size(), std::vector<std::string>(shards_.size()));
    run_each(asking.size(), remote_ > 1, [&](std::size_t a) {
        const std::size_t i = asking[a];
        for (std::size_t k : asked[i]) values[k][i] = shards_[i].get_metadata(keys[k]);
    });
    for (std::size_t k = 0; k < keys.size(); ++k) {
        // An acronym has the long forms of every shard's files, and a long
        // form their acronyms, counted together.
        if (schema::is_acronym_key(keys[k])) {
            out[k] = schema::merge_counts(values[k]);
            continue;
        }
        for (const std::string& value : values[k])
            if (!value.empty()) {
                out[k] = value;
                break;
            }
    }
    return out;
}

std::size_t ShardSet::shard_of(Xapian::docid id) const {
    // Xapian interleaves the documents of combined databases: document id of
    // the whole set -> shard (id - 1) mod n. Every shard is one database here.
    return (id - 1) % shards_.size();
}

Xapian::docid ShardSet::id_in_shard(Xapian::docid id) const {
    return static_cast<Xapian::docid>((id - 1) / shards_.size() + 1);
}

std::vector<std::string> ShardSet::metadata_of(const std::vector<std::pair<Xapian::docid, std::string>>& wanted) const {
    std::vector<std::string> values(wanted.size());
    std::vector<std::vector<std::size_t>> asked(shards_.size());
    for (std::size_t w = 0; w < wanted.size(); ++w)
        if (wanted[w].first > 0) asked[shard_of(wanted[w].first)].push_back(w);
    for_each_shard(remote_ > 1, [&](std::size_t i) {
        for (std::size_t w : asked[i]) values[w] = shards_[i].get_metadata(wanted[w].second);
    });
    std::vector<std::string> missing;  // not on the shard asked first
    for (std::size_t w = 0; w < wanted.size(); ++w)
        if (values[w].empty()) missing.push_back(wanted[w].second);
    if (missing.empty()) return values;
    const std::vector<std::string> found = metadata(missing);
    for (std::size_t w = 0, m = 0; w < wanted.size(); ++w)
        if (values[w].empty()) values[w] = found[m++];
    return values;
}

std::vector<std::string> ShardSet::data_of(const std::vector<Xapian::docid>& docs) const {
    std::vector<std::string> data(docs.size());
    for_each_shard(remote_ > 1, [&](std::size_t i) {
        for (std::size_t d = 0; d < docs.size(); ++d)
            if (shard_of(docs[d]) == i)
                // The match found it: no need to look it up first (a
                // tenth of the cost of the query's documents, locally).
                data[d] = shards_[i].get_document(id_in_shard(docs[d]), Xapian::DOC_ASSUME_VALID).get_data();
    });
    return data;
}

std::vector<std::string> ShardSet::metadata_of_each(const std::string& key) const {
    std::vector<std::string> values(shards_.size());
    for_each_shard(remote_ > 1, [&](std::size_t i) { values[i] = shards_[i].get_metadata(key); });
    return values;
}

Xapian::termcount ShardSet::collection_freq(const std::string& term) const {
    std::vector<Xapian::termcount> freqs(shards_.size());
    for_each_shard(remote_ > 1, [&](std::size_t i) { freqs[i] = shards_[i].get_collection_freq(term); });
    Xapian::termcount sum = 0;
    for (Xapian::termcount f : freqs) sum += f;
    return sum;
}

namespace {

/// Which of @p own (a shard's documents, in its ids, ascending, with their
/// place in the caller's list) hold @p term: a match of the term among the
/// documents of @p files (terms that name them, their files' ids). What a
/// remote shard answers in two round trips, where the term's posting list
/// comes one message a posting (xapian-tcpsrv 1.4): a common word's took
/// 10-40 ms over four loopback shards, more than the rest of the query.
std::vector<std::size_t> holding_by_match(const Xapian::Database& shard, const std::string& term,
                                          const Xapian::Query& files,
                                          const std::vector<std::pair<Xapian::docid, std::size_t>>& own) {
    Xapian::Enquire enquire(shard);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), files));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    // Every document of those files: a huge file is several, all named by
    // its id.
    const Xapian::MSet mset = enquire.get_mset(0, shard.get_doccount());
    std::vector<std::size_t> out;
    auto doc = own.begin();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        while (doc != own.end() && doc->first < *it) ++doc;
        if (doc != own.end() && doc->first == *it) out.push_back(doc->second);
    }
    return out;
}

}  // namespace

ShardSet::TermStats ShardSet::term_stats(const std::vector<std::string>& terms, const std::vector<Xapian::docid>& docs,
                                         const std::vector<std::string>& doc_terms) const {
    // Each shard's documents, in its own ids, ascending: postings come in order.
    std::vector<std::vector<std::pair<Xapian::docid, std::size_t>>> own(shards_.size());
    std::vector<std::vector<std::string>> own_terms(shards_.size());
    for (std::size_t d = 0; d < docs.size(); ++d)
        if (docs[d] > 0) {
            own[shard_of(docs[d])].emplace_back(id_in_shard(docs[d]), d);
            own_terms[shard_of(docs[d])].push_back(doc_terms[d]);
        }
    for (auto& list : own) std::sort(list.begin(), list.end());
    std::vector<std::vector<Xapian::termcount>> freqs(shards_.size(), std::vector<Xapian::termcount>(terms.size()));
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> found(shards_.size());  // (term, doc) per shard
    for_each_shard(remote_ > 1, [&](std::size_t i) {
        const Xapian::Database& shard = shards_[i];
        Xapian::Query files;  // what a remote shard's matches look among (holding_by_match())
        if (is_remote_[i]) files = Xapian::Query(Xapian::Query::OP_OR, own_terms[i].begin(), own_terms[i].end());
        for (std::size_t t = 0; t < terms.size(); ++t) {
            freqs[i][t] = shard.get_collection_freq(terms[t]);
            if (own[i].empty()) continue;
            if (is_remote_[i]) {
                for (std::size_t d : holding_by_match(shard, terms[t], files, own[i])) found[i].emplace_back(t, d);
                continue;
            }
            Xapian::PostingIterator it = shard.postlist_begin(terms[t]);
            const Xapian::PostingIterator end = shard.postlist_end(terms[t]);
            for (const auto& [id, d] : own[i]) {
                it.skip_to(id);
                if (it == end) break;
                if (*it == id) found[i].emplace_back(t, d);
            }
        }
    });
    TermStats out{std::vector<Xapian::termcount>(terms.size(), 0),
                  std::vector<std::vector<bool>>(terms.size(), std::vector<bool>(docs.size(), false))};
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        for (std::size_t t = 0; t < terms.size(); ++t) out.collection_freqs[t] += freqs[i][t];
        for (const auto& [t, d] : found[i]) out.holding[t][d] = true;
    }
    return out;
}

void ShardSet::for_each_shard(bool in_parallel, const std::function<void(std::size_t)>& work) const {
    run_each(shards_.size(), in_parallel, work);
}


void ShardSet::add_shard(const Xapian::Database& shard, const schema::IndexHeader& header, bool remote) {
    // The first shard that has each field gives it.
    for (auto field : {&schema::IndexHeader::version, &schema::IndexHeader::language, &schema::IndexHeader::root})
        if ((header_.*field).empty()) header_.*field = header.*field;
    shards_.push_back(shard);
    headers_.push_back(header);
    is_remote_.push_back(remote);
    combined_.add_database(shard);
}

void ShardSet::open() {
    combined_ = Xapian::Database();
    shards_.clear();
    folders_.clear();  // after the databases that opened files through them
    headers_.clear();
    is_remote_.clear();
    warnings_.clear();
    header_ = schema::IndexHeader{};
    std::vector<StubEntry> all;  // every shard named, in order
    for (const std::string& arg : args_) {
        struct stat st {};
        if (::stat(arg.c_str(), &st) != 0) throw IndexOpenError("no index at " + arg + "; run: loci-index PATH...");
        // A folder is one database; a file is a stub listing shards.
        if (!is_regular_file(arg)) {
            all.push_back(StubEntry{"auto", arg});
            continue;
        }
        for (StubEntry& e : read_stub(arg)) all.push_back(std::move(e));
    }
    // Opened at once, each with the metadata every search reads: over
    // remote shards the connections and first requests overlap.
    std::vector<OpenedShard> opened(all.size());
    remote_ = static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [](const StubEntry& e) { return e.kind == "remote"; }));
    run_each(all.size(), remote_ > 0, [&](std::size_t i) { opened[i] = open_shard(all[i], options_); });
    for (std::size_t i = 0; i < all.size(); ++i) {
        OpenedShard& shard = opened[i];
        try {
            if (shard.error) std::rethrow_exception(shard.error);
            check_schema(shard.db, shard.header.version, shard.name);
            add_shard(shard.db, shard.header, all[i].kind == "remote");
            if (shard.folder) folders_.push_back(shard.folder);
        } catch (const Xapian::NetworkError& e) {
            const std::string message = shard.name + " is unreachable: " + e.get_msg();
            if (!options_.allow_partial) throw IndexOpenError(message + " (--allow-partial searches the others)");
            warnings_.push_back(message + "; searching the other shards");
        } catch (const Xapian::DatabaseNotFoundError&) {
            // The folder held was swapped away by a rebuild as it opened.
            if (shard.folder && shard.folder->swapped())
                throw TransientOpenError("index " + shard.name + " was replaced while it opened");
            throw IndexOpenError(shard.name + " is not a loci index (no Xapian database there)");
        } catch (const Xapian::DatabaseVersionError& e) {
            throw IndexOpenError("cannot open index " + shard.name + ": " + message_of(shard, e.get_msg()));
        } catch (const Xapian::DatabaseError& e) {
            throw TransientOpenError("cannot open index " + shard.name + ": " + message_of(shard, e.get_msg()));
        }
    }
    if (shards_.empty()) throw IndexOpenError("no shard could be opened");
}

}  // namespace loci
