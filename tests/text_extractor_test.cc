// Tests of reading text: a huge file read a slice at a time must give back
// exactly the lines, numbers, columns and hash of reading it whole.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "indexer/analysis/error.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/corpus_walker.h"
#include "indexer/text_decoder.h"
#include "indexer/text_extractor.h"

namespace {

std::string write_temp(const std::string& name, const std::string& bytes) {
    const std::string path = (std::filesystem::temp_directory_path() / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

/// Text of random words (some multi-byte, some invalid bytes), lines of
/// random length, and a few lines far longer than a slice.
std::string random_text(unsigned seed, std::size_t bytes) {
    const char* words[] = {"peace", "keeping", "Ωμέγα", "中国", "naïve", "\xff", "R2P", "  ", "\t"};
    std::mt19937 rng(seed);
    std::string out;
    while (out.size() < bytes) {
        out += words[rng() % 9];
        const unsigned r = rng() % 100;
        out += r < 8 ? "\n" : r < 10 ? "\r\n" : r < 11 ? "\n\n" : (r < 12 ? "" : " ");
    }
    return out;
}

/// Reassembles the file's lines from slices: each slice's first line
/// continues the previous one when it has the same number.
std::vector<std::string> lines_by_slices(const std::string& path, std::size_t slice_bytes, std::uint64_t& hash) {
    loci::TextSlices slices(path, slice_bytes);
    std::vector<std::string> lines;
    loci::ExtractedText slice;
    while (slices.next(slice)) {
        for (std::size_t i = 0; i < slice.lines.size(); ++i) {
            const loci::SourceLine& line = slice.lines[i];
            if (line.number == lines.size()) {  // the cut line goes on
                REQUIRE(i == 0);
                CHECK(slices.first_column() == lines.back().size());
                lines.back() += line.text;
            } else {
                REQUIRE(line.number == lines.size() + 1);
                if (i == 0) CHECK(slices.first_column() == 0);
                lines.push_back(line.text);
            }
        }
    }
    hash = slices.content_hash();
    return lines;
}

}  // namespace

TEST_CASE("slices give back the lines, numbers, columns and hash of the whole file") {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        const std::string text = random_text(seed, 20000 + seed * 997);
        const std::string path = write_temp("loci-slices-" + std::to_string(seed) + ".txt", text);
        // The reference: the whole file in one slice.
        std::uint64_t whole_hash = 0, sliced_hash = 0;
        const auto whole = lines_by_slices(path, 1u << 24, whole_hash);
        for (std::size_t slice_bytes : {7, 64, 1000, 4096}) {
            INFO("seed " << seed << ", slices of " << slice_bytes);
            CHECK(lines_by_slices(path, slice_bytes, sliced_hash) == whole);
            CHECK(sliced_hash == whole_hash);
        }
        CHECK(whole_hash == loci::fnv1a64(text));
        loci::ExtractedText direct = loci::split_text(text);
        CHECK(whole.size() == direct.lines.size());
        std::filesystem::remove(path);
    }
}

TEST_CASE("a line with no space is cut at a character boundary, never inside one") {
    std::string text;
    while (text.size() < 5000) text += "中国Ωé";
    const std::string path = write_temp("loci-slices-nospace.txt", text);
    loci::TextSlices slices(path, 100);
    std::string bytes;
    std::string whole;
    while (slices.next_bytes(bytes)) {
        CHECK(loci::count_invalid_utf8(bytes) == 0);
        whole += bytes;
    }
    CHECK(whole == text);
    std::filesystem::remove(path);
}

TEST_CASE("a file that cannot be opened is a clear error") {
    CHECK_THROWS_WITH(loci::TextSlices("/nonexistent/loci/file.txt"), Catch::Contains("cannot open"));
}

TEST_CASE("extensions in capitals are read as their format, and walked to") {
    CHECK(loci::format_of("/r/SCAN.PDF") == loci::SourceFormat::pdf);
    CHECK(loci::format_of("/r/Page.Htm") == loci::SourceFormat::html);
    CHECK(loci::format_of("/r/REPORT.TXT") == loci::SourceFormat::text);
    CHECK(loci::format_of("/r.PDF/notes") == loci::SourceFormat::text);  // a folder's dot is no extension
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "loci-extensions-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    for (const char* name : {"REPORT.TXT", "Notes.Md", "image.PNG"}) std::ofstream(dir / name) << "text\n";
    std::vector<std::string> found;
    for (const loci::SourceFile& f : loci::walk_corpus({dir.string()}, {}).files)
        found.push_back(std::filesystem::path(f.path).filename().string());
    std::filesystem::remove_all(dir);
    CHECK(found == std::vector<std::string>{"Notes.Md", "REPORT.TXT"});
}
