// Tests of --filter programs: their output read as text, their failures as
// one reason each, their time and output bounded, file names never run.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "indexer/analysis/error.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/filter_extractor.h"
#include "test_support.h"

namespace {

std::string reason_of(const std::variant<std::string, loci::SkipReason>& r) {
    const auto* skip = std::get_if<loci::SkipReason>(&r);
    return skip ? skip->message : "";
}

/// Whether process @p pid has ended (or is a zombie left to its reaper).
bool gone_within_seconds(int pid, int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
        const std::string stat = loci::test::read_file("/proc/" + std::to_string(pid) + "/stat");
        const std::size_t paren = stat.rfind(')');
        if (stat.empty() || (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace

TEST_CASE("a filter's standard output is the file's text") {
    loci::test::TempDir dir;
    const std::string path = dir.write("report.gzt", "first line\nsecond line\n");
    const auto out = loci::run_filter("tac", path, {});
    REQUIRE(std::holds_alternative<std::string>(out));
    CHECK(std::get<std::string>(out) == "second line\nfirst line\n");
    // %f places the path, for programs that want it before other arguments.
    CHECK(std::get<std::string>(loci::run_filter("tr a-z A-Z < %f", path, {})) == "FIRST LINE\nSECOND LINE\n");
}

TEST_CASE("a file name is an argument, never a command") {
    loci::test::TempDir dir;
    const std::string path = dir.write("a $(touch pwned) `touch pwned2`; touch pwned3.doc", "text\n");
    CHECK(std::get<std::string>(loci::run_filter("cat", path, {})) == "text\n");
    CHECK(std::get<std::string>(loci::run_filter("cat %f -", path, {})) == "text\n");
    CHECK_FALSE(std::filesystem::exists("pwned"));
    CHECK_FALSE(std::filesystem::exists(dir.path("pwned")));
    CHECK_FALSE(std::filesystem::exists("pwned3.doc"));
}

TEST_CASE("a failing filter is one reason, quoting its first line of stderr") {
    loci::test::TempDir dir;
    const std::string path = dir.write("x.doc", "x");
    const std::string failed = reason_of(loci::run_filter("sh -c 'echo; echo \"not a Word file\" >&2; exit 3' x", path, {}));
    CHECK(failed.find("exit status 3") != std::string::npos);
    CHECK(failed.find(": not a Word file") != std::string::npos);
    CHECK(failed.find('\n') == std::string::npos);
    CHECK(reason_of(loci::run_filter("no-such-program-here", path, {})) ==
          "filter program not found: no-such-program-here");
    CHECK(reason_of(loci::run_filter("sh -c 'kill -9 $$' x", path, {})).find("killed by signal 9") != std::string::npos);
}

TEST_CASE("a filter that runs too long or writes too much is killed") {
    loci::test::TempDir dir;
    const std::string path = dir.write("x.slow", "x");
    const auto start = std::chrono::steady_clock::now();
    // The shell's child too: it holds the pipe, and only a kill of the group ends it.
    const std::string slow = reason_of(loci::run_filter("sh -c 'sleep 30; echo late' x", path, {1, 1 << 20}));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(slow.find("still running after 1 s") != std::string::npos);
    CHECK(took < std::chrono::seconds(15));
    // Nothing it started lives on: a batch of slow files must not leave a
    // process behind for each.
    const std::string pid_file = dir.path("child.pid");
    loci::run_filter("sh -c 'echo $$ > " + pid_file + "; exec sleep 30' x", path, {1, 1 << 20});
    const std::string pid = loci::test::read_file(pid_file);
    REQUIRE_FALSE(pid.empty());
    CHECK(gone_within_seconds(std::stoi(pid), 5));
    const std::string big = reason_of(loci::run_filter("yes", path, {30, 1 << 20}));
    CHECK(big.find("wrote over 1 MiB") != std::string::npos);
}

TEST_CASE("extract_text reads an extension through its filter, hashing the file's own bytes") {
    loci::test::TempDir dir;
    const std::string raw = "# Heading\n\nThe filtered paragraph.\n";
    const std::string path = dir.write("notes.rev", raw);
    loci::ExtractOptions options;
    options.filters[".rev"] = "rev";
    const auto got = loci::extract_text(loci::SourceFile{path, "", raw.size(), 0}, options);
    REQUIRE(std::holds_alternative<loci::ExtractedText>(got));
    const auto& text = std::get<loci::ExtractedText>(got);
    CHECK(text.format == loci::SourceFormat::converted);
    CHECK(text.content_hash == loci::fnv1a64(raw));
    REQUIRE(text.lines.size() == 3);
    CHECK(text.lines[2].text == ".hpargarap deretlif ehT");
    CHECK(text.lines[2].number == 3);
    options.filters[".rev"] = "true";  // succeeds, says nothing
    const auto empty = loci::extract_text(loci::SourceFile{path, "", raw.size(), 0}, options);
    REQUIRE(std::holds_alternative<loci::SkipReason>(empty));
    CHECK(std::get<loci::SkipReason>(empty).message == "filter 'true' wrote no text");
    CHECK(loci::filter_for(dir.path("A.REV"), options.filters) == "true");
    CHECK(loci::filter_for(dir.path("a.txt"), options.filters).empty());
}

TEST_CASE("filter options parse, and the index copy reads back") {
    CHECK(loci::parse_filter_option(".DOC=antiword -w 0") == std::pair<std::string, std::string>(".doc", "antiword -w 0"));
    CHECK(loci::parse_filter_option(".doc=") == std::pair<std::string, std::string>(".doc", ""));
    for (const char* bad : {"doc=antiword", ".doc", "=cat", ".=cat", ".a/b=cat", ".tar.gz=zcat", ".d=a\tb"})
        CHECK_THROWS_AS(loci::parse_filter_option(bad), loci::Error);
    const loci::FilterMap filters{{".doc", "antiword"}, {".rtf", "pandoc -f rtf -t markdown"}};
    CHECK(loci::decode_filters(loci::encode_filters(filters)) == filters);
    CHECK(loci::decode_filters("").empty());
}
