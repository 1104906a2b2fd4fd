// Preparing and writing one file; see prepared_file.h.
#include "indexer/prepared_file.h"

#include "indexer/analysis/index_schema.h"
#include "indexer/passage_document.h"

namespace loci {
namespace {

std::string meta_key(const std::string& path) { return std::string(schema::kMetaFilePrefix) + schema::file_key(path); }

/// Remembers acronyms both ways; the first definition seen wins.
void store_acronyms(Xapian::WritableDatabase& db, const std::vector<AcronymDefinition>& acronyms) {
    for (const AcronymDefinition& d : acronyms) {
        const std::string key = std::string(schema::kMetaAcronymPrefix) + d.acronym;
        if (!db.get_metadata(key).empty()) continue;
        std::string expansion;
        for (const std::string& w : d.expansion) expansion += (expansion.empty() ? "" : " ") + w;
        const std::string reverse_key = std::string(schema::kMetaExpansionPrefix) + expansion;
        if (key.size() > schema::kMaxTermBytes || reverse_key.size() > schema::kMaxTermBytes) continue;
        db.set_metadata(key, expansion);
        db.set_metadata(reverse_key, d.acronym);
    }
}

}  // namespace

PreparedFile prepare_file(const SourceFile& file, const ExtractOptions& extract, const analysis::Analyzer& analyzer,
                          const PassageSegmenter& segmenter) {
    PreparedFile out;
    out.source = file;
    auto extracted = extract_text(file, extract);
    if (auto* skip = std::get_if<SkipReason>(&extracted)) {
        out.skip = *skip;
        return out;
    }
    ExtractedText& text = std::get<ExtractedText>(extracted);
    out.warnings = std::move(text.warnings);
    SegmentedFile segmented = segmenter.segment(text, file.path);
    out.record = FileRecord{file.path, file.size, file.mtime_ns, text.content_hash,
                            static_cast<std::uint32_t>(segmented.passages.size()), segmented.title,
                            static_cast<std::uint8_t>(text.format), text.page_starts};
    for (const Passage& p : segmented.passages)
        for (AcronymDefinition& d : find_acronym_definitions(p.text, analyzer)) out.acronyms.push_back(std::move(d));
    if (file.size >= kHugeFileBytes) {
        out.passages = std::move(segmented.passages);
        return out;
    }
    out.documents.reserve(segmented.passages.size());
    for (const Passage& p : segmented.passages) out.documents.push_back(make_passage_document(p, analyzer));
    return out;
}

void write_prepared_file(Xapian::WritableDatabase& db, PreparedFile& file, const analysis::Analyzer& analyzer,
                         std::uint64_t commit_bytes) {
    // Leftovers of a run killed inside a huge file (no record was written).
    db.delete_document(std::string(schema::kFilePrefix) + schema::file_key(file.source.path));
    for (const Xapian::Document& doc : file.documents) db.add_document(doc);
    std::uint64_t since_commit = 0;
    for (Passage& p : file.passages) {
        db.add_document(make_passage_document(p, analyzer));
        since_commit += p.text.size();
        std::string().swap(p.text);
        if (since_commit >= commit_bytes) {
            db.commit();
            since_commit = 0;
        }
    }
    db.set_metadata(meta_key(file.source.path), encode_file_record(file.record));
    store_acronyms(db, file.acronyms);
}

void delete_file(Xapian::WritableDatabase& db, const std::string& path) {
    db.delete_document(std::string(schema::kFilePrefix) + schema::file_key(path));
    db.set_metadata(meta_key(path), "");
}

void write_schema(Xapian::WritableDatabase& db, const std::string& language) {
    db.set_metadata(std::string(schema::kMetaSchemaVersion), std::string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kMetaLanguage), language);
}

}  // namespace loci
