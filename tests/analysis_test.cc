// Tests of the shared analysis: each rule of analyzer.h on its own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_record.h"
#include "indexer/analysis/spelling_variants.h"
#include "test_support.h"

using loci::analysis::Analyzer;
using loci::analysis::describe;

namespace {
const Analyzer& english() {
    static Analyzer a;
    return a;
}
std::string terms(const std::string& text) { return describe(english().analyze(text)); }
}  // namespace

TEST_CASE("words are case-folded, NFKC-normalised and stemmed") {
    CHECK(terms("Peacekeeping Operations") == "peacekeeping/peacekeep@1 operations/oper@2");
    CHECK(terms("ＦＵＬＬ width") == "full@1 width@2");  // NFKC
    CHECK(terms("ﬁnance") == "finance/financ@1");       // ligature
}

TEST_CASE("accents are folded") {
    CHECK(terms("Špoljarić") == terms("Spoljaric"));
    CHECK(terms("Türkiye") == terms("Turkiye"));
    CHECK(terms("naïve café") == terms("naive cafe"));
}

TEST_CASE("curly and straight apostrophes are the same, possessive 's dropped") {
    CHECK(terms("China’s") == "china@1");
    CHECK(terms("China's") == "china@1");
    CHECK(terms("ICRC’s work") == terms("ICRC work"));
}

TEST_CASE("hyphenated words are searchable as parts and whole") {
    CHECK(terms("zero-COVID") == "zero@1 covid@2 <zero-covid>@1");
    CHECK(terms("grass-roots") == "grass@1 roots/root@2 <grass-roots>@1");
}

TEST_CASE("numbers lose thousands separators") {
    CHECK(terms("2,273") == "2273@1");
    CHECK(terms("2273") == "2273@1");
    CHECK(terms("1.5 million") == "1.5@1 million@2");
}

TEST_CASE("identifiers, e-mail addresses and URLs whole and by parts") {
    CHECK(terms("S/RES/2677") == "s@1 res@2 2677@3 <s/res/2677>@1");
    const std::string email = terms("bej_beijing@icrc.org");
    // ICU keeps an e-mail address as one word; its parts come from us.
    CHECK(email == "bej_beijing@icrc.org@1 (bej_beijing)@1 (bej)@1 (beijing)/beij@1 (icrc.org)@1 (icrc)@1 (org)@1");
    CHECK(terms("www.icrc.org") == "www.icrc.org@1 (www)@1 (icrc)@1 (org)@1");
}

TEST_CASE("Chinese is segmented into words by ICU's dictionary") {
    auto tokens = english().analyze("中国红十字会成立于1904年");
    REQUIRE(tokens.size() >= 3);
    // Words, not single characters: at least one token has two or more Han characters.
    CHECK(std::any_of(tokens.begin(), tokens.end(), [](const auto& t) { return t.is_cjk && t.term.size() >= 6; }));
    CHECK(std::any_of(tokens.begin(), tokens.end(), [](const auto& t) { return t.term == "1904"; }));
}

TEST_CASE("British and American spellings share a stem") {
    const Analyzer& a = english();
    CHECK(a.stem_term("organisation") == a.stem_term("organization"));
    CHECK(a.stem_term("programme") == a.stem_term("program"));
    CHECK(a.stem_term("characterised") == a.stem_term("characterized"));
    CHECK(a.stem_term("colour") == a.stem_term("color"));
    CHECK(a.stem_term("centre") == a.stem_term("center"));
    CHECK(a.stem_term("analyse") == a.stem_term("analyze"));
    CHECK(a.stem_term("defence") == a.stem_term("defense"));
    CHECK(a.stem_term("travelled") == a.stem_term("traveled"));
    CHECK(a.stem_term("catalogue") == a.stem_term("catalog"));
}

TEST_CASE("spelling rules leave words that are the same in both") {
    using loci::analysis::american_spelling;
    for (const char* w : {"rise", "precise", "promise", "exercise", "advertise", "otherwise", "hour", "four",
                          "flour", "contour", "genre", "acre", "rogue", "filled", "surprise", "noise"})
        CHECK(american_spelling(w) == w);
}

TEST_CASE("words longer than the cap are cut on a character boundary") {
    const std::string long_word(5000, 'x');
    auto tokens = english().analyze(long_word);
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].term.size() == loci::analysis::kMaxWordBytes);
    auto accented = english().analyze(std::string(2000, 'a') + "é");
    CHECK(accented[0].term.size() <= loci::analysis::kMaxWordBytes);
}

TEST_CASE("byte offsets point at the words in the input") {
    const std::string text = "The UN<sup>16</sup> and Špoljarić";
    for (const auto& t : english().analyze(text)) {
        const std::string raw = text.substr(t.byte_start, t.byte_length);
        CHECK(english().normalize_word(raw) == t.term);
    }
}

TEST_CASE("stemming can be turned off") {
    Analyzer none(loci::analysis::AnalyzerOptions{"none"});
    CHECK(describe(none.analyze("running programmes")) == "running@1 programmes@2");
    CHECK_THROWS_AS(Analyzer(loci::analysis::AnalyzerOptions{"klingon"}), loci::Error);
}

TEST_CASE("stopwords and question words") {
    using loci::analysis::is_stopword;
    for (const char* w : {"the", "what", "who", "how", "many", "does", "with", "your"}) CHECK(is_stopword(w));
    for (const char* w : {"ihl", "china", "stand", "us", "red"}) CHECK_FALSE(is_stopword(w));
}

TEST_CASE("invalid UTF-8 never breaks analysis") {
    auto tokens = english().analyze(std::string("abc\xff\xfe def\xc3"));
    CHECK(tokens.size() >= 2);
}

TEST_CASE("words of web addresses are marked, so that they can weigh nothing") {
    auto tokens = english().analyze("see https://www.example.org/overseas-stations and overseas stations");
    std::size_t in_url = 0, plain = 0;
    for (const auto& t : tokens) {
        if (t.term != "overseas") continue;
        (t.in_url ? in_url : plain)++;
    }
    CHECK(in_url == 1);
    CHECK(plain == 1);
    for (const auto& t : english().analyze("mailto:bej_beijing@icrc.org")) CHECK(t.in_url);
    // Schemes in any case, and a bare www. address (ascii.h's list, plus www.).
    for (const auto& t : english().analyze("HTTPS://ICRC.ORG/stations FTP://x.org/f WWW.icrc.org/stations")) CHECK(t.in_url);
    for (const auto& t : english().analyze("www stations")) CHECK_FALSE(t.in_url);
}

TEST_CASE("the index header round-trips, and an older index's bare version reads as that version") {
    const std::string acronym = std::string(loci::schema::kMetaAcronymPrefix) + "ihl";
    const loci::schema::IndexHeader h{"13", "english", "/data/reports\nodd", loci::KeyFilter::of({acronym})};
    const loci::schema::IndexHeader back = loci::schema::decode_header(loci::schema::encode_header(h));
    CHECK(back.version == h.version);
    CHECK(back.language == h.language);
    CHECK(back.root == h.root);
    CHECK(back.acronym_keys.encode() == h.acronym_keys.encode());
    CHECK(back.may_hold(acronym));
    CHECK_FALSE(back.may_hold(std::string(loci::schema::kMetaAcronymPrefix) + "r2p"));
    // Only acronym keys are filtered: a file record is always asked for.
    CHECK(back.may_hold(loci::schema::file_record_key(loci::schema::file_id("a.txt"))));
    const loci::schema::IndexHeader old = loci::schema::decode_header("11");
    CHECK(old.version == "11");
    CHECK(old.language.empty());
    CHECK(old.root.empty());
    CHECK(old.may_hold(acronym));  // no filter: every key may be there
    CHECK(loci::schema::decode_header("").version.empty());
}

TEST_CASE("the acronym key filter holds every key it was made of and rules out most others") {
    std::vector<std::string> keys;
    for (int i = 0; i < 2000; ++i) keys.push_back("loci.acronym:a" + std::to_string(i));
    const loci::KeyFilter filter = loci::KeyFilter::of(keys);
    for (const std::string& k : keys) CHECK(filter.may_contain(k));
    int passed = 0;
    for (int i = 0; i < 20000; ++i) passed += filter.may_contain("loci.acronym:b" + std::to_string(i));
    CHECK(passed < 20000 * 3 / 100);  // ~1% expected at 10 bits a key
    const loci::KeyFilter back = loci::KeyFilter::decode(filter.encode());
    for (const std::string& k : keys) CHECK(back.may_contain(k));
    CHECK(back.encode() == filter.encode());
    // No keys: nothing may be there. No filter, or a damaged one: anything may.
    CHECK_FALSE(loci::KeyFilter::of({}).may_contain("loci.acronym:ihl"));
    CHECK(loci::KeyFilter().may_contain("loci.acronym:ihl"));
    CHECK(loci::KeyFilter::decode("0g").may_contain("loci.acronym:ihl"));
    CHECK(loci::KeyFilter::decode("abc").may_contain("loci.acronym:ihl"));
}

TEST_CASE("an acronym key counts each name by the files that give it, whatever the order") {
    using loci::schema::count_name;
    using loci::schema::counted_names;
    std::string v = count_name("", "certified public accountant", 1);
    CHECK(v == "1 certified public accountant");
    v = count_name(v, "comprehensive peace agreement", 1);
    v = count_name(v, "comprehensive peace agreement", 1);
    CHECK(v == "2 comprehensive peace agreement\n1 certified public accountant");  // the most files first
    // The same files counted in another order: the same value.
    std::string w = count_name("", "comprehensive peace agreement", 1);
    w = count_name(count_name(w, "certified public accountant", 1), "comprehensive peace agreement", 1);
    CHECK(w == v);
    CHECK(counted_names(v, 1) == std::vector<std::string>{"comprehensive peace agreement"});
    // A file changed or removed takes its count back; a name at 0 goes.
    CHECK(count_name(v, "certified public accountant", -1) == "2 comprehensive peace agreement");
    CHECK(count_name(v, "never counted", -1) == v);
    CHECK(count_name("1 a b", "a b", -1).empty());
    // Parts or shards of one index: counts summed.
    CHECK(loci::schema::merge_counts({"1 a b\n1 c d", "2 c d", ""}) == "3 c d\n1 a b");
    // At most kMaxCountedNames names; lines not of this form are passed over.
    std::string many;
    for (std::size_t i = 0; i < loci::schema::kMaxCountedNames + 4; ++i)
        many = count_name(many, "name " + std::to_string(100 + i), 1);
    CHECK(counted_names(many, 1000).size() == loci::schema::kMaxCountedNames);
    CHECK(counted_names("x\n3 a b\n-1 c\n0 d\n2", 10) == std::vector<std::string>{"a b"});
}

TEST_CASE("file records round-trip, and map PDF lines to pages") {
    loci::FileRecord r;
    r.path = "/r/report.pdf";
    r.size = 1234;
    r.mtime_ns = 1700000000123456789;
    r.content_hash = 42;
    r.passages = 7;
    r.title = "Report";
    r.format = 1;
    r.page_starts = {1, 40, 95};
    r.acronyms = {{"ihl", "international humanitarian law"}, {"cpa", "comprehensive peace agreement"}};
    auto back = loci::decode_file_record(loci::encode_file_record(r));
    REQUIRE(back);
    CHECK(back->page_starts == r.page_starts);
    CHECK(back->acronyms == r.acronyms);
    CHECK(back->mtime_ns == r.mtime_ns);
    CHECK(back->page_of(1) == std::make_pair(1u, 1u));
    CHECK(back->page_of(39) == std::make_pair(1u, 39u));
    CHECK(back->page_of(40) == std::make_pair(2u, 1u));
    CHECK(back->page_of(100) == std::make_pair(3u, 6u));
    loci::FileRecord text;
    CHECK(text.page_of(12) == std::make_pair(0u, 12u));
    CHECK_FALSE(loci::decode_file_record("garbage"));
}

namespace {
/// describe() and each token's byte range: the words' places must agree too.
std::string with_offsets(const std::vector<loci::analysis::Token>& tokens) {
    std::string out = describe(tokens);
    for (const auto& t : tokens) out += " " + std::to_string(t.byte_start) + "+" + std::to_string(t.byte_length);
    return out;
}

/// The tokens of ASCII @p text as ICU alone breaks it: a non-ASCII word
/// after a blank turns the shortcut for ASCII off and breaks nothing before it.
std::string icu_only_terms(const std::string& text) {
    std::vector<loci::analysis::Token> tokens = english().analyze(text + " \u00e9");
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(),
                                [&](const loci::analysis::Token& t) { return t.byte_start >= text.size(); }),
                 tokens.end());
    return with_offsets(tokens);
}

std::string terms_with_offsets(const std::string& text) { return with_offsets(english().analyze(text)); }

/// The corpus's paragraphs, every script included, each with its file's name.
std::vector<std::pair<std::string, std::string>> corpus_paragraphs() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& entry : std::filesystem::directory_iterator(LOCI_TEST_CORPUS)) {
        const std::string all = loci::test::read_file(entry.path().string());
        for (std::size_t from = 0; from < all.size();) {
            std::size_t to = all.find("\n\n", from);
            if (to == std::string::npos) to = all.size();
            out.emplace_back(entry.path().filename().string(), all.substr(from, to - from));
            from = to + 2;
        }
    }
    return out;
}
}  // namespace

TEST_CASE("ASCII text breaks into the same words with and without the shortcut past ICU") {
    for (const char* text : {"(word), 2023. -- it's e.g. 2nd a_b x=1 _under 3.14 1,000 U.S.A. end.",
                             "'quoted' \"double\" [1] {x} <b>bold</b> ...and... 42% $5 #7 @home",
                             "tab\tseparated\nlines\r\nand\vform\ffeed", "", "   ", "a", "7", "'", "_"}) {
        INFO("text: " << text);
        CHECK(terms_with_offsets(text) == icu_only_terms(text));
    }
    // Every ASCII paragraph of the corpus.
    std::size_t paragraphs = 0;
    for (const auto& [file, paragraph] : corpus_paragraphs()) {
        const auto is_ascii = [](char c) { return static_cast<unsigned char>(c) < 0x80; };
        if (!std::all_of(paragraph.begin(), paragraph.end(), is_ascii)) continue;
        ++paragraphs;
        INFO(file << ": " << paragraph);
        CHECK(terms_with_offsets(paragraph) == icu_only_terms(paragraph));
    }
    CHECK(paragraphs > 100);
    // Random strings of letters, digits, blanks and every ASCII punctuation
    // mark (some join words: . , ; : ' _ @).
    const std::string alphabet = "aZq09 \t\n!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    std::mt19937 random(20261127);
    for (int i = 0; i < 50000; ++i) {
        std::string text(random() % 24, ' ');
        for (char& c : text) c = alphabet[random() % alphabet.size()];
        INFO("text: " << text);
        REQUIRE(terms_with_offsets(text) == icu_only_terms(text));
    }
}

TEST_CASE("an English stem begins with its word's first letter") {
    // What analyze_for_matching() counts on: Porter2's exceptions, each rule of
    // the American spellings, and every word of the corpus.
    std::size_t words = 0;
    for (const std::string& text :
         {std::string("skies dying lying tying idly gently ugly early only singly news atlas cosmos bias andes "
                      "organisation paralysed colourful theatres fibres programmes catalogue dialogues defences "
                      "offences licence travelled cancelling yelling ies sses ing 'tis y yes"),
          std::string()}) {
        for (const auto& t : english().analyze(text)) {
            INFO(t.term << " -> " << t.stem);
            if (!t.stem.empty()) CHECK(t.stem[0] == t.term[0]);
        }
    }
    for (const auto& [file, paragraph] : corpus_paragraphs())
        for (const auto& t : english().analyze(paragraph)) {
            INFO(t.term << " -> " << t.stem);
            if (t.stem.empty()) continue;
            REQUIRE(t.stem[0] == t.term[0]);
            ++words;
        }
    CHECK(words > 5000);
    // And random words, which walk Porter2's rules as real ones do not.
    std::mt19937 random(20261128);
    const std::string letters = "aeiouyybcdfghlmnprstwzsseding";
    for (int i = 0; i < 100000; ++i) {
        std::string word(1 + random() % 12, 'a');
        for (char& c : word) c = letters[random() % letters.size()];
        const std::string stem = english().stem_term(word);
        INFO(word << " -> " << stem);
        if (!stem.empty()) REQUIRE(stem[0] == word[0]);
    }
}

TEST_CASE("analysed for matching, a passage keeps every token that could match, as analyze() makes it") {
    const std::vector<std::vector<std::string>> queries = {
        {"humanit"}, {"organ", "red", "cross"}, {"die", "sky", "news"}, {"china", "beij", "2023"}, {"analyz"}, {}};
    std::size_t dropped = 0, unstemmed = 0, kept = 0;
    for (const auto& [file, paragraph] : corpus_paragraphs()) {
        const auto all = english().analyze(paragraph);
        for (const auto& wanted : queries) {
            loci::analysis::WantedTerms filter;
            for (const std::string& term : wanted) filter.add(term);
            const auto wants = [&](const std::string& s) {  // a wanted term begins as s does
                auto begins_as_s = [&](const std::string& w) { return w[0] == s[0]; };
                return !s.empty() && std::any_of(wanted.begin(), wanted.end(), begins_as_s);
            };
            const auto some = english().analyze_for_matching(paragraph, filter);
            std::size_t next = 0;  // some[next] is the next token analyze() made too
            for (const auto& t : all) {
                INFO(paragraph.substr(0, 80) << " | " << t.term << " -> " << t.stem << " @" << t.position);
                const bool left_out = next == some.size() || some[next].byte_start != t.byte_start ||
                                      some[next].term != t.term || some[next].role != t.role;
                if (left_out) {  // it could not have matched: no wanted term begins as it does
                    REQUIRE_FALSE(wants(t.term));
                    REQUIRE_FALSE(wants(t.stem));
                    ++dropped;
                    continue;
                }
                const auto& k = some[next++];
                REQUIRE(k.position == t.position);
                REQUIRE(k.byte_length == t.byte_length);
                if (k.stem == t.stem) {
                    ++kept;
                    continue;
                }
                // Kept without its stem: the stem is not wanted.
                REQUIRE(k.stem.empty());
                REQUIRE_FALSE(wants(t.stem));
                ++unstemmed;
            }
            REQUIRE(next == some.size());  // nothing analyze() did not make
        }
    }
    CHECK(dropped > kept);  // it does leave most words out
    CHECK(unstemmed > 0);   // and parts of words unstemmed
    // Other languages' stemmers keep no such promise: every token, every stem.
    const Analyzer arabic(loci::analysis::AnalyzerOptions{"arabic"});
    const std::string text = "والكتاب the libraries";
    loci::analysis::WantedTerms x;
    x.add("x");
    const auto all = arabic.analyze(text), some = arabic.analyze_for_matching(text, x);
    REQUIRE(all.size() == some.size());
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(some[i].stem == all[i].stem);
}
