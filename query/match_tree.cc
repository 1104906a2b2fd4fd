// The query tree, to Xapian and against one passage; see match_tree.h.
#include "query/match_tree.h"

#include <algorithm>
#include <iterator>

#include "indexer/analysis/index_schema.h"
#include "indexer/analysis/passage_terms.h"

namespace loci {

MatchNode MatchNode::leaf(std::string term) {
    MatchNode n;
    n.op = Op::term;
    n.term = std::move(term);
    return n;
}

MatchNode MatchNode::prefix(std::string prefix) {
    MatchNode n = leaf(std::move(prefix));
    n.op = Op::wildcard;
    return n;
}

MatchNode MatchNode::every() {
    MatchNode n;
    n.op = Op::all;
    return n;
}

MatchNode MatchNode::of(Op op, std::vector<MatchNode> children, unsigned window) {
    // Empty children as Xapian takes them: an OR ignores them, the later
    // children of AND_MAYBE and AND_NOT too; any other empty child, or the
    // first, leaves nothing to match. So empty() is Xapian's empty().
    MatchNode n;
    const bool ignores_empty_after_first = op == Op::and_maybe || op == Op::and_not;
    for (std::size_t i = 0; i < children.size(); ++i) {
        if (!children[i].empty()) continue;
        if (op != Op::or_ && (i == 0 || !ignores_empty_after_first)) return n;
        children.erase(children.begin() + static_cast<std::ptrdiff_t>(i--));
    }
    if (children.empty()) return n;  // as Xapian: no subqueries, no query
    n.op = op;
    n.children = std::move(children);
    n.window = window;
    return n;
}

MatchNode MatchNode::of(Op op, MatchNode first, MatchNode second) {
    std::vector<MatchNode> children;
    children.push_back(std::move(first));
    children.push_back(std::move(second));
    return of(op, std::move(children));
}

MatchNode MatchNode::scaled(MatchNode child, double factor) {
    MatchNode n;
    if (child.empty()) return n;
    n.op = Op::scale;
    n.children.push_back(std::move(child));
    n.factor = factor;
    return n;
}

MatchNode MatchNode::phrase_of(const std::vector<std::string>& terms) {
    std::vector<MatchNode> words;
    for (const std::string& t : terms) words.push_back(leaf(t));
    return of(Op::phrase, std::move(words), static_cast<unsigned>(terms.size()));
}

namespace {

Xapian::Query::op xapian_op(MatchNode::Op op) {
    switch (op) {
        case MatchNode::Op::or_: return Xapian::Query::OP_OR;
        case MatchNode::Op::and_: return Xapian::Query::OP_AND;
        case MatchNode::Op::and_maybe: return Xapian::Query::OP_AND_MAYBE;
        case MatchNode::Op::and_not: return Xapian::Query::OP_AND_NOT;
        case MatchNode::Op::filter: return Xapian::Query::OP_FILTER;
        case MatchNode::Op::phrase: return Xapian::Query::OP_PHRASE;
        case MatchNode::Op::near: return Xapian::Query::OP_NEAR;
        default: return Xapian::Query::OP_INVALID;  // not a combination: to_xapian() never asks
    }
}

using Positions = std::vector<std::uint32_t>;  // sorted

/// Where @p node stands in the passage, for a phrase or NEAR around it: a
/// term's positions, any of an OR's.
Positions positions_of(const MatchNode& node, const PassageTerms& terms);

/// Adds @p p to the sorted @p out.
void add_position(Positions& out, std::uint32_t p) {
    auto it = std::lower_bound(out.begin(), out.end(), p);
    if (it == out.end() || *it != p) out.insert(it, p);
}

/// A phrase's children in order, each after the one before, spanning fewer
/// than the window's positions. From each position of the first, the
/// earliest position of each next child is the best (it leaves the most
/// room for the rest); with a window of as many positions as children
/// (every phrase the compiler makes), that is the words in a row.
std::vector<Positions> phrase_parts(const std::vector<Positions>& at, unsigned window) {
    std::vector<Positions> parts(at.size());
    for (std::uint32_t first : at.front()) {
        Positions picked{first};
        for (std::size_t i = 1; i < at.size(); ++i) {
            auto next = std::upper_bound(at[i].begin(), at[i].end(), picked.back());
            if (next == at[i].end()) break;
            picked.push_back(*next);
        }
        if (picked.size() < at.size() || picked.back() - first >= window) continue;
        for (std::size_t i = 0; i < at.size(); ++i) add_position(parts[i], picked[i]);
    }
    return parts;
}

/// Whether every child but @p skip, from child @p i on, has a position in
/// [from, to) not in @p taken (two children never share a position).
bool place_rest(const std::vector<Positions>& at, std::size_t i, std::size_t skip, std::uint32_t from,
                std::uint32_t to, Positions& taken) {
    if (i == skip) ++i;
    if (i >= at.size()) return true;
    for (auto p = std::lower_bound(at[i].begin(), at[i].end(), from); p != at[i].end() && *p < to; ++p) {
        if (std::find(taken.begin(), taken.end(), *p) != taken.end()) continue;
        taken.push_back(*p);
        if (place_rest(at, i + 1, skip, from, to, taken)) return true;
        taken.pop_back();
    }
    return false;
}

/// A NEAR's children in any order, at distinct positions spanning fewer
/// than the window's. Child @p i at @p p takes part when some span holding
/// p, starting at most window - 1 before it, holds the others too.
std::vector<Positions> near_parts(const std::vector<Positions>& at, unsigned window) {
    Positions starts;  // every child's positions: where a span may start
    for (const Positions& child : at) starts.insert(starts.end(), child.begin(), child.end());
    std::sort(starts.begin(), starts.end());
    std::vector<Positions> parts(at.size());
    for (std::size_t i = 0; i < at.size(); ++i)
        for (std::uint32_t p : at[i]) {
            const std::uint32_t lowest = p >= window ? p - window + 1 : 0;
            for (auto from = std::lower_bound(starts.begin(), starts.end(), lowest); from != starts.end() && *from <= p;
                 ++from) {
                Positions taken{p};
                if (!place_rest(at, 0, i, *from, *from + window, taken)) continue;
                parts[i].push_back(p);
                break;
            }
        }
    return parts;
}

Positions positions_of(const MatchNode& node, const PassageTerms& terms) {
    Positions out;
    auto add = [&out](const Positions& more) {
        Positions merged;
        std::set_union(out.begin(), out.end(), more.begin(), more.end(), std::back_inserter(merged));
        out = std::move(merged);
    };
    switch (node.op) {
        case MatchNode::Op::term: {
            auto it = terms.find(node.term);
            if (it != terms.end()) out = it->second;
            break;
        }
        case MatchNode::Op::or_:
            for (const MatchNode& c : node.children) add(positions_of(c, terms));
            break;
        case MatchNode::Op::scale: out = positions_of(node.children.front(), terms); break;
        // Nothing else has positions. Xapian 1.4 refuses a phrase right
        // under a NEAR, and gives one inside an OR under a NEAR (an
        // acronym's long form) none: tests hold the tree to the same.
        default: break;
    }
    return out;
}

/// Collects a passage's terms and positions as the index would hold them,
/// and its counts.
class CollectedTerms : public TermSink {
  public:
    CollectedTerms(PassageTerms& terms, PassageCounts* counts) : terms_(terms), counts_(counts) {}
    void position(const std::string& term, Xapian::termpos position) override {
        terms_[term].push_back(position);  // words come in text order: sorted
    }
    void count(const std::string& term, Xapian::termcount wdf) override {
        terms_[term];
        if (!counts_) return;
        counts_->tf[term] += wdf;
        counts_->length += wdf;
    }
    void filter(const std::string& term) override { terms_[term]; }
    void file_id(const std::string& term) override { terms_[term]; }

  private:
    PassageTerms& terms_;
    PassageCounts* counts_;
};

bool has_word_starting(const PassageTerms& terms, const std::string& prefix) {
    auto it = terms.lower_bound(prefix);
    return it != terms.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::vector<std::vector<std::uint32_t>> taking_part(const MatchNode& node, const PassageTerms& terms) {
    std::vector<Positions> at;
    for (const MatchNode& c : node.children) at.push_back(positions_of(c, terms));
    if (node.op == MatchNode::Op::phrase) return phrase_parts(at, node.window);
    if (node.op == MatchNode::Op::near) return near_parts(at, node.window);
    return std::vector<Positions>(node.children.size());
}

PassageTerms terms_of(const Passage& passage, const std::vector<analysis::Token>& text_tokens,
                      const analysis::Analyzer& analyzer, const FileTerms& file, PassageCounts* counts,
                      const analysis::WantedTerms* wanted) {
    PassageTerms terms;
    CollectedTerms sink(terms, counts);
    add_passage_terms(passage, text_tokens, analyzer, file, sink, wanted);
    return terms;
}

MatchNode without_exclusions(const MatchNode& node) {
    if (node.op == MatchNode::Op::and_not) return without_exclusions(node.children.front());
    MatchNode out = node;
    for (MatchNode& c : out.children) c = without_exclusions(c);
    return out;
}


namespace {
void add_leaf_terms(const MatchNode& node, std::vector<std::string>& out) {
    if (node.op == MatchNode::Op::term && std::find(out.begin(), out.end(), node.term) == out.end()) out.push_back(node.term);
    for (const MatchNode& c : node.children) add_leaf_terms(c, out);
}
}  // namespace

bool any_word_decides(const MatchNode& node) {
    auto of_passages = [](const std::string& term) {  // a word's or a stem's
        return schema::is_word_term(term) || term.compare(0, schema::kStemPrefix.size(), schema::kStemPrefix) == 0;
    };
    const std::vector<MatchNode>& c = node.children;
    switch (node.op) {
        case MatchNode::Op::term:
        case MatchNode::Op::wildcard: return of_passages(node.term);
        case MatchNode::Op::or_: return !c.empty() && std::all_of(c.begin(), c.end(), any_word_decides);
        case MatchNode::Op::and_maybe:  // the second only weighs
        case MatchNode::Op::scale: return any_word_decides(c.front());
        default: return false;
    }
}

std::vector<std::string> leaf_terms(const MatchNode& node) {
    std::vector<std::string> out;
    add_leaf_terms(node, out);
    return out;
}

double weigh(const MatchNode& node, const PassageTerms& terms,
             const std::function<double(const std::string& term)>& term_weight) {
    if (!matches(node, terms)) return 0;
    auto sum = [&](auto first, auto last) {
        double w = 0;
        for (auto it = first; it != last; ++it) w += weigh(*it, terms, term_weight);
        return w;
    };
    const std::vector<MatchNode>& c = node.children;
    switch (node.op) {
        case MatchNode::Op::nothing:
        case MatchNode::Op::all: return 0;
        case MatchNode::Op::term: return term_weight(node.term);
        case MatchNode::Op::wildcard: {
            double w = 0;
            for (auto it = terms.lower_bound(node.term);
                 it != terms.end() && it->first.compare(0, node.term.size(), node.term) == 0; ++it)
                w += term_weight(it->first);
            return w;
        }
        case MatchNode::Op::scale: return node.factor * weigh(c.front(), terms, term_weight);
        case MatchNode::Op::and_not:
        case MatchNode::Op::filter: return weigh(c.front(), terms, term_weight);
        case MatchNode::Op::or_:
        case MatchNode::Op::and_:
        case MatchNode::Op::and_maybe:
        case MatchNode::Op::phrase:
        case MatchNode::Op::near: return sum(c.begin(), c.end());
    }
    return 0;
}

Xapian::Query to_xapian(const MatchNode& node) {
    switch (node.op) {
        case MatchNode::Op::nothing: return Xapian::Query();
        case MatchNode::Op::all: return Xapian::Query::MatchAll;
        case MatchNode::Op::term: return Xapian::Query(node.term);
        case MatchNode::Op::wildcard:
            return Xapian::Query(Xapian::Query::OP_WILDCARD, node.term, kMaxWildcardExpansion,
                                 Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        case MatchNode::Op::scale:
            return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, to_xapian(node.children.front()), node.factor);
        default: break;
    }
    std::vector<Xapian::Query> children;
    for (const MatchNode& c : node.children) children.push_back(to_xapian(c));
    return Xapian::Query(xapian_op(node.op), children.begin(), children.end(), node.window);
}

bool matches(const MatchNode& node, const PassageTerms& terms) {
    auto child = [&](const MatchNode& c) { return matches(c, terms); };
    const std::vector<MatchNode>& c = node.children;
    switch (node.op) {
        case MatchNode::Op::nothing: return false;
        case MatchNode::Op::all: return true;
        case MatchNode::Op::term: return terms.count(node.term) > 0;
        case MatchNode::Op::wildcard: return has_word_starting(terms, node.term);
        case MatchNode::Op::or_: return std::any_of(c.begin(), c.end(), child);
        case MatchNode::Op::and_:
        case MatchNode::Op::filter: return std::all_of(c.begin(), c.end(), child);
        case MatchNode::Op::and_maybe:
        case MatchNode::Op::scale: return child(c.front());
        case MatchNode::Op::and_not: return child(c.front()) && std::none_of(c.begin() + 1, c.end(), child);
        case MatchNode::Op::phrase:
        case MatchNode::Op::near: return !taking_part(node, terms).front().empty();
    }
    return false;
}

}  // namespace loci
