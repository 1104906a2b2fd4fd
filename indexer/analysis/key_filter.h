/** @file key_filter.h
 *  @brief A Bloom filter over metadata keys: says that a key is surely
 *  absent, or that it may be present.
 *
 *  Why: a query looks up an acronym key for each of its words and runs of
 *  words, and almost none exists. On a remote shard each lookup is a round
 *  trip, and Xapian 1.4 answers one key per request; the filter, kept in
 *  the index header that every search reads anyway, rules most of them out
 *  without asking. About 10 bits a key, 7 probes: ~1% of absent keys pass.
 */
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loci {

class KeyFilter {
  public:
    /// No filter: every key may be present (an index written without one).
    KeyFilter() = default;

    /// A filter sized for @p keys, holding them.
    static KeyFilter of(const std::vector<std::string>& keys);

    /// False only when @p key was surely not among the keys.
    bool may_contain(std::string_view key) const;

    /// Lower-case hex of the bit array ("" for no filter): no newline, so
    /// that it can sit on a line of the index header.
    std::string encode() const;
    /// The inverse of encode(); malformed text gives no filter, never a wrong one.
    static KeyFilter decode(std::string_view text);

  private:
    std::vector<std::uint8_t> bits_;
};

}  // namespace loci
