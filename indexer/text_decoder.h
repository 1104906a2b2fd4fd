/** @file text_decoder.h
 *  @brief A plain-text file's bytes -> UTF-8, whatever it was saved in.
 *
 *  Reports reach a folder as UTF-8 (a BOM or none), as UTF-16 from Word or
 *  Notepad ("Unicode text", always with a BOM), or in an older 8-bit or
 *  Chinese encoding (windows-1252, GB18030...). UTF-8 stays as it is, its
 *  BOM dropped; UTF-16 is decoded by its BOM; bytes that are mostly not
 *  UTF-8 are decoded in the encoding ICU's detector finds, with a warning
 *  that names it, since it is a guess; the few invalid bytes of a file
 *  that is otherwise UTF-8 become U+FFFD, with a warning.
 *  Pure functions; thread-safe.
 */
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace loci {

struct DecodedText {
    std::string utf8;     ///< valid UTF-8, without a BOM
    std::string warning;  ///< one line, no path; "" when the bytes were UTF-8 or UTF-16 as marked
};

/// The UTF-8 BOM, which editors hide and citations' columns do not count.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// True when @p bytes start with a UTF-16 BOM (either byte order).
bool has_utf16_bom(std::string_view bytes);

/// @p bytes (a whole file) as UTF-8; see the file comment.
DecodedText decode_text(std::string bytes);

/// Replaces invalid UTF-8 in @p s with U+FFFD; returns how many bytes it replaced.
std::size_t repair_utf8(std::string& s);

/// Counts the bytes repair_utf8() would replace in @p bytes, without copying.
std::size_t count_invalid_utf8(std::string_view bytes);

}  // namespace loci
