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

}  // namespace

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
