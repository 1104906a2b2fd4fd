/** @file thesaurus.h
 *  @brief Words of like meaning for a query word, from WordNet (Debian's
 *  wordnet-base): "founded" -> establish, launch; "heads" -> lead.
 *
 *  Only the most frequent sense of each part of speech is used, and of its
 *  one-word lemmas only those whose own most frequent sense it is: a rarer
 *  sense drags in words of other meanings (kill -> pop, countries -> state).
 *  Senses without frequency counts in WordNet are unordered, so words
 *  without them give and get nothing.
 *  The files are mapped on first use and searched in place (they are
 *  sorted): a query pays for its few lookups, not for loading a dictionary.
 *  Without the files, every word has no related words.
 */
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loci {

class Thesaurus {
  public:
    static constexpr const char* kDefaultDir = "/usr/share/wordnet";

    /// @p dir holds WordNet's index.*, data.* and *.exc files.
    explicit Thesaurus(std::string dir = kDefaultDir);
    ~Thesaurus();
    Thesaurus(const Thesaurus&) = delete;
    Thesaurus& operator=(const Thesaurus&) = delete;

    /// Whether the WordNet files were found.
    bool available() const;

    /// One-word lemmas whose most frequent sense is that of @p word (lower
    /// case, any inflection) as a noun, verb or adjective; not the word's
    /// own base forms. Empty for unknown words.
    std::vector<std::string> related(std::string_view word) const;

  private:
    struct Internal;
    std::unique_ptr<Internal> internal_;
};

}  // namespace loci
