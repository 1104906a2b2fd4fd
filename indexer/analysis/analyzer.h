/** @file analyzer.h
 *  @brief Text -> terms with positions: the one analysis that the indexer
 *  and the query tool both use, so that they can never disagree.
 *
 *  Steps, for every word that ICU's word BreakIterator finds (any script;
 *  Chinese and Japanese segmented with ICU's dictionary):
 *   1. NFKC with case folding, accents removed (Špoljarić -> spoljaric),
 *      curly apostrophes made straight, a possessive 's dropped.
 *   2. Numbers lose their thousands separators (2,273 -> 2273).
 *   3. Words longer than kMaxWordBytes are cut (on a character boundary).
 *   4. The stem: British spellings mapped to American ones
 *      (spelling_variants.h), then Snowball through Xapian::Stem.
 *  Words joined by connectors (zero-COVID, S/RES/2677, a@b.org) also yield
 *  the whole compound as one term, and dotted or underscored words
 *  (icrc.org, bej_beijing) yield their parts, each at the position of the
 *  word they belong to.
 *
 *  Thread-safety: an Analyzer is not thread-safe; give each thread its own.
 *  Construction is cheap after the first (ICU's data is shared).
 */
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loci::analysis {

/// What a token is, relative to the words of the text.
enum class TokenRole : std::uint8_t {
    word,      ///< a word as ICU found it: the phrase-forming sequence
    compound,  ///< several words joined by connectors, as one term
    part,      ///< a piece of a dotted or underscored word
};

struct Token {
    std::string term;   ///< normalised exact form (the unprefixed term)
    std::string stem;   ///< stemmed form; empty where stemming does not apply
    std::uint32_t position = 0;     ///< 1-based word position
    std::uint32_t byte_start = 0;   ///< offset in the analysed text
    std::uint32_t byte_length = 0;  ///< length in the analysed text
    TokenRole role = TokenRole::word;
    bool is_cjk = false;  ///< Han, kana or Hangul: no spaces between words
    bool in_url = false;  ///< part of a web address: searchable, but weighs nothing
};

struct AnalyzerOptions {
    /// Snowball language for Xapian::Stem; "none" disables stemming.
    std::string language = "english";
};

inline constexpr std::size_t kMaxWordBytes = 64;
inline constexpr std::size_t kMaxCompoundBytes = 100;

/// The terms and stems a caller will compare a text's with
/// (Analyzer::analyze_for_matching), kept as what decides which words need
/// analysing: their first bytes.
class WantedTerms {
  public:
    void add(std::string_view term) {
        if (!term.empty()) initials_[static_cast<unsigned char>(term[0])] = true;
    }
    /// Wants what @p other wants too.
    void add(const WantedTerms& other) {
        for (std::size_t i = 0; i < initials_.size(); ++i) initials_[i] = initials_[i] || other.initials_[i];
    }
    /// False when no wanted term or stem begins as @p term does.
    bool may_begin(std::string_view term) const { return initials_[static_cast<unsigned char>(term[0])]; }

  private:
    std::array<bool, 256> initials_{};
};

class Analyzer {
  public:
    /// @throws loci::Error if the language is unknown to Snowball.
    explicit Analyzer(AnalyzerOptions options = {});
    ~Analyzer();
    Analyzer(Analyzer&&) noexcept;
    Analyzer& operator=(Analyzer&&) noexcept;

    /// Tokens of @p text, word positions starting at @p first_position.
    /// Invalid UTF-8 is tolerated (ICU reads it as U+FFFD).
    std::vector<Token> analyze(std::string_view text, std::uint32_t first_position = 1) const;

    /// As analyze(), for a caller that only compares the text's terms and
    /// stems with @p wanted ones (the query side's find_word_matches()): the
    /// same matches for a fraction of the cost. English stems begin with
    /// their word's first letter (Porter2 keeps it, and so do the American
    /// spellings of step 4), so a word that shares no first byte with a
    /// wanted term cannot match: a plain ASCII word of that kind (one word,
    /// no parts) is left out, its position still counted, and a word kept
    /// gets its stem only when that stem could be wanted (Snowball is the
    /// costliest step). Other languages' tokens are analyze()'s.
    std::vector<Token> analyze_for_matching(std::string_view text, const WantedTerms& wanted) const;

    /// analyze(@p text, @p first_position) when @p wanted is null, else as
    /// analyze_for_matching(@p text, *@p wanted) from @p first_position: for
    /// code that serves both (add_passage_terms()).
    std::vector<Token> analyze(std::string_view text, std::uint32_t first_position, const WantedTerms* wanted) const;

    /// The exact term of one word (step 1-3 above), "" if it has no letters or digits.
    std::string normalize_word(std::string_view word) const;

    /// The stem of an exact term ("" when stemming is off or does not apply).
    std::string stem_term(std::string_view term) const;

    const AnalyzerOptions& options() const;

  private:
    void add_parts(const Token& word, std::vector<Token>& tokens, const WantedTerms* wanted) const;
    struct Internal;
    std::unique_ptr<Internal> internal_;
};

/// Canonical text of a token list: "term[/stem]@position ..." for tests.
std::string describe(const std::vector<Token>& tokens);

/// True for English stopwords and question words: they never demand a match.
bool is_stopword(std::string_view term);

}  // namespace loci::analysis
