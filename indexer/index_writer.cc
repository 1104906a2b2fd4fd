// Batch, incremental, crash-safe indexing; see index_writer.h.
#include "indexer/index_writer.h"

#include <sys/stat.h>

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/fresh_build.h"
#include "indexer/filter_extractor.h"
#include "indexer/prepared_file.h"

namespace loci {
namespace {

/// A file that only a Xapian database folder holds.
bool is_xapian_file(const std::filesystem::path& name) {
    const std::string n = name.filename().string();
    return n == "iamglass" || n == "iamchert" || n == "iamhoney" || n == "flintlock" || name.extension() == ".glass";
}

/// Refuses a --db that is something else than an index or nothing: a
/// build, a rebuild and even an update of an empty index replace the
/// folder whole, so `loci-index --db corpus corpus` would have put an
/// index where the reports were.
void refuse_foreign_path(const std::string& db_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(db_path, ec);
    if (ec || !fs::exists(status)) return;
    const std::string refusal = ", not an index; loci-index will not replace it (give --db a new folder or an index's)";
    if (!fs::is_directory(status)) throw IndexOpenError(db_path + " is a file" + refusal);
    bool empty = true;
    for (const fs::directory_entry& e : fs::directory_iterator(db_path, ec)) {
        if (is_xapian_file(e.path())) return;
        empty = false;
    }
    if (!empty) throw IndexOpenError(db_path + " is a folder of other files" + refusal);
}

bool is_under(const std::string& path, const std::string& root) {
    return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                            (root.back() == '/' || path[root.size()] == '/'));
}

/// What an update does with a walk: read what is new or changed, remove
/// what left the walked roots; built whole when kept_beyond is set.
struct UpdatePlan {
    std::map<std::string, FileRecord> records;  ///< the index's files, as it holds them
    std::vector<SourceFile> todo;  ///< to read: new, or changed in size, time or reader
    std::size_t changed = 0;       ///< of todo, those the index holds
    std::size_t unchanged = 0;
    std::vector<std::string> vanished;  ///< held, under the walked roots, gone from them
    std::uint64_t bytes_total = 0;      ///< todo's
    /// Set when the update is built whole: the files the index holds beyond
    /// the walked roots, read again with the walk.
    std::optional<std::vector<SourceFile>> kept_beyond;

    /// Built whole, what it reads: @p walk's files and those beyond it, by path.
    std::vector<SourceFile> built_whole_from(const WalkResult& walk) const {
        std::vector<SourceFile> files = walk.files;
        files.insert(files.end(), kept_beyond->begin(), kept_beyond->end());
        std::sort(files.begin(), files.end(), [](const SourceFile& x, const SourceFile& y) { return x.path < y.path; });
        return files;
    }
};

}  // namespace

struct IndexWriter::Internal {
    IndexOptions options;
    Xapian::WritableDatabase db;  ///< none for a dry run
    Xapian::Database reading;     ///< db, or a dry run's read-only view (none for an index not there yet)
    std::string language;

    explicit Internal(IndexOptions opts) : options(std::move(opts)) {
        // We commit ourselves, between files: Xapian's automatic flush every
        // 10,000 changes could otherwise commit half a file.
        ::setenv("XAPIAN_FLUSH_THRESHOLD", "4000000000", 1);
        refuse_foreign_path(options.db_path);
        if (options.dry_run) {
            open_to_look();
            return;
        }
        // A rebuild opens the old database too: its lock keeps a second
        // writer out, and it stays searchable until the new one replaces it.
        try {
            db = Xapian::WritableDatabase(options.db_path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        } catch (const Xapian::DatabaseLockError&) {
            throw IndexOpenError("index " + options.db_path + " is locked by another loci-index");
        } catch (const Xapian::Error& e) {
            if (!options.rebuild)
                throw IndexOpenError("cannot open index " + options.db_path + ": " + e.get_description() +
                                     " (loci-index --rebuild replaces it)");
            settle_new();
            return;  // unreadable: --rebuild replaces it whole
        }
        reading = db;
        if (options.rebuild) {
            settle_new();
            return;
        }
        settle_stored();
        dictionary = RecordsDictionary(db.get_metadata(std::string(schema::kMetaRecordsDictionary)));
    }

    /// A new index's settings: the language given (english if none), the filters given.
    void settle_new() {
        language = options.language.empty() ? "english" : options.language;
        settle_filters({});
    }

    /// The settings the index holds, which the options must agree with
    /// (check_schema()), and its filters changed by the options'.
    void settle_stored() {
        check_schema();
        settle_filters(decode_filters(reading.get_metadata(std::string(schema::kMetaFilters))));
    }

    /// A dry run: the index read as it is, if it is there; nothing created,
    /// nothing locked, the same refusals as a run's.
    void open_to_look() {
        std::error_code ec;
        const bool nothing_there = !std::filesystem::exists(options.db_path, ec) ||
                                   std::filesystem::is_empty(options.db_path, ec);  // a run would make it here
        if (options.rebuild || nothing_there) {
            settle_new();
            return;
        }
        try {
            reading = Xapian::Database(options.db_path, Xapian::DB_BACKEND_GLASS);
        } catch (const Xapian::Error& e) {
            throw IndexOpenError("cannot open index " + options.db_path + ": " + e.get_description() +
                                 " (loci-index --rebuild replaces it)");
        }
        settle_stored();
    }
    /// The one the database's records are packed with; none for a fresh build.
    RecordsDictionary dictionary;

    /// options.extract.filters: @p stored, changed by the ones given.
    void settle_filters(FilterMap stored) {
        stored_filters = stored;
        for (const auto& [ext, command] : options.extract.filters) {
            if (command.empty())
                stored.erase(ext);
            else
                stored[ext] = command;
        }
        options.extract.filters = std::move(stored);
    }
    FilterMap stored_filters;  ///< as the database had them

    void check_schema() {
        const schema::IndexHeader header = schema::decode_header(reading.get_metadata(std::string(schema::kMetaHeader)));
        const std::string& version = header.version;
        const std::string& stored_language = header.language;
        if (reading.get_doccount() > 0 && version.empty())
            throw IndexOpenError(options.db_path + " is a Xapian database not made by loci-index");
        if (!version.empty() && version != schema::kSchemaVersion)
            throw SchemaVersionError("index " + options.db_path + " has schema version " + version +
                                     ", this loci-index writes " + std::string(schema::kSchemaVersion) +
                                     "; run loci-index --rebuild");
        language = options.language.empty() ? (stored_language.empty() ? "english" : stored_language)
                                            : options.language;
        if (!stored_language.empty() && stored_language != language)
            throw SchemaVersionError("index " + options.db_path + " was built with --language " + stored_language +
                                     "; run loci-index --rebuild --language " + language + " to change it");
        settle_root(header.root);
        if (version.empty() && !options.dry_run) {
            // Committed at once, so that a database that exists is always a loci index.
            write_header(db, language, options.root);
            commit_with_header(db);
        }
    }

    /// Paths are stored relative to the index's root: an update must store
    /// them the same way, or each file it reads is a new one beside its old
    /// self (an update without --root of an index built with it held every
    /// file twice, the old copy never updated again). Without --root the
    /// index's own; another one only by a rebuild.
    void settle_root(const std::string& stored) {
        if (reading.get_doccount() == 0) return;  // nothing stored yet: a new build
        if (options.root.empty()) {
            options.root = stored;
            return;
        }
        if (options.root != stored)
            throw SchemaVersionError("index " + options.db_path + " stores paths " +
                                     (stored.empty() ? std::string("whole (built without --root)")
                                                     : "relative to --root " + stored) +
                                     "; run loci-index --rebuild --root " + options.root + " to change it");
    }

    std::map<std::string, FileRecord> load_records() {
        std::map<std::string, FileRecord> records;
        const std::string prefix(schema::kMetaFilePrefix);
        for (auto it = reading.metadata_keys_begin(prefix); it != reading.metadata_keys_end(prefix); ++it)
            if (auto r = decode_file_record(reading.get_metadata(*it))) records.emplace(r->path, std::move(*r));
        return records;
    }

    /// A new or rebuilt index: built whole, in parallel, then swapped in.
    bool is_fresh() const { return options.rebuild || reading.get_doccount() == 0; }

    /// A file read by another filter than last time: read again (a user
    /// who mends a --filter expects its files read again).
    bool reader_changed(const std::string& path) const {
        return filter_for(path, stored_filters) != filter_for(path, options.extract.filters);
    }

    /// What update() does with @p walk (stored paths), whose roots were @p roots.
    UpdatePlan plan(const WalkResult& walk, const std::vector<std::string>& roots);
};

IndexWriter::IndexWriter(IndexOptions options) : internal_(std::make_unique<Internal>(std::move(options))) {}
IndexWriter::~IndexWriter() = default;

const FilterMap& IndexWriter::filters() const { return internal_->options.extract.filters; }

namespace {

/// Runs prepare() on worker threads, handing results back in input order,
/// never more than `window` files ahead of the consumer (bounded memory).
class PreparePipeline {
  public:
    using Work = std::function<PreparedFile(const SourceFile&, const analysis::Analyzer&, const PassageSegmenter&)>;


    PreparePipeline(const std::vector<SourceFile>& files, unsigned threads, const std::string& language,
                    const SegmentOptions& segment, Work work)
        : files_(files), work_(std::move(work)), slots_(files.size()) {
        const std::size_t window = std::max<std::size_t>(8, threads * 4);
        window_ = window;
        for (unsigned t = 0; t < threads; ++t)
            workers_.emplace_back([this, language, segment] { run(language, segment); });
    }
    ~PreparePipeline() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        for (std::thread& t : workers_) t.join();
    }

    /// The prepared file at @p index; blocks until it is ready.
    PreparedFile take(std::size_t index) {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return slots_[index].has_value() || error_; });
        if (error_) std::rethrow_exception(error_);
        PreparedFile f = std::move(*slots_[index]);
        slots_[index].reset();
        consumed_ = index + 1;
        cv_.notify_all();
        return f;
    }

  private:
    void run(const std::string& language, const SegmentOptions& segment) {
        try {
            analysis::Analyzer analyzer(analysis::AnalyzerOptions{language});
            PassageSegmenter segmenter(segment);
            for (;;) {
                std::size_t index;
                {
                    std::unique_lock<std::mutex> lock(mutex_);
                    cv_.wait(lock, [&] { return stop_ || next_ >= files_.size() || next_ < consumed_ + window_; });
                    if (stop_ || next_ >= files_.size()) return;
                    index = next_++;
                }
                PreparedFile f = work_(files_[index], analyzer, segmenter);
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    slots_[index] = std::move(f);
                }
                cv_.notify_all();
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
            cv_.notify_all();
        }
    }

    const std::vector<SourceFile>& files_;
    Work work_;
    std::vector<std::optional<PreparedFile>> slots_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::size_t next_ = 0, consumed_ = 0, window_ = 8;
    bool stop_ = false;
    std::exception_ptr error_;
};

}  // namespace

namespace {

/// @p path relative to @p root when below it; unchanged otherwise or without a root.
std::string stored_path(const std::string& path, const std::string& root) {
    if (root.empty() || !is_under(path, root) || path == root) return path;
    return path.substr(root.size() + (root.back() == '/' ? 0 : 1));
}

/// The walk as the index names it: paths under --root made relative, and
/// only this shard's files.
WalkResult as_stored(const WalkResult& walk, const IndexOptions& options) {
    WalkResult out;
    out.warnings = walk.warnings;
    out.unsupported = walk.unsupported;
    for (SourceFile f : walk.files) {
        f.path = stored_path(f.path, options.root);
        if (options.shard_count > 1 && fnv1a64(f.path) % options.shard_count != options.shard_index - 1) continue;
        out.files.push_back(std::move(f));
    }
    return out;
}

/// Whether the walk's files new to the index hold more text than those it
/// keeps (@p beyond: the files it holds outside the folders walked): such
/// an update is done as a build of them all, in parallel, its tables
/// packed, its records' dictionary trained on them all. Adding 100 MB to
/// the seed corpus's index by an update took 27.7 s where a build takes
/// 19.3, and made an index 3.4x the text where a build's is 2.0x (Xapian's
/// tables written in small commits, a dictionary trained on five reports).
bool brings_more_than_it_keeps(const WalkResult& walk, const std::vector<std::string>& beyond,
                               const std::map<std::string, FileRecord>& records) {
    std::uint64_t new_bytes = 0, kept_bytes = 0;
    for (const SourceFile& f : walk.files) (records.count(f.path) ? kept_bytes : new_bytes) += f.size;
    for (const std::string& path : beyond) kept_bytes += records.at(path).size;
    return new_bytes > kept_bytes;
}

/// The index's files at @p paths (beyond the folders walked) as a build
/// would read them, or nothing when one is gone, changed or read by
/// another filter since it was indexed: an update leaves such a file's
/// passages as they are, and a build could not, so the run stays an update.
std::optional<std::vector<SourceFile>> unchanged_beyond_walk(
    const std::vector<std::string>& paths, const std::map<std::string, FileRecord>& records, const std::string& root,
    const std::function<bool(const std::string&)>& reader_changed) {
    std::vector<SourceFile> files;
    for (const std::string& path : paths) {
        SourceFile f;
        f.path = path;
        f.read_path = path_under(root, path);
        struct stat st {};
        if (::stat(f.read_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || reader_changed(path)) return std::nullopt;
        f.size = static_cast<std::uint64_t>(st.st_size);
        f.mtime_ns = mtime_ns_of(st);
        const FileRecord& indexed = records.at(path);
        if (indexed.size != f.size || indexed.mtime_ns != f.mtime_ns) return std::nullopt;
        files.push_back(std::move(f));
    }
    return files;
}

}  // namespace

UpdatePlan IndexWriter::Internal::plan(const WalkResult& walk, const std::vector<std::string>& roots) {
    UpdatePlan plan;
    if (is_fresh()) {
        plan.todo = walk.files;
        for (const SourceFile& f : walk.files) plan.bytes_total += f.size;
        return plan;
    }
    plan.records = load_records();
    const std::map<std::string, FileRecord>& records = plan.records;

    // Files that vanished from the walked roots, and those the index holds
    // beyond them (an update leaves these as they are).
    std::unordered_set<std::string> seen;
    for (const SourceFile& f : walk.files) seen.insert(f.path);
    std::vector<std::string> abs_roots;
    for (const std::string& r : roots) abs_roots.push_back(stored_path(absolute_path(r), options.root));
    std::vector<std::string> beyond;
    for (const auto& entry : records) {
        const std::string& path = entry.first;  // a plain name: lambdas cannot capture bindings in C++17
        if (seen.count(path)) continue;
        const bool walked = std::any_of(abs_roots.begin(), abs_roots.end(),
                                        [&](const std::string& r) { return is_under(path, r); });
        (walked ? plan.vanished : beyond).push_back(path);
    }

    for (const SourceFile& f : walk.files) {
        auto it = records.find(f.path);
        const bool held = it != records.end();
        if (held && it->second.size == f.size && it->second.mtime_ns == f.mtime_ns && !reader_changed(f.path)) {
            ++plan.unchanged;
            continue;
        }
        plan.todo.push_back(f);
        plan.changed += held;
        plan.bytes_total += f.size;
    }

    // Built whole, the files beyond the walk are read again with the rest:
    // so `loci-index B/` added to an index of A/ is built like a new index.
    if (brings_more_than_it_keeps(walk, beyond, records))
        plan.kept_beyond = unchanged_beyond_walk(beyond, records, options.root,
                                                 [this](const std::string& path) { return reader_changed(path); });
    return plan;
}

IndexSummary IndexWriter::preview(const WalkResult& walked, const std::vector<std::string>& roots,
                                  std::vector<std::string>* listing) {
    Internal& in = *internal_;
    const WalkResult walk = as_stored(walked, in.options);
    const UpdatePlan plan = in.plan(walk, roots);
    IndexSummary summary;
    summary.files = walk.files.size();
    summary.unchanged = plan.unchanged;
    summary.changed = plan.changed;
    summary.added = plan.todo.size() - plan.changed;
    summary.removed = plan.vanished.size();
    summary.bytes_read = plan.bytes_total;
    if (plan.kept_beyond) {
        summary.rebuilt = true;
        summary.reread_beyond = plan.kept_beyond->size();
        summary.bytes_read = 0;
        for (const SourceFile& f : plan.built_whole_from(walk)) summary.bytes_read += f.size;
    }
    if (listing) {
        for (const SourceFile& f : plan.todo)
            listing->push_back((plan.records.count(f.path) ? "changed " : "new ") + f.path);
        for (const std::string& path : plan.vanished) listing->push_back("removed " + path);
    }
    return summary;
}

IndexSummary IndexWriter::update(const WalkResult& walked, const std::vector<std::string>& roots,
                                 IndexObserver& observer) {
    Internal& in = *internal_;
    const WalkResult walk = as_stored(walked, in.options);
    const auto started = std::chrono::steady_clock::now();
    IndexSummary summary;
    summary.files = walk.files.size();
    unsigned threads = in.options.threads ? in.options.threads : std::max(1u, std::thread::hardware_concurrency());
    // A new or rebuilt index: built whole, in parallel, then swapped in.
    auto build_whole = [&](const std::vector<SourceFile>& files) {
        const std::string folder = make_build_folder(in.options.db_path);
        FreshBuildResult r = build_fresh_database(files, folder, in.options, in.language, threads, observer);
        replace_database(folder + "/db", in.options.db_path);
        in.db.close();  // the replaced database, and its lock
        std::filesystem::remove_all(folder);
        summary.skipped = r.skipped;
        summary.passages = r.passages;
        summary.warnings = r.warnings;
        summary.bytes_read = r.bytes_read;
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return r;
    };
    if (in.is_fresh()) {
        summary.added = build_whole(walk.files).added;
        return summary;
    }
    UpdatePlan plan = in.plan(walk, roots);
    const std::map<std::string, FileRecord>& records = plan.records;
    const std::vector<SourceFile>& todo = plan.todo;
    summary.unchanged = plan.unchanged;
    if (plan.kept_beyond) {
        const FreshBuildResult r = build_whole(plan.built_whole_from(walk));
        summary.removed = plan.vanished.size();
        summary.changed = plan.changed;
        // Written again (a kept file skipped now: one less).
        const std::size_t kept = plan.unchanged + plan.changed + plan.kept_beyond->size();
        summary.added = r.added > kept ? r.added - kept : 0;
        summary.rebuilt = true;
        summary.reread_beyond = plan.kept_beyond->size();
        return summary;
    }

    if (!in.options.root.empty()) write_header(in.db, in.language, in.options.root);
    if (in.options.extract.filters != in.stored_filters)  // committed with the first batch
        in.db.set_metadata(std::string(schema::kMetaFilters), encode_filters(in.options.extract.filters));
    for (const std::string& path : plan.vanished) {
        delete_file(in.db, path);
        ++summary.removed;
    }

    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, todo.size())));
    PreparePipeline pipeline(todo, threads, in.language, in.options.segment,
                             [&in](const SourceFile& f, const analysis::Analyzer& a, const PassageSegmenter& s) {
                                 return prepare_file(f, in.options.extract, a, s, in.dictionary);
                             });

    // The writer thread's own, for huge files analysed while they are written.
    const analysis::Analyzer writer_analyzer(analysis::AnalyzerOptions{in.language});
    const PassageSegmenter writer_segmenter(in.options.segment);
    std::size_t files_since_commit = 0;
    std::uint64_t bytes_since_commit = 0;
    auto commit = [&] {
        commit_with_header(in.db);
        files_since_commit = 0;
        bytes_since_commit = 0;
    };

    for (std::size_t i = 0; i < todo.size(); ++i) {
        PreparedFile f = pipeline.take(i);
        summary.bytes_read += f.source.size;
        auto old = records.find(f.source.path);
        const bool existed = old != records.end();
        for (const std::string& w : f.warnings) {
            observer.warning(f.source.path + ": " + w);
            ++summary.warnings;
        }
        auto report_skip = [&] {
            observer.warning(f.source.path + ": skipped: " + f.skip->message);
            ++summary.warnings;
            ++summary.skipped;
        };
        if (f.skip) {
            report_skip();
            if (existed) delete_file(in.db, f.source.path);  // its old passages no longer describe it
        } else if (existed && old->second.content_hash == f.record.content_hash && !in.reader_changed(f.source.path)) {
            FileRecord moved = old->second;  // only mtime moved: passages and title stand
            moved.size = f.record.size;
            moved.mtime_ns = f.record.mtime_ns;
            in.db.set_metadata(schema::file_record_key_of_path(f.source.path),
                               encode_file_record(moved));
            ++summary.unchanged;
        } else {
            write_prepared_file(in.db, f, writer_analyzer, writer_segmenter, in.options.commit_every_bytes,
                                in.dictionary);
            if (f.skip) {
                report_skip();
            } else {
                summary.passages += f.passage_count();
                ++(existed ? summary.changed : summary.added);
            }
        }
        ++files_since_commit;
        bytes_since_commit += f.source.size;
        if (files_since_commit >= in.options.commit_every_files || bytes_since_commit >= in.options.commit_every_bytes)
            commit();
        observer.progress(i + 1, todo.size(), summary.bytes_read, plan.bytes_total);
    }
    commit();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

}  // namespace loci
