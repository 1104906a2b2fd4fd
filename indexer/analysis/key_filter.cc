// A Bloom filter over metadata keys; see key_filter.h.
#include "indexer/analysis/key_filter.h"

#include <algorithm>

#include "indexer/analysis/passage_record.h"  // fnv1a64

namespace loci {
namespace {

constexpr std::size_t kBitsPerKey = 10;
constexpr std::size_t kMinBits = 64;
constexpr int kProbes = 7;

/// Bit @p probe of @p key in a filter of @p bits bits: double hashing
/// (Kirsch and Mitzenmacher), two hashes standing in for kProbes.
std::size_t probe_bit(std::string_view key, int probe, std::size_t bits) {
    const std::uint64_t h1 = fnv1a64(key);
    const std::uint64_t h2 = fnv1a64(key, h1) | 1;
    return static_cast<std::size_t>((h1 + static_cast<std::uint64_t>(probe) * h2) % bits);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

KeyFilter KeyFilter::of(const std::vector<std::string>& keys) {
    KeyFilter filter;
    const std::size_t bits = std::max(kMinBits, keys.size() * kBitsPerKey);
    filter.bits_.assign((bits + 7) / 8, 0);
    const std::size_t n = filter.bits_.size() * 8;
    for (const std::string& key : keys)
        for (int p = 0; p < kProbes; ++p) {
            const std::size_t bit = probe_bit(key, p, n);
            filter.bits_[bit / 8] |= static_cast<std::uint8_t>(1u << (bit % 8));
        }
    return filter;
}

bool KeyFilter::may_contain(std::string_view key) const {
    if (bits_.empty()) return true;
    const std::size_t n = bits_.size() * 8;
    for (int p = 0; p < kProbes; ++p) {
        const std::size_t bit = probe_bit(key, p, n);
        if (!(bits_[bit / 8] & (1u << (bit % 8)))) return false;
    }
    return true;
}

std::string KeyFilter::encode() const {
    static const char* digits = "0123456789abcdef";
    std::string text;
    text.reserve(bits_.size() * 2);
    for (std::uint8_t b : bits_) {
        text += digits[b >> 4];
        text += digits[b & 0xF];
    }
    return text;
}

KeyFilter KeyFilter::decode(std::string_view text) {
    KeyFilter filter;
    if (text.size() % 2 != 0) return filter;
    std::vector<std::uint8_t> bits(text.size() / 2);
    for (std::size_t i = 0; i < bits.size(); ++i) {
        const int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return filter;
        bits[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    filter.bits_ = std::move(bits);
    return filter;
}

}  // namespace loci
