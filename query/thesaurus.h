/** @file thesaurus.h
 *  @brief Words of like meaning for a query word, from WordNet (Debian's
 *  wordnet-base): "founded" -> establish, launch; "heads" -> lead.
 *
 *  Only the most frequent sense of each part of speech is used, and of its
 *  one-word lemmas only those whose own most frequent sense it is: a rarer
 *  sense drags in words of other meanings (kill -> pop, countries -> state).
 *  Senses without frequency counts in WordNet are unordered, so words
 *  without them give and get nothing.
 *
 *  Two sources give the same words. WordNet's own files, mapped on first
 *  use and searched in place (they are sorted). And a table compiled from
 *  them when loci is built (compile_thesaurus(), run by the build's
 *  loci-thesaurus-table step; built into the loci program): the 6,300
 *  lemmas that have words of like meaning and their lists, 190 KB. The query
 *  program reads the built-in table: mapping and searching the nine files
 *  took about 0.3 ms of a 5 ms query (46 system calls, 17 page faults).
 *  Without either, every word has no related words.
 */
#pragma once
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loci {

/// What related() needs of WordNet, compiled from its files: each a sorted
/// text of lines, looked up as WordNet's files are (by binary search).
/// Views: the text belongs to a CompiledThesaurus, or is the built-in one.
struct ThesaurusTable {
    /// "lemma PARTS NOUN VERB ADJ": PARTS a digit, bit i set when part of
    /// speech i (noun, verb, adjective) has the lemma; then for each part
    /// the lemma's words of like meaning, comma-separated, or "-". Only
    /// lemmas that have such words (compile_thesaurus() says why).
    std::string_view lemmas;
    /// Each part's exception list (WordNet's noun.exc, verb.exc, adj.exc:
    /// "found find"), only lines that lead to a lemma of the table.
    std::array<std::string_view, 3> exceptions;
};

/// The text of a ThesaurusTable, made from WordNet's files.
struct CompiledThesaurus {
    std::string lemmas;
    std::array<std::string, 3> exceptions;

    ThesaurusTable table() const { return {lemmas, {exceptions[0], exceptions[1], exceptions[2]}}; }
};

/// The table of the WordNet in @p dir (WordNet's index.*, data.* and *.exc
/// files); empty texts when there is none.
CompiledThesaurus compile_thesaurus(const std::string& dir);

/// @p table as C++ source: the definition of Thesaurus::built_in_table(),
/// which the build compiles into the query side. @p made_from names the
/// WordNet it came from, in a comment.
std::string thesaurus_table_source(const CompiledThesaurus& table, const std::string& made_from);

class Thesaurus {
  public:
    static constexpr const char* kDefaultDir = "/usr/share/wordnet";

    /// The table built into loci (the build machine's WordNet), else, when
    /// the build found none, WordNet's files in kDefaultDir.
    static Thesaurus built_in();

    /// WordNet's files in @p dir (index.*, data.* and *.exc).
    explicit Thesaurus(std::string dir);
    /// A compiled table (compile_thesaurus()), whose text outlives this.
    explicit Thesaurus(ThesaurusTable table);
    ~Thesaurus();
    Thesaurus(Thesaurus&&) noexcept;
    Thesaurus& operator=(Thesaurus&&) noexcept;

    /// Whether there are words to give: the table is not empty, or the
    /// WordNet files were found.
    bool available() const;

    /// One-word lemmas whose most frequent sense is that of @p word (lower
    /// case, any inflection) as a noun, verb or adjective; not the word's
    /// own base forms. Empty for unknown words.
    std::vector<std::string> related(std::string_view word) const;

  private:
    /// The table compiled into the query side; empty when the build had no
    /// WordNet. Defined in the build's generated thesaurus_table.cc.
    static ThesaurusTable built_in_table();

    struct Internal;
    std::unique_ptr<Internal> internal_;
};

}  // namespace loci
