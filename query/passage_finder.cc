// Matching files -> their matching passages; see passage_finder.h.
#include "query/passage_finder.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_terms.h"
#include "indexer/analysis/term_signature.h"
#include "query/citation.h"

namespace loci {
namespace {

/// Candidates re-ranked (at least; 3x the page asked for when larger). Each
/// costs an analysis: 100 -> 40 cut a query on 10 MB from 18 to 15 ms,
/// 40 -> 30 (3x the default page) another 5-10%, with the same relevance
/// figures on every set (scripts/eval; 20 still kept them, but would
/// re-rank less than the page shown).
constexpr std::size_t kMinCandidates = 30;
/// Files whose passages are considered (at least; as many as the page
/// shows when more). A file ranked low may hold the best passage (BM25
/// over a whole file favours files that say a word often); each costs
/// reading its signatures, and gives its signatures' false "maybe"s.
/// 50, 30 and 20 gave the same figures on every relevance set with the
/// 10 MB distractors (2026-11-29).
constexpr std::size_t kCandidateFiles = 20;
/// Passages analysed at most for one search, beyond those that match: a
/// phrase's words can be in many passages that do not hold the phrase.
constexpr std::size_t kMaxAnalysed = 400;

/// BM25's length normalisation (index_schema.h), for @p length terms.
double length_norm(double length) {
    return 1.0 - schema::kLengthB + schema::kLengthB * std::max(length / schema::kPivotLength, schema::kMinNormLength);
}

/// The key near-verbatim repeats share: a hash of the passage's letters
/// and digits, case folded, every run of other characters (spaces,
/// punctuation, a curly apostrophe as a straight one) as one space. The
/// passage's analysed words made the key until a candidate's analysis
/// left out the words no query word can match; accents still count here.
std::uint64_t repeat_key(std::string_view text) {
    std::uint64_t key = fnv1a64("");
    bool gap = false;
    for (std::size_t i = 0; i < text.size();) {
        UChar32 c = static_cast<unsigned char>(text[i]);
        bool alnum;
        if (c < 0x80) {  // most of a text: no ICU
            ++i;
            alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        } else {
            U8_NEXT(text.data(), i, text.size(), c);
            alnum = c >= 0 && u_isalnum(c);
        }
        if (alnum) {
            if (gap) key = fnv1a64(" ", key);
            gap = false;
            const std::uint32_t folded = c < 0x80 ? static_cast<std::uint32_t>(c >= 'A' && c <= 'Z' ? c | 0x20 : c)
                                                  : static_cast<std::uint32_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT));
            key = fnv1a64(std::string_view(reinterpret_cast<const char*>(&folded), sizeof folded), key);
        } else {
            gap = key != fnv1a64("");
        }
    }
    return key;
}

/// A set of 64-bit keys, at most @p n of them: one allocation, where a
/// std::unordered_set makes one a key (a common word admits thousands of
/// candidates).
class KeySet {
  public:
    explicit KeySet(std::size_t n) {
        std::size_t size = 16;
        while (size < 2 * n) size *= 2;
        slots_.assign(size, 0);
    }
    /// False when @p key was in already. Keys differing in the lowest bit
    /// only are one key (0 marks an empty slot).
    bool insert(std::uint64_t key) {
        key |= 1;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = key & mask;; i = (i + 1) & mask) {
            if (slots_[i] == key) return false;
            if (slots_[i] == 0) {
                slots_[i] = key;
                return true;
            }
        }
    }

  private:
    std::vector<std::uint64_t> slots_;
};

/// Every term a passage's signature may be asked of for @p q: the tree's
/// and each word's (stems both ways, acronyms' long forms, words of like
/// meaning), each once.
std::vector<std::string> asked_terms(const CompiledQuery& q) {
    std::vector<std::string> terms = leaf_terms(q.tree);
    auto add = [&terms](const std::string& t) {
        if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
    };
    for (const QueryWord& w : q.words) {
        for (const std::string& t : w.exact) add(t);
        for (const std::set<std::string>* stems : {&w.stems, &w.related})
            for (const std::string& s : *stems) {
                add(std::string(schema::kStemPrefix) + s);
                add(s);
            }
        for (const std::vector<std::string>& sequence : w.sequences)
            for (const std::string& t : sequence) add(t);
    }
    return terms;
}

void add_wildcard_prefixes(const MatchNode& node, std::vector<std::string>& out) {
    if (node.op == MatchNode::Op::wildcard) out.push_back(node.term);
    for (const MatchNode& c : node.children) add_wildcard_prefixes(c, out);
}

std::vector<std::string> wildcard_prefixes(const MatchNode& node) {
    std::vector<std::string> out;
    add_wildcard_prefixes(node, out);
    return out;
}

}  // namespace

/// The terms a passage's signature is asked for (asked_terms()), each
/// hashed once for all signatures, and how (term_signature.h).
struct PassageFinder::AskedTerms {
    std::vector<std::string> terms;
    std::vector<TermProbe> probes;
    /// A filter term (section word, file id): in no signature, asked of the file.
    std::vector<bool> of_file;
    /// For a word with a stem, its stem term, which its signature may hold
    /// in its place; or kNone.
    std::vector<std::size_t> stem_of;
    static constexpr std::size_t kNone = SIZE_MAX;
    std::unordered_map<std::string, std::size_t> index;
    /// What a candidate's analysis must not leave out: the words of the
    /// asked terms and stems, wildcards' prefixes (analyze_for_matching()),
    /// and what the highlighting looks for (words_wanted()). More words
    /// than a check needs change nothing: it asks for none of them.
    analysis::WantedTerms wanted;
    /// Each term leaf of the query's tree, by its term's index.
    std::unordered_map<const MatchNode*, std::size_t> leaves;
    /// Each query word's terms, by index, as coverage counts them
    /// (find_word_matches()'s strengths): the word or its stem, an
    /// acronym's long form (all of a sequence), a word of like meaning.
    struct WordTerms {
        std::vector<std::size_t> sure, related;
        std::vector<std::vector<std::size_t>> sequences;
    };
    std::vector<WordTerms> words;

    AskedTerms(const CompiledQuery& q, const analysis::Analyzer& analyzer) : terms(asked_terms(q)) {
        // The highlighting's words too: the searcher reuses the analysis.
        wanted.add(words_wanted(q));
        for (std::size_t t = 0; t < terms.size(); ++t) index.emplace(terms[t], t);
        add_stems(analyzer);
        for (const std::string& t : terms) {
            probes.emplace_back(t);
            of_file.push_back(is_filter(t));
            if (schema::is_word_term(t)) wanted.add(t);
            // A stem's word, and a section word (its stem, or the word).
            for (std::string_view prefix : {schema::kStemPrefix, schema::kSectionPrefix})
                if (t.compare(0, prefix.size(), prefix) == 0) wanted.add(std::string_view(t).substr(prefix.size()));
        }
        for (const std::string& prefix : wildcard_prefixes(q.tree)) wanted.add(prefix);
        index_leaves(q.tree);
        for (const QueryWord& w : q.words) words.push_back(terms_of_word(w));
    }

    /// How surely a passage holds query word @p w, by the terms it may hold
    /// (@p maybe): 1, kSynonymWeight, kRelatedWeight or 0.
    double strength(std::size_t w, const std::vector<char>& maybe) const {
        auto in = [&](std::size_t t) { return maybe[t]; };
        const WordTerms& word = words[w];
        if (std::any_of(word.sure.begin(), word.sure.end(), in)) return 1;
        for (const std::vector<std::size_t>& sequence : word.sequences)
            if (std::all_of(sequence.begin(), sequence.end(), in)) return kSynonymWeight;
        if (std::any_of(word.related.begin(), word.related.end(), in)) return kRelatedWeight;
        return 0;
    }

    /// What a passage's score is likely to be, from what its signature
    /// says (@p maybe) and its @p length: the searcher's two main factors
    /// (passage_searcher.cc's final_score), BM25 as if each word it may
    /// hold were there once, and the share of the query's word weight it
    /// may hold (coverage). Without coverage, short passages holding one
    /// rare word came before a longer one holding two of the query's
    /// words, and were the only ones analysed.
    double estimate(const std::vector<double>& word_weights, double total, const std::vector<char>& maybe,
                    double length) const {
        const double once = (kBm25K1 + 1) / (kBm25K1 * length_norm(length) + 1);  // BM25's tf part for tf 1
        double held = 0;
        for (std::size_t w = 0; w < words.size(); ++w) held += word_weights[w] * strength(w, maybe);
        const double coverage = total > 0 ? held / total : 0;
        return held * once * (1 + 2 * coverage * coverage);
    }

    /// Which of the terms a passage of @p signature may hold, in @p maybe,
    /// of those its file holds (@p held); whether any. Only those are
    /// probed: most of a file's passages hold none of a query's terms.
    bool may_hold(std::string_view signature, const std::vector<char>& held, std::vector<char>& maybe) const {
        bool any = false;
        for (std::size_t t = 0; t < terms.size(); ++t) {
            maybe[t] = held[t] && (of_file[t] || loci::may_hold(signature, probes[t]) ||
                                   (stem_of[t] != kNone && loci::may_hold(signature, probes[stem_of[t]])));
            any = any || maybe[t];
        }
        return any;
    }

  private:
    static bool is_filter(const std::string& term) {
        for (std::string_view prefix : {schema::kFileIdPrefix, schema::kSectionPrefix, schema::kFilePrefix})
            if (term.compare(0, prefix.size(), prefix) == 0) return true;
        return false;
    }
    std::size_t add(const std::string& term) {
        auto [it, added] = index.emplace(term, terms.size());
        if (added) terms.push_back(term);
        return it->second;
    }
    /// Each word's stem term, asked too (stem_of).
    void add_stems(const analysis::Analyzer& analyzer) {
        const std::size_t asked = terms.size();
        stem_of.assign(asked, kNone);
        for (std::size_t t = 0; t < asked; ++t) {
            const std::string stem = schema::is_word_term(terms[t]) ? analyzer.stem_term(terms[t]) : std::string();
            if (!stem.empty() && stem != terms[t]) stem_of[t] = add(std::string(schema::kStemPrefix) + stem);
        }
        stem_of.resize(terms.size(), kNone);
    }

    WordTerms terms_of_word(const QueryWord& w) const {
        WordTerms out;
        for (const std::string& t : w.exact) out.sure.push_back(index.at(t));
        for (const std::string& s : w.stems) {
            out.sure.push_back(index.at(std::string(schema::kStemPrefix) + s));
            out.sure.push_back(index.at(s));
        }
        for (const std::string& s : w.related) {
            out.related.push_back(index.at(std::string(schema::kStemPrefix) + s));
            out.related.push_back(index.at(s));
        }
        for (const std::vector<std::string>& sequence : w.sequences) {
            if (sequence.empty()) continue;
            std::vector<std::size_t>& terms_of_sequence = out.sequences.emplace_back();
            for (const std::string& t : sequence) terms_of_sequence.push_back(index.at(t));
        }
        return out;
    }

    void index_leaves(const MatchNode& node) {
        if (node.op == MatchNode::Op::term) leaves.emplace(&node, index.at(node.term));
        for (const MatchNode& c : node.children) index_leaves(c);
    }
};

/// A matching file, as the match returned it.
struct PassageFinder::File {
    Xapian::docid doc = 0;
    std::string data;  ///< its document's data (document_data())
    std::string_view id, place;                 ///< of data
    PassageSignatures signatures;
    std::optional<PassageRecords> records;      ///< read when first needed
    /// Which of the asked terms the file holds: a signature's "maybe" for a
    /// term its file lacks is wrong, and would put, say, a passage without
    /// the query's rarest word first.
    std::vector<char> held;
};

/// A passage its signature admits, and what the signature says of it.
struct PassageFinder::Admitted {
    std::size_t file = 0, index = 0;
    double estimate = 0;
};

std::optional<Xapian::doccount> PassageFinder::file_freq(const std::string& term) const {
    auto it = file_freqs_.find(term);
    if (it == file_freqs_.end()) return std::nullopt;
    return it->second;
}

bool PassageFinder::may_exist(const std::string& term) const {
    const std::optional<Xapian::doccount> files = file_freq(term);
    return !files || *files > 0;
}

std::vector<double> PassageFinder::word_weights(const CompiledQuery& q) {
    const double n = passages();
    std::vector<double> weights;
    for (const QueryWord& w : q.words) {
        Xapian::doccount df = 0;
        for (const std::string& t : w.exact) df = std::max(df, passage_freq(t));
        for (const std::string& s : w.stems) df = std::max(df, passage_freq(std::string(schema::kStemPrefix) + s));
        if (!w.prefix.empty()) df = static_cast<Xapian::doccount>(n / 10);
        weights.push_back(w.stopword ? 0.0 : std::log((n + 1) / (std::min<double>(df, n) + 0.5)));
    }
    return weights;
}

Xapian::termcount PassageFinder::passage_freq(const std::string& term) {
    auto it = passage_freqs_.find(term);
    if (it == passage_freqs_.end()) it = passage_freqs_.emplace(term, shards_.collection_freq(term)).first;
    return it->second;
}

double PassageFinder::passages() {
    // Asked once for the life of the database's revision (a --queries batch
    // asks it once): reset() forgets it when the database is reopened.
    if (passages_ == 0) passages_ = std::max<double>(1, shards_.collection_freq(std::string(schema::kPassageCountTerm)));
    return passages_;
}

Xapian::MSet PassageFinder::match_files(const CompiledQuery& q, Xapian::doccount count) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(to_xapian(without_exclusions(q.tree)));
    // No length normalisation: a long report holds more passages, and is
    // as likely to hold the best one (with BM25's default b, long reports
    // of the corpus fell behind short manual pages of the distractors that
    // say one of the words often: loci.tsv and heldout.tsv lost queries).
    enquire.set_weighting_scheme(Xapian::BM25Weight(kBm25K1, 0, 1, 0, 0));
    // Ties in relevance (all of them, for filters alone) by file and line:
    // the same files whatever the document numbers (indexing order, shards).
    enquire.set_sort_by_relevance_then_value(schema::kSlotPlace, false);
    const Xapian::MSet mset = enquire.get_mset(0, count);
    const Xapian::Query query = enquire.get_query();
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t)
        file_freqs_.emplace(*t, mset.get_termfreq(*t));
    return mset;
}

std::vector<PassageFinder::File> PassageFinder::matching_files(const CompiledQuery& q, Xapian::doccount count) {
    const Xapian::MSet mset = match_files(q, count);
    const std::vector<Xapian::docid> docs(mset.begin(), mset.end());
    std::vector<std::string> data = shards_.data_of(docs);
    std::vector<File> files(docs.size());
    for (std::size_t i = 0; i < docs.size(); ++i) {
        File& f = files[i];
        f.doc = docs[i];
        f.data = std::move(data[i]);
        std::string_view signatures;
        std::tie(f.id, signatures) = schema::split_document_data(f.data);
        f.place = std::string_view(f.data).substr(0, f.data.size() - signatures.size());
        f.signatures = PassageSignatures(signatures);
    }
    return files;
}

void PassageFinder::read_term_stats(const AskedTerms& asked, std::vector<File>& files) {
    // Only the asked terms that some file holds: the match tells which
    // (its query's terms' frequencies come free). Over remote shards each
    // term is a request on each shard, and a query's terms include stems
    // looked up as words ("latenc") and words of like meaning that most
    // indexes lack.
    std::vector<std::size_t> existing;
    std::vector<std::string> terms;
    for (std::size_t t = 0; t < asked.terms.size(); ++t) {
        if (may_exist(asked.terms[t])) {
            existing.push_back(t);
            terms.push_back(asked.terms[t]);
        } else {
            passage_freqs_.emplace(asked.terms[t], 0);
        }
    }
    std::vector<Xapian::docid> docs;
    std::vector<std::string> doc_terms;
    for (const File& f : files) {
        docs.push_back(f.doc);
        doc_terms.push_back(schema::file_id_term(f.id));
    }
    const ShardSet::TermStats stats = shards_.term_stats(terms, docs, doc_terms);
    for (std::size_t e = 0; e < existing.size(); ++e) passage_freqs_[terms[e]] = stats.collection_freqs[e];
    for (std::size_t f = 0; f < files.size(); ++f) {
        files[f].held.assign(asked.terms.size(), 0);
        for (std::size_t e = 0; e < existing.size(); ++e) files[f].held[existing[e]] = stats.holding[e][f];
    }
}

std::vector<PassageFinder::Admitted> PassageFinder::admitted(const CompiledQuery& q, const AskedTerms& asked,
                                                             std::vector<File>& files,
                                                             const std::vector<double>& word_weights) {
    double total = 0;
    for (double w : word_weights) total += w;
    // A query that a passage without any of the asked terms can match (a
    // wildcard, exclusions alone) asks each signature; any other needs one.
    const bool needs_a_term = !may_match(q.tree, [](const MatchNode&) { return false; });
    std::vector<char> maybe(asked.terms.size());
    const auto may_hold = [&](const MatchNode& leaf) { return maybe[asked.leaves.at(&leaf)]; };
    std::vector<Admitted> out;
    for (std::size_t f = 0; f < files.size(); ++f)
        for (std::size_t i = 0; i < files[f].signatures.size(); ++i) {
            const PassageSignature signature = files[f].signatures[i];
            const bool any = asked.may_hold(signature.bits, files[f].held, maybe);
            if ((!any && needs_a_term) || !may_match(q.tree, may_hold)) continue;
            out.push_back({f, i, asked.estimate(word_weights, total, maybe, signature.length)});
        }
    std::stable_sort(out.begin(), out.end(), [](const Admitted& a, const Admitted& b) { return a.estimate > b.estimate; });
    return out;
}

double PassageFinder::term_weight(const std::string& term, const PassageCounts& counts) {
    auto it = counts.tf.find(term);
    if (it == counts.tf.end()) return 0;
    const double wdf = schema::stored_wdf(it->second, counts.length);
    if (wdf == 0) return 0;
    // Xapian's BM25 (BM25Weight::init) with the passages as the collection.
    const double n = passages(), df = std::min<double>(passage_freq(term), n);
    double tw = (n - df + 0.5) / (df + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    const double k1 = kBm25K1 * schema::kWdfScale;
    return std::log(tw) * (kBm25K1 + 1) * wdf / (k1 + wdf);
}

FoundPassage PassageFinder::read_passage(File& file, std::size_t index) {
    if (!file.records) read_records({&file});
    if (file.records->size() != file.signatures.size())
        throw CorruptRecordError("corrupt record (records and signatures disagree)");
    FoundPassage out;
    out.passage = decode_passage(file.records->record(index));
    out.doc = file.doc;
    out.file_id = std::string(file.id);
    out.sort_key = schema::document_place(file.id, out.passage.line_start);
    out.repeat_key = repeat_key(out.passage.text);
    return out;
}

bool PassageFinder::analyse(const CompiledQuery& q, const AskedTerms& asked, const File& file, std::size_t index,
                            FoundPassage& out) {
    const Passage& passage = out.passage;
    // Only the words the query may ask for: the same terms and positions
    // for those (analyze_for_matching()), for a fraction of the cost. The
    // passage's length, which counts every word, the index keeps.
    std::vector<analysis::Token> tokens = analyzer_.analyze_for_matching(passage.text, asked.wanted);
    PassageCounts counts;
    const PassageTerms terms = terms_of(passage, tokens, analyzer_, FileTerms::of_id(file.id), &counts, &asked.wanted);
    if (!matches(q.tree, terms)) return false;
    out.tokens = std::move(tokens);
    counts.length = file.signatures[index].length;
    out.bm25 = q.matches_all ? 0 : weigh(q.tree, terms, [&](const std::string& t) { return term_weight(t, counts); });
    return true;
}

std::vector<PassageFinder::File*> PassageFinder::next_files(const std::vector<Admitted>& order, std::size_t from,
                                                            std::vector<File>& files, std::size_t count) {
    // The records of the files the next candidates are in, asked for at
    // once: over remote shards a request per shard, not per file.
    std::vector<File*> out;
    for (std::size_t i = from; i < order.size() && i < from + count; ++i) {
        File* f = &files[order[i].file];
        if (!f->records && std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
    return out;
}

void PassageFinder::read_records(std::vector<File*> files) {
    std::vector<std::pair<Xapian::docid, std::string>> wanted;
    for (const File* f : files) wanted.emplace_back(f->doc, schema::passages_key(f->place));
    std::vector<std::string> records = shards_.metadata_of(wanted);
    for (std::size_t i = 0; i < files.size(); ++i)
        files[i]->records.emplace(std::move(records[i]), dictionary_of(files[i]->doc));
}

const RecordsDictionary& PassageFinder::dictionary_of(Xapian::docid doc) {
    if (dictionaries_.empty())
        for (std::string& bytes : shards_.metadata_of_each(std::string(schema::kMetaRecordsDictionary)))
            dictionaries_.emplace_back(std::move(bytes));
    return dictionaries_.at(shards_.shard_of(doc));
}

std::vector<FoundPassage> PassageFinder::best(const CompiledQuery& q, std::size_t shown, bool collapse) {
    const std::size_t wanted = std::max(kMinCandidates, shown * 3);
    const AskedTerms asked(q, analyzer_);
    // Files enough for the page; more when their passages fall short (a
    // filter's, an exclusion's, a page far down) and there are more.
    for (std::size_t count = std::max(kCandidateFiles, shown);; count *= 4) {
        std::vector<File> files = matching_files(q, static_cast<Xapian::doccount>(count));
        read_term_stats(asked, files);
        const std::vector<double> word_weights = this->word_weights(q);
        bool bounded = false;
        std::vector<FoundPassage> out = best_in(q, asked, files, wanted, collapse, word_weights, bounded);
        if (out.size() >= wanted || bounded || files.size() < count) return out;
    }
}

void PassageFinder::put_probable_repeats_last(std::vector<Admitted>& order, const std::vector<File>& files,
                                              std::size_t visited) {
    // Only the first `visited` candidates can be reached: the rest is not
    // looked at (a common word admits thousands).
    KeySet seen(std::min(order.size(), visited));
    std::vector<Admitted> repeats;
    std::size_t kept = 0, next = 0;
    for (; next < order.size() && kept < visited; ++next) {
        const Admitted a = order[next];
        const PassageSignature signature = files[a.file].signatures[a.index];
        if (seen.insert(std::hash<std::string_view>{}(signature.bits) ^ (std::uint64_t{signature.length} << 40)))
            order[kept++] = a;
        else
            repeats.push_back(a);
    }
    if (repeats.empty()) return;  // and kept == next: nothing moves
    const auto rest = std::move(order.begin() + static_cast<std::ptrdiff_t>(next), order.end(),
                                order.begin() + static_cast<std::ptrdiff_t>(kept));
    std::copy(repeats.begin(), repeats.end(), rest);
}

std::vector<FoundPassage> PassageFinder::best_in(const CompiledQuery& q, const AskedTerms& asked,
                                                 std::vector<File>& files, std::size_t wanted, bool collapse,
                                                 const std::vector<double>& word_weights, bool& bounded) {
    std::vector<Admitted> order = admitted(q, asked, files, word_weights);
    if (collapse) put_probable_repeats_last(order, files, kMaxAnalysed + wanted + 1);
    std::vector<FoundPassage> out;
    std::set<std::uint64_t> by_key;  // collapse: repeat keys of the passages found
    std::size_t analysed = 0;
    for (const Admitted& a : order) {
        if (out.size() >= wanted) break;
        if (analysed++ >= kMaxAnalysed + wanted) {
            bounded = true;
            break;
        }
        if (!files[a.file].records) read_records(next_files(order, &a - order.data(), files, wanted));
        FoundPassage found = read_passage(files[a.file], a.index);
        // A repeat of a passage found already (the same letters and digits)
        // is not analysed: the first found stands for both, and candidates
        // come in an order that does not depend on document numbers. The
        // bench corpus holds its manuals twice: a third of what a query
        // analysed was repeats.
        if (collapse && by_key.count(found.repeat_key)) continue;
        if (!analyse(q, asked, files[a.file], a.index, found)) continue;
        if (collapse) by_key.insert(found.repeat_key);
        out.push_back(std::move(found));
    }
    return out;
}

std::vector<FoundPassage> PassageFinder::files_of_match(const CompiledQuery& q, std::size_t count) {
    const Xapian::MSet mset = match_files(q, db_.get_doccount());
    std::vector<FoundPassage> out;
    std::set<std::string> listed;  // file ids: a huge file is several documents
    for (auto it = mset.begin(); it != mset.end() && out.size() < count; ++it) {
        // The match sorts ties by place (kSlotPlace): the key is here with
        // no document read.
        FoundPassage file;
        file.doc = *it;
        file.sort_key = it.get_sort_key();
        file.file_id = file.sort_key.substr(0, schema::kFileIdBytes);
        if (file.file_id.size() == schema::kFileIdBytes && listed.insert(file.file_id).second) out.push_back(std::move(file));
    }
    return out;
}

std::vector<FoundPassage> PassageFinder::best_of_each_file(const CompiledQuery& q, std::size_t offset,
                                                           std::size_t limit, bool passages) {
    if (!passages && any_word_decides(q.tree)) return files_of_match(q, offset + limit);
    std::vector<File> files = matching_files(q, db_.get_doccount());
    const AskedTerms asked(q, analyzer_);
    read_term_stats(asked, files);
    const std::vector<double> word_weights = this->word_weights(q);
    std::vector<std::vector<Admitted>> by_file(files.size());
    for (const Admitted& a : admitted(q, asked, files, word_weights)) by_file[a.file].push_back(a);
    std::vector<FoundPassage> out;
    std::set<std::string_view> listed;  // file ids: a huge file is several documents
    for (std::size_t f = 0; f < files.size() && out.size() < offset + limit; ++f) {
        if (listed.count(files[f].id)) continue;
        for (const Admitted& a : by_file[f]) {
            FoundPassage found = read_passage(files[f], a.index);
            if (!analyse(q, asked, files[f], a.index, found)) continue;
            out.push_back(std::move(found));
            listed.insert(files[f].id);
            break;
        }
    }
    return out;
}

}  // namespace loci
