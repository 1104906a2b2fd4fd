// Table-driven tests of the query language, compared as Xapian descriptions.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "query/citation.h"
#include "query/query_compiler.h"

namespace {
struct Fixture {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    loci::analysis::Analyzer analyzer;
    Fixture() {
        db.set_metadata(std::string(loci::schema::kMetaAcronymPrefix) + "ihl",
                        loci::schema::count_name("", "international humanitarian law", 1));
        db.set_metadata(std::string(loci::schema::kMetaExpansionPrefix) + "international humanitarian law",
                        loci::schema::count_name("", "ihl", 1));
        for (const char* path : {"/data/corpus/report-2023.txt", "/data/other/notes.md"}) {
            Xapian::Document d;  // a file's first passage, as the indexer writes it
            d.add_boolean_term(std::string(loci::schema::kFilePrefix) + path);
            d.add_boolean_term(loci::schema::file_id_term_of_path(path));
            db.add_document(d);
        }
    }
    std::string compile(const std::string& q) {
        return loci::QueryCompiler(analyzer, db).compile(q).query.get_description();
    }
};
}  // namespace

TEST_CASE("file: filters by the ids of the files whose paths match") {
    Fixture f;
    const std::string report = loci::schema::file_id_term_of_path("/data/corpus/report-2023.txt");
    const std::string notes = loci::schema::file_id_term_of_path("/data/other/notes.md");
    CHECK(f.compile("file:report-*.txt china") == "Query(((china OR Zchina) FILTER " + report + "))");
    CHECK(f.compile("file:other/* china") == "Query(((china OR Zchina) FILTER " + notes + "))");
    const std::string both = f.compile("file:*.* china");
    CHECK(both.find(report) != std::string::npos);
    CHECK(both.find(notes) != std::string::npos);
}

TEST_CASE("a field's value may be quoted: file names with spaces, headings of several words") {
    Fixture f;
    const std::string path = "/data/other/annual report 2023.pdf";
    Xapian::Document d;
    d.add_boolean_term(std::string(loci::schema::kFilePrefix) + path);
    f.db.add_document(d);
    const std::string annual = loci::schema::file_id_term_of_path(path);
    CHECK(f.compile("file:\"annual report*\" china") == "Query(((china OR Zchina) FILTER " + annual + "))");
    CHECK(f.compile("file:\"annual report 2023.pdf\" china") == f.compile("file:\"annual report*\" china"));
    CHECK(f.compile("file:\"report-2023.txt\"") == f.compile("file:report-2023.txt"));
    // Unclosed, as a phrase: to the end of the query.
    CHECK(f.compile("china file:\"annual report") == f.compile("china file:\"annual report\""));
    const std::string heading = f.compile("china section:\"human rights\"");
    CHECK(heading == f.compile("china section:human-rights"));
    CHECK(heading.find("human") != std::string::npos);
    CHECK(heading.find("right") != std::string::npos);
    CHECK(f.compile("china -section:\"human rights\"") == f.compile("china -section:human-rights"));
}

TEST_CASE("query language compiles to the expected Xapian queries") {
    Fixture f;
    struct Row {
        const char* query;
        const char* expected;
    };
    const Row rows[] = {
        {"peacekeeping", "Query((peacekeeping OR Zpeacekeep OR peacekeep))"},
        {"Peacekeepers Sudan", "Query(((peacekeepers OR Zpeacekeep OR peacekeep) OR (sudan OR Zsudan)))"},
        {"the", "Query((the OR Zthe))"},
        {"the peacekeeping", "Query((peacekeeping OR Zpeacekeep OR peacekeep))"},
        {"\"human rights council\"", "Query((human PHRASE 3 rights PHRASE 3 council))"},
        // Lucene's slop: the words in any order, N more positions.
        {"\"council human rights\"~2", "Query((council NEAR 5 human NEAR 5 rights))"},
        {"\"rights\"~2", "Query(rights)"},
        {"a AND b", "Query(((a OR Za) AND (b OR Zb)))"},
        {"china OR tibet", "Query(((china OR Zchina) OR (tibet OR Ztibet)))"},
        {"china -tibet", "Query(((china OR Zchina) AND_NOT (tibet OR Ztibet)))"},
        {"china NOT tibet", "Query(((china OR Zchina) AND_NOT (tibet OR Ztibet)))"},
        {"+china tibet", "Query(((china OR Zchina) AND_MAYBE (tibet OR Ztibet)))"},
        {"peace*", "Query(WILDCARD SYNONYM peace)"},
        {"china NEAR tibet", "Query(((china OR Zchina) NEAR 10 (tibet OR Ztibet)))"},
        {"china NEAR/3 tibet", "Query(((china OR Zchina) NEAR 3 (tibet OR Ztibet)))"},
        {"zero-COVID", "Query((zero-covid OR (zero PHRASE 2 covid)))"},
        {"Türkiye", "Query((turkiye OR Zturkiy OR turkiy))"},
        {"2,273", "Query(2273)"},
        {"section:dialogue china", "Query(((china OR Zchina) FILTER Sdialog))"},
        {"file:nomatch china", "Query(((china OR Zchina) FILTER I))"},
        {"-tibet", "Query((<alldocuments> AND_NOT (tibet OR Ztibet)))"},
        {"(china OR tibet) AND law", "Query((((china OR Zchina) OR (tibet OR Ztibet)) AND (law OR Zlaw)))"},
        {"\"unclosed phrase", "Query((unclosed PHRASE 2 phrase))"},
        {"(((china", "Query((china OR Zchina))"},
    };
    for (const Row& r : rows) {
        INFO("query: " << r.query);
        CHECK(f.compile(r.query) == r.expected);
    }
}

TEST_CASE("acronyms match their long form, and the long form the acronym, a little lower") {
    Fixture f;
    // The long form weighs as one word, not three: 0.9 / 3.
    CHECK(f.compile("IHL").find("(ihl OR Zihl OR 0.29999") != std::string::npos);
    CHECK(f.compile("IHL").find("* (international PHRASE 3 humanitarian PHRASE 3 law)") != std::string::npos);
    const std::string d = f.compile("international humanitarian law");
    CHECK(d.find("(law OR Zlaw) OR 0.9") != std::string::npos);
    CHECK(d.find("* ihl))") != std::string::npos);
}

TEST_CASE("the verb of \"what does X stand for\" and \"what does X mean\" is not a content word") {
    Fixture f;
    loci::QueryCompiler compiler(f.analyzer, f.db);
    const loci::CompiledQuery stand = compiler.compile("what does IHL stand for");
    CHECK(stand.query.get_description().find("stand") == std::string::npos);
    CHECK(stand.query.get_description().find("ihl") != std::string::npos);
    CHECK(compiler.compile("What does IHL mean?").query.get_description().find("mean") == std::string::npos);
    // Outside the frame the verb is a word like any other.
    CHECK(compiler.compile("stand for peace").query.get_description().find("stand") != std::string::npos);
    CHECK(compiler.compile("what standards mean for peace").query.get_description().find("mean") != std::string::npos);
    CHECK(compiler.compile("what does the law mean for peace").query.get_description().find("mean") != std::string::npos);
}

TEST_CASE("a question's first words say whether it asks for a time or a quantity") {
    Fixture f;
    loci::QueryCompiler compiler(f.analyzer, f.db);
    using loci::AnswerKind;
    CHECK(compiler.compile("when was the ICRC founded").answer == AnswerKind::time);
    CHECK(compiler.compile("When did China sign the ICCPR?").answer == AnswerKind::time);
    CHECK(compiler.compile("since when has the ICRC worked in China").answer == AnswerKind::time);
    CHECK(compiler.compile("what year was the law passed").answer == AnswerKind::time);
    CHECK(compiler.compile("how many members does the society have").answer == AnswerKind::quantity);
    CHECK(compiler.compile("How much aid was delivered").answer == AnswerKind::quantity);
    CHECK(compiler.compile("ICRC founded").answer == AnswerKind::any);
    CHECK(compiler.compile("how the ICRC was founded").answer == AnswerKind::any);
    CHECK(compiler.compile("who founded the ICRC").answer == AnswerKind::any);
}

TEST_CASE("the words that answer a time or a quantity, as analysed") {
    loci::analysis::Analyzer analyzer;
    auto answers = [&](const std::string& text, loci::AnswerKind kind) {
        std::string out;
        for (const auto& t : analyzer.analyze(text))
            if (loci::is_answer(t, kind)) out += (out.empty() ? "" : " ") + t.term;
        return out;
    };
    using loci::AnswerKind;
    CHECK(answers("Established in 1863, in the 1930s, on 5 September 2024, a Wednesday", AnswerKind::time) ==
          "1863 1930s september 2024 wednesday");
    // Not years, and "may" the verb is not a month.
    CHECK(answers("12345 people may come, 999 or 2273 of them", AnswerKind::time).empty());
    CHECK(answers("17 million members, five states, 2,273 cases and $10.7 million", AnswerKind::quantity) ==
          "17 million five 2273 10.7 million");
    CHECK(answers("1863 five", AnswerKind::any).empty());
}

TEST_CASE("a word found as its acronym's long form or a word of like meaning is found less surely") {
    Fixture f;
    loci::CompiledQuery q = loci::QueryCompiler(f.analyzer, f.db).compile("IHL");
    q.words[0].related.insert(f.analyzer.stem_term("treaty"));  // as a thesaurus would give
    const auto m = loci::find_word_matches("IHL, international humanitarian law and treaties", f.analyzer, q);
    REQUIRE(m.size() == 3);
    CHECK(m[0].strength == 1);
    CHECK(m[1].sequence);
    CHECK(m[1].strength == Approx(loci::kSynonymWeight));
    CHECK(m[2].strength == Approx(loci::kRelatedWeight));
}

TEST_CASE("an acronym's long form matches as words in a row, not across a word left out of the analysis") {
    // find_word_matches() analyses for matching: "zebra" begins no query
    // word, so it is left out of the tokens; positions still count it.
    Fixture f;
    const loci::CompiledQuery q = loci::QueryCompiler(f.analyzer, f.db).compile("IHL");
    const std::string text = "international humanitarian zebra law; international humanitarian law";
    const auto m = loci::find_word_matches(text, f.analyzer, q);
    REQUIRE(m.size() == 1);
    CHECK(m[0].sequence);
    CHECK(text.substr(m[0].text_offset, m[0].length) == "international humanitarian law");
    CHECK(m[0].text_offset == text.rfind("international"));
}

TEST_CASE("a query's metadata is read in one batch, and gives the same query as key by key") {
    Fixture f;
    std::vector<std::vector<std::string>> batches;
    const loci::QueryCompiler::MetadataLookup counting = [&](const std::vector<std::string>& keys) {
        batches.push_back(keys);
        std::vector<std::string> values;
        for (const std::string& key : keys) values.push_back(f.db.get_metadata(key));
        return values;
    };
    for (const std::string q : {"international humanitarian law", "IHL violations", "title:report IHL"}) {
        INFO("query: " << q);
        batches.clear();
        const std::string batched = loci::QueryCompiler(f.analyzer, f.db, counting).compile(q).query.get_description();
        CHECK(batched == f.compile(q));
        REQUIRE(batches.size() == 1);  // each remote shard: one thread, not one per key
        const std::vector<std::string>& keys = batches.front();
        const bool has_ihl = std::find(keys.begin(), keys.end(), std::string(loci::schema::kMetaAcronymPrefix) + "ihl") != keys.end();
        CHECK(has_ihl == (q.find("IHL") != std::string::npos));
    }
    // Three free words: an acronym per word and a long form per run of them.
    batches.clear();
    loci::QueryCompiler(f.analyzer, f.db, counting).compile("international humanitarian law");
    REQUIRE(batches.size() == 1);
    CHECK(batches.front().size() == 6);
}

TEST_CASE("malformed queries get a sensible reading or a positioned error") {
    Fixture f;
    // Sensible readings.
    CHECK(f.compile("china\x01\x02 tibet") == f.compile("china tibet"));
    CHECK_NOTHROW(f.compile(std::string(5000, 'x')));
    CHECK_NOTHROW(f.compile("\xff\xfe broken utf8"));
    // Errors that name the position.
    struct Row {
        const char* query;
        const char* message;
    };
    const Row errors[] = {
        {"NOT", "query position 1: NOT needs a word after it"},
        {"china NOT", "query position 7: NOT needs a word after it"},
        {"***", "query position 1: '*' needs a few letters before it, as in peace*"},
        {"china )", "query position 7: ')' without a matching '('"},
        {"AND china", "query position 1: AND needs something on both sides"},
        {"china OR", "query position 7: OR needs something on both sides"},
        {"NEAR china", "query position 1: NEAR needs a word on both sides"},
        // Found by fuzzing (tests/fuzz/regressions): Xapian's NEAR takes no phrase or wildcard.
        {"zero-COVID NEAR china", "query position 12: NEAR needs a word on both sides"},
        {"china NEAR/3 tib*", "query position 7: NEAR needs a word on both sides"},
        {"\"\"", "query position 1: the quoted phrase has no words"},
        {"!!! ???", "query has no words to search for"},
        // A field without its value would search the field's name.
        {"section: methods", "query position 1: section: needs its value right after it, as in section:methods or "
                             "section:\"human rights\""},
        {"china -file:", "query position 7: file: needs its value right after it, as in file:r2p-* or "
                         "file:\"annual report.pdf\""},
        {"title:", "query position 1: title: needs its value right after it, as in title:china or "
                   "title:\"R2P implementation\""},
        {"file:\"\" china", "query position 1: file: needs a name or a glob"},
        {"\"human rights\"~ china", "query position 15: '~' after a phrase needs a number of words from 0 to 999, "
                                     "as in \"peace keeping\"~3"},
        {"\"a b\"~1000", "query position 6: '~' after a phrase needs a number of words from 0 to 999, "
                          "as in \"peace keeping\"~3"},
        {"section:\"!!\"", "query position 1: section: needs a word"},
    };
    for (const Row& r : errors) {
        INFO("query: " << r.query);
        try {
            f.compile(r.query);
            FAIL("no error");
        } catch (const loci::QuerySyntaxError& e) {
            CHECK(std::string(e.what()) == r.message);
        }
    }
}
