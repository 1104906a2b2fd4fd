// Matches inside a passage and the line to cite; see citation.h.
#include "query/citation.h"

#include <algorithm>
#include <map>
#include <set>

namespace loci {

namespace {

/// How surely token @p t is @p word (WordMatch::strength); 0 if it is not.
/// A token that analyze_for_matching() left without a stem has no stem and
/// no word among @p word's stems and related words: they share no first letter.
double match_strength(const analysis::Token& t, const QueryWord& word) {
    if (word.exact.count(t.term) > 0 || (!t.stem.empty() && word.stems.count(t.stem) > 0) ||
        (!word.prefix.empty() && t.term.compare(0, word.prefix.size(), word.prefix) == 0))
        return 1;
    if (!word.related.empty() && word.related.count(t.stem.empty() ? t.term : t.stem) > 0) return kRelatedWeight;
    return 0;
}

/// The word tokens (no compounds or parts) of a passage, in order.
std::vector<const analysis::Token*> word_tokens(const std::vector<analysis::Token>& tokens) {
    std::vector<const analysis::Token*> words;
    for (const analysis::Token& t : tokens)
        if (t.role == analysis::TokenRole::word) words.push_back(&t);
    return words;
}

/// Where a sequence of exact terms (an acronym's long form) starts among
/// @p words, each one an index into them.
std::vector<std::size_t> sequence_starts(const std::vector<const analysis::Token*>& words,
                                         const std::vector<std::string>& sequence) {
    std::vector<std::size_t> starts;
    // In a row by position: analyze_for_matching() leaves words out.
    auto in_row = [&](std::size_t i, std::size_t k) { return words[i + k]->position == words[i]->position + k; };
    for (std::size_t i = 0; i + sequence.size() <= words.size(); ++i) {
        std::size_t k = 0;
        while (k < sequence.size() && in_row(i, k) && words[i + k]->term == sequence[k]) ++k;
        if (k == sequence.size()) starts.push_back(i);
    }
    return starts;
}

/// Positions where a word of a WordGroup stands together with the rest of
/// its group, by query word; a word of no group has no entry.
using GroupedPositions = std::map<std::size_t, std::set<std::uint32_t>>;

/// Each group's words where they stand together (taking_part()), read from
/// the passage's words and their positions, as the index holds them.
GroupedPositions grouped_positions(const std::vector<const analysis::Token*>& words, const CompiledQuery& query) {
    GroupedPositions out;
    if (query.groups.empty()) return out;
    PassageTerms terms;
    for (const analysis::Token* t : words) terms[t->term].push_back(t->position);
    for (const WordGroup& group : query.groups) {
        const std::vector<std::vector<std::uint32_t>> parts = taking_part(group.node, terms);
        for (std::size_t k = 0; k < parts.size(); ++k) out[group.first + k].insert(parts[k].begin(), parts[k].end());
    }
    return out;
}

/// False when word @p w belongs to a group and position @p at is not
/// where it stands with the rest of the group.
bool placed(const GroupedPositions& grouped, std::size_t w, std::uint32_t at) {
    auto it = grouped.find(w);
    return it == grouped.end() || it->second.count(at) > 0;
}

/// Where a sequence (an acronym's long form) of word @p w matches.
void add_sequence_matches(const std::vector<const analysis::Token*>& words, std::size_t w,
                          const std::vector<std::string>& sequence, const GroupedPositions& grouped,
                          std::vector<WordMatch>& out) {
    for (std::size_t i : sequence_starts(words, sequence)) {
        if (!placed(grouped, w, words[i]->position)) continue;
        const analysis::Token& last = *words[i + sequence.size() - 1];
        out.push_back(WordMatch{w, words[i]->byte_start, last.byte_start + last.byte_length - words[i]->byte_start,
                                words[i]->position, true, kSynonymWeight});
    }
}

/// 1000-2099, or a decade of them (1930s).
bool is_year(const std::string& w) {
    const std::size_t digits = w.size() == 5 && w[4] == 's' ? 4 : w.size();
    if (digits != 4 || !(w.compare(0, 1, "1") == 0 || w.compare(0, 2, "20") == 0)) return false;
    return std::all_of(w.begin(), w.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}

/// Not "may": as a verb it is everywhere, and the month mostly comes with a
/// year ("May 2022"), which counts.
const std::set<std::string>& months_and_weekdays() {
    static const std::set<std::string> kNames = {
        "january", "february", "march",  "april",   "june",   "july",     "august",
        "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday",  "saturday", "sunday"};
    return kNames;
}

const std::set<std::string>& number_words() {
    static const std::set<std::string> kNumbers = {
        "one",    "two",    "three",   "four",     "five",    "six",     "seven",  "eight",
        "nine",   "ten",    "eleven",  "twelve",   "twenty",  "thirty",  "forty",  "fifty",
        "sixty",  "seventy", "eighty", "ninety",   "hundred", "hundreds", "thousand", "thousands",
        "million", "millions", "billion", "billions", "dozen", "dozens"};
    return kNumbers;
}

bool is_month_or_weekday(const std::string& w) { return months_and_weekdays().count(w) > 0; }
bool is_number_word(const std::string& w) { return number_words().count(w) > 0; }

/// What find_word_matches() compares a passage's words with: the query's
/// words, stems and words of like meaning, and with @p answers the words
/// is_answer() looks for (digits, and the names above).
analysis::WantedTerms wanted_terms(const CompiledQuery& query, bool answers) {
    analysis::WantedTerms wanted;
    for (const QueryWord& word : query.words) {
        if (word.stopword) continue;  // never matched (find_word_matches)
        for (const std::string& term : word.exact) wanted.add(term);
        for (const std::string& stem : word.stems) wanted.add(stem);
        for (const std::string& key : word.related) wanted.add(key);
        for (const auto& sequence : word.sequences)
            for (const std::string& term : sequence) wanted.add(term);
        wanted.add(word.prefix);
    }
    if (answers && query.answer != AnswerKind::any) {
        for (const char* digit : {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) wanted.add(digit);
        for (const auto* names : {&months_and_weekdays(), &number_words()})
            for (const std::string& name : *names) wanted.add(name);
    }
    return wanted;
}

}  // namespace

bool is_answer(const analysis::Token& t, AnswerKind kind) {
    if (t.role != analysis::TokenRole::word || t.term.empty()) return false;
    const std::string& w = t.term;
    const bool digits_first = w[0] >= '0' && w[0] <= '9';
    switch (kind) {
        case AnswerKind::any: return false;
        case AnswerKind::quantity: return digits_first || is_number_word(w);
        case AnswerKind::time: return is_year(w) || is_month_or_weekday(w);
    }
    return false;
}

analysis::WantedTerms words_wanted(const CompiledQuery& query) { return wanted_terms(query, true); }

std::vector<WordMatch> find_word_matches(const std::string& text, const analysis::Analyzer& analyzer,
                                         const CompiledQuery& query, std::vector<std::uint32_t>* answers) {
    return find_word_matches(analyzer.analyze_for_matching(text, wanted_terms(query, answers != nullptr)), query,
                             answers);
}

std::vector<WordMatch> find_word_matches(const std::vector<analysis::Token>& tokens, const CompiledQuery& query,
                                         std::vector<std::uint32_t>* answers) {
    std::vector<WordMatch> matches;
    const std::vector<const analysis::Token*> words = word_tokens(tokens);
    const GroupedPositions grouped = grouped_positions(words, query);
    for (const analysis::Token& t : tokens) {
        if (answers && query.answer != AnswerKind::any && is_answer(t, query.answer)) answers->push_back(t.position);
        for (std::size_t w = 0; w < query.words.size(); ++w) {
            const QueryWord& word = query.words[w];
            const double strength = word.stopword ? 0 : match_strength(t, word);
            if (strength == 0 || !placed(grouped, w, t.position)) continue;
            // A compound and its first word share a start: keep the longer one only.
            if (!matches.empty() && matches.back().text_offset == t.byte_start && matches.back().word == w) {
                matches.back().length = std::max(matches.back().length, t.byte_length);
                matches.back().strength = std::max(matches.back().strength, strength);
                break;
            }
            matches.push_back(WordMatch{w, t.byte_start, t.byte_length, t.position, false, strength});
            break;
        }
    }
    bool sequences = false;
    for (std::size_t w = 0; w < query.words.size(); ++w)
        for (const auto& sequence : query.words[w].sequences) {
            add_sequence_matches(words, w, sequence, grouped, matches);
            sequences = true;
        }
    if (sequences)
        std::sort(matches.begin(), matches.end(),
                  [](const WordMatch& a, const WordMatch& b) { return a.text_offset < b.text_offset; });
    return matches;
}

Citation best_citation(const Passage& passage, const std::vector<WordMatch>& matches,
                       const std::vector<double>& word_weights) {
    Citation best{passage.line_start, 1};
    if (matches.empty()) {
        if (!passage.runs.empty()) best.column = passage.runs.front().column + 1;
        return best;
    }
    // line -> distinct words on it, and the first match's column.
    std::map<std::uint32_t, std::pair<std::set<std::size_t>, std::uint32_t>> lines;
    for (const WordMatch& m : matches) {
        auto [line, column] = passage.source_of(m.text_offset);
        auto& entry = lines[line];
        if (entry.first.empty()) entry.second = column;
        entry.first.insert(m.word);
    }
    double best_weight = -1;
    for (const auto& [line, entry] : lines) {
        double weight = 0;
        for (std::size_t w : entry.first) weight += w < word_weights.size() ? word_weights[w] : 1.0;
        if (weight > best_weight) {
            best_weight = weight;
            best = Citation{line, entry.second + 1};
        }
    }
    return best;
}

}  // namespace loci
