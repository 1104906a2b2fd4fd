/** @file passage_document.h
 *  @brief A passage -> its Xapian document, by the schema in index_schema.h.
 *  Thread-safety: pure apart from the Analyzer, which belongs to the caller's thread.
 */
#pragma once
#include <map>
#include <string>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"

namespace loci {

/// Words of a batch, for Xapian's spelling table (did-you-mean).
using WordCounts = std::map<std::string, Xapian::termcount>;

/// Builds the document of @p passage from file @p title; counts its words into @p words.
Xapian::Document make_passage_document(const Passage& passage, const std::string& title,
                                       const analysis::Analyzer& analyzer, WordCounts& words);

/// Whether an exact term is worth offering as a spelling suggestion.
bool is_spelling_word(const std::string& term);

}  // namespace loci
