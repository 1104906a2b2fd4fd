// Bloom filters of a passage's terms; see term_signature.h.
#include "indexer/analysis/term_signature.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_record.h"

namespace loci {
namespace {

/// 6 bits a term and 4 probes: a false "maybe" for 5.6% of terms. On the
/// 100 MB bench corpus (2026-11-29, records then zlib in groups of 16):
/// index 1.99x the text, and the four
/// bench queries analysed 65, 32, 83 and 103 passages for their 30; at 8
/// bits and 5 probes (2.2%) 2.02x and 54, 30, 65, 95; at 10 and 7 (0.8%)
/// 2.05x and 55, 31, 59, 93. The rest of those analysed are repeats (the
/// corpus holds manuals twice) and phrases' words apart: the size target
/// (2x) decided.
constexpr std::size_t kBitsPerTerm = 6;
constexpr unsigned kProbes = 4;

/// A term's hash for its probes: FNV-1a, whose last step is a
/// multiplication, gives terms that differ in their last byte (2023 and
/// 2024, model and modem) hashes whose high bits, which the probes below
/// take, are the same: every such neighbour of a passage's term was a
/// false "maybe". Mixed (splitmix64's finaliser), each bit of the term
/// moves every bit of the hash.
std::uint64_t probe_hash(std::string_view term) {
    std::uint64_t h = fnv1a64(term);
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

/// The probes' bit numbers, by double hashing one 64-bit hash, each 32-bit
/// probe mapped onto [0, bits) by a multiplication: a query probes every
/// passage of the files it considers, and a division per probe showed.
template <typename F>
void for_each_probe(std::uint64_t h, std::size_t bits, F&& f) {
    const std::uint32_t h1 = static_cast<std::uint32_t>(h), h2 = static_cast<std::uint32_t>(h >> 32) | 1;
    for (std::uint32_t i = 0; i < kProbes; ++i)
        f(static_cast<std::size_t>((static_cast<std::uint64_t>(h1 + i * h2) * bits) >> 32));
}

}  // namespace

std::vector<std::string> signature_terms(const std::vector<std::string>& counted, const analysis::Analyzer& analyzer) {
    const std::set<std::string> distinct(counted.begin(), counted.end());
    std::vector<std::string> out;
    for (const std::string& term : distinct) {
        if (schema::is_word_term(term)) {
            const std::string stem = analyzer.stem_term(term);
            if (!stem.empty() && stem != term && distinct.count(std::string(schema::kStemPrefix) + stem)) continue;
        }
        out.push_back(term);
    }
    return out;
}

std::string term_signature(const std::vector<std::string>& terms) {
    const std::set<std::string_view> distinct(terms.begin(), terms.end());
    const std::size_t bytes = std::max<std::size_t>(8, (distinct.size() * kBitsPerTerm + 63) / 64 * 8);
    std::string signature(bytes, '\0');
    for (std::string_view term : distinct)
        for_each_probe(probe_hash(term), bytes * 8, [&](std::size_t bit) { signature[bit / 8] |= static_cast<char>(1u << (bit % 8)); });
    return signature;
}

TermProbe::TermProbe(std::string_view term) : hash(probe_hash(term)) {}

bool may_hold(std::string_view signature, const TermProbe& probe) {
    if (signature.empty()) return false;
    bool all = true;
    for_each_probe(probe.hash, signature.size() * 8, [&](std::size_t bit) {
        all = all && (static_cast<unsigned char>(signature[bit / 8]) >> (bit % 8) & 1);
    });
    return all;
}

}  // namespace loci
