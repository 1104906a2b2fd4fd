// British -> American spelling rules; see spelling_variants.h for the list.
#include "indexer/analysis/spelling_variants.h"

#include <algorithm>
#include <array>

namespace loci::analysis {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_ascii_lower_word(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

template <std::size_t N>
bool is_one_of(std::string_view s, const std::array<std::string_view, N>& list) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

/// Splits @p word as root + @p core + one of @p endings; returns the root
/// length, or npos when the word does not have that shape.
template <std::size_t N>
std::size_t root_before(std::string_view word, std::string_view core,
                        const std::array<std::string_view, N>& endings) {
    for (std::string_view ending : endings) {
        std::size_t tail = core.size() + ending.size();
        if (word.size() > tail && word.substr(word.size() - ending.size()) == ending &&
            word.substr(word.size() - tail, core.size()) == core)
            return word.size() - tail;
    }
    return std::string_view::npos;
}

/// "-ise" words that are spelt with s in American English too.
bool keeps_ise(std::string_view lemma) {
    static constexpr std::array<std::string_view, 6> kSafeEndings = {"wise", "vise", "cise",
                                                                     "uise", "oise", "aise"};
    static constexpr std::array<std::string_view, 16> kSafeWords = {
        "rise",      "arise",   "anise",   "premise",   "promise",    "compromise",
        "demise",    "surmise", "paradise", "merchandise", "advertise", "expertise",
        "chastise",  "treatise", "mortise", "franchise"};
    if (ends_with(lemma, "prise")) return true;
    for (std::string_view e : kSafeEndings)
        if (ends_with(lemma, e)) return true;
    return is_one_of(lemma, kSafeWords);
}

std::string replace_at(std::string_view word, std::size_t at, std::size_t length,
                       std::string_view with) {
    std::string out(word.substr(0, at));
    out += with;
    out += word.substr(at + length);
    return out;
}

}  // namespace

std::string american_spelling(std::string_view word) {
    if (word.size() < 5 || !is_ascii_lower_word(word)) return std::string(word);

    // organise, organised, organising, organisation -> -iz-
    static constexpr std::array<std::string_view, 10> kIseEndings = {
        "e", "ed", "es", "ing", "er", "ers", "ation", "ations", "ational", "ationally"};
    if (std::size_t root = root_before(word, "is", kIseEndings); root != std::string_view::npos &&
                                                                  root >= 2) {
        std::string lemma = std::string(word.substr(0, root)) + "ise";
        if (!keeps_ise(lemma)) return replace_at(word, root, 2, "iz");
    }
    // analyse, paralysed -> -yz-
    static constexpr std::array<std::string_view, 6> kYseEndings = {"e", "ed", "es", "ing", "er", "ers"};
    if (std::size_t root = root_before(word, "ys", kYseEndings); root != std::string_view::npos &&
                                                                  root >= 3)
        return replace_at(word, root, 2, "yz");
    // colour, behaviour, favourite, labourers -> -or-
    static constexpr std::array<std::string_view, 13> kOurEndings = {
        "", "s", "ed", "ing", "able", "ably", "ite", "ites", "ful", "less", "er", "ers", "ist"};
    static constexpr std::array<std::string_view, 9> kOurRoots = {
        "fl", "sc", "cont", "det", "dev", "am", "param", "troubad", "vel"};
    if (std::size_t root = root_before(word, "our", kOurEndings); root != std::string_view::npos &&
                                                                   root >= 2 &&
                                                                   !is_one_of(word.substr(0, root), kOurRoots))
        return replace_at(word, root, 3, "or");
    // centre, fibres, theatre -> -ter, -ber
    static constexpr std::array<std::string_view, 3> kReEndings = {"", "s", "d"};
    static constexpr std::array<std::string_view, 2> kReWords = {"macabre", "timbre"};
    for (std::string_view core : {std::string_view("tre"), std::string_view("bre")}) {
        std::size_t root = root_before(word, core, kReEndings);
        if (root != std::string_view::npos && root >= 3 &&
            !is_one_of(word.substr(0, root + 3), kReWords)) {
            std::string swapped{core[0], 'e', 'r'};
            return replace_at(word, root, 3, swapped);
        }
    }
    // programme, programmes -> program
    static constexpr std::array<std::string_view, 2> kMmeEndings = {"", "s"};
    if (std::size_t root = root_before(word, "mme", kMmeEndings); root != std::string_view::npos &&
                                                                   root >= 3)
        return replace_at(word, root, 3, "m");
    // catalogue, dialogues -> -og
    if (std::size_t root = root_before(word, "ogue", kMmeEndings); root != std::string_view::npos &&
                                                                    root >= 3)
        return replace_at(word, root, 4, "og");
    // defence, offences, licence -> -se
    if (std::size_t root = root_before(word, "fence", kMmeEndings); root != std::string_view::npos)
        return replace_at(word, root, 5, "fense");
    if (std::size_t root = root_before(word, "licence", kMmeEndings); root == 0)
        return replace_at(word, 0, 7, "license");
    // travelled, cancelling, modeller -> single l
    static constexpr std::array<std::string_view, 4> kLlEndings = {"ed", "ing", "er", "ers"};
    if (std::size_t root = root_before(word, "ell", kLlEndings); root != std::string_view::npos &&
                                                                  word.size() >= 8)
        return replace_at(word, root, 3, "el");
    return std::string(word);
}

}  // namespace loci::analysis
