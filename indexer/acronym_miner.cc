// Acronym definitions in text; see acronym_miner.h.
#include "indexer/acronym_miner.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "indexer/analysis/ascii.h"

namespace loci {
namespace {

constexpr std::size_t kMinLetters = 2;
constexpr std::size_t kMaxLetters = 10;
/// Steps spell_backwards() may take from one end of a run.
constexpr int kSpellingSteps = 64;

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

bool letter_matches(char letter, const std::string& word) {
    if (letter == '2') return word == "to";
    if (letter == '4') return word == "for";
    return !word.empty() && word[0] == letter;
}

/// Matches the acronym's letters to the initials of @p words, from the end.
/// Returns how many trailing words form the long form, 0 if they do not.
std::size_t match_initials(const std::string& letters, const std::vector<std::string>& words) {
    std::size_t w = words.size();
    for (std::size_t i = letters.size(); i-- > 0;) {
        while (w > 0 && !letter_matches(letters[i], words[w - 1]) && is_minor_word(words[w - 1])) --w;
        if (w == 0 || !letter_matches(letters[i], words[w - 1])) return 0;
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

std::vector<RawWord> raw_words(std::string_view text, const std::vector<analysis::Token>& tokens) {
    std::vector<RawWord> out;
    std::size_t previous_end = 0;
    for (const analysis::Token& t : tokens) {
        if (t.role != analysis::TokenRole::word) continue;
        const std::string_view gap = text.substr(previous_end, t.byte_start - std::min<std::size_t>(previous_end, t.byte_start));
        const bool after_break = out.empty() || gap.find_first_of(".,;:()[]|\n\t\"") != std::string_view::npos;
        out.push_back({text.substr(t.byte_start, t.byte_length), t.term, after_break});
        previous_end = t.byte_start + t.byte_length;
    }
    return out;
}

/// "Protect", "Asia-Pacific": a capital, then some small letters (not
/// "EEH_MAX_FAILS", not "I", not a file or web name: "SpecializeTypes.scala"
/// spelled SLS with the heading after it in 77 files of Scala's manuals).
bool capitalised(std::string_view w) {
    return w.size() >= 2 && std::isupper(static_cast<unsigned char>(w[0])) &&
           std::any_of(w.begin() + 1, w.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); }) &&
           w.find_first_of("._/") == std::string_view::npos;
}

/// Runs of capitalised words of @p words, with minor words ("of", "the",
/// "to") inside them, as exact terms: "Asia-Pacific Centre for the
/// Responsibility to Protect". A run ends at punctuation; minor words at
/// its end are dropped.
void add_capitalised_runs(const std::vector<RawWord>& words, std::set<std::vector<std::string>>& runs) {
    std::vector<std::string> run;
    std::size_t trailing_minor = 0;
    auto flush = [&] {
        run.resize(run.size() - trailing_minor);
        if (run.size() >= 2) runs.insert(run);
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

/// The acronyms that long forms ending just before @p pos in @p run spell,
/// read backwards, one letter a step: calls @p found(letters reversed,
/// index of the long form's first word). Spelled out apart from the
/// acronym, a long form is held to stricter rules than beside a
/// parenthesis: a letter is the initial of a word of two or more letters
/// that is not minor (minor words between are skipped); 2 and 4 stand for
/// "to" and "for". No acronym is tried against each run; and as "to" and
/// "for" may each be a letter or skipped, the ways back branch: @p budget
/// caps the steps taken from one end (a real long form needs a few; a
/// file of "Word To For" repeated would need thousands).
template <typename Found>
void spell_backwards(const std::vector<std::string>& run, std::size_t pos, std::string& reversed, int& budget,
                     const Found& found) {
    if (reversed.size() == kMaxLetters || budget-- <= 0) return;
    std::size_t w = pos;
    while (w > 0 && is_minor_word(run[w - 1])) --w;
    if (w > 0 && run[w - 1].size() >= 2) {
        reversed.push_back(run[w - 1][0]);
        if (reversed.size() >= 3) found(reversed, w - 1);
        spell_backwards(run, w - 1, reversed, budget, found);
        reversed.pop_back();
    }
    for (const auto& [digit, word] : {std::pair<char, std::string_view>{'2', "to"}, {'4', "for"}}) {
        std::size_t v = pos;
        while (v > 0 && is_minor_word(run[v - 1]) && run[v - 1] != word) --v;
        if (v == 0 || run[v - 1] != word) continue;
        reversed.push_back(digit);
        spell_backwards(run, v - 1, reversed, budget, found);
        reversed.pop_back();
    }
}

}  // namespace

std::vector<AcronymDefinition> find_spelled_out_acronyms(const std::vector<std::string_view>& texts,
                                                         const std::vector<AcronymDefinition>& defined,
                                                         const analysis::Analyzer& analyzer,
                                                         const std::vector<std::vector<analysis::Token>>* tokens) {
    if (std::none_of(texts.begin(), texts.end(), may_hold_acronym)) return {};
    std::set<std::string> known;
    for (const AcronymDefinition& d : defined) known.insert(d.acronym);
    // Acronyms used (as written: capitals matter) and not defined, and the
    // runs of capitalised words that may spell them out.
    std::map<std::string, std::set<std::vector<std::string>>> used;  // letters -> long forms found
    std::set<std::vector<std::string>> runs;
    std::vector<analysis::Token> analysed_here;  // when no tokens were given
    for (std::size_t i = 0; i < texts.size(); ++i) {
        // Both sides lvalues: the given tokens are read where they are, not copied.
        const std::vector<analysis::Token>& text_tokens =
            tokens ? (*tokens)[i] : (analysed_here = analyzer.analyze(texts[i]));
        const std::vector<RawWord> words = raw_words(texts[i], text_tokens);
        for (const RawWord& w : words)
            if (w.term.size() >= 3 && looks_like_acronym(w.text) && !known.count(w.term)) used[w.term];
        add_capitalised_runs(words, runs);
    }
    if (used.empty()) return {};
    for (const auto& run : runs) {
        for (std::size_t end = run.size(); end >= 2; --end) {
            if (is_minor_word(run[end - 1])) continue;
            std::string reversed;
            int budget = kSpellingSteps;
            spell_backwards(run, end, reversed, budget, [&](const std::string& letters_reversed, std::size_t start) {
                auto it = used.find(std::string(letters_reversed.rbegin(), letters_reversed.rend()));
                if (it == used.end() || it->second.size() > 1) return;  // not used, or already ambiguous
                it->second.insert(std::vector<std::string>(run.begin() + static_cast<std::ptrdiff_t>(start),
                                                           run.begin() + static_cast<std::ptrdiff_t>(end)));
            });
        }
    }
    std::vector<AcronymDefinition> found;
    for (auto& [letters, long_forms] : used)
        if (long_forms.size() == 1) found.push_back(AcronymDefinition{letters, *long_forms.begin()});
    return found;
}

std::vector<AcronymDefinition> find_acronym_definitions(std::string_view text, const analysis::Analyzer& analyzer) {
    std::vector<AcronymDefinition> found;
    for (std::size_t open = text.find('('); open != std::string_view::npos; open = text.find('(', open + 1)) {
        const std::size_t close = text.find(')', open);
        if (close == std::string_view::npos) break;
        const std::string_view inside = text.substr(open + 1, close - open - 1);
        if (!looks_like_acronym(inside)) continue;
        const std::string letters = ascii_lower(inside);
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
