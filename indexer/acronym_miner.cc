// Acronym definitions in text; see acronym_miner.h.
#include "indexer/acronym_miner.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace loci {
namespace {

constexpr std::size_t kMinLetters = 2;
constexpr std::size_t kMaxLetters = 10;

bool is_minor_word(std::string_view w) {
    static constexpr std::array<std::string_view, 12> kMinor = {"a",  "and", "de", "des", "for", "in",
                                                                "la", "of",  "on", "the", "to",  "du"};
    return std::find(kMinor.begin(), kMinor.end(), w) != kMinor.end();
}

/// "IHL", "RCSC", "R2P": letters and digits with at least two capitals.
bool looks_like_acronym(std::string_view s) {
    if (s.size() < kMinLetters || s.size() > kMaxLetters) return false;
    std::size_t capitals = 0;
    for (char c : s) {
        if (std::isupper(static_cast<unsigned char>(c))) ++capitals;
        else if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    }
    return capitals >= 2 && std::isupper(static_cast<unsigned char>(s[0]));
}

/// How sure a match of initials must be. In parentheses right after its
/// long form, an acronym may take a minor word's initial ("Department of
/// Defense"); spelled out apart, a letter takes a word of two or more
/// letters that is not minor, or the long form is more likely chance.
enum class Initials { lenient, strict };

bool letter_matches(char letter, const std::string& word, Initials rule) {
    if (letter == '2') return word == "to";
    if (letter == '4') return word == "for";
    if (rule == Initials::strict && (word.size() < 2 || is_minor_word(word))) return false;
    return !word.empty() && word[0] == letter;
}

/// Matches the acronym's letters to the initials of @p words, from the end.
/// Returns how many trailing words form the long form, 0 if they do not.
std::size_t match_initials(const std::string& letters, const std::vector<std::string>& words,
                           Initials rule = Initials::lenient) {
    std::size_t w = words.size();
    for (std::size_t i = letters.size(); i-- > 0;) {
        while (w > 0 && !letter_matches(letters[i], words[w - 1], rule) && is_minor_word(words[w - 1])) --w;
        if (w == 0 || !letter_matches(letters[i], words[w - 1], rule)) return 0;
        --w;
    }
    return words.size() - w;
}

/// A word as the analyzer cuts it, as written (capitals kept), and whether
/// punctuation that ends a name (. , ; : brackets, a line break) comes
/// before it.
struct RawWord {
    std::string_view text;
    std::string term;  ///< the exact term
    bool after_break = false;
};

std::vector<RawWord> raw_words(std::string_view text, const analysis::Analyzer& analyzer) {
    std::vector<RawWord> out;
    std::size_t previous_end = 0;
    for (const analysis::Token& t : analyzer.analyze(text)) {
        if (t.role != analysis::TokenRole::word) continue;
        const std::string_view gap = text.substr(previous_end, t.byte_start - std::min<std::size_t>(previous_end, t.byte_start));
        const bool after_break = out.empty() || gap.find_first_of(".,;:()[]|\n\t\"") != std::string_view::npos;
        out.push_back({text.substr(t.byte_start, t.byte_length), t.term, after_break});
        previous_end = t.byte_start + t.byte_length;
    }
    return out;
}

/// "Protect", "Asia-Pacific": a capital, then some small letters (not
/// "EEH_MAX_FAILS", not "I").
bool capitalised(std::string_view w) {
    return w.size() >= 2 && std::isupper(static_cast<unsigned char>(w[0])) &&
           std::any_of(w.begin() + 1, w.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

/// Runs of capitalised words of @p words, with minor words ("of", "the",
/// "to") inside them, as exact terms: "Asia-Pacific Centre for the
/// Responsibility to Protect". A run ends at punctuation; minor words at
/// its end are dropped.
void add_capitalised_runs(const std::vector<RawWord>& words, std::vector<std::vector<std::string>>& runs) {
    std::vector<std::string> run;
    std::size_t trailing_minor = 0;
    auto flush = [&] {
        run.resize(run.size() - trailing_minor);
        if (run.size() >= 2) runs.push_back(run);
        run.clear();
        trailing_minor = 0;
    };
    for (const RawWord& w : words) {
        if (w.after_break) flush();
        if (capitalised(w.text) && !looks_like_acronym(w.text)) {
            run.push_back(w.term);
            trailing_minor = 0;
        } else if (!run.empty() && is_minor_word(w.term)) {
            run.push_back(w.term);
            ++trailing_minor;
        } else {
            flush();
        }
    }
    flush();
}

/// Whether @p text may hold an acronym of 3 or more characters: three
/// capitals or digits in a row (a cheap test before analysing anything).
bool may_hold_acronym(std::string_view text) {
    std::size_t row = 0;
    for (char c : text) {
        row = std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ? row + 1 : 0;
        if (row >= 3) return true;
    }
    return false;
}

/// The long form of @p letters in @p run: the words from a capitalised
/// word matching its first letter to one matching its last; empty if none.
std::vector<std::string> spelled_in(const std::string& letters, const std::vector<std::string>& run) {
    for (std::size_t end = run.size(); end >= letters.size(); --end) {
        if (is_minor_word(run[end - 1])) continue;
        const std::vector<std::string> words(run.begin(), run.begin() + static_cast<std::ptrdiff_t>(end));
        const std::size_t n = match_initials(letters, words, Initials::strict);
        if (n >= 2) return std::vector<std::string>(words.end() - static_cast<std::ptrdiff_t>(n), words.end());
    }
    return {};
}

}  // namespace

std::vector<AcronymDefinition> find_spelled_out_acronyms(const std::vector<std::string_view>& texts,
                                                         const std::vector<AcronymDefinition>& defined,
                                                         const analysis::Analyzer& analyzer) {
    if (std::none_of(texts.begin(), texts.end(), may_hold_acronym)) return {};
    // Acronyms used (as written: capitals matter) and not defined, and the
    // runs of capitalised words that may spell them out.
    std::vector<std::string> used;
    std::vector<std::vector<std::string>> runs;
    for (std::string_view text : texts) {
        const std::vector<RawWord> words = raw_words(text, analyzer);
        for (const RawWord& w : words) {
            if (w.term.size() < 3 || !looks_like_acronym(w.text)) continue;
            const bool known = std::any_of(defined.begin(), defined.end(),
                                           [&](const AcronymDefinition& d) { return d.acronym == w.term; });
            if (!known && std::find(used.begin(), used.end(), w.term) == used.end()) used.push_back(w.term);
        }
        add_capitalised_runs(words, runs);
    }
    if (used.empty()) return {};
    std::vector<AcronymDefinition> found;
    for (const std::string& letters : used) {
        std::vector<std::string> expansion;
        bool ambiguous = false;
        for (const auto& run : runs) {
            std::vector<std::string> e = spelled_in(letters, run);
            if (e.empty() || e == expansion) continue;
            if (!expansion.empty()) ambiguous = true;
            expansion = std::move(e);
        }
        if (expansion.empty() || ambiguous) continue;
        found.push_back(AcronymDefinition{letters, std::move(expansion)});
    }
    return found;
}

std::vector<AcronymDefinition> find_acronym_definitions(std::string_view text, const analysis::Analyzer& analyzer) {
    std::vector<AcronymDefinition> found;
    for (std::size_t open = text.find('('); open != std::string_view::npos; open = text.find('(', open + 1)) {
        const std::size_t close = text.find(')', open);
        if (close == std::string_view::npos) break;
        const std::string_view inside = text.substr(open + 1, close - open - 1);
        if (!looks_like_acronym(inside)) continue;
        std::string letters;
        for (char c : inside) letters += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // The words just before the parenthesis, at most two per letter.
        const std::size_t window_start = open > 200 ? open - 200 : 0;
        std::vector<std::string> words;
        for (const analysis::Token& t : analyzer.analyze(text.substr(window_start, open - window_start)))
            if (t.role == analysis::TokenRole::word) words.push_back(t.term);
        if (words.size() > letters.size() * 2) words.erase(words.begin(), words.end() - letters.size() * 2);
        const std::size_t n = match_initials(letters, words);
        if (n < 2) continue;
        AcronymDefinition d;
        d.acronym = analyzer.normalize_word(inside);
        d.expansion.assign(words.end() - n, words.end());
        found.push_back(std::move(d));
    }
    return found;
}

}  // namespace loci
