// Words of like meaning from WordNet's files or from the table compiled from
// them; see thesaurus.h. The file formats are WordNet's wndb(5WN) and its
// morphology is morphy(7WN).
#include "query/thesaurus.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "indexer/analysis/ascii.h"

namespace loci {
namespace {

/// A read-only file mapped whole; empty when it cannot be opened.
class MappedFile {
  public:
    explicit MappedFile(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data_ = static_cast<const char*>(p);
                size_ = static_cast<std::size_t>(st.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFile() {
        if (data_) ::munmap(const_cast<char*>(data_), size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view view() const { return {data_, size_}; }

  private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

std::string_view first_field(std::string_view line) { return line.substr(0, line.find(' ')); }

/// The line of sorted @p file whose first field is @p key (binary search
/// over bytes, as WordNet's own bin_search does); nullopt if none.
std::optional<std::string_view> find_line(std::string_view file, std::string_view key) {
    std::size_t lo = 0, hi = file.size();
    while (lo < hi) {
        std::size_t start = (lo + hi) / 2;
        while (start > lo && file[start - 1] != '\n') --start;
        std::size_t end = file.find('\n', start);
        if (end == std::string_view::npos) end = file.size();
        const std::string_view line = file.substr(start, end - start);
        const int c = first_field(line).compare(key);
        if (c == 0) return line;
        if (c < 0) lo = end + 1;
        else hi = start;
    }
    return std::nullopt;
}

/// Splits @p text at each @p separator, empty pieces dropped: a file into
/// lines, a line into fields, a table's list into words.
std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find(separator, i);
        if (j == std::string_view::npos) j = text.size();
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

/// Splits @p line at spaces, empty fields dropped.
std::vector<std::string_view> fields(std::string_view line) { return split(line, ' '); }

template <typename T>
std::optional<T> number(std::string_view s, int base = 10) {
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

struct Suffix {
    std::string_view from, to;
};

constexpr std::size_t kParts = 3;
constexpr std::array<const char*, kParts> kPartNames{"noun", "verb", "adj"};
/// morphy's suffix rules, by part of speech.
const std::array<std::vector<Suffix>, kParts> kRules{{
    {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
    {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
    {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
}};

/// What related() asks of WordNet, a part of speech at a time: WordNet's
/// files, or the table compiled from them.
class Lexicon {
  public:
    virtual ~Lexicon() = default;
    virtual bool available() const = 0;
    /// Whether part of speech @p part has @p lemma.
    virtual bool has(std::size_t part, std::string_view lemma) const = 0;
    /// Base forms the exception list gives @p word (found -> find), had or not.
    virtual std::vector<std::string> exceptions(std::size_t part, std::string_view word) const = 0;
    /// One-word lemmas whose most frequent sense in @p part is also the
    /// most frequent sense of @p lemma: words interchangeable in their
    /// usual meaning (countries -> nation, but not state, whose usual
    /// sense is a province).
    virtual std::vector<std::string> first_sense(std::size_t part, const std::string& lemma) const = 0;
};

/// WordNet's own files, mapped on first use.
class WordNetFiles : public Lexicon {
  public:
    explicit WordNetFiles(std::string dir) : dir_(std::move(dir)) {}

    bool available() const override {
        struct stat st {};
        return std::any_of(kPartNames.begin(), kPartNames.end(), [&](const char* part) {
            return ::stat((dir_ + "/index." + part).c_str(), &st) == 0;
        });
    }
    bool has(std::size_t part, std::string_view lemma) const override {
        return find_line(files(part).index->view(), lemma).has_value();
    }
    std::vector<std::string> exceptions(std::size_t part, std::string_view word) const override {
        std::vector<std::string> out;
        if (auto line = find_line(files(part).exceptions->view(), word)) {
            const auto f = fields(*line);
            for (std::size_t i = 1; i < f.size(); ++i) out.emplace_back(f[i]);
        }
        return out;
    }
    std::vector<std::string> first_sense(std::size_t part, const std::string& lemma) const override {
        const Files& p = files(part);
        const auto offset = first_sense_offset(p, lemma);
        if (!offset) return {};
        // synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ...
        std::string_view synset = p.data->view().substr(*offset);
        synset = synset.substr(0, synset.find('\n'));
        const auto s = fields(synset);
        if (s.size() < 4) return {};
        const auto count = number<std::size_t>(s[3], 16);
        if (!count || s.size() < 4 + 2 * *count) return {};
        std::vector<std::string> out;
        for (std::size_t i = 0; i < *count; ++i) {
            std::string_view word = s[4 + 2 * i];
            word = word.substr(0, word.find('('));  // adjective markers: "beautiful(a)"
            if (word.find('_') != std::string_view::npos) continue;  // several words
            const std::string lower = ascii_lower(word);
            if (lower == lemma || std::find(out.begin(), out.end(), lower) != out.end()) continue;
            if (first_sense_offset(p, lower) == offset) out.push_back(lower);
        }
        return out;
    }

    /// Every lemma of part of speech @p part, in the index's order.
    std::vector<std::string_view> lemmas(std::size_t part) const {
        std::vector<std::string_view> out;
        for (std::string_view line : split(files(part).index->view(), '\n'))
            if (line[0] != ' ') out.push_back(first_field(line));  // not the licence's lines
        return out;
    }
    /// The lines of part @p part's exception list.
    std::string_view exception_list(std::size_t part) const { return files(part).exceptions->view(); }

  private:
    struct Files {
        std::unique_ptr<MappedFile> index, data, exceptions;
    };

    const Files& files(std::size_t part) const {
        std::call_once(mapped_, [this] {
            for (std::size_t p = 0; p < kParts; ++p) {
                const std::string name = kPartNames[p];
                files_[p].index = std::make_unique<MappedFile>(dir_ + "/index." + name);
                files_[p].data = std::make_unique<MappedFile>(dir_ + "/data." + name);
                files_[p].exceptions = std::make_unique<MappedFile>(dir_ + "/" + name + ".exc");
            }
        });
        return files_[part];
    }

    /// Where the most frequent sense of @p lemma is in the data file; none
    /// when WordNet has no sense counts for it (its senses are then unordered).
    static std::optional<std::size_t> first_sense_offset(const Files& p, std::string_view lemma) {
        const auto line = find_line(p.index->view(), lemma);
        if (!line) return std::nullopt;
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        const auto f = fields(*line);
        if (f.size() < 4) return std::nullopt;
        const auto pointers = number<std::size_t>(f[3]);
        if (!pointers || f.size() < 4 + *pointers + 3) return std::nullopt;
        const auto tagged = number<std::size_t>(f[4 + *pointers + 1]);
        const auto offset = number<std::size_t>(f[4 + *pointers + 2]);
        if (!tagged || *tagged == 0 || !offset || *offset >= p.data->view().size()) return std::nullopt;
        return offset;
    }

    std::string dir_;
    mutable std::once_flag mapped_;
    mutable std::array<Files, kParts> files_;
};

/// The compiled table (ThesaurusTable's format).
class TableLexicon : public Lexicon {
  public:
    explicit TableLexicon(ThesaurusTable table) : table_(table) {}

    bool available() const override { return !table_.lemmas.empty(); }
    bool has(std::size_t part, std::string_view lemma) const override {
        const auto f = entry(lemma);
        return f.size() == 2 + kParts && f[1].size() == 1 && (((f[1][0] - '0') >> part) & 1);
    }
    std::vector<std::string> exceptions(std::size_t part, std::string_view word) const override {
        std::vector<std::string> out;
        if (auto line = find_line(table_.exceptions[part], word)) {
            const auto f = fields(*line);
            for (std::size_t i = 1; i < f.size(); ++i) out.emplace_back(f[i]);
        }
        return out;
    }
    std::vector<std::string> first_sense(std::size_t part, const std::string& lemma) const override {
        const auto f = entry(lemma);
        std::vector<std::string> out;
        if (f.size() != 2 + kParts || f[2 + part] == "-") return out;
        for (std::string_view word : split(f[2 + part], ',')) out.emplace_back(word);
        return out;
    }

  private:
    std::vector<std::string_view> entry(std::string_view lemma) const {
        const auto line = find_line(table_.lemmas, lemma);
        return line ? fields(*line) : std::vector<std::string_view>{};
    }

    ThesaurusTable table_;
};

/// morphy's base forms of @p word in part @p part: listed exceptions
/// (found -> find), the word itself, and words the suffix rules make
/// (countries -> country), each only if the part of speech has it.
std::vector<std::string> base_forms(const Lexicon& lexicon, std::size_t part, const std::string& word) {
    std::vector<std::string> out;
    auto add = [&](std::string base) {
        if (std::find(out.begin(), out.end(), base) == out.end() && lexicon.has(part, base)) out.push_back(std::move(base));
    };
    for (std::string& base : lexicon.exceptions(part, word)) add(std::move(base));
    add(word);
    for (const Suffix& r : kRules[part]) {
        if (word.size() <= r.from.size() || word.compare(word.size() - r.from.size(), r.from.size(), r.from) != 0)
            continue;
        add(word.substr(0, word.size() - r.from.size()) + std::string(r.to));
    }
    return out;
}

/// A table line's list of words: comma-separated, "-" when empty.
std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : ",") + w;
    return out.empty() ? "-" : out;
}

/// @p text as a C++ string literal, a line to a literal piece.
std::string literal(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '\n') out += "\\n\"\n    \"";
        else if (c == '"' || c == '\\') out += std::string("\\") + c;
        else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            char octal[8];
            std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned char>(c));
            out += octal;
        } else out += c;
    }
    return out + "\"";
}

}  // namespace

CompiledThesaurus compile_thesaurus(const std::string& dir) {
    const WordNetFiles wordnet(dir);
    CompiledThesaurus out;
    if (!wordnet.available()) return out;
    // Every lemma with words of like meaning. One without changes no
    // answer, whether it is a word's base form or not: a word it could
    // keep out of an answer is one of like meaning to a base form, whose
    // own list then holds that base form (the two share a first sense).
    std::map<std::string, std::array<std::vector<std::string>, kParts>> lists;
    for (std::size_t part = 0; part < kParts; ++part)
        for (std::string_view lemma : wordnet.lemmas(part)) {
            std::vector<std::string> words = wordnet.first_sense(part, std::string(lemma));
            if (!words.empty()) lists[std::string(lemma)][part] = std::move(words);
        }
    // std::map's order is find_line's: bytes, and no lemma has a space.
    for (const auto& [lemma, by_part] : lists) {
        unsigned parts = 0;
        for (std::size_t part = 0; part < kParts; ++part) parts |= wordnet.has(part, lemma) ? 1u << part : 0;
        out.lemmas += lemma + ' ' + std::to_string(parts);
        for (const auto& words : by_part) out.lemmas += ' ' + joined(words);
        out.lemmas += '\n';
    }
    // The exception lists are sorted: kept in their order.
    for (std::size_t part = 0; part < kParts; ++part)
        for (std::string_view line : split(wordnet.exception_list(part), '\n')) {
            const auto f = fields(line);
            if (std::any_of(f.begin() + std::min<std::size_t>(1, f.size()), f.end(),
                            [&](std::string_view base) { return lists.count(std::string(base)) > 0; }))
                out.exceptions[part] += std::string(line) + '\n';
        }
    return out;
}

std::string thesaurus_table_source(const CompiledThesaurus& table, const std::string& made_from) {
    std::string out = "// The thesaurus table (thesaurus.h) of " + made_from +
                      ",\n// made by the build's loci-thesaurus-table: do not edit.\n"
                      "#include \"query/thesaurus.h\"\n\nnamespace loci {\nnamespace {\n";
    out += "const char kLemmas[] =\n    " + literal(table.lemmas) + ";\n";
    for (std::size_t part = 0; part < kParts; ++part)
        out += "const char kExceptions" + std::to_string(part) + "[] =\n    " + literal(table.exceptions[part]) + ";\n";
    out += "}  // namespace\n\nThesaurusTable Thesaurus::built_in_table() {\n"
           "    return {{kLemmas, sizeof kLemmas - 1},\n"
           "            {std::string_view(kExceptions0, sizeof kExceptions0 - 1),\n"
           "             std::string_view(kExceptions1, sizeof kExceptions1 - 1),\n"
           "             std::string_view(kExceptions2, sizeof kExceptions2 - 1)}};\n"
           "}\n\n}  // namespace loci\n";
    return out;
}

struct Thesaurus::Internal {
    std::unique_ptr<Lexicon> lexicon;
};

Thesaurus::Thesaurus(std::string dir) : internal_(new Internal{std::make_unique<WordNetFiles>(std::move(dir))}) {}
Thesaurus::Thesaurus(ThesaurusTable table) : internal_(new Internal{std::make_unique<TableLexicon>(table)}) {}
Thesaurus::~Thesaurus() = default;
Thesaurus::Thesaurus(Thesaurus&&) noexcept = default;
Thesaurus& Thesaurus::operator=(Thesaurus&&) noexcept = default;

bool Thesaurus::available() const { return internal_->lexicon->available(); }

std::vector<std::string> Thesaurus::related(std::string_view word) const {
    if (word.empty() || word.size() > 64) return {};
    const Lexicon& lexicon = *internal_->lexicon;
    const std::string w(word);
    // Each part of speech's base forms, looked up once: they are both what
    // to expand and what not to return (the word's own forms).
    std::array<std::vector<std::string>, kParts> bases_by_part;
    std::vector<std::string> bases, out;
    for (std::size_t part = 0; part < kParts; ++part) {
        bases_by_part[part] = base_forms(lexicon, part, w);
        bases.insert(bases.end(), bases_by_part[part].begin(), bases_by_part[part].end());
    }
    for (std::size_t part = 0; part < kParts; ++part)
        for (const std::string& base : bases_by_part[part])
            for (std::string& r : lexicon.first_sense(part, base))
                if (std::find(bases.begin(), bases.end(), r) == bases.end() && std::find(out.begin(), out.end(), r) == out.end())
                    out.push_back(std::move(r));
    return out;
}

}  // namespace loci
