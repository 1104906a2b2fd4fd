// loci-index: options, wiring and exit codes; nothing else.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <xapian.h>

#include "indexer/analysis/error.h"
#include "indexer/analysis/stub_file.h"
#include "indexer/corpus_walker.h"
#include "indexer/filter_extractor.h"
#include "indexer/index_writer.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitWarnings = 1;
constexpr int kExitError = 2;

struct IndexCommand {
    std::vector<std::string> paths;
    std::string db;
    bool rebuild = false;
    bool dry_run = false;
    bool quiet = false;
    bool verbose = false;
    std::string language;
    std::vector<std::string> excludes;
    std::vector<std::string> filters;
    unsigned filter_timeout = 60;
    std::size_t max_words = 120;
    std::size_t commit_every = 1000;
    std::uint64_t max_file_mib = 256;
    unsigned threads = 0;
    std::string root;
    std::string shard;
    std::string stub;
};

void setup_index_command(CLI::App& app, IndexCommand& cmd) {
    app.description(
        "Index reports for loci: text is cleaned, cut into passages (paragraphs, list items,\n"
        "table rows, footnotes) and analysed with ICU; each passage keeps its file and lines.\n"
        "Runs again are incremental: only new and changed files are read, gone ones removed\n"
        "(a run that brings more new text than the index holds builds it whole, in parallel).");
    app.add_option("paths", cmd.paths, "Files and folders to index (folders recursively)")->required();
    app.add_option("--db", cmd.db, "Database folder (default: $LOCI_DB, else .loci)");
    app.add_flag("--rebuild", cmd.rebuild, "Start from an empty database");
    app.add_option("--language", cmd.language,
                   "Stemming language (Snowball: english, french, german, ...; none to turn off)."
                   " Default: the database's, english for a new one");
    app.add_option("--exclude", cmd.excludes, "Skip files and folders matching this glob (repeatable)");
    app.add_option("--filter", cmd.filters,
                   "Read .EXT files as the text COMMAND prints (the path where it says %f,\n"
                   "else last), e.g. .doc=antiword; repeatable, remembered by the index\n"
                   "(.doc= forgets it, --rebuild all)")
        ->type_name(".EXT=COMMAND");
    app.add_option("--filter-timeout", cmd.filter_timeout,
                   "Kill a --filter program still running after this many seconds (the file is skipped)")
        ->capture_default_str()
        ->check(CLI::Range(1u, 86400u));
    app.add_option("--passage-words", cmd.max_words, "Split passages longer than this many words")
        ->check(CLI::Range(20, 2000))
        ->capture_default_str();
    const std::string commit_help = "Commit after this many files, or sooner after " +
                                    std::to_string(loci::IndexOptions{}.commit_every_bytes >> 10) +
                                    " KiB of text (a killed run keeps every commit)";
    app.add_option("--commit-every", cmd.commit_every, commit_help)
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    app.add_option("--max-file-size", cmd.max_file_mib, "Skip files larger than this many MiB")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    app.add_option("-j,--threads", cmd.threads, "Worker threads (default: one per core)");
    app.add_option("--root", cmd.root,
                   "Store paths relative to this folder (for an index used on another machine or as a remote\n"
                   "shard); remembered by the index, which updates use; another only with --rebuild")
        ->check(CLI::ExistingDirectory);
    app.add_option("--shard", cmd.shard, "Index only shard I of N (I/N, by a stable hash of each path)");
    app.add_option("--stub", cmd.stub,
                   "Then list the database in this Xapian stub file ('auto PATH', created if missing), which"
                   " loci --db STUB searches with the others it lists");
    app.add_flag("-n,--dry-run", cmd.dry_run,
                 "Say what a run would do (files new, changed, removed; whether it would build the index whole)\n"
                 "and read or change nothing; with --verbose, list each such file on stdout");
    app.add_flag("-q,--quiet", cmd.quiet, "No progress line and no summary");
    app.add_flag("-v,--verbose", cmd.verbose, "Also list files skipped for their format");
    std::string formats;
    for (const std::string& ext : loci::WalkOptions{}.extensions) formats += " " + ext;
    app.footer(
        "Exit status: 0 all files indexed; 1 done, but some files were skipped or repaired\n"
        "(one warning line each on stderr); 2 error (nothing was changed after the last commit).\n"
        "Indexed formats:" + formats + " (PDF text by poppler, HTML by libxml2,\n"
        ".docx/.odt/.epub by libzip and libxml2: their lines are paragraphs);\n"
        "a file with another name is read as text when named on the command line.\n"
        "Text may be UTF-8, UTF-16 with its BOM, or an older encoding (windows-1252,\n"
        "GB18030...: guessed by ICU, with a warning naming it).\n"
        "Other formats through a program of yours that prints their text (--filter): old\n"
        "Word .doc with antiword or catdoc, RTF with pandoc -f rtf -t markdown, PostScript\n"
        "with ps2ascii; a citation's line is then a line of that program's output.\n"
        "Hidden files and folders, and the database itself, are skipped.");
}

/// Prints warnings, and a progress line when stderr is a terminal.
class TerminalObserver : public loci::IndexObserver {
  public:
    explicit TerminalObserver(bool progress) : progress_(progress) {}
    void warning(const std::string& line) override {
        clear_progress();
        std::cerr << "loci-index: warning: " << line << '\n';
    }
    void progress(std::size_t done, std::size_t total, std::uint64_t bytes, std::uint64_t bytes_total) override {
        if (!progress_) return;
        const double mb = bytes / 1e6, secs = elapsed();
        const double rate = secs > 0 ? mb / secs : 0;
        const double eta = rate > 0 ? (bytes_total / 1e6 - mb) / rate : 0;
        std::fprintf(stderr, "\r%zu/%zu files, %.1f MB, %.1f MB/s, ETA %.0f s   ", done, total, mb, rate, eta);
        shown_ = true;
    }
    void clear_progress() {
        if (shown_) std::fputs("\r\033[K", stderr);
        shown_ = false;
    }

  private:
    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    bool progress_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string default_db(const std::string& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("LOCI_DB"); env && *env) return env;
    return ".loci";
}

/// The line that follows the counts of a run built whole, or of a dry
/// run's (@p would) that would be.
std::string built_whole_line(const loci::IndexSummary& s, bool would) {
    std::string line = would ? "(it would be built whole: the new files hold more text than the index keeps"
                             : "(built whole: the new files held more text than the index kept";
    if (s.reread_beyond)
        line += "; " + std::to_string(s.reread_beyond) + " files it held outside the folders given " +
                (would ? "would be read again" : "were read again");
    return line + ")\n";
}

/// A dry run's findings: each file on stdout (for scripts), the counts on stderr.
void print_preview(const loci::IndexSummary& s, const std::vector<std::string>& listing, bool quiet) {
    for (const std::string& line : listing) std::printf("%s\n", line.c_str());
    if (quiet) return;
    std::fprintf(stderr,
                 "dry run: %zu files: %zu new, %zu changed, %zu removed, %zu unchanged; %.1f MB to read "
                 "(nothing was read or written)\n",
                 s.files, s.added, s.changed, s.removed, s.unchanged, s.bytes_read / 1e6);
    if (s.rebuilt) std::fputs(built_whole_line(s, true).c_str(), stderr);
}

/// The writer's options, from the command line's.
loci::IndexOptions index_options(const IndexCommand& cmd) {
    loci::IndexOptions options;
    options.db_path = default_db(cmd.db);
    options.rebuild = cmd.rebuild;
    options.language = cmd.language;
    options.segment.max_words = cmd.max_words;
    options.commit_every_files = cmd.commit_every;
    options.extract.max_file_bytes = cmd.max_file_mib << 20;
    options.extract.filter_seconds = cmd.filter_timeout;
    for (const std::string& f : cmd.filters) options.extract.filters.insert(loci::parse_filter_option(f));
    options.threads = cmd.threads;
    if (!cmd.root.empty()) options.root = loci::absolute_path(cmd.root);
    if (!cmd.shard.empty()) {
        unsigned i = 0, n = 0;
        char slash = 0, rest = 0;
        if (std::sscanf(cmd.shard.c_str(), "%u%c%u%c", &i, &slash, &n, &rest) != 3 || slash != '/' || n == 0 || i == 0 || i > n)
            throw loci::Error("--shard " + cmd.shard + ": expected I/N with 1 <= I <= N, as in 2/4");
        options.shard_index = i;
        options.shard_count = n;
    }
    options.dry_run = cmd.dry_run;
    return options;
}

/// A run's counts, and the files of other formats it passed over.
void print_summary(const loci::IndexSummary& s, const loci::WalkResult& walk, bool verbose) {
    std::fprintf(stderr,
                 "%zu files: %zu new, %zu changed, %zu removed, %zu unchanged, %zu skipped; "
                 "%zu passages; %.1f MB in %.2f s\n",
                 s.files, s.added, s.changed, s.removed, s.unchanged, s.skipped, s.passages,
                 s.bytes_read / 1e6, s.seconds);
    if (s.rebuilt) std::fputs(built_whole_line(s, false).c_str(), stderr);
    if (!walk.unsupported.empty())
        std::fprintf(stderr, "%zu files of other formats not indexed%s\n", walk.unsupported.size(),
                     verbose ? ":" : " (--verbose lists them)");
    if (verbose)
        for (const std::string& path : walk.unsupported) std::fprintf(stderr, "  %s\n", path.c_str());
}

int run_index_command(const IndexCommand& cmd) {
    const loci::IndexOptions options = index_options(cmd);

    // A stub that cannot be read fails now, not after the indexing.
    if (!cmd.stub.empty() && std::filesystem::exists(cmd.stub)) loci::read_stub(cmd.stub, true);

    TerminalObserver observer(!cmd.quiet && ::isatty(STDERR_FILENO));
    loci::IndexSummary s;
    loci::WalkResult walk;
    std::vector<std::string> listing;  // a dry run's, with --verbose
    try {
        loci::IndexWriter writer(options);  // first: the index knows its filters, which the walk needs
        loci::WalkOptions walk_options;
        walk_options.excludes = cmd.excludes;
        walk_options.skip_dir = loci::absolute_path(options.db_path);
        for (const auto& filter : writer.filters()) walk_options.extensions.push_back(filter.first);
        walk = loci::walk_corpus(cmd.paths, walk_options);
        for (const std::string& w : walk.warnings) observer.warning(w);
        if (cmd.dry_run)
            s = writer.preview(walk, cmd.paths, cmd.verbose ? &listing : nullptr);
        else
            s = writer.update(walk, cmd.paths, observer);
    } catch (const Xapian::DatabaseCorruptError& e) {
        observer.clear_progress();
        throw loci::IndexOpenError("index " + options.db_path + " is corrupt (" + e.get_msg() +
                                   "); loci-index --rebuild replaces it");
    } catch (const Xapian::Error& e) {
        observer.clear_progress();  // e.g. the disk is full: nothing after the last commit was kept
        throw loci::IndexOpenError("index " + options.db_path + ": " + e.get_description());
    }
    observer.clear_progress();
    if (cmd.dry_run) {
        print_preview(s, listing, cmd.quiet);
        return walk.warnings.empty() ? kExitOk : kExitWarnings;
    }
    if (!cmd.quiet) print_summary(s, walk, cmd.verbose);
    if (!cmd.stub.empty()) {
        try {
            loci::add_to_stub(cmd.stub, options.db_path);
        } catch (const loci::Error& e) {
            throw loci::Error(std::string(e.what()) + " (the index " + options.db_path + " itself is up to date)");
        }
    }
    return (s.warnings > 0 || !walk.warnings.empty()) ? kExitWarnings : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"loci-index"};
    IndexCommand cmd;
    setup_index_command(app, cmd);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitError;
    }
    try {
        return run_index_command(cmd);
    } catch (const loci::Error& e) {
        std::cerr << "loci-index: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "loci-index: " << e.get_description() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "loci-index: " << e.what() << '\n';
    }
    return kExitError;
}
