// Tests of the WordNet thesaurus: a small WordNet written by the test, then
// Debian's wordnet-base (installed by scripts/deps).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "query/thesaurus.h"
#include "test_support.h"

namespace {
bool has(const std::vector<std::string>& v, const std::string& w) { return std::find(v.begin(), v.end(), w) != v.end(); }

/// A data file of @p synsets (words, after the header), and the offset of each.
std::pair<std::string, std::vector<std::string>> data_file(const std::vector<std::string>& synsets, char type) {
    std::string data = "  1 A header line, as WordNet's files have.  \n";
    std::vector<std::string> offsets;
    for (const std::string& words : synsets) {
        char offset[16];
        std::snprintf(offset, sizeof offset, "%08zu", data.size());
        offsets.emplace_back(offset);
        std::size_t count = 0;
        std::string listed;
        for (std::size_t i = 0; i < words.size();) {
            std::size_t j = words.find(' ', i);
            if (j == std::string::npos) j = words.size();
            listed += words.substr(i, j - i) + " 0 ";
            ++count;
            i = j + 1;
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "%02zx", count);
        data += std::string(offset) + " 00 " + type + " " + hex + " " + listed + "000 | a gloss  \n";
    }
    return {data, offsets};
}

/// A WordNet of a few verbs: found/establish/launch share their first sense.
loci::test::TempDir small_wordnet() {
    loci::test::TempDir dir;
    auto [data, at] = data_file({"establish set_up found launch plant", "find discover", "ground base found",
                                 "grant award(p)", "plant implant"}, 'v');
    dir.write("data.verb", data);
    dir.write("index.verb",
              "  1 A header line.  \n"
              "discover v 1 0 1 1 " + at[1] + "  \n"
              "establish v 1 0 1 1 " + at[0] + "  \n"
              "find v 1 0 1 1 " + at[1] + "  \n"
              "found v 2 1 @ 2 2 " + at[0] + " " + at[2] + "  \n"
              "grant v 1 0 1 0 " + at[3] + "  \n"
              "launch v 1 0 1 1 " + at[0] + "  \n"
              "plant v 2 0 2 2 " + at[4] + " " + at[0] + "  \n");
    dir.write("verb.exc", "found find\n");
    return dir;
}

/// The same WordNet read from its files and from the table compiled from them.
struct BothSources {
    explicit BothSources(const std::string& dir) : files(dir), compiled(loci::compile_thesaurus(dir)), table(compiled.table()) {}
    loci::Thesaurus files;
    loci::CompiledThesaurus compiled;
    loci::Thesaurus table;
};
}  // namespace

TEST_CASE("a word's most frequent sense gives its one-word synonyms, through any inflection") {
    auto dir = small_wordnet();
    BothSources both(dir.path());
    for (const loci::Thesaurus* t : {&both.files, &both.table}) {
        REQUIRE(t->available());
        auto founded = t->related("founded");  // -ed: found
        CHECK(has(founded, "establish"));
        CHECK(has(founded, "launch"));
        CHECK_FALSE(has(founded, "found"));   // the word itself
        CHECK_FALSE(has(founded, "set_up"));  // several words
        CHECK_FALSE(has(founded, "ground"));  // a rarer sense of found
        CHECK_FALSE(has(founded, "plant"));   // a rarer sense of plant
        auto establishing = t->related("establishing");
        CHECK(has(establishing, "found"));
        CHECK(has(establishing, "launch"));
        // "found" is also find's past (the exception list): both senses count.
        CHECK(has(t->related("found"), "discover"));
        CHECK(has(t->related("found"), "establish"));
    }
}

TEST_CASE("words without sense counts, unknown words and a missing WordNet give nothing") {
    auto dir = small_wordnet();
    BothSources both(dir.path());
    for (const loci::Thesaurus* t : {&both.files, &both.table}) {
        CHECK(t->related("grant").empty());  // tagsense_cnt 0: senses in no known order
        CHECK(t->related("peacekeeping").empty());
        CHECK(t->related("").empty());
        CHECK(t->related("zzzzzzzz").empty());
    }
    loci::Thesaurus none(dir.path("nowhere"));
    CHECK_FALSE(none.available());
    CHECK(none.related("founded").empty());
    const loci::CompiledThesaurus nothing = loci::compile_thesaurus(dir.path("nowhere"));
    CHECK(nothing.lemmas.empty());
    CHECK_FALSE(loci::Thesaurus(nothing.table()).available());
}

TEST_CASE("the compiled table keeps only the lemmas that have words of like meaning") {
    auto dir = small_wordnet();
    const loci::CompiledThesaurus compiled = loci::compile_thesaurus(dir.path());
    // establish, found and launch share a first sense; discover and find
    // share another. grant has no sense counts; plant's first sense is
    // implant's synset, which has no other one-word lemma it is first for.
    CHECK(compiled.lemmas ==
          "discover 2 - find -\n"
          "establish 2 - found,launch -\n"
          "find 2 - discover -\n"
          "found 2 - establish,launch -\n"
          "launch 2 - establish,found -\n");
    CHECK(compiled.exceptions[1] == "found find\n");
    CHECK(compiled.exceptions[0].empty());
}

TEST_CASE("Debian's WordNet: common words of reports") {
    const loci::Thesaurus t = loci::Thesaurus::built_in();
    REQUIRE(t.available());  // scripts/deps installs wordnet-base
    CHECK(has(t.related("founded"), "establish"));
    CHECK(has(t.related("countries"), "nation"));
    CHECK_FALSE(has(t.related("countries"), "state"));  // usually a province
    CHECK_FALSE(has(t.related("kill"), "pop"));  // kill's first sense is "cause to die"
}

TEST_CASE("Debian's WordNet: the table built into loci gives what the files give, for every lemma and inflection") {
    const loci::Thesaurus files(loci::Thesaurus::kDefaultDir);
    const loci::Thesaurus built_in = loci::Thesaurus::built_in();
    REQUIRE(files.available());
    // Every lemma of the three parts of speech, a few inflections of each
    // (morphy's suffixes), and every word of the exception lists.
    std::vector<std::string> words;
    for (const char* part : {"noun", "verb", "adj"}) {
        std::ifstream index(std::string(loci::Thesaurus::kDefaultDir) + "/index." + part);
        for (std::string line; std::getline(index, line);) {
            if (line.empty() || line[0] == ' ') continue;
            const std::string lemma = line.substr(0, line.find(' '));
            for (const char* suffix : {"", "s", "es", "ed", "ing", "er", "est", "men"}) words.push_back(lemma + suffix);
            if (lemma.back() == 'y') words.push_back(lemma.substr(0, lemma.size() - 1) + "ies");
        }
        std::ifstream exceptions(std::string(loci::Thesaurus::kDefaultDir) + "/" + part + ".exc");
        for (std::string line; std::getline(exceptions, line);) words.push_back(line.substr(0, line.find(' ')));
    }
    REQUIRE(words.size() > 1000000);
    std::size_t with_related = 0, differ = 0;
    for (const std::string& w : words) {
        const std::vector<std::string> expected = files.related(w);
        with_related += !expected.empty();
        if (built_in.related(w) != expected && ++differ <= 5) FAIL_CHECK(w);
    }
    CHECK(differ == 0);
    CHECK(with_related > 10000);
}
