/** @file passage_document.h
 *  @brief A passage -> its Xapian document, by the schema in index_schema.h.
 *  Thread-safety: pure apart from the Analyzer, which belongs to the caller's thread.
 */
#pragma once
#include <string>
#include <xapian.h>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/passage_record.h"

namespace loci {

/// Whether a passage's document also names its file's path (kFilePrefix):
/// the first passage of each file does, so that the index lists every path once.
enum class NamesFile : bool { no = false, yes = true };

/// Builds the document of @p passage.
Xapian::Document make_passage_document(const Passage& passage, const analysis::Analyzer& analyzer,
                                       NamesFile names_file);

}  // namespace loci
