/** @file passage_document.h
 *  @brief A passage -> its Xapian document, by the schema in index_schema.h.
 *  Thread-safety: pure apart from the Analyzer, which belongs to the caller's thread.
 */
#pragma once
#include <string>
#include <vector>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"

namespace loci {

/// Builds the document of @p passage. The document of a file's first
/// passage (@p first_of_file) also names the file's path (kFilePrefix), so
/// that the index lists every path once.
Xapian::Document make_passage_document(const Passage& passage, const analysis::Analyzer& analyzer,
                                       bool first_of_file);

/// The same, from @p text_tokens, the passage's text as @p analyzer analyses
/// it (Analyzer::analyze(passage.text)), made once for the acronym miner too.
Xapian::Document make_passage_document(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                                       const analysis::Analyzer& analyzer, bool first_of_file);

}  // namespace loci
