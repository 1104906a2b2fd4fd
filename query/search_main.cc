// loci: options, wiring and exit codes; nothing else.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <xapian.h>

#include "indexer/analysis/error.h"
#include "query/passage_searcher.h"
#include "query/result_printer.h"

namespace {

// grep's contract: 0 results, 1 none, 2 error.
constexpr int kExitMatch = 0;
constexpr int kExitNoMatch = 1;
constexpr int kExitError = 2;

enum class ColorChoice { auto_, always, never };

struct SearchCommand {
    std::vector<std::string> words;
    std::vector<std::string> dbs;
    bool json = false, vimgrep = false, files = false, count = false, explain = false, no_suggest = false;
    bool no_collapse = false;
    bool no_related = false;
    bool allow_partial = false;
    std::string root;
    std::string queries;  ///< --queries FILE: one query per line, "-" for standard input
    std::size_t limit = 10, offset = 0;
    bool limit_given = false;  ///< -n was on the command line (-l lists every file otherwise)
    ColorChoice color = ColorChoice::auto_;
};

constexpr const char* kQueryHelp = R"HELP(Query language:
  free words        ranked; passages with more of the words (rarer ones
                    counting more) and with the words close together first;
                    stopwords and question words never demand a match;
                    "when ..." and "how many ..." prefer passages with a
                    date or a number next to the words asked about
  "exact phrase"    the words in this order
  a AND b, +word    both / must contain word
  a OR b            either
  NOT a, -word      must not contain (a query starting with -word goes
                    after --: loci -- '-tibet china')
  prefix*           words starting with prefix
  "a b"~N           the words within N more words of each other, in any
                    order (Lucene's proximity; "a b"~3 is a NEAR/5 b)
  a NEAR b          within 10 words of each other (NEAR/N: within N);
                    a phrase's and a NEAR's words are highlighted and
                    cited only where they stand together
  ( ... )           grouping
  file:GLOB         only files whose name (or path, with a /) matches GLOB
  section:word      only passages under a heading containing word
  title:word        only documents whose title contains word
                    (quote a value with spaces: file:"annual report*",
                    section:"human rights"; every word must be there)
Words are matched the way they were indexed: case, accents and British or
American spelling do not matter, words are stemmed (peacekeepers finds
peacekeeping), 2,273 = 2273, and acronyms defined in the reports
("international humanitarian law (IHL)", or R2P used in a report that
names the "Responsibility to Protect") match their long form (each of
them, up to four, where files define one differently). Free words also
match words of like meaning from WordNet's most common sense, weighted
lower (founded finds established): --exact-words turns that off.

Output: path:line (the line of the best match) with the passage's lines,
kind and section, then the passage (and its link's address on a "link:"
line when only that matched); "changed since indexed" when the file
changed after loci-index read it (its lines may have moved: run loci-index).
--vimgrep: path:line:column:text. --json: JSON Lines, one object per
passage (docs/json-output.md).

Exit status: 0 results found, 1 none, 2 error (bad query, no index).
With --queries: 0 some query found results, 1 none did, 2 a query was bad
(one line on stderr naming its line; the others still run) or the index
could not be read.
Environment: LOCI_DB (default database), NO_COLOR (no colour).)HELP";

void setup_search_command(CLI::App& app, SearchCommand& cmd) {
    app.description("Search indexed reports: ranked passages, each cited by file and line.");
    app.add_option("query", cmd.words, "The query (several arguments are joined with spaces)");
    app.add_option("--queries", cmd.queries,
                   "Run each line of FILE as a query (- for standard input; blank lines and # comments skipped),"
                   " in one process: the index, shards and caches are opened once. Each query's results follow"
                   " a header ('# line N: QUERY'; in JSON a {\"type\":\"query\"} object)")
        ->type_name("FILE");
    app.add_option("--db", cmd.dbs,
                   "Database folder, or a Xapian stub file listing shards ('auto PATH', 'remote HOST:PORT');"
                   " repeat to search several as one (default: $LOCI_DB, else .loci)")
        ->allow_extra_args(false);  // one value per --db: "--db A QUERY" leaves QUERY the query
    app.add_option("-n,--limit", cmd.limit, "Show at most N passages (with -l: files, all of them unless -n)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    app.add_option("--offset", cmd.offset, "Skip the first N passages (paging; with -l: files)")->capture_default_str();
    app.add_flag("--json", cmd.json, "JSON Lines output, one object per passage");
    app.add_flag("--vimgrep", cmd.vimgrep, "path:line:column:text, one line per passage (vim -q, Emacs, VS Code)");
    app.add_flag("-l,--files-with-matches", cmd.files,
                 "Only the paths of the files with matching passages, each once, best passage first");
    app.add_flag("-c,--count", cmd.count, "Only the number of passages shown");
    app.add_flag("--explain", cmd.explain, "Show how each passage's score was made");
    app.add_flag("--no-suggest", cmd.no_suggest, "No did-you-mean suggestion");
    app.add_flag("--exact-words", cmd.no_related, "Free words do not match words of like meaning (WordNet)");
    app.add_flag("--no-collapse", cmd.no_collapse, "Show every copy of passages with the same words");
    app.add_flag("--allow-partial", cmd.allow_partial,
                 "With shards: search the reachable ones when some are down (a warning names the others)");
    app.add_option("--root", cmd.root,
                   "Folder where files indexed with loci-index --root are found (default: the index's root if it "
                   "exists here, else the current folder)");
    std::map<std::string, ColorChoice> colors{
        {"auto", ColorChoice::auto_}, {"always", ColorChoice::always}, {"never", ColorChoice::never}};
    app.add_option("--color", cmd.color, "Colour: auto (on a terminal, unless NO_COLOR), always, never")
        ->transform(CLI::CheckedTransformer(colors, CLI::ignore_case))
        ->default_str("auto");
    app.footer(kQueryHelp);
}

std::vector<std::string> database_paths(const std::vector<std::string>& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("LOCI_DB"); env && *env) return {env};
    return {".loci"};
}

bool use_color(ColorChoice choice) {
    if (choice == ColorChoice::always) return true;
    if (choice == ColorChoice::never) return false;
    const char* no_color = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/// The output asked for; the first of --json, --vimgrep, -l, -c wins.
loci::OutputFormat output_format(const SearchCommand& cmd) {
    return cmd.json      ? loci::OutputFormat::json
           : cmd.vimgrep ? loci::OutputFormat::vimgrep
           : cmd.files   ? loci::OutputFormat::files
           : cmd.count   ? loci::OutputFormat::count
                         : loci::OutputFormat::text;
}

loci::SearchRequest make_request(const SearchCommand& cmd) {
    loci::SearchRequest request;
    request.limit = cmd.limit;
    request.offset = cmd.offset;
    // Files only when files are what is printed: --json -l prints passages.
    request.per_file = output_format(cmd) == loci::OutputFormat::files;
    request.files_only = request.per_file;
    // Like grep -l: every file, unless -n says how many.
    if (request.per_file && !cmd.limit_given) request.limit = std::numeric_limits<std::size_t>::max();
    request.explain = cmd.explain;
    request.suggest = !cmd.no_suggest;
    request.related = !cmd.no_related;
    request.collapse = !cmd.no_collapse;
    request.root = cmd.root;
    return request;
}

loci::PrintOptions print_options(const SearchCommand& cmd) {
    loci::PrintOptions print;
    print.format = output_format(cmd);
    print.color = use_color(cmd.color);
    print.explain = cmd.explain;
    std::error_code ec;
    print.cwd = std::filesystem::current_path(ec).string();
    return print;
}

/// Searches one query and prints its results (after a header, in a batch:
/// @p line > 0); true when it found any.
bool search_and_print(loci::PassageSearcher& searcher, loci::SearchRequest request, loci::ResultPrinter& printer,
                      const std::string& query, std::size_t line = 0) {
    request.query = query;
    const loci::SearchResult result = searcher.search(request);
    if (line > 0) printer.query_header(line, query);
    printer.begin(query, result);
    for (const loci::Hit& hit : result.hits) printer.hit(hit);
    printer.finish(result);
    std::cout.flush();
    return !result.hits.empty();
}

/// --queries: every line a query, one searcher for all. A bad query is
/// reported with its line and the batch goes on.
int run_batch(loci::PassageSearcher& searcher, const SearchCommand& cmd) {
    std::ifstream file;
    if (cmd.queries != "-") {
        file.open(cmd.queries);
        if (!file) throw loci::Error("cannot read queries from " + cmd.queries);
    }
    std::istream& in = cmd.queries == "-" ? std::cin : file;
    const std::string name = cmd.queries == "-" ? "<stdin>" : cmd.queries;
    const loci::SearchRequest request = make_request(cmd);
    auto printer = loci::make_printer(std::cout, std::cerr, print_options(cmd));
    bool found = false, bad = false;
    std::string query;
    for (std::size_t line = 1; std::getline(in, query); ++line) {
        if (!query.empty() && query.back() == '\r') query.pop_back();
        const std::size_t first = query.find_first_not_of(" \t");
        if (first == std::string::npos || query[first] == '#') continue;
        try {
            found |= search_and_print(searcher, request, *printer, query, line);
        } catch (const loci::QuerySyntaxError& e) {
            std::cerr << "loci: " << name << ":" << line << ": " << e.what() << '\n';
            bad = true;
        }
    }
    return bad ? kExitError : found ? kExitMatch : kExitNoMatch;
}

int run_search_command(const SearchCommand& cmd) {
    if (cmd.words.empty() == cmd.queries.empty())
        throw loci::Error(cmd.words.empty() ? "give a query, or --queries FILE (see loci --help)"
                                            : "give a query or --queries FILE, not both");
    loci::ShardOptions shard_options;
    shard_options.allow_partial = cmd.allow_partial;
    loci::PassageSearcher searcher(database_paths(cmd.dbs), shard_options);
    for (const std::string& w : searcher.warnings()) std::cerr << "loci: warning: " << w << '\n';
    if (!cmd.queries.empty()) return run_batch(searcher, cmd);

    std::string query;
    for (const std::string& w : cmd.words) query += (query.empty() ? "" : " ") + w;
    auto printer = loci::make_printer(std::cout, std::cerr, print_options(cmd));
    return search_and_print(searcher, make_request(cmd), *printer, query) ? kExitMatch : kExitNoMatch;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_DFL);  // a closed pipe (loci ... | head) ends us quietly
    CLI::App app{"loci"};
    SearchCommand cmd;
    setup_search_command(app, cmd);
    try {
        app.parse(argc, argv);
        cmd.limit_given = app.get_option("--limit")->count() > 0;
    } catch (const CLI::ExtrasError& e) {
        // "loci -tibet china" reads -tibet as an option: say how to search it.
        const std::vector<std::string> extras = app.remaining();
        if (extras.empty() || extras.front().size() < 2 || extras.front()[0] != '-') return app.exit(e);
        const std::string& option = extras.front();
        std::cerr << "loci: unknown option '" << option << "' ";
        if (option[1] == '-') std::cerr << "(loci --help lists them)\n";
        else std::cerr << "(a query that starts with '-' goes after '--': loci -- '" << option << " ...')\n";
        return kExitError;
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitMatch : kExitError;
    }
    try {
        return run_search_command(cmd);
    } catch (const loci::Error& e) {
        std::cerr << "loci: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {
        std::cerr << "loci: " << e.get_description() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "loci: " << e.what() << '\n';
    }
    return kExitError;
}
