// Preparing and writing one file; see prepared_file.h.
#include "indexer/prepared_file.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/file_document.h"
#include "indexer/text_decoder.h"

namespace loci {
namespace {

/// Each (acronym term, long form) of @p definitions once, in order.
std::vector<std::pair<std::string, std::string>> acronym_pairs(const std::vector<AcronymDefinition>& definitions) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const AcronymDefinition& d : definitions) {
        std::string long_form;
        for (const std::string& w : d.expansion) long_form += (long_form.empty() ? "" : " ") + w;
        const std::string key = std::string(schema::kMetaAcronymPrefix) + d.acronym;
        const std::string reverse_key = std::string(schema::kMetaExpansionPrefix) + long_form;
        if (key.size() > schema::kMaxTermBytes || reverse_key.size() > schema::kMaxTermBytes) continue;
        std::pair<std::string, std::string> pair{d.acronym, std::move(long_form)};
        if (std::find(out.begin(), out.end(), pair) == out.end()) out.push_back(std::move(pair));
    }
    return out;
}

/// Counts a file's acronyms both ways (@p delta 1), or takes them back (-1):
/// an acronym's key counts each long form by the files that give it, a
/// long form's key each acronym, so that the index holds what a new build
/// of the same files would, whatever was changed or removed before.
void count_acronyms(Xapian::WritableDatabase& db, const std::vector<std::pair<std::string, std::string>>& acronyms,
                    int delta) {
    for (const auto& [acronym, long_form] : acronyms) {
        for (const auto& [key, name] : {std::pair{std::string(schema::kMetaAcronymPrefix) + acronym, long_form},
                                        std::pair{std::string(schema::kMetaExpansionPrefix) + long_form, acronym}})
            db.set_metadata(key, schema::count_name(db.get_metadata(key), name, delta));
    }
}

/// Takes back the acronyms of the file at @p path as the index last read
/// it, if it holds it.
void forget_acronyms(Xapian::WritableDatabase& db, const std::string& path) {
    const std::optional<FileRecord> old = decode_file_record(db.get_metadata(schema::file_record_key_of_path(path)));
    if (old) count_acronyms(db, old->acronyms, -1);
}

/// The acronyms @p passages define, in parentheses or spelled out apart
/// (see acronym_miner.h), added to @p out. @p tokens: each passage's text
/// analysed already, or null.
void mine_acronyms(const std::vector<Passage>& passages, const analysis::Analyzer& analyzer,
                   std::vector<AcronymDefinition>& out,
                   const std::vector<std::vector<analysis::Token>>* tokens = nullptr) {
    std::vector<std::string_view> texts;
    for (const Passage& p : passages) {
        for (AcronymDefinition& d : find_acronym_definitions(p.text, analyzer)) out.push_back(std::move(d));
        texts.push_back(p.text);
    }
    for (AcronymDefinition& d : find_spelled_out_acronyms(texts, out, analyzer, tokens)) out.push_back(std::move(d));
}

const std::string& read_path(const SourceFile& file) { return file.read_path.empty() ? file.path : file.read_path; }

/// A huge plain-text file: one pass that only hashes and checks it, so that
/// an unchanged file is recognised and warnings come before its passages;
/// write_streamed_text() reads it again to index it.
PreparedFile prepare_huge_text(const SourceFile& file, const ExtractOptions& extract) {
    PreparedFile out;
    out.source = file;
    if (file.size > extract.max_file_bytes) {
        out.skip = SkipReason{"too large (over " + std::to_string(extract.max_file_bytes >> 20) +
                              " MiB; see --max-file-size)"};
        return out;
    }
    try {
        TextSlices slices(read_path(file));
        std::string bytes;
        std::size_t invalid = 0;
        for (bool first = true; slices.next_bytes(bytes); first = false) {
            if (first && has_utf16_bom(bytes)) {
                out.skip = SkipReason{"UTF-16 text over " + std::to_string(kHugeFileBytes >> 20) +
                                      " MiB is not read; save it as UTF-8"};
                return out;
            }
            if (first && bytes.find('\0', 0) < 8192) {
                out.skip = SkipReason{"binary file (NUL bytes); not indexed"};
                return out;
            }
            invalid += count_invalid_utf8(bytes);
        }
        if (invalid > 0) out.warnings.push_back("invalid UTF-8: " + std::to_string(invalid) + " byte(s) read as U+FFFD");
        out.record = FileRecord{file.path, file.size, file.mtime_ns, slices.content_hash(), 0, "",
                                static_cast<std::uint8_t>(SourceFormat::text), {}, {}};
        out.streamed = true;
    } catch (const Error& e) {
        out.skip = SkipReason{e.what()};
    }
    return out;
}

/// Passages of a slice that come before its first heading belong to the
/// section the previous slice ended in; a cut line's columns resume where
/// the previous slice left it.
void join_to_previous_slice(std::vector<Passage>& passages, std::string& section, std::uint32_t first_line,
                            std::uint32_t first_column) {
    bool before_heading = true;
    for (Passage& p : passages) {
        before_heading = before_heading && p.section.empty();
        if (before_heading) p.section = section;
        for (SourceRun& r : p.runs)
            if (r.line == first_line) r.column += first_column;
    }
    if (!passages.empty()) section = passages.back().section;
}

/// A huge file's documents, written as its passages come and committed
/// every commit_bytes of text, between two documents.
class DocumentStream {
  public:
    DocumentStream(Xapian::WritableDatabase& db, const analysis::Analyzer& analyzer, std::uint64_t commit_bytes,
                   const RecordsDictionary& dictionary)
        : db_(db), analyzer_(analyzer), commit_bytes_(commit_bytes),
          docs_([this](BuiltDocument&& built) { write(built); }, dictionary) {}

    void add(const Passage& p) {
        since_commit_ += p.text.size();
        docs_.add(p, analyzer_);
    }

    /// Writes what is left (the file's end).
    void finish() { docs_.finish(); }

  private:
    void write(const BuiltDocument& built) {
        write_document(db_, built);
        if (since_commit_ >= commit_bytes_) {
            commit_with_header(db_);
            since_commit_ = 0;
        }
    }

    Xapian::WritableDatabase& db_;
    const analysis::Analyzer& analyzer_;
    std::uint64_t commit_bytes_;
    std::uint64_t since_commit_ = 0;
    FileDocuments docs_;
};

/// Reads, segments, analyses and writes a streamed file a slice at a time.
void write_streamed_text(DocumentStream& out, PreparedFile& file, const analysis::Analyzer& analyzer,
                         const PassageSegmenter& segmenter) {
    TextSlices slices(read_path(file.source));
    ExtractedText slice;
    std::string section;
    for (bool first = true; slices.next(slice); first = false) {
        if (slice.lines.empty()) continue;
        SegmentedFile segmented = segmenter.segment(slice, file.source.path);
        if (first) file.record.title = segmented.title;
        join_to_previous_slice(segmented.passages, section, slice.lines.front().number, slices.first_column());
        for (const Passage& p : segmented.passages) out.add(p);
        mine_acronyms(segmented.passages, analyzer, file.acronyms);
        file.streamed_passages += segmented.passages.size();
    }
    out.finish();
    file.record.passages = static_cast<std::uint32_t>(file.streamed_passages);
}

/// A huge file, written as it is read and committed as it goes: its old
/// documents and its record go first, so that a run killed inside it leaves
/// the file without a record, and the next run indexes it whole.
void write_in_slices(Xapian::WritableDatabase& db, PreparedFile& file, const analysis::Analyzer& analyzer,
                     const PassageSegmenter& segmenter, std::uint64_t commit_bytes,
                     const RecordsDictionary& dictionary) {
    delete_file(db, file.source.path);
    DocumentStream out(db, analyzer, commit_bytes, dictionary);
    if (file.streamed) {
        try {
            write_streamed_text(out, file, analyzer, segmenter);
        } catch (const Error& e) {  // changed or gone since it was hashed: index none of it
            delete_file(db, file.source.path);
            file.skip = SkipReason{e.what()};
            file.streamed_passages = 0;
        }
        return;
    }
    for (Passage& p : file.passages) {
        out.add(p);
        std::string().swap(p.text);
    }
    out.finish();
}

/// Deletes the passage records of the file at @p path, but those under @p keep.
void delete_records(Xapian::WritableDatabase& db, const std::string& path, const std::set<std::string>& keep = {}) {
    const std::string prefix = schema::passages_key_prefix(schema::file_id(schema::file_key(path)));
    std::vector<std::string> stale;
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (!keep.count(*k)) stale.push_back(*k);
    for (const std::string& key : stale) db.set_metadata(key, "");
}

/// The documents a file's passages hold now (an older version's, or what a
/// killed run left), for its new passages to take over. Deleting them and
/// adding the new ones rewrote every posting and position of the file and
/// split the blocks of a packed index: 1% of the 100 MB bench corpus
/// changed (a line appended to each file) took 1.9-2.2 s and grew the
/// index from 451 to 612 MB; reusing them, 0.55-0.62 s and 458 to
/// 460-469 MB (2026-11-27). A passage made from the same text, link targets
/// and heading (schema::kSlotTermsSource) keeps its document as it is, its
/// record rewritten if its lines moved; the others replace the file's
/// remaining documents in order, Xapian writing only the terms and
/// positions that differ. Since a document holds a whole file (2026-11-29),
/// a file keeps its document when only its lines moved.
class DocumentPlaces {
  public:
    DocumentPlaces(const Xapian::Database& db, const std::string& path) {
        const std::string term = schema::file_id_term_of_path(path);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            const Xapian::Document doc = db.get_document(*it, Xapian::DOC_ASSUME_VALID);
            free_.insert(*it);
            std::string source = doc.get_value(schema::kSlotTermsSource);
            if (!source.empty()) by_source_.emplace(std::move(source), *it);
        }
    }

    /// Writes @p docs in the old documents' places (see the class), adding
    /// those left over and deleting the old documents none took, and the
    /// records of the old documents' places that no new one has.
    void write(Xapian::WritableDatabase& db, const std::vector<BuiltDocument>& docs, const std::string& path) {
        std::vector<Xapian::docid> same(docs.size(), 0);
        for (std::size_t i = 0; i < docs.size(); ++i) same[i] = take_same_source(docs[i].doc);
        std::set<std::string> written;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            if (same[i]) {
                keep_terms(db, same[i], docs[i]);
            } else {
                write_document(db, docs[i], free_.empty() ? 0 : free_.extract(free_.begin()).value());
            }
            written.insert(docs[i].records_key);
        }
        for (Xapian::docid id : free_) db.delete_document(id);
        free_.clear();
        delete_records(db, path, written);
    }

  private:
    Xapian::docid take_same_source(const Xapian::Document& doc) {
        auto it = by_source_.find(doc.get_value(schema::kSlotTermsSource));
        if (it == by_source_.end()) return 0;
        const Xapian::docid id = it->second;
        by_source_.erase(it);
        free_.erase(id);
        return id;
    }

    /// The old document @p id has @p doc's terms and positions: only its
    /// passage records may differ (their lines moved). Modifying the
    /// document read from @p db lets Xapian leave its terms alone.
    static void keep_terms(Xapian::WritableDatabase& db, Xapian::docid id, const BuiltDocument& built) {
        if (db.get_metadata(built.records_key) != built.records) db.set_metadata(built.records_key, built.records);
        Xapian::Document old = db.get_document(id);
        const std::string data = built.doc.get_data();
        if (old.get_data() == data) return;
        old.set_data(data);
        old.add_value(schema::kSlotPlace, built.doc.get_value(schema::kSlotPlace));
        db.replace_document(id, old);
    }

    std::set<Xapian::docid> free_;                         ///< not taken yet, in order
    std::multimap<std::string, Xapian::docid> by_source_;  ///< by kSlotTermsSource
};

}  // namespace

PreparedFile prepare_file(const SourceFile& file, const ExtractOptions& extract, const analysis::Analyzer& analyzer,
                          const PassageSegmenter& segmenter, const RecordsDictionary& dictionary) {
    if (file.size >= kHugeFileBytes && format_of(file.path) == SourceFormat::text && filter_for(file.path, extract.filters).empty())
        return prepare_huge_text(file, extract);
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
                            static_cast<std::uint8_t>(text.format), text.page_starts, {}};
    if (file.size >= kHugeFileBytes) {  // its passages are analysed as they are written
        mine_acronyms(segmented.passages, analyzer, out.acronyms);
        out.passages = std::move(segmented.passages);
        return out;
    }
    // Each passage analysed once, for the acronym miner and for its document:
    // analysing them twice was 6% of indexing (callgrind, 2026-11-27).
    std::vector<std::vector<analysis::Token>> tokens;
    tokens.reserve(segmented.passages.size());
    for (const Passage& p : segmented.passages) tokens.push_back(analyzer.analyze(p.text));
    mine_acronyms(segmented.passages, analyzer, out.acronyms, &tokens);
    FileDocuments docs([&out](BuiltDocument&& built) { out.documents.push_back(std::move(built)); }, dictionary);
    for (std::size_t i = 0; i < segmented.passages.size(); ++i) {
        docs.add(segmented.passages[i], tokens[i], analyzer);
        std::vector<analysis::Token>().swap(tokens[i]);  // memory held: the tokens or the document, not both
    }
    docs.finish();
    out.document_passages = segmented.passages.size();
    return out;
}

void write_prepared_file(Xapian::WritableDatabase& db, PreparedFile& file, const analysis::Analyzer& analyzer,
                         const PassageSegmenter& segmenter, std::uint64_t commit_bytes,
                         const RecordsDictionary& dictionary) {
    if (file.streamed || !file.passages.empty()) {
        write_in_slices(db, file, analyzer, segmenter, commit_bytes, dictionary);  // its old record gone first
        if (file.skip) return;
    } else {
        forget_acronyms(db, file.source.path);
        DocumentPlaces(db, file.source.path).write(db, file.documents, file.source.path);
    }
    file.record.acronyms = acronym_pairs(file.acronyms);
    db.set_metadata(schema::file_record_key_of_path(file.source.path), encode_file_record(file.record));
    count_acronyms(db, file.record.acronyms, 1);
}

void delete_file(Xapian::WritableDatabase& db, const std::string& path) {
    forget_acronyms(db, path);
    db.delete_document(schema::file_id_term_of_path(path));
    delete_records(db, path);
    db.set_metadata(schema::file_record_key_of_path(path), "");
}

namespace {

/// Every acronym key in @p db, uncommitted ones included (metadata goes
/// straight to Xapian's tables, not through its buffers), added to @p keys.
void add_acronym_keys(const Xapian::Database& db, std::vector<std::string>& keys) {
    for (std::string_view prefix : {schema::kMetaAcronymPrefix, schema::kMetaExpansionPrefix}) {
        const std::string p(prefix);
        for (auto it = db.metadata_keys_begin(p); it != db.metadata_keys_end(p); ++it) keys.push_back(*it);
    }
}

KeyFilter acronym_filter(const Xapian::Database& db) {
    std::vector<std::string> keys;
    add_acronym_keys(db, keys);
    return KeyFilter::of(keys);
}

}  // namespace

void write_header(Xapian::WritableDatabase& db, const std::string& language, const std::string& root) {
    schema::IndexHeader header{std::string(schema::kSchemaVersion), language, root, acronym_filter(db)};
    db.set_metadata(std::string(schema::kMetaHeader), schema::encode_header(header));
}

std::string merged_header(const std::vector<Xapian::Database>& parts) {
    std::vector<std::string> keys;
    for (const Xapian::Database& part : parts) add_acronym_keys(part, keys);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    schema::IndexHeader header =
        schema::decode_header(parts.empty() ? std::string() : parts.front().get_metadata(std::string(schema::kMetaHeader)));
    header.acronym_keys = KeyFilter::of(keys);
    return schema::encode_header(header);
}

void commit_with_header(Xapian::WritableDatabase& db) {
    const schema::IndexHeader header = schema::decode_header(db.get_metadata(std::string(schema::kMetaHeader)));
    write_header(db, header.language, header.root);
    db.commit();
}

}  // namespace loci
