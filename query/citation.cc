// Matches inside a passage and the line to cite; see citation.h.
#include "query/citation.h"

#include <algorithm>
#include <map>
#include <set>

namespace loci {

namespace {

bool matches_word(const analysis::Token& t, const QueryWord& word) {
    return word.exact.count(t.term) > 0 || (!t.stem.empty() && word.stems.count(t.stem) > 0) ||
           (!word.related.empty() && word.related.count(t.stem.empty() ? t.term : t.stem) > 0) ||
           (!word.prefix.empty() && t.term.compare(0, word.prefix.size(), word.prefix) == 0);
}

/// Where a sequence (an acronym's long form) occurs among the words.
void add_sequence_matches(const std::vector<analysis::Token>& tokens, std::size_t w,
                          const std::vector<std::string>& sequence, std::vector<WordMatch>& out) {
    std::vector<const analysis::Token*> words;
    for (const analysis::Token& t : tokens)
        if (t.role == analysis::TokenRole::word) words.push_back(&t);
    for (std::size_t i = 0; i + sequence.size() <= words.size(); ++i) {
        std::size_t k = 0;
        while (k < sequence.size() && words[i + k]->term == sequence[k]) ++k;
        if (k < sequence.size()) continue;
        const analysis::Token& last = *words[i + k - 1];
        out.push_back(WordMatch{w, words[i]->byte_start, last.byte_start + last.byte_length - words[i]->byte_start,
                                words[i]->position, true});
    }
}

}  // namespace

std::vector<WordMatch> find_word_matches(const std::string& text, const analysis::Analyzer& analyzer,
                                         const CompiledQuery& query) {
    std::vector<WordMatch> matches;
    const std::vector<analysis::Token> tokens = analyzer.analyze(text);
    for (const analysis::Token& t : tokens) {
        for (std::size_t w = 0; w < query.words.size(); ++w) {
            const QueryWord& word = query.words[w];
            if (word.stopword || !matches_word(t, word)) continue;
            // A compound and its first word share a start: keep the longer one only.
            if (!matches.empty() && matches.back().text_offset == t.byte_start && matches.back().word == w) {
                matches.back().length = std::max(matches.back().length, t.byte_length);
                break;
            }
            matches.push_back(WordMatch{w, t.byte_start, t.byte_length, t.position});
            break;
        }
    }
    bool sequences = false;
    for (std::size_t w = 0; w < query.words.size(); ++w)
        for (const auto& sequence : query.words[w].sequences) {
            add_sequence_matches(tokens, w, sequence, matches);
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
