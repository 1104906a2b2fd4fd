// Tests of the words found in a passage: a phrase's and a NEAR's words
// only where they stand together, as Xapian matched them, and the line
// that is cited for them.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "query/citation.h"
#include "query/passage_finder.h"
#include "query/passage_searcher.h"
#include "query/query_compiler.h"
#include "test_support.h"

namespace {

using loci::test::analyzer;

/// The matched words of @p text for @p query, as they stand in the text.
std::vector<std::string> matched(const std::string& query, const std::string& text) {
    const Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const loci::CompiledQuery q = loci::QueryCompiler(analyzer(), db).compile(query);
    std::vector<std::string> out;
    for (const loci::WordMatch& m : loci::find_word_matches(text, analyzer(), q))
        out.push_back(text.substr(m.text_offset, m.length));
    return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("a phrase's words are found only where the phrase stands") {
    const std::string text = "military and civilian personnel; civilian protection and the protection of civilians";
    CHECK(matched("\"civilian protection\"", text) == Words{"civilian", "protection"});
    CHECK(matched("\"protection of civilians\"", text) == Words{"protection", "of", "civilians"});
    // Nowhere together: nothing to show.
    CHECK(matched("\"personnel protection\"", text).empty());
    // Typed free as well, a word is found everywhere as that word (stemmed).
    CHECK(matched("\"civilian protection\" civilian", text) ==
          Words{"civilian", "civilian", "protection", "civilians"});
}

TEST_CASE("a NEAR's words are found only within its window, in either order") {
    // Positions: China 1, Tibet 3, signed 4, Tibet 5, coast 11, China 13.
    const std::string text = "China and Tibet signed; Tibet was far, far from the coast of China";
    CHECK(matched("china NEAR/3 tibet", text) == Words{"China", "Tibet"});
    // Fewer than N positions apart: coast is 6 from the second Tibet, 8 from the first.
    CHECK(matched("coast NEAR/6 tibet", text).empty());
    CHECK(matched("coast NEAR/7 tibet", text) == Words{"Tibet", "coast"});
    CHECK(matched("coast NEAR/9 tibet", text) == Words{"Tibet", "Tibet", "coast"});
    CHECK(matched("signed NEAR/4 china", text) == Words{"China", "signed"});
}

namespace {

/// The corpus indexed once for this program's tests.
const loci::test::IndexedCorpus& corpus() {
    static const loci::test::IndexedCorpus indexed;
    return indexed;
}

/// Queries of two words each, most taken from the corpus: every 40th pair of
/// words in a row as a phrase, and every 40th pair of words d apart (d of
/// 1 to 12) as NEAR/d and NEAR/d+1, on both sides of the window's edge.
std::vector<std::string> phrase_and_near_queries(const loci::test::IndexedCorpus& index) {
    // Acronyms, which also match their long form (but a NEAR not by it).
    std::vector<std::string> queries = {"IHL NEAR/3 china", "RCSC NEAR/5 china", "ICRC NEAR/4 president",
                                        "china NEAR/10 IHL", "\"IHL treaties\""};
    std::size_t n = 0;
    for (const auto& [id, p] : index.passages) {
        const std::vector<loci::analysis::Token> tokens = analyzer().analyze(p.text);
        std::vector<const loci::analysis::Token*> words;
        for (const auto& t : tokens)
            if (t.role == loci::analysis::TokenRole::word) words.push_back(&t);
        auto typed = [&](const loci::analysis::Token* t) { return p.text.substr(t->byte_start, t->byte_length); };
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            const std::size_t d = 1 + i % 12;
            if (++n % 40 != 0 || i + d >= words.size()) continue;
            const auto* a = words[i];
            const auto* b = words[i + d];
            if (b->position == a->position + 1)
                queries.push_back("\"" + typed(a) + " " + typed(words[i + 1]) + "\"");
            if (loci::analysis::is_stopword(a->term) || loci::analysis::is_stopword(b->term)) continue;
            const std::string apart = std::to_string(b->position - a->position);
            const std::string wider = std::to_string(b->position - a->position + 1);
            queries.push_back(typed(a) + " NEAR/" + apart + " " + typed(b));
            queries.push_back(typed(b) + " NEAR/" + wider + " " + typed(a));
        }
    }
    return queries;
}

/// The passages whose text Xapian's match finds @p q in.
std::set<Xapian::docid> xapian_matches(const Xapian::Database& db, const loci::CompiledQuery& q) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q.query);
    std::set<Xapian::docid> ids;
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.insert(*it);
    return ids;
}

/// Whether find_word_matches() finds the query's one group standing together.
bool group_found(const loci::Passage& p, const loci::CompiledQuery& q) {
    const loci::WordGroup& g = q.groups.front();
    for (const loci::WordMatch& m : loci::find_word_matches(p.text, analyzer(), q))
        if (m.word >= g.first && m.word < g.first + g.node.children.size()) return true;
    return false;
}

}  // namespace

TEST_CASE("a phrase or a NEAR stands together in exactly the passages Xapian matches (the corpus)") {
    const loci::test::IndexedCorpus& index = corpus();
    std::size_t checked = 0, found = 0;
    for (const std::string& query : phrase_and_near_queries(index)) {
        loci::CompiledQuery q;
        try {
            q = loci::QueryCompiler(analyzer(), index.db).compile(query);
        } catch (const loci::QuerySyntaxError&) {
            continue;  // a "word" of several (u.n.), refused by NEAR
        }
        if (q.groups.size() != 1) continue;  // a phrase of one word is no group
        const std::set<Xapian::docid> expected = xapian_matches(index.by_passage, q);
        // A passage matched only through a link target (hidden text)
        // would fail here: group_found() looks at the shown text (none is).
        for (const auto& [id, p] : index.passages) {
            INFO(query << " in passage " << id << ": " << p.text);
            const bool in_xapian = expected.count(id) > 0;
            CHECK(group_found(p, q) == in_xapian);
            found += in_xapian;
        }
        ++checked;
    }
    // Enough queries, and enough passages found, for the check to mean something.
    CHECK(checked >= 100);
    CHECK(found >= 150);
}

TEST_CASE("a phrase query cites the line where the phrase stands, not one with its words apart") {
    loci::test::TempDir dir;
    dir.write("docs/report.txt",
              "Civilian staff and protection officers met the delegation in the capital\n"
              "to discuss civilian protection in the northern provinces this spring.\n");
    loci::test::index_paths(dir.path("db"), {dir.path("docs")});
    loci::PassageSearcher searcher({dir.path("db")});
    loci::SearchRequest r;
    r.query = "\"civilian protection\"";
    const loci::SearchResult result = searcher.search(r);
    REQUIRE(result.hits.size() == 1);
    const loci::Hit& hit = result.hits[0];
    CHECK(hit.citation.line == 2);
    REQUIRE(hit.matches.size() == 2);
    CHECK(hit.passage.text.substr(hit.matches[0].text_offset, 19) == "civilian protection");
}

TEST_CASE("the words the finder's check analysed are the ones a fresh analysis finds (the corpus)") {
    // The searcher highlights and cites from the finder's analysis of each
    // candidate (FoundPassage::tokens), not from a second one: it must hold
    // every word the highlighting looks for, the question's answers too.
    const loci::test::IndexedCorpus& index = corpus();
    const loci::ShardSet shards(index.db);
    loci::PassageFinder finder(shards, analyzer());
    const auto as_tuples = [](const std::vector<loci::WordMatch>& matches) {
        std::vector<std::tuple<std::size_t, std::uint32_t, std::uint32_t, std::uint32_t, bool, double>> out;
        for (const loci::WordMatch& m : matches)
            out.emplace_back(m.word, m.text_offset, m.length, m.position, m.sequence, m.strength);
        return out;
    };
    std::size_t compared = 0, answers_seen = 0;
    for (const char* query : {"peacekeeping South Sudan", "when was the Red Cross Society of China founded",
                              "how many staff died", "\"human rights council\"", "IHL",
                              "civilians NEAR/5 protection", "responsib* protect", "title:assessment china"}) {
        const loci::CompiledQuery q = loci::QueryCompiler(analyzer(), index.db).compile(query);
        for (loci::FoundPassage& found : finder.best(q, 10, true)) {
            INFO(query << ": " << found.passage.text);
            std::vector<std::uint32_t> reused, fresh;
            const auto from_check = loci::find_word_matches(found.tokens, q, &reused);
            const auto again = loci::find_word_matches(found.passage.text, analyzer(), q, &fresh);
            CHECK(as_tuples(from_check) == as_tuples(again));
            CHECK(reused == fresh);
            answers_seen += fresh.size();
            ++compared;
        }
    }
    CHECK(compared >= 100);
    CHECK(answers_seen > 0);  // the questions' answer words were looked for, and found
}
