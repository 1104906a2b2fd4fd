/** @file ascii.h
 *  @brief ASCII case and white space without the C locale: shared by the analyzer (folding,
 *  web addresses), the markup cleaner (autolinks), the file walker and
 *  extractor (extensions), the acronym miner and the thesaurus.
 */
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace loci {

/// @p c lower-cased if it is an ASCII capital; every other byte as it is.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// @p s with its ASCII capitals lower-cased (file extensions, WordNet's
/// words, an acronym's letters); other bytes, UTF-8 included, as they are.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

/// True when @p s begins with @p lower_prefix (lower-case ASCII) in any case: "HTTPS://" and "https://".
inline bool starts_with_ignoring_case(std::string_view s, std::string_view lower_prefix) {
    if (s.size() < lower_prefix.size()) return false;
    for (std::size_t i = 0; i < lower_prefix.size(); ++i)
        if (ascii_lower(s[i]) != lower_prefix[i]) return false;
    return true;
}

/// ASCII white space, line breaks included: where the analyzer may cut
/// text before ICU breaks it, and what ends an HTML tag's name.
inline bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/// True when @p s begins with a web address's scheme in any case
/// ("https://", "MAILTO:"): the one list for the markup cleaner's autolinks
/// and the analyzer's web addresses.
inline bool starts_with_url_scheme(std::string_view s) {
    for (std::string_view scheme : {"http://", "https://", "ftp://", "mailto:"})
        if (starts_with_ignoring_case(s, scheme)) return true;
    return false;
}

}  // namespace loci
