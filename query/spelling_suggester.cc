// Did-you-mean by scanning the vocabulary; see spelling_suggester.h.
#include "query/spelling_suggester.h"

#include <algorithm>
#include <vector>

#include "indexer/analysis/analyzer.h"

namespace loci {
namespace {

constexpr std::size_t kMaxDistance = 2;
constexpr std::size_t kMinWordLength = 4;
/// Up to this length a word gets one edit, not two: two edits of a short
/// word reach too many unrelated ones ("pays" -> "past").
constexpr std::size_t kMaxShortWordLength = 5;

std::size_t max_distance_for(const std::string& word) {
    return word.size() <= kMaxShortWordLength ? 1 : kMaxDistance;
}

bool is_plain_word(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t limit) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], limit + 1);
}

Suggestion suggest_word(const Xapian::Database& db, const std::string& word) {
    if (word.size() < kMinWordLength || !is_plain_word(word)) return {};
    const std::size_t limit = max_distance_for(word);
    std::string best;
    std::size_t best_distance = limit + 1;
    Xapian::doccount best_freq = 0;
    const std::string first(1, word[0]);
    for (auto t = db.allterms_begin(first); t != db.allterms_end(first); ++t) {
        const std::string candidate = *t;
        if (candidate.size() + limit < word.size() || candidate.size() > word.size() + limit ||
            !is_plain_word(candidate) || analysis::is_stopword(candidate))
            continue;
        const std::size_t d = edit_distance(word, candidate, limit);
        if (d == 0 || d > limit) continue;
        const Xapian::doccount freq = t.get_termfreq();
        if (d < best_distance || (d == best_distance && freq > best_freq)) {
            best = candidate;
            best_distance = d;
            best_freq = freq;
        }
    }
    return Suggestion{best, best.empty() ? 0 : best_distance};
}

}  // namespace loci
