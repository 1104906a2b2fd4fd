/** @file passage_terms.h
 *  @brief The terms a passage is indexed under (index_schema.h), made in
 *  one place: the indexer stores them in its file's document
 *  (file_document), and the query side can make them again from a
 *  passage's record to check it against a query (match_tree), by the same
 *  code.
 *  Thread-safety: pure apart from the Analyzer, which belongs to the caller's thread.
 */
#pragma once
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"

namespace loci {

/// Receives a passage's terms from add_passage_terms().
class TermSink {
  public:
    virtual ~TermSink() = default;
    /// Word @p term stands at @p position (it is also counted, apart).
    virtual void position(const std::string& term, Xapian::termpos position) = 0;
    /// @p term found once more, with weight @p wdf: 1, or 0 for a word
    /// that is found but weighs nothing (web addresses, link targets).
    virtual void count(const std::string& term, Xapian::termcount wdf) = 0;
    /// A term that only filters: a section word, the file's path.
    virtual void filter(const std::string& term) = 0;
    /// The file's id term, on every passage: a filter that counts once in
    /// its document's length (see file_document.cc), never weighed.
    virtual void file_id(const std::string& term) = 0;
};

/// The terms a passage has from its file.
struct FileTerms {
    std::string id;    ///< the file id term (schema::file_id_term()), on every passage
    std::string path;  ///< the path term (kFilePrefix), on the file's first passage only, else ""

    /// The terms of the file at @p path; its first passage (@p first_of_file)
    /// names the path, so that the index lists every path once.
    static FileTerms of_path(std::string_view path, bool first_of_file);
    /// The terms of any passage of the file with id @p file_id
    /// (schema::file_id()) but its first: what the query side knows of a
    /// passage's file before it reads the file's record. Queries never ask
    /// for path terms: file: and title: walk them to find file ids.
    static FileTerms of_id(std::string_view file_id);
};

/// Gives @p sink every term of @p passage. @p text_tokens: the passage's
/// text as @p analyzer analyses it (Analyzer::analyze(passage.text)). A
/// caller that only compares terms with @p wanted ones (the query side's
/// check) gives Analyzer::analyze_for_matching(passage.text, *wanted) and
/// @p wanted, and the section and link targets are analysed that way too:
/// the same terms for those wanted.
void add_passage_terms(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                       const analysis::Analyzer& analyzer, const FileTerms& file, TermSink& sink,
                       const analysis::WantedTerms* wanted = nullptr);

}  // namespace loci
