// Batch, incremental, crash-safe indexing; see index_writer.h.
#include "indexer/index_writer.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "indexer/acronym_miner.h"
#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/passage_document.h"

namespace loci {
namespace {

/// What a worker thread makes of one file, ready for the database.
struct PreparedFile {
    SourceFile source;
    std::optional<SkipReason> skip;
    std::vector<std::string> warnings;
    FileRecord record;
    std::vector<Xapian::Document> documents;
    std::vector<AcronymDefinition> acronyms;
};

bool is_under(const std::string& path, const std::string& root) {
    return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                            (root.back() == '/' || path[root.size()] == '/'));
}

std::string meta_key(const std::string& path) {
    return std::string(schema::kMetaFilePrefix) + schema::file_key(path);
}

std::string file_term(const std::string& path) {
    return std::string(schema::kFilePrefix) + schema::file_key(path);
}

}  // namespace

struct IndexWriter::Internal {
    IndexOptions options;
    Xapian::WritableDatabase db;
    std::string language;

    explicit Internal(IndexOptions opts) : options(std::move(opts)) {
        // We commit ourselves, between files: Xapian's automatic flush every
        // 10,000 changes could otherwise commit half a file.
        ::setenv("XAPIAN_FLUSH_THRESHOLD", "4000000000", 1);
        const int flags = options.rebuild ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN;
        try {
            db = Xapian::WritableDatabase(options.db_path, flags | Xapian::DB_BACKEND_GLASS);
        } catch (const Xapian::DatabaseLockError&) {
            throw IndexOpenError("index " + options.db_path + " is locked by another loci-index");
        } catch (const Xapian::Error& e) {
            throw IndexOpenError("cannot open index " + options.db_path + ": " + e.get_description());
        }
        check_schema();
    }

    void check_schema() {
        const std::string version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
        const std::string stored_language = db.get_metadata(std::string(schema::kMetaLanguage));
        if (db.get_doccount() > 0 && version.empty())
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
        if (version.empty()) {
            // Committed at once, so that a database that exists is always a loci index.
            db.set_metadata(std::string(schema::kMetaSchemaVersion), std::string(schema::kSchemaVersion));
            db.set_metadata(std::string(schema::kMetaLanguage), language);
            db.commit();
        }
    }

    std::map<std::string, FileRecord> load_records() {
        std::map<std::string, FileRecord> records;
        const std::string prefix(schema::kMetaFilePrefix);
        for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it)
            if (auto r = decode_file_record(db.get_metadata(*it))) records.emplace(r->path, std::move(*r));
        return records;
    }

    /// Remembers acronyms both ways; the first definition seen wins.
    void store_acronyms(const std::vector<AcronymDefinition>& acronyms) {
        for (const AcronymDefinition& d : acronyms) {
            const std::string key = std::string(schema::kMetaAcronymPrefix) + d.acronym;
            if (!db.get_metadata(key).empty()) continue;
            std::string expansion;
            for (const std::string& w : d.expansion) expansion += (expansion.empty() ? "" : " ") + w;
            const std::string reverse_key = std::string(schema::kMetaExpansionPrefix) + expansion;
            if (key.size() > schema::kMaxTermBytes || reverse_key.size() > schema::kMaxTermBytes) continue;
            db.set_metadata(key, expansion);
            db.set_metadata(reverse_key, d.acronym);
        }
    }

    /// Deletes a file's passages (all documents with its file term).
    void delete_file(const std::string& path) { db.delete_document(file_term(path)); }

    PreparedFile prepare(const SourceFile& file, const analysis::Analyzer& analyzer,
                         const PassageSegmenter& segmenter) const {
        PreparedFile out;
        out.source = file;
        auto extracted = extract_text(file, options.extract);
        if (auto* skip = std::get_if<SkipReason>(&extracted)) {
            out.skip = *skip;
            return out;
        }
        ExtractedText& text = std::get<ExtractedText>(extracted);
        out.warnings = std::move(text.warnings);
        SegmentedFile segmented = segmenter.segment(text, file.path);
        out.record = FileRecord{file.path, file.size, file.mtime_ns, text.content_hash,
                                static_cast<std::uint32_t>(segmented.passages.size()), segmented.title};
        out.documents.reserve(segmented.passages.size());
        for (const Passage& p : segmented.passages) {
            out.documents.push_back(make_passage_document(p, analyzer));
            for (AcronymDefinition& d : find_acronym_definitions(p.text, analyzer)) out.acronyms.push_back(std::move(d));
        }
        return out;
    }
};

IndexWriter::IndexWriter(IndexOptions options) : internal_(std::make_unique<Internal>(std::move(options))) {}
IndexWriter::~IndexWriter() = default;

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

IndexSummary IndexWriter::update(const WalkResult& walk, const std::vector<std::string>& roots,
                                 IndexObserver& observer) {
    Internal& in = *internal_;
    const auto started = std::chrono::steady_clock::now();
    IndexSummary summary;
    summary.files = walk.files.size();
    std::map<std::string, FileRecord> records = in.load_records();

    // Files that vanished from the walked roots.
    std::unordered_set<std::string> seen;
    for (const SourceFile& f : walk.files) seen.insert(f.path);
    std::vector<std::string> abs_roots;
    for (const std::string& r : roots) abs_roots.push_back(absolute_path(r));
    for (const auto& [path, record] : records) {
        if (seen.count(path)) continue;
        if (std::none_of(abs_roots.begin(), abs_roots.end(), [&](const std::string& r) { return is_under(path, r); }))
            continue;
        in.delete_file(path);
        in.db.set_metadata(meta_key(path), "");
        ++summary.removed;
    }

    // Files to read: new, or size or mtime changed.
    std::vector<SourceFile> todo;
    std::uint64_t bytes_total = 0;
    for (const SourceFile& f : walk.files) {
        auto it = records.find(f.path);
        if (it != records.end() && it->second.size == f.size && it->second.mtime_ns == f.mtime_ns) {
            ++summary.unchanged;
            continue;
        }
        todo.push_back(f);
        bytes_total += f.size;
    }

    unsigned threads = in.options.threads ? in.options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, todo.size())));
    PreparePipeline pipeline(todo, threads, in.language, in.options.segment,
                             [&in](const SourceFile& f, const analysis::Analyzer& a, const PassageSegmenter& s) {
                                 return in.prepare(f, a, s);
                             });

    std::size_t files_since_commit = 0;
    std::uint64_t bytes_since_commit = 0;
    auto commit = [&] {
        in.db.commit();
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
        if (f.skip) {
            observer.warning(f.source.path + ": skipped: " + f.skip->message);
            ++summary.warnings;
            ++summary.skipped;
            if (existed) {  // its old passages no longer describe it
                in.delete_file(f.source.path);
                in.db.set_metadata(meta_key(f.source.path), "");
            }
        } else if (existed && old->second.content_hash == f.record.content_hash) {
            in.db.set_metadata(meta_key(f.source.path), encode_file_record(f.record));  // only mtime moved
            ++summary.unchanged;
        } else {
            if (existed) in.delete_file(f.source.path);
            for (Xapian::Document& doc : f.documents) in.db.add_document(doc);
            in.db.set_metadata(meta_key(f.source.path), encode_file_record(f.record));
            in.store_acronyms(f.acronyms);
            summary.passages += f.documents.size();
            ++(existed ? summary.changed : summary.added);
        }
        ++files_since_commit;
        bytes_since_commit += f.source.size;
        if (files_since_commit >= in.options.commit_every_files || bytes_since_commit >= in.options.commit_every_bytes)
            commit();
        observer.progress(i + 1, todo.size(), summary.bytes_read, bytes_total);
    }
    commit();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

}  // namespace loci
