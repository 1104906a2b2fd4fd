// Tests of the query tree: matches() on one passage's terms must agree
// with Xapian's match over the whole index, for every operator.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "indexer/analysis/error.h"
#include "indexer/analysis/term_signature.h"
#include "query/match_tree.h"
#include "query/query_compiler.h"
#include "query/thesaurus.h"
#include "test_support.h"

namespace {

using loci::MatchNode;
using Op = MatchNode::Op;

using loci::test::analyzer;

/// A passage's terms and positions, read back from the index.
loci::PassageTerms terms_of(const Xapian::Database& db, Xapian::docid id) {
    loci::PassageTerms terms;
    for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
        std::vector<std::uint32_t>& at = terms[*t];
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.push_back(*p);
    }
    return terms;
}

/// Words as a user would type them, taken from the corpus: a word, the
/// word after it, one a few words on, and its first letters.
struct Picked {
    std::string word, next, later, prefix, compound;
};

/// Queries over every operator of the language, made of words picked at
/// random (a fixed seed) from the corpus's passages.
std::vector<std::string> generated_queries(const loci::test::IndexedCorpus& corpus) {
    std::mt19937 rng(20261128);
    std::vector<std::string> queries = {
        // Acronyms and their long forms, stopwords, questions, files, titles.
        "IHL", "international humanitarian law", "R2P", "RCSC NEAR/5 china", "the", "the and of",
        "what does IHL stand for", "when was the Red Cross Society of China founded",
        "file:icrc-*.txt protection", "file:*.txt -china", "title:china assessment", "-china", "section:law -ihl",
        "zero-COVID", "\"Red Cross\" NOT society", "(china OR myanmar) AND (refugees OR displaced)",
    };
    std::vector<Picked> picks;
    while (picks.size() < 120) {
        const loci::Passage& p = corpus.passages[rng() % corpus.passages.size()].second;
        const std::vector<loci::analysis::Token> tokens = analyzer().analyze(p.text);
        std::vector<const loci::analysis::Token*> words;
        Picked pick;
        for (const auto& t : tokens) {
            if (t.role == loci::analysis::TokenRole::word) words.push_back(&t);
            if (t.role == loci::analysis::TokenRole::compound) pick.compound = p.text.substr(t.byte_start, t.byte_length);
        }
        if (words.size() < 6) continue;
        auto typed = [&](std::size_t i) { return p.text.substr(words[i]->byte_start, words[i]->byte_length); };
        const std::size_t i = rng() % (words.size() - 5);
        pick.word = typed(i);
        pick.next = typed(i + 1);
        pick.later = typed(i + 2 + rng() % 3);
        pick.prefix = words[i]->term.size() >= 4 ? words[i]->term.substr(0, 3 + rng() % 2) : std::string();
        picks.push_back(pick);
    }
    for (std::size_t k = 0; k < picks.size(); ++k) {
        const Picked& a = picks[k];
        const Picked& b = picks[(k * 7 + 3) % picks.size()];
        const std::string near = std::to_string(1 + rng() % 12);
        for (const std::string& q :
             {a.word, a.word + " " + b.word, a.word + " AND " + b.word, "+" + a.word + " " + b.word,
              a.word + " OR " + b.later, a.word + " -" + a.later, a.word + " NOT " + b.word,
              "\"" + a.word + " " + a.next + "\"", "\"" + a.word + " " + a.next + "\" -" + b.word,
              a.word + " NEAR/" + near + " " + a.later, "(" + a.word + " OR " + b.word + ") AND " + a.later,
              "\"" + a.later + " " + a.word + "\"~" + std::to_string(rng() % 5),
              "section:" + a.word + " " + b.word, a.prefix.empty() ? a.word : a.prefix + "* " + b.word,
              a.compound.empty() ? b.next : a.compound})
            queries.push_back(q);
    }
    return queries;
}

/// The corpus indexed once for this program's tests.
const loci::test::IndexedCorpus& corpus() {
    static const loci::test::IndexedCorpus indexed;
    return indexed;
}

/// generated_queries() compiled with words of like meaning (WordNet, when
/// installed), each with its text; those the language refuses are left out
/// (NEAR refuses a word of several (u.n.), a phrase of punctuation has no words).
std::vector<std::pair<std::string, loci::CompiledQuery>> compiled_queries(const loci::QueryCompiler& compiler) {
    std::vector<std::pair<std::string, loci::CompiledQuery>> out;
    for (const std::string& query : generated_queries(corpus())) {
        try {
            out.emplace_back(query, compiler.compile(query));
        } catch (const loci::QuerySyntaxError&) {
        }
    }
    return out;
}

/// A compiler over the corpus, with words of like meaning.
struct CorpusCompiler {
    loci::Thesaurus thesaurus = loci::Thesaurus::built_in();
    loci::QueryCompiler compiler{analyzer(), corpus().db};
    CorpusCompiler() { compiler.use_thesaurus(&thesaurus); }
    CorpusCompiler(const CorpusCompiler&) = delete;  // the compiler points at this thesaurus
};

}  // namespace

TEST_CASE("a passage matches the query tree exactly when Xapian's match finds it (the corpus, every operator)") {
    const loci::test::IndexedCorpus& corpus = ::corpus();
    const CorpusCompiler c;
    std::vector<std::pair<Xapian::docid, loci::PassageTerms>> passages;
    for (const auto& [id, p] : corpus.passages) passages.emplace_back(id, terms_of(corpus.by_passage, id));
    std::size_t compiled = 0, some = 0, not_all = 0;
    for (const auto& [query, q] : compiled_queries(c.compiler)) {
        ++compiled;
        Xapian::Enquire enquire(corpus.by_passage);
        enquire.set_query(q.query);
        const Xapian::MSet mset = enquire.get_mset(0, corpus.by_passage.get_doccount());
        std::set<Xapian::docid> expected;
        for (auto it = mset.begin(); it != mset.end(); ++it) expected.insert(*it);
        for (const auto& [id, terms] : passages) {
            INFO(query << " = " << q.query.get_description() << ", passage " << id);
            CHECK(loci::matches(q.tree, terms) == (expected.count(id) > 0));
        }
        some += !expected.empty();
        not_all += expected.size() < passages.size();
    }
    // The queries must mean something: most compile, find passages, and not all of them.
    CHECK(compiled >= 1500);
    CHECK(some >= 1000);
    CHECK(not_all >= 1000);
}

TEST_CASE("where any word decides, every file Xapian's match over files finds holds a matching passage (the corpus)") {
    // What lets loci -l list such a query's files without reading a passage.
    const loci::test::IndexedCorpus& corpus = ::corpus();
    const CorpusCompiler c;
    std::map<std::string, std::vector<loci::PassageTerms>> by_file;  // file id -> its passages' terms
    for (std::size_t k = 0; k < corpus.passages.size(); ++k)
        by_file[corpus.file_ids[k]].push_back(terms_of(corpus.by_passage, corpus.passages[k].first));
    std::size_t decided = 0, undecided = 0, files_checked = 0;
    for (const auto& [query, q] : compiled_queries(c.compiler)) {
        if (!loci::any_word_decides(q.tree)) {
            ++undecided;
            continue;
        }
        ++decided;
        Xapian::Enquire enquire(corpus.db);
        enquire.set_query(loci::to_xapian(q.tree));
        const Xapian::MSet mset = enquire.get_mset(0, corpus.db.get_doccount());
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const std::string data = it.get_document().get_data();
            const std::string id(loci::schema::split_document_data(data).first);
            INFO(query << " = " << q.query.get_description() << ", file " << id);
            const auto& passages = by_file.at(id);
            CHECK(std::any_of(passages.begin(), passages.end(),
                              [&](const loci::PassageTerms& t) { return loci::matches(q.tree, t); }));
            ++files_checked;
        }
    }
    CHECK(decided >= 300);
    CHECK(undecided >= 300);  // phrases, NEAR, AND, NOT, filters: never
    CHECK(files_checked >= 1000);
    // Shapes, by hand.
    for (const auto& [query, decides] : std::vector<std::pair<std::string, bool>>{
             {"humanitarian", true}, {"peacekeeping South Sudan", true}, {"respons*", true},
             {"\"human rights\"", false}, {"red AND cross", false}, {"humanitarian -china", false},
             {"+humanitarian law", false}, {"section:forensics search", false}, {"title:assessment", false},
             {"china NEAR/3 tibet", false}}) {
        INFO(query);
        CHECK(loci::any_word_decides(c.compiler.compile(query).tree) == decides);
    }
}

TEST_CASE("a file's document holds its passages' terms made again from their records (the corpus)") {
    const loci::test::IndexedCorpus& corpus = ::corpus();
    // Each document's terms as index_schema.h says: a term's wdf is the
    // number of its passages in which it weighs, filters weigh nothing, the
    // file id once, the passage count term the passages.
    std::map<Xapian::docid, std::map<std::string, Xapian::termcount>> wdfs;
    std::map<Xapian::docid, std::map<std::string, std::size_t>> positions;
    std::size_t with_link_targets = 0, terms_checked = 0;
    for (std::size_t i = 0; i < corpus.passages.size(); ++i) {
        const loci::Passage& passage = corpus.passages[i].second;
        const auto [doc, k] = corpus.places[i];
        INFO("passage " << passage.line_start << " of " << passage.path << ": " << passage.text);
        loci::PassageCounts counts;
        const loci::PassageTerms terms =
            loci::terms_of(passage, analyzer().analyze(passage.text), analyzer(),
                           loci::FileTerms::of_path(passage.path, corpus.first_of_file[i]), &counts);
        const std::string value = corpus.db.get_document(doc).get_data();
        const loci::PassageSignatures signatures(loci::schema::split_document_data(value).second);
        REQUIRE(k < signatures.size());
        const loci::PassageSignature stored = signatures[k];
        const std::string signature(stored.bits);
        CHECK(stored.length == counts.length);  // what the query weighs the passage's length by
        for (const auto& [term, at] : terms) {
            wdfs[doc][term] += 0;
            positions[doc][term] += at.size();
            // Filters are asked of the file, not the passage (term_signature.h).
            if (term[0] == loci::schema::kFilePrefix[0] || term[0] == loci::schema::kFileIdPrefix[0] ||
                term[0] == loci::schema::kSectionPrefix[0])
                continue;
            // A word is asked for as itself or its stem term.
            const std::string stem = term[0] >= 'A' && term[0] <= 'Z' ? "" : analyzer().stem_term(term);
            INFO("term " << term << ", stem " << stem);
            CHECK((loci::may_hold(signature, term) ||
                   (!stem.empty() && loci::may_hold(signature, std::string(loci::schema::kStemPrefix) + stem))));
            ++terms_checked;
        }
        for (const auto& [term, tf] : counts.tf) wdfs[doc][term] += tf > 0 ? 1 : 0;
        wdfs[doc][loci::schema::file_id_term(corpus.file_ids[i])] = 1;
        ++wdfs[doc][std::string(loci::schema::kPassageCountTerm)];
        with_link_targets += !passage.hidden_text.empty();
    }
    for (const auto& [doc, expected] : wdfs) {
        std::map<std::string, Xapian::termcount> held;
        std::map<std::string, std::size_t> held_positions;
        for (auto t = corpus.db.termlist_begin(doc); t != corpus.db.termlist_end(doc); ++t) {
            held[*t] = t.get_wdf();
            held_positions[*t] = t.positionlist_count();
        }
        CHECK(held == expected);
        positions[doc][std::string(loci::schema::kPassageCountTerm)] = 0;
        CHECK(held_positions == positions[doc]);
    }
    CHECK(terms_checked > 10000);
    // Link targets are terms no shown word makes: the corpus has a few.
    CHECK(with_link_targets > 0);
}

TEST_CASE("a signature says no only for terms its passage lacks, and no for most others") {
    std::vector<std::string> terms;
    for (int i = 0; i < 40; ++i) terms.push_back("word" + std::to_string(i));
    const std::string signature = loci::term_signature(terms);
    for (const std::string& t : terms) CHECK(loci::may_hold(signature, t));
    std::size_t maybe = 0;
    for (int i = 0; i < 10000; ++i) maybe += loci::may_hold(signature, "other" + std::to_string(i));
    CHECK(maybe < 1000);  // about 5.6% (term_signature.cc)
    CHECK(!loci::may_hold("", "word0"));
}

TEST_CASE("a signature tells apart terms that differ in their last letter or digit") {
    // Years, numbers and words like model/modem differ in a byte or two;
    // the probes must not fall where the passage's own terms put theirs.
    std::size_t maybe = 0, asked = 0;
    for (int i = 0; i < 500; ++i) {
        const std::string number = std::to_string(1000 + 2 * i);
        const std::string signature = loci::term_signature({"survey", "near", number, "model", "2023"});
        for (const std::string& neighbour : {std::to_string(1000 + 2 * i + 1), std::string("modem"), std::string("2024")}) {
            maybe += loci::may_hold(signature, neighbour);
            ++asked;
        }
    }
    CHECK(maybe * 20 < asked);  // 5 terms in 64 bits, 4 probes each: about 0.3%
}

TEST_CASE("a passage's signature admits it by the whole tree: positions aside, exclusions never") {
    const std::string signature = loci::term_signature({"red", "cross", "china"});
    const Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    loci::QueryCompiler compiler(analyzer(), db);
    auto may_match = [&](const char* query) {
        return loci::may_match(compiler.compile(query).tree,
                               [&](const loci::MatchNode& leaf) { return loci::may_hold(signature, leaf.term); });
    };
    CHECK(may_match("\"cross red\""));  // order is not in it
    CHECK(may_match("red -china"));     // a maybe cannot exclude
    CHECK(may_match("tibet OR china"));
    // Terms it surely lacks (a test of the hash: these are not among its maybes).
    CHECK(!may_match("+tibet china"));
    CHECK(!may_match("\"red crescent\""));
}

TEST_CASE("a file-level query keeps everything but the exclusions") {
    const Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const loci::CompiledQuery q = loci::QueryCompiler(analyzer(), db).compile("\"red cross\" china -tibet");
    CHECK(loci::to_xapian(loci::without_exclusions(q.tree)).get_description() ==
          "Query(((red PHRASE 2 cross) OR (china OR Zchina)))");
    CHECK(loci::to_xapian(loci::without_exclusions(loci::QueryCompiler(analyzer(), db).compile("-tibet").tree))
              .get_description() == "Query(<alldocuments>)");
}

TEST_CASE("the tree gives Xapian the query the compiler describes") {
    const Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const loci::CompiledQuery q = loci::QueryCompiler(analyzer(), db).compile("\"red cross\" china -tibet");
    CHECK(loci::to_xapian(q.tree).get_description() ==
          "Query((((red PHRASE 2 cross) OR (china OR Zchina)) AND_NOT (tibet OR Ztibet)))");
}

TEST_CASE("a phrase under a NEAR (an acronym's long form) gives it no position, in the tree as in Xapian") {
    // x a b c y at positions 1 to 5: "a b c" is next to both x and y.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::Document doc;
    loci::PassageTerms terms;
    const std::vector<std::string> words = {"x", "a", "b", "c", "y"};
    for (std::uint32_t i = 0; i < words.size(); ++i) {
        doc.add_posting(words[i], i + 1);
        terms[words[i]].push_back(i + 1);
    }
    db.add_document(doc);
    for (const char* other : {"x", "y", "b"}) {
        // As the compiler makes it: the acronym, or its long form.
        MatchNode word = MatchNode::of(Op::or_, MatchNode::leaf("abc"), MatchNode::phrase_of({"a", "b", "c"}));
        const MatchNode near =
            MatchNode::of(Op::near, std::vector<MatchNode>{std::move(word), MatchNode::leaf(other)}, 5);
        Xapian::Enquire enquire(db);
        enquire.set_query(loci::to_xapian(near));
        INFO("(abc OR \"a b c\") NEAR/5 " << other);
        CHECK(enquire.get_mset(0, 10).empty());
        CHECK_FALSE(loci::matches(near, terms));
    }
}

TEST_CASE("a phrase holds in order within its window, a NEAR in any order, at distinct positions") {
    const loci::PassageTerms terms = {{"red", {1, 7}}, {"cross", {2, 5}}, {"china", {9}}, {"Zchina", {}}};
    auto phrase = [](std::vector<std::string> words, unsigned window) {
        std::vector<MatchNode> leaves;
        for (const std::string& w : words) leaves.push_back(MatchNode::leaf(w));
        return MatchNode::of(Op::phrase, std::move(leaves), window);
    };
    CHECK(loci::matches(phrase({"red", "cross"}, 2), terms));
    CHECK_FALSE(loci::matches(phrase({"cross", "red"}, 2), terms));  // 2 then 7: five apart
    CHECK(loci::matches(phrase({"cross", "red"}, 3), terms));         // 5 then 7
    // red 1, cross 2, china 9: eight apart, so within a window of 9 and not of 8.
    CHECK_FALSE(loci::matches(phrase({"red", "cross", "china"}, 8), terms));
    CHECK(loci::matches(phrase({"red", "cross", "china"}, 9), terms));
    auto near = [](const std::string& a, const std::string& b, unsigned window) {
        return MatchNode::of(Op::near, std::vector<MatchNode>{MatchNode::leaf(a), MatchNode::leaf(b)}, window);
    };
    CHECK(loci::matches(near("china", "red", 3), terms));  // 9 and 7
    CHECK_FALSE(loci::matches(near("china", "red", 2), terms));
    CHECK_FALSE(loci::matches(near("china", "Zchina", 10), terms));  // a stem has no position
    CHECK(loci::matches(near("red", "red", 10), terms));             // at 1 and 7
    CHECK_FALSE(loci::matches(near("china", "china", 10), terms));   // once only
}

TEST_CASE("the positions taking part in a phrase or a NEAR are each word's that stand with the others") {
    const loci::PassageTerms terms = {{"a", {1, 20}}, {"b", {2, 3, 9}}};
    using Parts = std::vector<std::vector<std::uint32_t>>;
    const MatchNode near = MatchNode::of(Op::near, std::vector<MatchNode>{MatchNode::leaf("a"), MatchNode::leaf("b")}, 5);
    CHECK(loci::taking_part(near, terms) == Parts{{1}, {2, 3}});  // b at 9 is 8 from a, a at 20 is 11 from b
    CHECK(loci::taking_part(MatchNode::phrase_of({"a", "b"}), terms) == Parts{{1}, {2}});
    CHECK(loci::taking_part(MatchNode::phrase_of({"b", "a"}), terms) == Parts{{}, {}});
    CHECK(loci::taking_part(MatchNode::leaf("a"), terms).empty());
}

TEST_CASE("empty parts are taken as Xapian takes them") {
    const MatchNode nothing;
    const MatchNode word = MatchNode::leaf("china");
    CHECK(MatchNode::of(Op::or_, nothing, word).children.size() == 1);
    CHECK(MatchNode::of(Op::and_, word, nothing).empty());
    CHECK(MatchNode::of(Op::and_not, nothing, word).empty());
    CHECK(MatchNode::of(Op::and_not, word, nothing).children.size() == 1);
    CHECK(MatchNode::of(Op::and_maybe, word, nothing).children.size() == 1);
    CHECK(MatchNode::scaled(nothing, 0.5).empty());
    CHECK(loci::to_xapian(MatchNode::of(Op::or_, nothing, nothing)).empty());
}
