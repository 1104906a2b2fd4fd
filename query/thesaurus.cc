// WordNet lookups, in place in the mapped files; see thesaurus.h. The file
// formats are WordNet's wndb(5WN) and its morphology is morphy(7WN).
#include "query/thesaurus.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <mutex>
#include <optional>

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

/// Splits @p line at spaces, empty fields dropped.
std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t j = line.find(' ', i);
        if (j == std::string_view::npos) j = line.size();
        if (j > i) out.push_back(line.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

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

/// One part of speech: its files and morphy's suffix rules.
struct PartOfSpeech {
    std::string name;  ///< "noun", "verb", "adj"
    std::vector<Suffix> rules;
    std::unique_ptr<MappedFile> index, data, exceptions;

    /// Base forms of @p word in this part of speech: listed exceptions
    /// (found -> find), the word itself, and words the suffix rules make
    /// (countries -> country), each only if the index has it.
    std::vector<std::string> base_forms(const std::string& word) const {
        std::vector<std::string> out;
        auto add = [&](std::string base) {
            if (std::find(out.begin(), out.end(), base) == out.end() && find_line(index->view(), base)) out.push_back(base);
        };
        if (auto line = find_line(exceptions->view(), word)) {
            const auto f = fields(*line);
            for (std::size_t i = 1; i < f.size(); ++i) add(std::string(f[i]));
        }
        add(word);
        for (const Suffix& r : rules) {
            if (word.size() <= r.from.size() || word.compare(word.size() - r.from.size(), r.from.size(), r.from) != 0)
                continue;
            add(word.substr(0, word.size() - r.from.size()) + std::string(r.to));
        }
        return out;
    }

    /// Where the most frequent sense of @p lemma is in the data file; none
    /// when WordNet has no sense counts for it (its senses are then unordered).
    std::optional<std::size_t> first_sense_offset(std::string_view lemma) const {
        const auto line = find_line(index->view(), lemma);
        if (!line) return std::nullopt;
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        const auto f = fields(*line);
        if (f.size() < 4) return std::nullopt;
        const auto pointers = number<std::size_t>(f[3]);
        if (!pointers || f.size() < 4 + *pointers + 3) return std::nullopt;
        const auto tagged = number<std::size_t>(f[4 + *pointers + 1]);
        const auto offset = number<std::size_t>(f[4 + *pointers + 2]);
        if (!tagged || *tagged == 0 || !offset || *offset >= data->view().size()) return std::nullopt;
        return offset;
    }

    /// One-word lemmas whose most frequent sense is also the most frequent
    /// sense of @p lemma: words interchangeable in their usual meaning
    /// (countries -> nation, but not state, whose usual sense is a province).
    std::vector<std::string> first_sense(const std::string& lemma) const {
        const auto offset = first_sense_offset(lemma);
        if (!offset) return {};
        // synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ...
        std::string_view synset = data->view().substr(*offset);
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
            if (first_sense_offset(lower) == offset) out.push_back(lower);
        }
        return out;
    }
};

}  // namespace

struct Thesaurus::Internal {
    std::string dir;
    std::once_flag mapped;
    std::array<PartOfSpeech, 3> parts{
        PartOfSpeech{"noun",
                     {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
                     {}, {}, {}},
        PartOfSpeech{"verb",
                     {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
                     {}, {}, {}},
        PartOfSpeech{"adj", {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}}, {}, {}, {}},
    };

    void map_files() {
        for (PartOfSpeech& p : parts) {
            p.index = std::make_unique<MappedFile>(dir + "/index." + p.name);
            p.data = std::make_unique<MappedFile>(dir + "/data." + p.name);
            p.exceptions = std::make_unique<MappedFile>(dir + "/" + p.name + ".exc");
        }
    }
};

Thesaurus::Thesaurus(std::string dir) : internal_(std::make_unique<Internal>()) { internal_->dir = std::move(dir); }
Thesaurus::~Thesaurus() = default;

bool Thesaurus::available() const {
    struct stat st {};
    return std::any_of(internal_->parts.begin(), internal_->parts.end(), [&](const PartOfSpeech& p) {
        return ::stat((internal_->dir + "/index." + p.name).c_str(), &st) == 0;
    });
}

std::vector<std::string> Thesaurus::related(std::string_view word) const {
    if (word.empty() || word.size() > 64) return {};
    std::call_once(internal_->mapped, [this] { internal_->map_files(); });
    const std::string w(word);
    const auto& parts = internal_->parts;
    // Each part of speech's base forms, looked up once: they are both what
    // to expand and what not to return (the word's own forms).
    std::array<std::vector<std::string>, 3> bases_by_part;
    std::vector<std::string> bases, out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        bases_by_part[i] = parts[i].base_forms(w);
        bases.insert(bases.end(), bases_by_part[i].begin(), bases_by_part[i].end());
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
        for (const std::string& base : bases_by_part[i])
            for (std::string& r : parts[i].first_sense(base))
                if (std::find(bases.begin(), bases.end(), r) == bases.end() && std::find(out.begin(), out.end(), r) == out.end())
                    out.push_back(std::move(r));
    return out;
}

}  // namespace loci
