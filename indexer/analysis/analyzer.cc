// The analysis shared by indexing and querying; see analyzer.h.
#include "indexer/analysis/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/spelling_variants.h"

namespace loci::analysis {
namespace {

// ICU's word-break rule statuses (ubrk.h): 100.. numbers, 200.. letters,
// 300.. kana, 400.. ideographs; below 100 spaces and punctuation.
constexpr int32_t kFirstNumberStatus = 100;
constexpr int32_t kFirstLetterStatus = 200;
constexpr int32_t kFirstKanaStatus = 300;
constexpr int32_t kStatusLimit = 500;

/// Characters that join words into one compound: zero-COVID, S/RES/2677,
/// bej_beijing@icrc.org, https://icrc.org.
bool is_connector(char c) {
    switch (c) {
        case '-': case '/': case '@': case '.': case '_': case ':':
        case '+': case '&': case '#': case '=': case '?': case '~':
            return true;
        default:
            return false;
    }
}

constexpr std::size_t kMaxConnectorRun = 3;  // "://" in URLs

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

/// Cuts @p s to at most @p max bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
    if (s.size() <= max) return;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool looks_numeric(std::string_view s) {
    return !s.empty() && is_ascii_digit(s[0]) &&
           std::all_of(s.begin(), s.end(), [](char c) { return is_ascii_digit(c) || c == ',' || c == '.'; });
}

/// 2,273 -> 2273; 1.5 stays 1.5.
void drop_thousands_separators(std::string& s) {
    if (looks_numeric(s)) s.erase(std::remove(s.begin(), s.end(), ','), s.end());
}

/// China's -> china, states' -> states, don't -> dont (after ’ became ').
void fold_apostrophes(std::string& s) {
    if (s.find('\'') == std::string::npos) return;  // most words: one memchr
    if (s.size() > 2 && s[s.size() - 2] == '\'' && s.back() == 's') s.resize(s.size() - 2);
    s.erase(std::remove(s.begin(), s.end(), '\''), s.end());
}

bool is_stemmable(std::string_view term) {
    return std::none_of(term.begin(), term.end(), [](char c) {
        return is_ascii_digit(c) || c == '.' || c == '_';
    });
}

struct Word {
    std::uint32_t start = 0, end = 0;  // byte range in the text
    bool is_number = false;
    bool is_cjk = false;
};

/// ASCII punctuation that joins nothing at the edge of a chunk: ICU breaks
/// around it unless letters or digits stand on both sides ('.', ':', ',',
/// ';', '\''). Not '_', which joins whatever it touches, nor '@', which
/// ICU's rules take for a letter.
bool is_edge_punctuation(char c) { return std::ispunct(static_cast<unsigned char>(c)) && c != '_' && c != '@'; }

/// What ICU makes of a plain chunk of ASCII text between blanks.
enum class ChunkShape { other, punctuation, word };

/// A chunk [from, to) is plain when it is punctuation (is_edge_punctuation)
/// around at most one run of letters or one run of digits: "(word),",
/// "2023.", "--". ICU then finds that run as its only word, a letter word
/// or a number. Any other chunk (it's, e.g., 2nd, a_b, x=1) is ICU's.
ChunkShape plain_chunk(std::string_view text, std::size_t from, std::size_t to, Word& word) {
    std::size_t start = from;
    while (start < to && is_edge_punctuation(text[start])) ++start;
    if (start == to) return ChunkShape::punctuation;
    const bool digits = is_ascii_digit(text[start]);
    std::size_t end = start;
    while (end < to && (digits ? is_ascii_digit(text[end]) : is_ascii_letter(text[end]))) ++end;
    if (end == start) return ChunkShape::other;
    for (std::size_t i = end; i < to; ++i)
        if (!is_edge_punctuation(text[i])) return ChunkShape::other;
    word = Word{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end), digits, false};
    return ChunkShape::word;
}

/// Where add_parts() cuts a word: first into segments (bej_beijing@icrc.org
/// -> bej_beijing, icrc.org), then each segment into pieces (bej, beijing).
constexpr std::string_view kSegmentSeparators = "@/:";
constexpr std::string_view kPieceSeparators = "._";

/// True when a word holds parts that add_parts() finds: bej_beijing@icrc.org.
/// (Called for every word: one pass, not a search per separator and byte.)
bool has_parts(std::string_view term) {
    auto separates = [](char c) {
        for (char s : kSegmentSeparators)
            if (c == s) return true;
        for (char s : kPieceSeparators)
            if (c == s) return true;
        return false;
    };
    return std::any_of(term.begin(), term.end(), separates);
}

}  // namespace

struct Analyzer::Internal {
    AnalyzerOptions options;
    std::unique_ptr<icu::BreakIterator> breaker;
    const icu::Normalizer2* nfkc_casefold = nullptr;
    const icu::Normalizer2* nfd = nullptr;
    const icu::Normalizer2* nfc = nullptr;
    Xapian::Stem stemmer;
    bool stemming = false;
    bool keeps_first_letter = false;  ///< every stem begins with its word's first letter (analyze_for_matching)

    explicit Internal(AnalyzerOptions opts) : options(std::move(opts)) {
        UErrorCode status = U_ZERO_ERROR;
        breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
        nfd = icu::Normalizer2::getNFDInstance(status);
        nfc = icu::Normalizer2::getNFCInstance(status);
        if (U_FAILURE(status) || !breaker)
            throw Error(std::string("ICU could not be initialised: ") + u_errorName(status));
        if (options.language != "none") {
            try {
                stemmer = Xapian::Stem(options.language);
            } catch (const Xapian::Error& e) {
                throw Error("unknown stemming language '" + options.language +
                            "' (try english, french, german, ... or none)");
            }
            stemming = true;
            keeps_first_letter = options.language == "english" || options.language == "en";
        }
    }

    /// The words of @p text, by ICU's word breaking. ASCII text is cut at
    /// blanks first, and chunks whose breaks are plain (plain_chunk) skip
    /// ICU, which costs ~400 instructions a word (a third of analysing a
    /// passage for a query): the same words, proven against ICU by
    /// analysis_test on the corpus and on random ASCII.
    std::vector<Word> find_words(std::string_view text) const {
        std::vector<Word> words;
        if (!is_ascii(text)) {
            break_with_icu(text, 0, words);
            return words;
        }
        std::size_t icu_from = std::string_view::npos;  // first chunk left to ICU, not broken yet
        auto flush_to_icu = [&](std::size_t to) {
            if (icu_from == std::string_view::npos) return;
            break_with_icu(text.substr(icu_from, to - icu_from), icu_from, words);
            icu_from = std::string_view::npos;
        };
        // No word-break rule (Unicode UAX #29, as ICU applies it) ever joins
        // across ASCII white space: the text is cut there before breaking.
        for (std::size_t from = 0; from < text.size();) {
            if (is_ascii_space(text[from])) {
                ++from;
                continue;
            }
            std::size_t to = from;
            while (to < text.size() && !is_ascii_space(text[to])) ++to;
            Word word;
            const ChunkShape shape = plain_chunk(text, from, to, word);
            if (shape == ChunkShape::other) {
                if (icu_from == std::string_view::npos) icu_from = from;
            } else {
                flush_to_icu(from);
                if (shape == ChunkShape::word) words.push_back(word);
            }
            from = to;
        }
        flush_to_icu(text.size());
        return words;
    }

    /// Appends the words ICU finds in @p text, which starts at byte @p offset.
    void break_with_icu(std::string_view text, std::size_t offset, std::vector<Word>& words) const {
        UErrorCode status = U_ZERO_ERROR;
        UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
        if (U_FAILURE(status)) return;
        breaker->setText(ut, status);
        int32_t start = breaker->first();
        for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE; start = end, end = breaker->next()) {
            int32_t rule = breaker->getRuleStatus();
            if (rule < kFirstNumberStatus || rule >= kStatusLimit) continue;
            words.push_back(Word{static_cast<std::uint32_t>(offset + start), static_cast<std::uint32_t>(offset + end),
                                 rule < kFirstLetterStatus, rule >= kFirstKanaStatus});
        }
        // Detach the iterator from the UText before closing it.
        breaker->setText(icu::UnicodeString());
        utext_close(ut);
    }

    std::string fold(std::string_view word) const {
        if (!is_ascii(word)) return tidy_folded(fold_unicode(word));
        return tidy_folded(ascii_lower(word));
    }

    /// Case and accent folding by ICU: NFKC casefold, marks dropped, NFC.
    std::string fold_unicode(std::string_view word) const {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString u = nfkc_casefold->normalize(
            icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size()))), status);
        icu::UnicodeString decomposed = nfd->normalize(u, status);
        icu::UnicodeString bare;
        for (int32_t i = 0; i < decomposed.length();) {
            UChar32 c = decomposed.char32At(i);
            i += U16_LENGTH(c);
            if (u_charType(c) == U_NON_SPACING_MARK) continue;
            if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0xFF07) c = '\'';
            bare.append(c);
        }
        u = nfc->normalize(bare, status);
        std::string out;
        if (U_FAILURE(status)) return out;
        u.toUTF8String(out);
        return out;
    }

    /// What every folded word goes through: apostrophes, thousands separators, length.
    static std::string tidy_folded(std::string out) {
        fold_apostrophes(out);
        drop_thousands_separators(out);
        truncate_utf8(out, kMaxWordBytes);
        return out;
    }

    /// True when @p word, a word alone (no compound), can match none of
    /// @p wanted, known without analysing it: a plain ASCII word (no
    /// parts, not starting with an apostrophe, so folding keeps its first
    /// letter, lower-cased) in a language whose stems keep that letter.
    bool cannot_match(std::string_view word, const WantedTerms& wanted) const {
        if (!keeps_first_letter || word.empty() || word[0] == '\'' || !is_ascii(word) || has_parts(word)) return false;
        const char initial = ascii_lower(word[0]);
        return !wanted.may_begin(std::string_view(&initial, 1));
    }

    /// Snowball is the costliest step per word, and text repeats its words:
    /// stems are remembered (bounded; an Analyzer is one thread's alone).
    mutable std::unordered_map<std::string, std::string> stem_cache;
    static constexpr std::size_t kStemCacheLimit = 1 << 16;

    std::string stem(std::string_view term, const WantedTerms* wanted = nullptr) const {
        if (!stemming || term.empty() || !is_stemmable(term)) return {};
        if (wanted && keeps_first_letter && !wanted->may_begin(term)) return {};
        std::string key(term);
        if (auto it = stem_cache.find(key); it != stem_cache.end()) return it->second;
        if (stem_cache.size() >= kStemCacheLimit) stem_cache.clear();
        std::string stemmed = stemmer(american_spelling(term));
        stem_cache.emplace(std::move(key), stemmed);
        return stemmed;
    }
};

Analyzer::Analyzer(AnalyzerOptions options) : internal_(std::make_unique<Internal>(std::move(options))) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

const AnalyzerOptions& Analyzer::options() const { return internal_->options; }

std::string Analyzer::normalize_word(std::string_view word) const { return internal_->fold(word); }

std::string Analyzer::stem_term(std::string_view term) const { return internal_->stem(term); }

namespace {

/// True when the bytes between two words make them one compound.
bool joins(std::string_view text, const Word& left, const Word& right) {
    std::size_t gap = right.start - left.end;
    if (gap == 0 || gap > kMaxConnectorRun) return false;
    for (std::size_t i = left.end; i < right.start; ++i)
        if (!is_connector(text[i])) return false;
    return true;
}

/// https://..., mailto:..., www.example.org
bool is_url(std::string_view chain) {
    return starts_with_url_scheme(chain) || starts_with_ignoring_case(chain, "www.");
}

/// Splits @p s at any of @p separators; pieces that are empty are dropped.
std::vector<std::string> split_at(const std::string& s, std::string_view separators) {
    std::vector<std::string> pieces;
    std::size_t from = 0;
    while (from <= s.size()) {
        std::size_t to = s.find_first_of(separators, from);
        if (to == std::string::npos) to = s.size();
        if (to > from) pieces.push_back(s.substr(from, to - from));
        from = to + 1;
    }
    return pieces;
}

}  // namespace

/// Parts of a word that ICU kept whole: bej_beijing@icrc.org -> bej_beijing,
/// icrc.org, then bej, beijing, icrc, org; each at the word's position.
void Analyzer::add_parts(const Token& word, std::vector<Token>& tokens, const WantedTerms* wanted) const {
    std::vector<std::string> parts;
    for (const std::string& segment : split_at(word.term, kSegmentSeparators)) {
        if (segment != word.term) parts.push_back(segment);
        for (const std::string& piece : split_at(segment, kPieceSeparators))
            if (piece != segment) parts.push_back(piece);
    }
    for (std::string& p : parts) {
        Token part = word;
        part.stem = internal_->stem(p, wanted);
        part.term = std::move(p);
        part.role = TokenRole::part;
        tokens.push_back(std::move(part));
    }
}

std::vector<Token> Analyzer::analyze(std::string_view text, std::uint32_t first_position) const {
    return analyze(text, first_position, nullptr);
}

std::vector<Token> Analyzer::analyze_for_matching(std::string_view text, const WantedTerms& wanted) const {
    return analyze(text, 1, &wanted);
}

std::vector<Token> Analyzer::analyze(std::string_view text, std::uint32_t first_position,
                                     const WantedTerms* wanted) const {
    const std::vector<Word> words = internal_->find_words(text);
    std::vector<Token> tokens;
    tokens.reserve(words.size() + words.size() / 4);
    std::uint32_t position = first_position;
    for (std::size_t i = 0; i < words.size();) {
        // The chain words[i..j) is joined by connectors: zero-COVID, a@b.org.
        std::size_t j = i + 1;
        while (j < words.size() && joins(text, words[j - 1], words[j])) ++j;
        const std::string_view first_word = text.substr(words[i].start, words[i].end - words[i].start);
        if (wanted && j - i == 1 && internal_->cannot_match(first_word, *wanted)) {
            ++position;  // left out, but there: the words after it keep their positions
            i = j;
            continue;
        }
        std::string compound;
        std::uint32_t chain_position = position;
        const std::size_t first_token = tokens.size();
        for (std::size_t k = i; k < j; ++k) {
            const Word& w = words[k];
            Token token;
            token.term = internal_->fold(text.substr(w.start, w.end - w.start));
            if (token.term.empty()) continue;
            token.position = position++;
            token.byte_start = w.start;
            token.byte_length = w.end - w.start;
            token.is_cjk = w.is_cjk;
            if (!w.is_number) token.stem = internal_->stem(token.term, wanted);
            if (j - i > 1) {
                if (k > i) compound.append(text.substr(words[k - 1].end, w.start - words[k - 1].end));
                compound += token.term;
            }
            tokens.push_back(std::move(token));
            if (!w.is_number && has_parts(tokens.back().term)) {
                const Token word = tokens.back();  // add_parts appends to tokens
                add_parts(word, tokens, wanted);
            }
        }
        if (j - i > 1 && !compound.empty() && compound.size() <= kMaxCompoundBytes) {
            Token whole;
            whole.term = std::move(compound);
            whole.position = chain_position;
            whole.byte_start = words[i].start;
            whole.byte_length = words[j - 1].end - words[i].start;
            whole.role = TokenRole::compound;
            tokens.push_back(std::move(whole));
        }
        if (is_url(text.substr(words[i].start, words[j - 1].end - words[i].start)))
            for (std::size_t t = first_token; t < tokens.size(); ++t) tokens[t].in_url = true;
        i = j;
    }
    return tokens;
}

std::string describe(const std::vector<Token>& tokens) {
    std::string out;
    for (const Token& t : tokens) {
        if (!out.empty()) out += ' ';
        switch (t.role) {
            case TokenRole::word: out += t.term; break;
            case TokenRole::compound: out += '<' + t.term + '>'; break;
            case TokenRole::part: out += '(' + t.term + ')'; break;
        }
        if (!t.stem.empty() && t.stem != t.term) out += '/' + t.stem;
        out += '@' + std::to_string(t.position);
    }
    return out;
}

bool is_stopword(std::string_view term) {
    // Sorted: binary search. English function words and question words.
    static constexpr std::array<std::string_view, 96> kStopwords = {
        "a",     "about", "above", "after", "again", "against", "all",   "also",  "am",    "an",
        "and",   "any",   "are",   "as",    "at",    "be",      "been",  "before", "being", "below",
        "between", "both", "but",  "by",    "can",   "could",   "did",   "do",    "does",  "doing",
        "during", "each", "few",   "for",   "from",  "further", "had",   "has",   "have",  "having",
        "he",    "her",   "here",  "hers",  "him",   "his",     "how",   "i",     "if",    "in",
        "into",  "is",    "it",    "its",   "many",  "me",      "more",  "most",  "much",  "my",
        "of",    "off",   "on",    "once",  "only",  "or",      "other", "our",   "out",   "over",
        "she",   "should", "so",   "some",  "such",  "than",    "that",  "the",   "their", "them",
        "then",  "there", "these", "they",  "this",  "those",   "to",    "was",   "we",    "were",
        "what",  "when",  "where", "which", "who",   "why"};
    static constexpr std::array<std::string_view, 7> kMoreStopwords = {"whom", "whose", "will", "with",
                                                                        "would", "you", "your"};
    return std::binary_search(kStopwords.begin(), kStopwords.end(), term) ||
           std::binary_search(kMoreStopwords.begin(), kMoreStopwords.end(), term);
}

}  // namespace loci::analysis
