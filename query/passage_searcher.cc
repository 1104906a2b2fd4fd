// Candidate retrieval with BM25 and re-ranking; see passage_searcher.h.
#include "query/passage_searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <sstream>

#include "indexer/analysis/analyzer.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "query/passage_finder.h"
#include "query/query_compiler.h"
#include "query/shard_set.h"
#include "query/spelling_suggester.h"
#include "query/thesaurus.h"

namespace loci {
namespace {

struct Features {
    double bm25 = 0;        ///< the passage's BM25 weight (PassageFinder, as Xapian weighs)
    double coverage = 0;    ///< share of the query's word weight found in the passage
    double proximity = 0;   ///< 1 when the words found are adjacent (see proximity())
    double heading = 0;     ///< share of the query's word weight in the section heading
    double definition = 0;  ///< share of the query's word weight whose acronym is defined here
    double answer = 0;      ///< 1 when it holds what the question asks for near its words (answer_near)
    double prior = 1;       ///< by kind of passage: footnotes are references, not the text itself
};

/// A reader asking where something is said wants the text before the
/// references that support it; a mild prior, not a filter.
constexpr double kFootnotePrior = 0.7;

/// Whether a citation's column is one a reader finds in the source: a
/// text file's, a PDF's extracted text (as pdftotext gives it) or a filter
/// program's output, not an HTML page's or a document's, whose lines are
/// blocks made of its markup.
bool has_own_columns(std::uint8_t format) {
    const auto f = static_cast<SourceFormat>(format);
    return f == SourceFormat::text || f == SourceFormat::pdf || f == SourceFormat::converted;
}

double kind_prior(PassageKind kind) { return kind == PassageKind::footnote ? kFootnotePrior : 1.0; }

double final_score(const Features& f) {
    return f.bm25 * f.prior * (1.0 + 2.0 * f.coverage * f.coverage) * (1.0 + 0.3 * f.proximity) * (1.0 + 0.2 * f.heading) *
           (1.0 + 0.5 * f.definition) * (1.0 + 0.3 * f.answer);
}

/// A footnote supports the text that cites it. When a passage cites a
/// footnote and holds at least as much of the query, the reader wants the
/// passage (where it is said) before the reference: the footnote is put just
/// below it, whatever the words its titles and links repeat.
void rank_footnotes_below_citing_text(std::vector<Hit>& hits, const std::vector<std::string_view>& file_of,
                                      const std::vector<double>& coverage) {
    for (std::size_t f = 0; f < hits.size(); ++f) {
        const Passage& note = hits[f].passage;
        if (note.kind != PassageKind::footnote || note.label.empty()) continue;
        const Hit* citing = nullptr;
        for (std::size_t t = 0; t < hits.size(); ++t) {
            const Passage& text = hits[t].passage;
            if (text.kind == PassageKind::footnote || file_of[t] != file_of[f] || coverage[t] < coverage[f] ||
                !text.cites_footnote(note.label))
                continue;
            if (!citing || hits[t].score > citing->score) citing = &hits[t];
        }
        if (!citing || hits[f].score < citing->score) continue;
        hits[f].score = citing->score * 0.99;
        if (!hits[f].explanation.empty()) {
            std::ostringstream e;
            e.precision(3);
            e << "; lowered to " << hits[f].score << ", below line " << citing->passage.line_start << ", which cites it";
            hits[f].explanation += e.str();
        }
    }
}

/// Words (acronyms) that the passage both names and spells out: it defines them.
double definition_share(const std::vector<WordMatch>& matches, const CompiledQuery& q,
                        const std::vector<double>& weights, double total) {
    if (total <= 0) return 0;
    double share = 0;
    for (std::size_t w = 0; w < q.words.size(); ++w) {
        if (q.words[w].sequences.empty()) continue;
        bool named = false, spelled = false;
        for (const WordMatch& m : matches) {
            if (m.word != w) continue;
            (m.sequence ? spelled : named) = true;
        }
        if (named && spelled) share += weights[w];
    }
    return share / total;
}

/// The smallest windows of word positions holding every distinct matched
/// word (all of them, when several are as small), and that number of words.
struct Windows {
    std::size_t words = 0;
    std::uint32_t width = UINT32_MAX;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  ///< first and last position
};

Windows tightest_windows(const std::vector<WordMatch>& matches) {
    Windows w;
    std::map<std::size_t, int> counts;
    for (const WordMatch& m : matches) counts[m.word] = 0;
    w.words = counts.size();
    if (w.words == 0) return w;
    std::size_t have = 0, left = 0;
    for (std::size_t right = 0; right < matches.size(); ++right) {
        if (counts[matches[right].word]++ == 0) ++have;
        while (have == w.words) {
            const std::uint32_t first = matches[left].position, last = matches[right].position;
            const std::uint32_t width = last >= first ? last - first + 1 : 1;
            if (width < w.width) w.spans.clear();
            if (width <= w.width) {
                w.width = width;
                w.spans.emplace_back(std::min(first, last), std::max(first, last));
            }
            if (--counts[matches[left].word] == 0) --have;
            ++left;
        }
    }
    return w;
}

/// (distinct - 1) / (window - 1) of the tightest window: 1 when the words
/// are adjacent, 0 with fewer than two words.
double proximity(const Windows& w) {
    if (w.words < 2) return 0;
    return static_cast<double>(w.words - 1) / std::max<double>(w.width - 1, w.words - 1);
}

/// Words around the tightest window where an answer still counts as near:
/// "visit ... in May 2022", "17 million members".
constexpr std::uint32_t kAnswerReach = 3;

/// 1 when a word of the kind the question asks for (a time, a number) sits
/// in or next to a tightest window of the words asked about: the passage
/// says when or how many of them, not only that they happened.
double answer_near(const Windows& w, const std::vector<std::uint32_t>& answers) {
    for (const auto& [first, last] : w.spans)
        for (std::uint32_t a : answers)
            if (a + kAnswerReach >= first && a <= last + kAnswerReach) return 1;
    return 0;
}

/// What scoring a query's candidates reads.
struct Scoring {
    const CompiledQuery& q;
    const std::vector<double>& weights;  ///< of each query word
    double total;                        ///< their sum
    bool explain;
};

/// The share of the query's word weight that the passage holds, each word
/// counted as surely as its surest match (WordMatch::strength): a word
/// found only as an acronym's long form or a word of like meaning counts
/// less than the word itself.
double coverage_share(const std::vector<WordMatch>& matches, const Scoring& s) {
    if (s.total <= 0) return 0;
    std::map<std::size_t, double> strength;  // by word
    for (const WordMatch& m : matches) strength[m.word] = std::max(strength[m.word], m.strength);
    double share = 0;
    for (const auto& [w, st] : strength) share += st * s.weights[w];
    return share / s.total;
}

/// Section headings analysed so far, by text: many candidates share one.
using HeadingWords = std::map<std::string, std::set<std::size_t>>;

/// The share of the query's word weight in the passage's section heading.
/// The file's title is not read: it changed no figure of any relevance
/// set (2026-11-25; loci.tsv with distractors, MRR 0.961 -> 0.964
/// without it), and reading it for every candidate cost a round trip per
/// file over remote shards.
double heading_share(const Passage& p, const Scoring& s, const analysis::Analyzer& analyzer, HeadingWords& seen) {
    if (s.total <= 0) return 0;
    auto it = seen.find(p.section);
    if (it == seen.end()) {
        std::set<std::size_t> words;
        for (const WordMatch& m : find_word_matches(p.section, analyzer, s.q)) words.insert(m.word);
        it = seen.emplace(p.section, std::move(words)).first;
    }
    double share = 0;
    for (std::size_t w : it->second) share += s.weights[w];
    return share / s.total;
}

std::string explain(double score, const Features& f) {
    std::ostringstream e;
    e.precision(3);
    e << "score " << score << " = bm25 " << f.bm25 << " x prior " << f.prior << " x (1 + 2 coverage^2, coverage "
      << f.coverage << ") x (1 + 0.3 proximity " << f.proximity << ") x (1 + 0.2 heading " << f.heading
      << ") x (1 + 0.5 definition " << f.definition << ") x (1 + 0.3 answer " << f.answer << ")";
    return e.str();
}

/// A candidate's passage with the query's words found in it, scored and
/// cited; @p coverage gets its share of the query's word weight.
Hit score_candidate(FoundPassage& c, const Scoring& s, const analysis::Analyzer& analyzer, HeadingWords& headings,
                    double& coverage) {
    Hit hit;
    hit.passage = std::move(c.passage);
    std::vector<std::uint32_t> answers;
    hit.matches = find_word_matches(c.tokens, s.q, &answers);
    if (hit.matches.empty() && !hit.passage.hidden_text.empty())
        hit.link_matches = find_word_matches(hit.passage.hidden_text, analyzer, s.q);
    Features f;
    f.bm25 = c.bm25;
    f.coverage = coverage_share(hit.matches, s);
    const Windows windows = tightest_windows(hit.matches);
    f.proximity = proximity(windows);
    f.answer = answer_near(windows, answers);
    f.heading = heading_share(hit.passage, s, analyzer, headings);
    f.definition = definition_share(hit.matches, s.q, s.weights, s.total);
    f.prior = kind_prior(hit.passage.kind);
    hit.score = s.q.matches_all ? 0 : final_score(f);
    hit.citation = best_citation(hit.passage, hit.matches, s.weights);
    if (s.explain) hit.explanation = explain(hit.score, f);
    coverage = f.coverage;
    return hit;
}

}  // namespace

struct PassageSearcher::Internal {
    ShardSet shards;
    const Xapian::Database& db;
    std::unique_ptr<analysis::Analyzer> analyzer;
    Thesaurus thesaurus = Thesaurus::built_in();  ///< WordNet is English: used only when the index is (see english)
    PassageFinder finder;

    Internal(const std::vector<std::string>& db_paths, const ShardOptions& options)
        : shards(db_paths, options),
          db(shards.db()),
          analyzer(std::make_unique<analysis::Analyzer>(analysis::AnalyzerOptions{language_of(shards)})),
          finder(shards, *analyzer) {
        const std::string& language = shards.header().language;
        english = language.empty() || language == "english" || language == "en";
    }
    static std::string language_of(const ShardSet& shards) {
        const std::string& language = shards.header().language;
        return language.empty() ? "english" : language;
    }
    bool english = true;  ///< the index's stemmer is English's

    /// Files holding a term, asked once a search (the typo check asks for
    /// each word); the match tells those of its query for free.
    std::map<std::string, Xapian::doccount> termfreqs;
    Xapian::doccount termfreq(const std::string& term) {
        if (const auto known = finder.file_freq(term)) return *known;
        auto it = termfreqs.find(term);
        if (it == termfreqs.end()) it = termfreqs.emplace(term, db.get_termfreq(term)).first;
        return it->second;
    }

    /// Statistics and records hold for the revision the database was
    /// opened at (a --queries batch reads them once); a retry reads a newer
    /// revision: forget what the last one said.
    void forget_statistics() {
        termfreqs.clear();
        finder.reset();
        files.clear();
    }

    /// The records of the candidates' files not read yet (cached per file):
    /// the shard that holds a candidate's document keeps its file's record;
    /// the shards are asked at once. Only the page shown needs them (paths,
    /// pages, titles): over a remote shard each file costs a round trip.
    void load_files(const std::vector<const FoundPassage*>& shown) {
        std::vector<std::pair<Xapian::docid, std::string>> wanted;
        std::vector<std::string> file_ids;
        for (const FoundPassage* c : shown) {
            if (files.count(c->file_id) || std::count(file_ids.begin(), file_ids.end(), c->file_id)) continue;
            wanted.emplace_back(c->doc, schema::file_record_key(c->file_id));
            file_ids.push_back(c->file_id);
        }
        if (wanted.empty()) return;
        const std::vector<std::string> records = shards.metadata_of(wanted);
        for (std::size_t f = 0; f < file_ids.size(); ++f)
            files.emplace(file_ids[f], decode_file_record(records[f]).value_or(FileRecord{}));
    }
    std::map<std::string, FileRecord> files;

    /// SearchRequest::per_file: the best passage of every file that has a
    /// matching one, files in the match's order (BM25 over files, ties by
    /// file). Not re-ranked: that would analyse every matching passage.
    std::vector<Hit> best_of_each_file(const CompiledQuery& q, const SearchRequest& req) {
        std::vector<FoundPassage> best = finder.best_of_each_file(q, req.offset, req.limit, !req.files_only);
        std::vector<Hit> hits(best.size());
        for (std::size_t i = 0; i < best.size(); ++i) {
            hits[i].citation = Citation{best[i].passage.line_start, 1};
            hits[i].score = best[i].bm25;
            hits[i].passage = std::move(best[i].passage);
        }
        std::vector<std::size_t> order(hits.size());
        std::iota(order.begin(), order.end(), 0);
        return page(hits, order, best, req);
    }

    std::vector<Hit> run(const CompiledQuery& q, const SearchRequest& req) {
        if (req.per_file) return best_of_each_file(q, req);
        std::vector<FoundPassage> candidates = finder.best(q, req.offset + req.limit, req.collapse);
        const std::vector<double> weights = finder.word_weights(q);
        double total = 0;
        for (double w : weights) total += w;
        const Scoring scoring{q, weights, total, req.explain};
        HeadingWords headings;
        std::vector<Hit> hits;
        std::vector<double> coverage(candidates.size());
        hits.reserve(candidates.size());
        for (std::size_t i = 0; i < candidates.size(); ++i)
            hits.push_back(score_candidate(candidates[i], scoring, *analyzer, headings, coverage[i]));
        std::vector<std::string_view> file_of;  // each hit's file id
        for (const FoundPassage& c : candidates) file_of.push_back(c.file_id);
        if (!q.matches_all) rank_footnotes_below_citing_text(hits, file_of, coverage);
        // Ties by file id, then line: the same ranking whatever the document
        // numbers (a parallel build, shards), so that outputs can be compared.
        std::vector<std::size_t> order(hits.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (hits[a].score != hits[b].score) return hits[a].score > hits[b].score;
            return candidates[a].sort_key < candidates[b].sort_key;
        });
        return page(hits, order, candidates, req);
    }

    /// The page asked for, of @p hits in @p order, with its files' records
    /// read (paths, titles, pages) and the files located on this machine.
    std::vector<Hit> page(std::vector<Hit>& hits, const std::vector<std::size_t>& order,
                          const std::vector<FoundPassage>& candidates, const SearchRequest& req) {
        std::vector<const FoundPassage*> shown;
        for (std::size_t i = req.offset; i < order.size() && shown.size() < req.limit; ++i)
            shown.push_back(&candidates[order[i]]);
        load_files(shown);
        std::vector<Hit> out;
        const std::string base = root_for(req);
        for (std::size_t i = req.offset; i < order.size() && out.size() < req.limit; ++i) {
            Hit& hit = hits[order[i]];
            const FileRecord& file = files.at(candidates[order[i]].file_id);
            hit.passage.path = file.path;
            hit.title = file.title;
            std::tie(hit.page, hit.page_line) = file.page_of(hit.citation.line);
            hit.format = file.format;
            if (!has_own_columns(hit.format)) hit.citation.column = 1;  // the extracted text's, not the source's
            hit.rank = i + 1;
            locate(hit, base, file);
            out.push_back(std::move(hit));
        }
        return out;
    }

    /// The folder relative stored paths resolve against.
    std::string root_for(const SearchRequest& req) const {
        if (!req.root.empty()) return req.root;
        const std::string& stored = shards.header().root;
        struct stat st {};
        return !stored.empty() && ::stat(stored.c_str(), &st) == 0 ? stored : std::string(".");
    }

    /// Resolves the hit's path on this machine and says whether the file is
    /// there, and whether it changed since it was indexed.
    static void locate(Hit& hit, const std::string& base, const FileRecord& file) {
        std::string& path = hit.passage.path;
        path = path_under(base, path);
        struct stat st {};
        hit.available = ::stat(path.c_str(), &st) == 0;
        hit.changed = hit.available && changed_since_indexed(path, st, file);
    }

    /// The indexer's own test (size and modification time), then, where only
    /// the time moved (a copy, a touch), the hash of the bytes, which the
    /// record keeps: a changed file's lines may have moved under the
    /// citation. Above kMaxHashedBytes the same size is taken as the same
    /// file: an index used beside copies of its files (their times all
    /// new) would otherwise read every large cited file at every query.
    static bool changed_since_indexed(const std::string& path, const struct stat& st, const FileRecord& file) {
        constexpr std::uint64_t kMaxHashedBytes = 1u << 20;  // about 1.5 ms of hashing
        if (!S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != file.size) return true;
        if (mtime_ns_of(st) == file.mtime_ns) return false;
        if (file.size > kMaxHashedBytes) return false;
        std::ifstream in(path, std::ios::binary);
        std::string bytes(file.size, '\0');
        if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())) || in.peek() != EOF) return true;
        return fnv1a64(bytes) != file.content_hash;
    }

    /// A query with unknown words respelled from the index's vocabulary, "" if
    /// none; @p confident says whether every respelling is one edit away.
    std::string suggest(const CompiledQuery& q, const std::string& query, bool& confident) {
        std::string out = query;
        bool changed = false;
        confident = true;
        for (const QueryWord& w : q.words) {
            if (w.source.empty() || w.exact.size() != 1 || w.stopword) continue;
            const std::string& term = *w.exact.begin();
            if (termfreq(term) > 0) continue;
            bool stem_known = false;
            // A stem equal to an indexed word is stored as that word only
            // (founded -> found, as in "can be found"): the query matches it.
            for (const std::string& s : w.stems)
                stem_known |= termfreq(std::string(schema::kStemPrefix) + s) > 0 || termfreq(s) > 0;
            if (stem_known) continue;
            const Suggestion fix = suggest_word(db, term);
            if (fix.word.empty()) continue;
            if (std::size_t at = out.find(w.source); at != std::string::npos) {
                out.replace(at, w.source.size(), fix.word);
                changed = true;
                confident = confident && fix.distance == 1;
            }
        }
        return changed ? out : std::string();
    }
};

PassageSearcher::PassageSearcher(const std::vector<std::string>& db_paths, const ShardOptions& options)
    : internal_(std::make_unique<Internal>(db_paths, options)) {}

const std::vector<std::string>& PassageSearcher::warnings() const { return internal_->shards.warnings(); }
PassageSearcher::~PassageSearcher() = default;

SearchResult PassageSearcher::search(const SearchRequest& request) {
    Internal& in = *internal_;
    RetryBudget budget;
    int modified = 0;
    for (;;) {
        try {
            QueryCompiler compiler(*in.analyzer, in.db,
                                   [&in](const std::vector<std::string>& keys) { return in.shards.metadata(keys); });
            if (request.related && in.english) compiler.use_thesaurus(&in.thesaurus);
            CompiledQuery q = compiler.compile(request.query);
            SearchResult result;
            // The query as typed runs first: its match tells the typo check
            // which words the index lacks, without asking the shards again.
            result.hits = in.run(q, request);
            bool confident = false;
            if (request.suggest && !q.matches_all) result.suggestion = in.suggest(q, request.query, confident);
            // A word in no passage adds nothing to any result. One edit away
            // from an indexed word, it is a typo: search what was meant. Two
            // edits away (ratification / rectification) it may be a word the
            // index lacks: search it only if nothing else matches.
            // --no-suggest keeps the query as typed.
            if (!result.suggestion.empty() && (confident || result.hits.empty())) {
                std::vector<Hit> meant = in.run(compiler.compile(result.suggestion), request);
                if (!meant.empty()) {
                    result.hits = std::move(meant);
                    result.searched_suggestion = true;
                }
            }
            return result;
        } catch (const CorruptRecordError& e) {
            // Found in the middle of a search: say which index, and the mend.
            throw CorruptRecordError("index " + in.shards.name() + ": " + e.what() + "; run loci-index --rebuild");
        } catch (const Xapian::DatabaseModifiedError&) {
            // The indexer committed twice while we read: read the newest revision.
            // At once the first times; then the writer is busy: wait as below.
            if (++modified > 3 && !budget.wait_before_retry()) throw;
            in.shards.reopen();
            in.forget_statistics();
        } catch (const Xapian::DatabaseError& e) {
            // Caught mid-rebuild, or a block of our revision already
            // overwritten by a commit: open again, a little later.
            if (!budget.wait_before_retry())
                throw IndexOpenError("cannot read index " + in.shards.name() + ": " + in.shards.named(e.get_msg()));
            try {
                in.shards.reopen();
            } catch (const IndexOpenError&) {
            }
            in.forget_statistics();
        }
    }
}

}  // namespace loci
