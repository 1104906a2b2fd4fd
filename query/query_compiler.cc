// Query string -> MatchNode tree -> Xapian::Query; see query_compiler.h.
#include "query/query_compiler.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_record.h"
#include "query/thesaurus.h"

namespace loci {
namespace {

constexpr unsigned kDefaultNearWindow = 10;
constexpr int kMaxNesting = 64;
constexpr std::size_t kMaxAcronymWords = 6;

enum class Lex { word, phrase, lparen, rparen, op_and, op_or, op_not, op_near, end };

struct Lexeme {
    Lex kind = Lex::end;
    std::string text;       ///< word chunk or phrase content
    std::size_t at = 0;     ///< byte offset in the query
    char modifier = 0;      ///< '+' or '-' before a word, phrase or parenthesis
    std::string field;      ///< "file", "section", "title" for field:value
    unsigned window = kDefaultNearWindow;
    bool slop = false;      ///< a phrase written "a b"~N: its words near each other
};

/// 1-based character position of byte @p at, for messages.
std::size_t char_position(std::string_view q, std::size_t at) {
    std::size_t n = 1;
    for (std::size_t i = 0; i < at && i < q.size(); ++i)
        if ((static_cast<unsigned char>(q[i]) & 0xC0) != 0x80) ++n;
    return n;
}

[[noreturn]] void syntax_error(std::string_view q, std::size_t at, const std::string& what) {
    throw QuerySyntaxError("query position " + std::to_string(char_position(q, at)) + ": " + what);
}

bool is_space_or_control(unsigned char c) { return c <= ' ' || c == 0x7F; }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

/// Length of an opening or closing quote at @p s: " or “ ” „.
std::size_t quote_length(std::string_view s) {
    if (!s.empty() && s[0] == '"') return 1;
    if (starts_with(s, "\xE2\x80\x9C") || starts_with(s, "\xE2\x80\x9D") || starts_with(s, "\xE2\x80\x9E")) return 3;
    return 0;
}

/// Quoted text that opens at @p i with a quote of @p quote bytes: its
/// content up to the closing quote or, unclosed, to the end of the query;
/// lexing goes on at next.
struct Quoted {
    std::string text;
    std::size_t next = 0;
    bool closed = false;
};

Quoted quoted_at(std::string_view q, std::size_t i, std::size_t quote) {
    std::size_t end = i + quote;
    while (end < q.size() && quote_length(q.substr(end)) == 0) ++end;
    const bool closed = end < q.size();
    return {std::string(q.substr(i + quote, end - i - quote)), closed ? end + quote_length(q.substr(end)) : end, closed};
}

/// How @p field's value is written, for an error message.
std::string field_examples(const std::string& field) {
    if (field == "file") return "file:r2p-* or file:\"annual report.pdf\"";
    if (field == "section") return "section:methods or section:\"human rights\"";
    return "title:china or title:\"R2P implementation\"";
}

std::vector<Lexeme> lex(std::string_view q) {
    std::vector<Lexeme> out;
    std::size_t i = 0;
    while (i < q.size()) {
        if (is_space_or_control(static_cast<unsigned char>(q[i]))) {
            ++i;
            continue;
        }
        Lexeme lx;
        lx.at = i;
        if ((q[i] == '-' || q[i] == '+') && i + 1 < q.size() && !is_space_or_control(static_cast<unsigned char>(q[i + 1]))) {
            lx.modifier = q[i++];
        }
        if (std::size_t ql = quote_length(q.substr(i))) {
            Quoted phrase = quoted_at(q, i, ql);
            lx.kind = Lex::phrase;
            lx.text = std::move(phrase.text);
            i = phrase.next;
            if (phrase.closed && i < q.size() && q[i] == '~') {
                // Lucene's proximity: "peace keeping"~3 for those who know it.
                std::size_t digits = i + 1;
                while (digits < q.size() && std::isdigit(static_cast<unsigned char>(q[digits]))) ++digits;
                if (digits == i + 1 || digits - i - 1 > 3)
                    syntax_error(q, i, "'~' after a phrase needs a number of words from 0 to 999, as in \"peace keeping\"~3");
                lx.slop = true;
                lx.window = static_cast<unsigned>(std::stoi(std::string(q.substr(i + 1, digits - i - 1))));
                i = digits;
            }
        } else if (q[i] == '(' || q[i] == ')') {
            lx.kind = q[i] == '(' ? Lex::lparen : Lex::rparen;
            ++i;
        } else {
            std::size_t end = i;
            while (end < q.size() && !is_space_or_control(static_cast<unsigned char>(q[end])) && q[end] != '(' &&
                   q[end] != ')' && quote_length(q.substr(end)) == 0)
                ++end;
            std::string chunk(q.substr(i, end - i));
            i = end;
            lx.kind = Lex::word;
            if (!lx.modifier && chunk == "AND") lx.kind = Lex::op_and;
            else if (!lx.modifier && chunk == "OR") lx.kind = Lex::op_or;
            else if (!lx.modifier && chunk == "NOT") lx.kind = Lex::op_not;
            else if (!lx.modifier && (chunk == "NEAR" || starts_with(chunk, "NEAR/"))) {
                lx.kind = Lex::op_near;
                if (chunk.size() > 5) {
                    std::string n = chunk.substr(5);
                    if (n.empty() || n.size() > 3 || !std::all_of(n.begin(), n.end(), ::isdigit) || std::stoi(n) == 0)
                        syntax_error(q, lx.at, "NEAR/N needs a number of words from 1 to 999");
                    lx.window = static_cast<unsigned>(std::stoi(n));
                }
            } else {
                for (std::string_view field : {"file:", "section:", "title:"}) {
                    if (!starts_with(chunk, field)) continue;
                    lx.field = std::string(field.substr(0, field.size() - 1));
                    chunk = chunk.substr(field.size());
                    if (chunk.empty()) {
                        // file:"annual report.pdf", section:"human rights": the
                        // quoted value, spaces and all.
                        const std::size_t ql = quote_length(q.substr(i));
                        // "section: methods" would search the word "section":
                        // say how to write it instead.
                        if (ql == 0) syntax_error(q, lx.at, std::string(field) + " needs its value right after it, as in " +
                                                               field_examples(lx.field));
                        Quoted value = quoted_at(q, i, ql);
                        chunk = std::move(value.text);
                        i = value.next;
                    }
                    break;
                }
            }
            lx.text = std::move(chunk);
        }
        out.push_back(std::move(lx));
    }
    Lexeme end;
    end.at = q.size();
    out.push_back(end);
    return out;
}

enum class Role { optional, required, excluded, filter };

/// The word's one exact term; "" for a word of several (a compound, or a
/// word that an acronym's expansion added its acronym to).
std::string only_term(const QueryWord& word) { return word.exact.size() == 1 ? *word.exact.begin() : std::string(); }

/// One metadata key's value, "" for none.
using KeyReader = std::function<std::string(const std::string&)>;

using Op = MatchNode::Op;

struct Item {
    MatchNode query;
    Role role = Role::optional;
    bool stopword = false;          ///< a free stopword: dropped if others carry the query
    std::optional<std::size_t> word_index;  ///< in CompiledQuery::words, for single free words
};

class Parser {
  public:
    Parser(std::string_view q, const analysis::Analyzer& analyzer, const Xapian::Database& db,
           const KeyReader& metadata, const Thesaurus* thesaurus, CompiledQuery& out)
        : q_(q), lexemes_(lex(q)), analyzer_(analyzer), db_(db), metadata_(metadata), thesaurus_(thesaurus), out_(out) {}

    MatchNode parse() {
        MatchNode query = parse_or(0);
        if (peek().kind == Lex::rparen) syntax_error(q_, peek().at, "')' without a matching '('");
        return query;
    }

  private:
    const Lexeme& peek() const { return lexemes_[pos_]; }
    const Lexeme& take() { return lexemes_[pos_ < lexemes_.size() - 1 ? pos_++ : pos_]; }

    MatchNode parse_or(int depth) {
        if (depth > kMaxNesting) syntax_error(q_, peek().at, "too deeply nested");
        MatchNode left = parse_and(depth);
        while (peek().kind == Lex::op_or) {
            const Lexeme& op = take();
            if (peek().kind == Lex::end || peek().kind == Lex::rparen)
                syntax_error(q_, op.at, "OR needs something on both sides");
            MatchNode right = parse_and(depth);
            left = MatchNode::of(Op::or_, std::move(left), std::move(right));
        }
        return left;
    }

    MatchNode parse_and(int depth) {
        std::vector<Item> items;
        bool next_required = false;
        while (peek().kind != Lex::end && peek().kind != Lex::rparen && peek().kind != Lex::op_or) {
            if (peek().kind == Lex::op_and) {
                const Lexeme& op = take();
                if (items.empty() || peek().kind == Lex::end || peek().kind == Lex::rparen || peek().kind == Lex::op_or)
                    syntax_error(q_, op.at, "AND needs something on both sides");
                if (items.back().role == Role::optional) items.back().role = Role::required;
                next_required = true;
                continue;
            }
            Item item = parse_item(depth);
            if (next_required && item.role == Role::optional) item.role = Role::required;
            next_required = false;
            items.push_back(std::move(item));
        }
        add_acronyms_of_expansions(items);
        drop_definition_frame(items);
        return combine(items);
    }

    /// "what does IHL stand for", "what does R2P mean": the question asks
    /// what a word means, and its verb is part of the question, not of the
    /// answer (a passage defining the word seldom says "stands for").
    void drop_definition_frame(std::vector<Item>& items) {
        std::vector<std::size_t> free;  // free single words, in order
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].word_index && items[i].role == Role::optional) free.push_back(i);
        auto term = [&](std::size_t k) { return only_term(out_.words[*items[free[k]].word_index]); };
        if (free.size() < 3 || term(0) != "what") return;
        const std::size_t n = free.size();
        std::size_t verb = n;
        if (term(n - 1) == "mean") verb = n - 1;
        if (n >= 4 && term(n - 2) == "stand" && term(n - 1) == "for") verb = n - 2;
        if (verb == n) return;
        items[free[verb]].stopword = true;
    }

    /// One operand: [NOT|-|+] atom [NEAR atom].
    Item parse_item(int depth) {
        Role role = Role::optional;
        if (peek().kind == Lex::op_not) {
            const Lexeme& op = take();
            if (peek().kind == Lex::end || peek().kind == Lex::rparen || peek().kind == Lex::op_or ||
                peek().kind == Lex::op_and)
                syntax_error(q_, op.at, "NOT needs a word after it");
            role = Role::excluded;
        }
        const Lexeme& lx = take();
        if (lx.modifier == '-') role = Role::excluded;
        if (lx.modifier == '+' && role == Role::optional) role = Role::required;
        Item item;
        switch (lx.kind) {
            case Lex::lparen: {
                item.query = parse_or(depth + 1);
                if (peek().kind == Lex::rparen) take();  // an unclosed '(' ends at the end
                break;
            }
            case Lex::phrase:
                item.query = phrase_query(lx, role != Role::excluded);
                break;
            case Lex::word:
                if (!lx.field.empty()) {
                    item.query = field_query(lx);
                    item.role = role == Role::excluded ? Role::excluded : Role::filter;
                    return item;
                }
                // Free words only: +word asks for the word itself, and
                // Xapian's NEAR takes terms.
                item = word_item(lx, role != Role::excluded, role == Role::optional && peek().kind != Lex::op_near);
                break;
            case Lex::op_near:
                syntax_error(q_, lx.at, "NEAR needs a word on both sides");
            case Lex::rparen:
                syntax_error(q_, lx.at, "')' without a matching '('");
            default:
                syntax_error(q_, lx.at, "unexpected operator");
        }
        item.role = role;
        if (peek().kind == Lex::op_near) {
            const Lexeme& op = take();
            const Lexeme& right = take();
            // Xapian's NEAR takes terms (or ORs of terms): one plain word a side.
            if (lx.kind != Lex::word || right.kind != Lex::word || !right.field.empty() || right.modifier ||
                !is_plain_word(lx) || !is_plain_word(right))
                syntax_error(q_, op.at, "NEAR needs a word on both sides");
            Item other = word_item(right, role != Role::excluded);
            std::vector<MatchNode> pair;
            pair.push_back(std::move(item.query));
            pair.push_back(std::move(other.query));
            item.query = MatchNode::of(Op::near, std::move(pair), op.window);
            if (role != Role::excluded) out_.groups.push_back(WordGroup{out_.words.size() - 2, item.query});
            item.stopword = false;
            item.word_index.reset();
        }
        return item;
    }

    /// One word, neither a compound (zero-COVID), a run of Chinese words, nor prefix*.
    bool is_plain_word(const Lexeme& lx) const {
        if (lx.text.empty() || lx.text.back() == '*') return false;
        std::size_t words = 0;
        for (const analysis::Token& t : analyzer_.analyze(lx.text)) words += t.role == analysis::TokenRole::word;
        return words == 1;
    }

    /// A QueryWord for token @p t, and the query that matches it.
    MatchNode token_query(const analysis::Token& t, QueryWord& word) {
        std::vector<MatchNode> alternatives;
        alternatives.push_back(MatchNode::leaf(t.term));
        word.exact.insert(t.term);
        if (!t.stem.empty()) {
            // Documents store a stem only where it differs from the word:
            // look it up as a stem and as the word it equals.
            alternatives.push_back(MatchNode::leaf(std::string(schema::kStemPrefix) + t.stem));
            if (t.stem != t.term) alternatives.push_back(MatchNode::leaf(t.stem));
            word.stems.insert(t.stem);
        }
        // Each long form the index's files give the acronym (those most
        // files give, when there are many).
        const std::string stored = metadata_(std::string(schema::kMetaAcronymPrefix) + t.term);
        for (const std::string& long_form : schema::counted_names(stored, schema::kMaxLongForms)) {
            std::vector<std::string> terms = split_words(long_form);
            word.sequences.push_back(terms);
            // A phrase weighs the sum of its words: scaled by their number,
            // the long form counts about as one word, as the acronym does
            // (unscaled, "International Committee of the Red Cross" outweighed
            // "ICRC" six to one, for the query "ICRC").
            alternatives.push_back(MatchNode::scaled(MatchNode::phrase_of(terms), kSynonymWeight / terms.size()));
        }
        if (alternatives.size() == 1) return std::move(alternatives[0]);
        return MatchNode::of(Op::or_, std::move(alternatives));
    }

    /// Words of like meaning, through the same analysis as the word: each
    /// matches as its stem or as itself, weighted kRelatedWeight.
    void add_related_words(const analysis::Token& t, QueryWord& word, MatchNode& query) {
        if (!thesaurus_) return;
        const std::string own = t.stem.empty() ? t.term : t.stem;
        std::vector<MatchNode> related;
        for (const std::string& r : thesaurus_->related(t.term)) {
            const std::vector<analysis::Token> tokens = analyzer_.analyze(r);
            if (tokens.size() != 1 || tokens[0].role != analysis::TokenRole::word) continue;
            const analysis::Token& rt = tokens[0];
            const std::string key = rt.stem.empty() ? rt.term : rt.stem;
            if (key == own || !word.related.insert(key).second) continue;
            related.push_back(MatchNode::leaf(key));
            if (!rt.stem.empty()) related.push_back(MatchNode::leaf(std::string(schema::kStemPrefix) + key));
        }
        if (related.empty()) return;
        query = MatchNode::of(Op::or_, std::move(query),
                              MatchNode::scaled(MatchNode::of(Op::or_, std::move(related)), kRelatedWeight));
    }

    static std::vector<std::string> split_words(const std::string& s) {
        std::vector<std::string> out;
        std::size_t from = 0;
        while (from < s.size()) {
            std::size_t to = s.find(' ', from);
            if (to == std::string::npos) to = s.size();
            if (to > from) out.push_back(s.substr(from, to - from));
            from = to + 1;
        }
        return out;
    }

    Item word_item(const Lexeme& lx, bool positive, bool with_related = false) {
        Item item;
        std::string chunk = lx.text;
        if (!chunk.empty() && chunk.back() == '*') {
            while (!chunk.empty() && chunk.back() == '*') chunk.pop_back();
            std::string prefix = analyzer_.normalize_word(chunk);
            if (prefix.empty()) syntax_error(q_, lx.at, "'*' needs a few letters before it, as in peace*");
            item.query = MatchNode::prefix(prefix);
            if (positive) {
                QueryWord w;
                w.prefix = prefix;
                out_.words.push_back(std::move(w));
            }
            return item;
        }
        std::vector<analysis::Token> tokens = analyzer_.analyze(chunk);
        std::vector<const analysis::Token*> words;
        const analysis::Token* compound = nullptr;
        for (const analysis::Token& t : tokens) {
            if (t.role == analysis::TokenRole::word) words.push_back(&t);
            if (t.role == analysis::TokenRole::compound) compound = &t;
        }
        if (words.empty()) return item;  // punctuation only: nothing to match
        QueryWord word;
        word.source = lx.text;
        if (words.size() == 1) {
            item.query = token_query(*words[0], word);
            word.stopword = analysis::is_stopword(words[0]->term);
            item.stopword = word.stopword && lx.modifier != '+';
            if (!word.stopword && with_related) add_related_words(*words[0], word, item.query);
        } else {
            // zero-COVID, S/RES/2677, a Chinese run: the compound, or the words in sequence.
            std::vector<MatchNode> seq;
            for (const analysis::Token* t : words) {
                QueryWord part;
                seq.push_back(token_query(*t, part));
                word.exact.insert(part.exact.begin(), part.exact.end());
                word.stems.insert(part.stems.begin(), part.stems.end());
                word.sequences.insert(word.sequences.end(), part.sequences.begin(), part.sequences.end());
            }
            std::vector<std::string> exact;
            for (const analysis::Token* t : words) exact.push_back(t->term);
            MatchNode phrase = MatchNode::phrase_of(exact);
            if (compound) {
                word.exact.insert(compound->term);
                item.query = MatchNode::of(Op::or_, MatchNode::leaf(compound->term), std::move(phrase));
            } else {
                MatchNode all = MatchNode::of(Op::and_, std::move(seq));
                item.query = MatchNode::of(Op::or_, std::move(phrase), MatchNode::scaled(std::move(all), 0.5));
            }
        }
        if (positive) {
            item.word_index = out_.words.size();
            out_.words.push_back(std::move(word));
        }
        return item;
    }

    MatchNode phrase_query(const Lexeme& lx, bool positive) {
        std::vector<std::string> terms;
        for (const analysis::Token& t : analyzer_.analyze(lx.text))
            if (t.role == analysis::TokenRole::word) terms.push_back(t.term);
        if (terms.empty()) syntax_error(q_, lx.at, "the quoted phrase has no words");
        MatchNode phrase = terms.size() == 1 ? MatchNode::leaf(terms[0]) : MatchNode::phrase_of(terms);
        if (lx.slop && terms.size() > 1) {
            // "a b"~N, Lucene's slop read as a NEAR: the words in any order,
            // with up to N other words among them.
            std::vector<MatchNode> leaves;
            for (const std::string& t : terms) leaves.push_back(MatchNode::leaf(t));
            phrase = MatchNode::of(Op::near, std::move(leaves), static_cast<unsigned>(terms.size()) + lx.window);
        }
        if (positive) {
            if (terms.size() > 1) out_.groups.push_back(WordGroup{out_.words.size(), phrase});
            for (const std::string& t : terms) {
                QueryWord w;
                w.exact.insert(t);
                out_.words.push_back(std::move(w));
            }
        }
        return phrase;
    }

    MatchNode field_query(const Lexeme& lx) {
        if (lx.field == "file") {
            if (lx.text.find_first_not_of(' ') == std::string::npos) syntax_error(q_, lx.at, "file: needs a name or a glob");
            std::vector<std::string> files;
            const std::string prefix(schema::kFilePrefix);
            const bool has_slash = lx.text.find('/') != std::string::npos;
            const std::string glob = has_slash && lx.text[0] != '/' && lx.text[0] != '*' ? "*/" + lx.text : lx.text;
            for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
                const std::string path = (*t).substr(prefix.size());
                const std::string name = path.substr(path.find_last_of('/') + 1);
                if (fnmatch(glob.c_str(), has_slash ? path.c_str() : name.c_str(), 0) == 0)
                    files.push_back(schema::file_id_term(schema::file_id(path)));
            }
            return any_of_files(files);
        }
        std::vector<MatchNode> all;
        std::vector<std::string> title_words;
        for (const analysis::Token& t : analyzer_.analyze(lx.text)) {
            if (t.role != analysis::TokenRole::word) continue;
            if (lx.field == "section") all.push_back(MatchNode::leaf(schema::field_term(schema::kSectionPrefix, t)));
            else title_words.push_back(schema::field_term("", t));
        }
        if (all.empty() && title_words.empty()) syntax_error(q_, lx.at, lx.field + ": needs a word");
        if (lx.field == "title") return files_titled(title_words);
        return MatchNode::of(Op::and_, std::move(all));
    }

    /// Files whose title holds every one of @p words (stems). Titles live in
    /// the file records, one per file: the file terms list the files (this
    /// works on every backend, remote ones included), the records give titles.
    MatchNode files_titled(const std::vector<std::string>& words) {
        std::vector<std::string> files;
        const std::string prefix(schema::kFilePrefix);
        for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
            const std::string key = (*t).substr(prefix.size());
            auto record = decode_file_record(metadata_(schema::file_record_key(schema::file_id(key))));
            if (!record) continue;
            std::set<std::string> have;
            for (const analysis::Token& tok : analyzer_.analyze(record->title)) have.insert(schema::field_term("", tok));
            if (std::all_of(words.begin(), words.end(), [&](const std::string& w) { return have.count(w) > 0; }))
                files.push_back(schema::file_id_term(schema::file_id(key)));
        }
        return any_of_files(files);
    }

    /// The passages of any of the files whose id terms are @p files.
    static MatchNode any_of_files(const std::vector<std::string>& files) {
        // No file: the bare prefix is a term no passage has.
        if (files.empty()) return MatchNode::leaf(std::string(schema::kFileIdPrefix));
        std::vector<MatchNode> ids;
        for (const std::string& id : files) ids.push_back(MatchNode::leaf(id));
        return MatchNode::of(Op::or_, std::move(ids));
    }

    /// "international humanitarian law" also matches IHL, weighted a little lower.
    void add_acronyms_of_expansions(std::vector<Item>& items) {
        std::vector<std::size_t> run;  // consecutive free single words
        auto flush = [&] {
            for (std::size_t n = std::min(run.size(), kMaxAcronymWords); n >= 2; --n) {
                for (std::size_t s = 0; s + n <= run.size(); ++s) {
                    std::string key(schema::kMetaExpansionPrefix);
                    bool ok = true;
                    for (std::size_t k = s; k < s + n && ok; ++k) {
                        const std::string term = only_term(out_.words[*items[run[k]].word_index]);
                        if (term.empty()) ok = false;
                        else key += (k > s ? " " : "") + term;
                    }
                    if (!ok) continue;
                    const std::vector<std::string> acronyms = schema::counted_names(metadata_(key), 1);
                    if (acronyms.empty()) continue;
                    const std::string& acronym = acronyms.front();
                    for (std::size_t k = s; k < s + n; ++k) out_.words[*items[run[k]].word_index].exact.insert(acronym);
                    Item extra;
                    extra.query = MatchNode::scaled(MatchNode::leaf(acronym), kSynonymWeight);
                    items.push_back(std::move(extra));
                }
            }
            run.clear();
        };
        const std::size_t n_items = items.size();
        for (std::size_t i = 0; i < n_items; ++i) {
            if (items[i].word_index && items[i].role == Role::optional) run.push_back(i);
            else flush();
        }
        flush();
    }

    MatchNode combine(std::vector<Item>& items) {
        const bool has_content_words = std::any_of(items.begin(), items.end(), [](const Item& it) {
            return it.role != Role::excluded && it.role != Role::filter && !it.stopword && !it.query.empty();
        });
        std::vector<MatchNode> optional, required, excluded, filters;
        for (Item& it : items) {
            if (it.query.empty() && it.role != Role::filter) continue;
            if (it.stopword && it.role == Role::optional && has_content_words) {
                if (it.word_index) out_.words[*it.word_index].stopword = true;
                continue;
            }
            switch (it.role) {
                case Role::optional: optional.push_back(it.query); break;
                case Role::required: required.push_back(it.query); break;
                case Role::excluded: excluded.push_back(it.query); break;
                case Role::filter: filters.push_back(it.query); break;
            }
        }
        MatchNode positive;
        if (!required.empty()) {
            positive = MatchNode::of(Op::and_, std::move(required));
            if (!optional.empty())
                positive = MatchNode::of(Op::and_maybe, std::move(positive), MatchNode::of(Op::or_, std::move(optional)));
        } else if (!optional.empty()) {
            positive = MatchNode::of(Op::or_, std::move(optional));
        }
        if (positive.empty() && (!excluded.empty() || !filters.empty())) {
            positive = MatchNode::every();
            out_.matches_all = true;
        }
        if (!filters.empty())
            positive = MatchNode::of(Op::filter, std::move(positive), MatchNode::of(Op::and_, std::move(filters)));
        if (!excluded.empty())
            positive = MatchNode::of(Op::and_not, std::move(positive), MatchNode::of(Op::or_, std::move(excluded)));
        return positive;
    }

    std::string_view q_;
    std::vector<Lexeme> lexemes_;
    std::size_t pos_ = 0;
    const analysis::Analyzer& analyzer_;
    const Xapian::Database& db_;
    const KeyReader& metadata_;
    const Thesaurus* thesaurus_;
    CompiledQuery& out_;
};

/// "when ...", "since when ...", "what year ..." ask for a time; "how many
/// ...", "how much ..." for a quantity (English, as the question words are).
AnswerKind answer_asked(const std::vector<QueryWord>& words) {
    auto term = [&](std::size_t i) { return i < words.size() ? only_term(words[i]) : std::string(); };
    const std::string first = term(0), second = term(1);
    if (first == "when" || (first == "since" && second == "when") ||
        ((first == "what" || first == "which") && second == "year"))
        return AnswerKind::time;
    if (first == "how" && (second == "many" || second == "much")) return AnswerKind::quantity;
    return AnswerKind::any;
}

}  // namespace

QueryCompiler::QueryCompiler(const analysis::Analyzer& analyzer, const Xapian::Database& db, MetadataLookup metadata)
    : analyzer_(analyzer), db_(db), metadata_(std::move(metadata)) {
    if (!metadata_)
        metadata_ = [this](const std::vector<std::string>& keys) {
            std::vector<std::string> values;
            for (const std::string& key : keys) values.push_back(db_.get_metadata(key));
            return values;
        };
}

CompiledQuery QueryCompiler::compile(std::string_view query) const {
    // The dry run needs no words of like meaning: they read no metadata.
    std::vector<std::string> keys;
    {
        CompiledQuery dry;
        const KeyReader list_key = [&keys](const std::string& key) {
            keys.push_back(key);
            return std::string();
        };
        Parser(query, analyzer_, db_, list_key, nullptr, dry).parse();
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    const std::vector<std::string> values = metadata_(keys);
    // The dry run lists a superset: an acronym found for a run of words
    // only stops shorter runs of the same words from being looked up.
    const KeyReader read_key = [&](const std::string& key) {
        auto it = std::lower_bound(keys.begin(), keys.end(), key);
        if (it != keys.end() && *it == key) return values[static_cast<std::size_t>(it - keys.begin())];
        return metadata_({key}).front();
    };
    CompiledQuery out;
    Parser parser(query, analyzer_, db_, read_key, thesaurus_, out);
    out.tree = parser.parse();
    out.query = to_xapian(out.tree);
    if (out.query.empty()) throw QuerySyntaxError("query has no words to search for");
    out.answer = answer_asked(out.words);
    return out;
}

}  // namespace loci
