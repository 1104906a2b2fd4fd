// Parallel build of a whole database; see fresh_build.h.
#include "indexer/fresh_build.h"

#include <fcntl.h>   // AT_FDCWD
#include <signal.h>
#include <stdio.h>   // renameat2, RENAME_EXCHANGE (Linux, glibc 2.28+)
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <variant>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/filter_extractor.h"
#include "indexer/passage_segmenter.h"
#include "indexer/prepared_file.h"
#include "indexer/text_extractor.h"

namespace loci {
namespace fs = std::filesystem;
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);

/// What the workers share; everything but the atomics under `mutex`.
struct SharedState {
    const std::vector<SourceFile>& files;
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<std::uint64_t> bytes_done{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<std::string> warnings;  // not yet shown
    FreshBuildResult result;
    std::exception_ptr error;
    explicit SharedState(const std::vector<SourceFile>& f) : files(f) {}
};

void build_shard(SharedState& shared, const std::string& path, const IndexOptions& options,
                 const std::string& language, const RecordsDictionary& dictionary) {
    try {
        // No fsync at the part's commits: a part is thrown away whole if the
        // build stops, and only the compacted database is kept.
        Xapian::WritableDatabase shard(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
        write_header(shard, language, options.root);
        if (!options.extract.filters.empty())
            shard.set_metadata(std::string(schema::kMetaFilters), encode_filters(options.extract.filters));
        if (!dictionary.empty()) shard.set_metadata(std::string(schema::kMetaRecordsDictionary), dictionary.bytes());
        analysis::Analyzer analyzer(analysis::AnalyzerOptions{language});
        PassageSegmenter segmenter(options.segment);
        std::uint64_t since_commit = 0;
        for (;;) {
            const std::size_t i = shared.next++;
            if (i >= shared.files.size() || shared.stop) break;
            PreparedFile f = prepare_file(shared.files[i], options.extract, analyzer, segmenter, dictionary);
            if (!f.skip) write_prepared_file(shard, f, analyzer, segmenter, options.commit_every_bytes, dictionary);
            {
                std::lock_guard<std::mutex> lock(shared.mutex);
                for (const std::string& w : f.warnings) shared.warnings.push_back(f.source.path + ": " + w);
                shared.result.warnings += f.warnings.size();
                if (f.skip) {
                    shared.warnings.push_back(f.source.path + ": skipped: " + f.skip->message);
                    ++shared.result.warnings;
                    ++shared.result.skipped;
                } else {
                    ++shared.result.added;
                    shared.result.passages += f.passage_count();
                }
                shared.result.bytes_read += f.source.size;
            }
            since_commit += f.source.size;
            if (since_commit >= options.commit_every_bytes) {
                commit_with_header(shard);
                since_commit = 0;
            }
            shared.bytes_done += f.source.size;
            ++shared.done;
        }
        commit_with_header(shard);
        shard.close();
    } catch (...) {
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (!shared.error) shared.error = std::current_exception();
        shared.stop = true;
    }
}

void show_warnings(SharedState& shared, IndexObserver& observer) {
    std::vector<std::string> pending;
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        pending.swap(shared.warnings);
    }
    for (const std::string& w : pending) observer.warning(w);
}

/// The compactor keeps one part's value where the parts share a key: each
/// part's header has an acronym filter that knows that part's acronyms
/// only, and an acronym's key counts the long forms of that part's files
/// only. The whole gets a header made for it, and each acronym key the
/// counts of all its parts.
class HeaderMerger : public Xapian::Compactor {
  public:
    explicit HeaderMerger(std::string header) : header_(std::move(header)) {}
    std::string resolve_duplicate_metadata(const std::string& key, size_t num_tags, const std::string tags[]) override {
        const std::string_view user = user_key(key);
        if (user == schema::kMetaHeader) return header_;
        if (schema::is_acronym_key(user)) return schema::merge_counts(std::vector<std::string>(tags, tags + num_tags));
        return Xapian::Compactor::resolve_duplicate_metadata(key, num_tags, tags);
    }

  private:
    /// Xapian 1.4's glass backend passes the key as its table stores it,
    /// after the two bytes that mark user metadata; take either form.
    static std::string_view user_key(std::string_view key) {
        const std::string_view table_prefix("\0\xc0", 2);
        if (key.substr(0, table_prefix.size()) == table_prefix) key.remove_prefix(table_prefix.size());
        return key;
    }
    std::string header_;
};

/// The dictionary for the records of @p files (RecordsDictionary), trained
/// on those of a sample of them spread over the list, read and segmented
/// on @p threads threads (and again when their turn comes). None when the
/// sample holds too few passages.
RecordsDictionary train_records_dictionary(const std::vector<SourceFile>& files, const IndexOptions& options,
                                           unsigned threads) {
    constexpr std::size_t kSampleFiles = 160;
    constexpr std::uint64_t kSampleBytes = 4000000;  // of source text: the passages' records are about as large
    std::vector<const SourceFile*> sample;
    std::uint64_t bytes = 0;
    const std::size_t step = std::max<std::size_t>(1, files.size() / kSampleFiles);
    for (std::size_t i = 0; i < files.size() && bytes < kSampleBytes; i += step) {
        if (files[i].size >= kHugeFileBytes) continue;  // a streamed file's passages are not kept
        sample.push_back(&files[i]);
        bytes += files[i].size;
    }
    // Read and cut into passages only: a record needs no analysis.
    std::vector<std::vector<std::string>> records(sample.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        PassageSegmenter segmenter(options.segment);
        for (std::size_t i; (i = next++) < sample.size();) {
            try {
                auto extracted = extract_text(*sample[i], options.extract);
                const auto* text = std::get_if<ExtractedText>(&extracted);
                if (!text) continue;  // skipped: the build reports it
                for (const Passage& p : segmenter.segment(*text, sample[i]->path).passages)
                    records[i].push_back(encode_passage(p));
            } catch (const std::exception&) {
                // Left out of the sample; the build meets it again and reports it.
            }
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < std::min<std::size_t>(threads, sample.size()); ++t) workers.emplace_back(work);
    for (std::thread& w : workers) w.join();
    std::vector<std::string> all;
    for (std::vector<std::string>& r : records)
        for (std::string& one : r) all.push_back(std::move(one));
    return RecordsDictionary::train(all);
}

bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH); }

}  // namespace

std::string make_build_folder(const std::string& db_path) {
    const fs::path db = fs::absolute(db_path).lexically_normal();
    const fs::path parent = db.parent_path();
    const std::string stem = "." + db.filename().string() + ".build-";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(stem, 0) != 0) continue;
        const long pid = std::strtol(name.c_str() + stem.size(), nullptr, 10);
        if (!process_alive(pid)) fs::remove_all(entry.path(), ec);  // left by a killed build
    }
    const fs::path folder = parent / (stem + std::to_string(::getpid()));
    fs::remove_all(folder, ec);
    fs::create_directories(folder);
    return folder.string();
}

FreshBuildResult build_fresh_database(const std::vector<SourceFile>& files, const std::string& folder,
                                      const IndexOptions& options, const std::string& language, unsigned threads,
                                      IndexObserver& observer) {
    threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, files.size())));
    std::uint64_t bytes_total = 0;
    for (const SourceFile& f : files) bytes_total += f.size;

    const RecordsDictionary dictionary = train_records_dictionary(files, options, threads);
    SharedState shared(files);
    std::vector<std::string> shards;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        shards.push_back(folder + "/shard-" + std::to_string(t));
        workers.emplace_back(build_shard, std::ref(shared), shards.back(), std::cref(options), std::cref(language),
                             std::cref(dictionary));
    }
    while (shared.done < files.size() && !shared.stop) {
        std::this_thread::sleep_for(kProgressInterval);
        show_warnings(shared, observer);
        observer.progress(shared.done, files.size(), shared.bytes_done, bytes_total);
    }
    for (std::thread& w : workers) w.join();
    show_warnings(shared, observer);
    if (shared.error) std::rethrow_exception(shared.error);
    observer.progress(files.size(), files.size(), bytes_total, bytes_total);

    // Merge the shards; the compactor renumbers documents and packs the tables.
    Xapian::Database all;
    std::vector<Xapian::Database> parts;
    for (const std::string& s : shards) {
        parts.emplace_back(s);
        all.add_database(parts.back());
    }
    HeaderMerger merger(merged_header(parts));
    all.compact(folder + "/db", 0, 0, merger);
    all.close();
    for (const std::string& s : shards) fs::remove_all(s);
    return shared.result;
}

void replace_database(const std::string& built, const std::string& db_path) {
    std::error_code ec;
    if (!fs::exists(db_path, ec)) {
        fs::rename(built, db_path);
        return;
    }
    // One atomic exchange: a reader (or a kill -9) never finds db_path
    // missing, as it would between two renames. The old database lands at
    // `built`, inside the build folder, and goes with it.
    if (::renameat2(AT_FDCWD, built.c_str(), AT_FDCWD, db_path.c_str(), RENAME_EXCHANGE) == 0) {
        fs::remove_all(built, ec);
        return;
    }
    if (errno != EINVAL && errno != ENOSYS)  // EINVAL: a file system without exchange
        throw std::system_error(errno, std::generic_category(), "cannot swap the rebuilt index into " + db_path);
    const std::string old = built + ".old";
    fs::rename(db_path, old);
    fs::rename(built, db_path);
    fs::remove_all(old, ec);
}

}  // namespace loci
