// Encodings of PassageRecord and FileRecord: varints and length-prefixed strings.
#include "indexer/analysis/passage_record.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

#include <zdict.h>
#include <zstd.h>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"

namespace loci {
namespace {

constexpr char kPassageFormat = 4;  // 4: link targets (hidden text) kept
constexpr char kFileFormat = 2;

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_string(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

/// Reads what put_varint and put_string wrote; throws on truncated input.
class Reader {
  public:
    explicit Reader(std::string_view data) : data_(data) {}
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ >= data_.size()) fail();
            auto byte = static_cast<unsigned char>(data_[pos_++]);
            v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if (byte < 0x80) return v;
        }
        fail();
    }
    std::uint32_t u32() { return static_cast<std::uint32_t>(varint()); }
    std::string string() { return std::string(view()); }
    /// What put_string wrote, not copied.
    std::string_view view() {
        std::uint64_t n = varint();
        if (n > data_.size() - pos_) fail();
        std::string_view s = data_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    std::string_view rest() {
        std::string_view s = data_.substr(pos_);
        pos_ = data_.size();
        return s;
    }
    char byte() {
        if (pos_ >= data_.size()) fail();
        return data_[pos_++];
    }
    bool done() const { return pos_ == data_.size(); }

  private:
    [[noreturn]] void fail() const { throw CorruptRecordError("corrupt record (truncated data)"); }
    std::string_view data_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string_view to_string(PassageKind kind) {
    switch (kind) {
        case PassageKind::paragraph: return "paragraph";
        case PassageKind::list_item: return "list item";
        case PassageKind::table_row: return "table row";
        case PassageKind::footnote: return "footnote";
        case PassageKind::code: return "code";
    }
    return "paragraph";
}

std::pair<std::uint32_t, std::uint32_t> Passage::source_of(std::uint32_t offset) const {
    if (runs.empty()) return {line_start, 0};
    auto it = std::upper_bound(runs.begin(), runs.end(), offset,
                               [](std::uint32_t off, const SourceRun& r) { return off < r.text_offset; });
    if (it != runs.begin()) --it;
    const std::uint32_t into = offset >= it->text_offset ? offset - it->text_offset : 0;
    return {it->line, it->column + into};
}

std::string encode_passage(const Passage& p) {
    std::string out;
    out.reserve(p.text.size() + p.hidden_text.size() + p.runs.size() * 4 + 32);
    out += kPassageFormat;
    put_varint(out, p.line_start);
    put_varint(out, p.line_end - p.line_start);
    out += static_cast<char>(p.kind);
    put_string(out, p.section);
    put_string(out, p.context);
    put_string(out, p.text);
    put_string(out, p.hidden_text);
    put_varint(out, p.runs.size());
    SourceRun prev{0, p.line_start, 0};
    for (const SourceRun& r : p.runs) {
        put_varint(out, r.text_offset - prev.text_offset);
        put_varint(out, r.line - prev.line);
        put_varint(out, r.column);
        prev = r;
    }
    put_string(out, p.label);
    put_varint(out, p.cites.size());
    std::uint32_t prev_offset = 0;
    for (const FootnoteRef& ref : p.cites) {
        put_varint(out, ref.text_offset - prev_offset);
        put_string(out, ref.label);
        prev_offset = ref.text_offset;
    }
    return out;
}

Passage decode_passage(std::string_view data) {
    Reader in(data);
    if (in.byte() != kPassageFormat) throw CorruptRecordError("corrupt record (unknown passage format)");
    Passage p;
    p.line_start = in.u32();
    p.line_end = p.line_start + in.u32();
    p.kind = static_cast<PassageKind>(std::min<int>(in.byte(), 4));
    p.section = in.string();
    p.context = in.string();
    p.text = in.string();
    p.hidden_text = in.string();
    std::uint64_t n = in.varint();
    if (n > data.size()) throw CorruptRecordError("corrupt record (bad run count)");
    p.runs.reserve(n);
    SourceRun prev{0, p.line_start, 0};
    for (std::uint64_t i = 0; i < n; ++i) {
        SourceRun r;
        r.text_offset = prev.text_offset + in.u32();
        r.line = prev.line + in.u32();
        r.column = in.u32();
        p.runs.push_back(r);
        prev = r;
    }
    p.label = in.string();
    const std::uint64_t cites = in.varint();
    if (cites > data.size()) throw CorruptRecordError("corrupt record (bad footnote count)");
    std::uint32_t offset = 0;
    for (std::uint64_t i = 0; i < cites; ++i) {
        offset += in.u32();
        p.cites.push_back(FootnoteRef{offset, in.string()});
    }
    return p;
}

namespace {

constexpr char kSignaturesFormat = 1;
constexpr char kRecordsFormat = 2;
/// Records compressed together: the query unpacks the groups of the
/// passages it reads, not whole files. With the index's own dictionary
/// (RecordsDictionary), groups of 5 take as little room as groups of 20
/// without one, and unpack in about 4 us against 11 (100 MB bench index,
/// 2026-11-29: records 51.3 MB in groups of 5, 52.9 MB in groups of 4,
/// 51.7 MB in groups of 20 without a dictionary).
constexpr std::size_t kRecordsPerGroup = 5;
/// zstd's level: unpacking is as fast whatever it is. On the 100 MB bench
/// corpus (2026-11-29) level 3 made records of 51.6 MB and an index 1.97x
/// the text; 6, 49.0 MB and 1.94x, its build within the runs' noise
/// (19.8 and 20.5 s against 20.9 and 21.6, alternated); 9, 48.4 MB and
/// 12% more build time. The index's size has the least room of the
/// targets (2x), the build's speed the most.
constexpr int kLevel = 6;

}  // namespace

/// zstd's digested forms of a dictionary, each made on first use: the
/// indexer packs, the query tool unpacks.
struct RecordsDictionary::Digested {
    std::once_flag packing_once, unpacking_once;
    ZSTD_CDict* packing = nullptr;
    ZSTD_DDict* unpacking = nullptr;
    ~Digested() {
        ZSTD_freeCDict(packing);
        ZSTD_freeDDict(unpacking);
    }
};

RecordsDictionary::RecordsDictionary(std::string bytes)
    : bytes_(std::move(bytes)), digested_(bytes_.empty() ? nullptr : std::make_unique<Digested>()) {}
RecordsDictionary::RecordsDictionary() = default;
RecordsDictionary::~RecordsDictionary() = default;
RecordsDictionary::RecordsDictionary(RecordsDictionary&&) noexcept = default;
RecordsDictionary& RecordsDictionary::operator=(RecordsDictionary&&) noexcept = default;

RecordsDictionary RecordsDictionary::train(const std::vector<std::string>& samples) {
    // zstd advises samples of a hundred times the dictionary's size; on the
    // 100 MB bench index (records in groups of 4) 64 KiB from 1.1 MB of
    // records packed them in 53.9 MB, 11 KiB (a hundredth) in 55.7 MB;
    // 64 KiB from 2.5 MB in 52.9 MB. It loads in about 20 us.
    constexpr std::size_t kMaxBytes = 64 << 10, kMinSamples = 100;
    std::string joined;
    std::vector<std::size_t> sizes;
    for (const std::string& s : samples) {
        if (s.empty()) continue;
        joined += s;
        sizes.push_back(s.size());
    }
    if (sizes.size() < kMinSamples) return {};
    std::string bytes(std::min(kMaxBytes, std::max<std::size_t>(1024, joined.size() / 32)), '\0');
    const std::size_t n = ZDICT_trainFromBuffer(bytes.data(), bytes.size(), joined.data(), sizes.data(),
                                                static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(n)) return {};  // too little to learn from: no dictionary
    bytes.resize(n);
    return RecordsDictionary(std::move(bytes));
}

/// zstd, one packer per thread (making a context allocates), with or
/// without an index's dictionary: it inflates groups of records three to
/// five times as fast as zlib's inflate, and packs them smaller. Frames
/// carry neither the dictionary's id nor their size (the records' header
/// has it): a few bytes of every small group. Each context is made when
/// first used: the query tool only unpacks, the indexer mostly packs.
class RecordsPacker {
  public:
    /// This thread's.
    static RecordsPacker& of_this_thread() {
        thread_local RecordsPacker packer;
        return packer;
    }
    ~RecordsPacker() {
        ZSTD_freeCCtx(cctx_);
        ZSTD_freeDCtx(dctx_);
    }
    RecordsPacker(const RecordsPacker&) = delete;
    RecordsPacker& operator=(const RecordsPacker&) = delete;

    std::string pack(std::string_view plain, const RecordsDictionary& dictionary) {
        if (!cctx_ && !(cctx_ = ZSTD_createCCtx())) throw Error("cannot compress passage records (out of memory)");
        ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(cctx_, ZSTD_c_contentSizeFlag, 0);
        ZSTD_CCtx_setParameter(cctx_, ZSTD_c_dictIDFlag, 0);
        if (dictionary.empty()) ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, kLevel);
        else ZSTD_CCtx_refCDict(cctx_, packing(dictionary));
        std::string out(ZSTD_compressBound(plain.size()), '\0');
        const std::size_t n = ZSTD_compress2(cctx_, out.data(), out.size(), plain.data(), plain.size());
        if (ZSTD_isError(n)) throw Error(std::string("cannot compress passage records: ") + ZSTD_getErrorName(n));
        out.resize(n);
        return out;
    }

    std::string unpack(std::string_view packed, std::size_t plain_size, const RecordsDictionary* dictionary) {
        if (!dctx_ && !(dctx_ = ZSTD_createDCtx())) throw Error("cannot read passage records (out of memory)");
        std::string out(plain_size, '\0');
        const std::size_t n =
            dictionary ? ZSTD_decompress_usingDDict(dctx_, out.data(), out.size(), packed.data(), packed.size(),
                                                    unpacking(*dictionary))
                       : ZSTD_decompressDCtx(dctx_, out.data(), out.size(), packed.data(), packed.size());
        if (ZSTD_isError(n) || n != plain_size) throw CorruptRecordError("corrupt record (passage records do not inflate)");
        return out;
    }

  private:
    static ZSTD_CDict* packing(const RecordsDictionary& d) {
        RecordsDictionary::Digested& z = *d.digested_;
        std::call_once(z.packing_once, [&] { z.packing = ZSTD_createCDict(d.bytes_.data(), d.bytes_.size(), kLevel); });
        if (!z.packing) throw Error("cannot load the passage records' dictionary");
        return z.packing;
    }
    static ZSTD_DDict* unpacking(const RecordsDictionary& d) {
        RecordsDictionary::Digested& z = *d.digested_;
        std::call_once(z.unpacking_once, [&] { z.unpacking = ZSTD_createDDict(d.bytes_.data(), d.bytes_.size()); });
        if (!z.unpacking) throw CorruptRecordError("corrupt record (the passage records' dictionary does not load)");
        return z.unpacking;
    }
    RecordsPacker() = default;
    ZSTD_CCtx* cctx_ = nullptr;
    ZSTD_DCtx* dctx_ = nullptr;
};

namespace {

/// XORs @p bytes from @p from on with a fixed pseudo-random stream
/// (splitmix64): its own inverse. Eight bytes at a time: the query
/// unscrambles the signatures of every candidate file (a byte at a time,
/// 7% of a rare word's instructions).
void scramble(std::string& bytes, std::size_t from) {
    std::uint64_t state = 0x6c6f6369u;  // "loci"
    for (std::size_t i = from; i < bytes.size(); i += 8) {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        const std::uint64_t word = z ^ (z >> 31);
        // The stream's byte k is word >> 8k, whatever the machine's byte order.
        unsigned char mask[8];
        for (int k = 0; k < 8; ++k) mask[k] = static_cast<unsigned char>(word >> (8 * k));
        const std::size_t n = std::min<std::size_t>(8, bytes.size() - i);
        if (n == 8) {
            std::uint64_t chunk, m;
            std::memcpy(&chunk, bytes.data() + i, 8);
            std::memcpy(&m, mask, 8);
            chunk ^= m;
            std::memcpy(bytes.data() + i, &chunk, 8);
        } else {
            for (std::size_t k = 0; k < n; ++k) bytes[i + k] = static_cast<char>(bytes[i + k] ^ mask[k]);
        }
    }
}

}  // namespace

std::string encode_signatures(const std::vector<std::uint32_t>& lengths, const std::vector<std::string>& bits) {
    if (lengths.size() != bits.size()) throw Error("a passage signature needs a length");
    std::string out(1, kSignaturesFormat);
    put_varint(out, bits.size());
    for (std::size_t i = 0; i < bits.size(); ++i) {
        put_varint(out, lengths[i]);
        put_string(out, bits[i]);
    }
    scramble(out, 1);
    return out;
}

PassageSignatures::PassageSignatures(std::string_view data) : bytes_(data) {
    if (bytes_.empty() || bytes_[0] != kSignaturesFormat)
        throw CorruptRecordError("corrupt record (unknown signatures format)");
    scramble(bytes_, 1);
    Reader in(bytes_);
    in.byte();
    const std::uint64_t n = in.varint();
    if (n > bytes_.size()) throw CorruptRecordError("corrupt record (bad passage count)");
    entries_.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint32_t length = in.u32();
        const std::string_view bits = in.view();
        entries_.push_back({length, static_cast<std::size_t>(bits.data() - bytes_.data()), bits.size()});
    }
    if (!in.done()) throw CorruptRecordError("corrupt record (bad signatures length)");
}

std::string encode_records(const std::vector<std::string>& records, const RecordsDictionary& dictionary) {
    RecordsPacker& packer = RecordsPacker::of_this_thread();
    std::string out(1, kRecordsFormat);
    out += dictionary.empty() ? '\0' : '\1';
    put_varint(out, records.size());
    std::string packed;
    for (std::size_t first = 0; first < records.size(); first += kRecordsPerGroup) {
        std::string plain;
        for (std::size_t i = first; i < std::min(records.size(), first + kRecordsPerGroup); ++i)
            put_string(plain, records[i]);
        const std::string group = packer.pack(plain, dictionary);
        put_varint(out, plain.size());
        put_varint(out, group.size());
        packed += group;
    }
    return out + packed;
}

PassageRecords::PassageRecords(std::string data, const RecordsDictionary& dictionary) : data_(std::move(data)) {
    Reader in(data_);
    if (in.byte() != kRecordsFormat) throw CorruptRecordError("corrupt record (unknown records format)");
    const char packed_with = in.byte();
    if (packed_with != 0 && packed_with != 1) throw CorruptRecordError("corrupt record (unknown records packing)");
    if (packed_with == 1 && dictionary.empty())
        throw CorruptRecordError("corrupt record (records packed with a dictionary the index lacks)");
    if (packed_with == 1) dictionary_ = &dictionary;
    size_ = in.varint();
    if (size_ > data_.size()) throw CorruptRecordError("corrupt record (bad passage count)");
    groups_.resize((size_ + kRecordsPerGroup - 1) / kRecordsPerGroup);
    std::uint64_t packed_bytes = 0;
    for (Group& g : groups_) {
        g.plain_size = in.varint();
        g.packed_size = in.varint();
        // zstd packs at most 32 KiB into a byte (RLE blocks): a larger claim is corrupt.
        if (g.plain_size > (g.packed_size + 1) * 32768) throw CorruptRecordError("corrupt record (bad group size)");
        g.packed_offset = packed_bytes;
        packed_bytes += g.packed_size;
    }
    packed_start_ = data_.size() - in.rest().size();
    if (data_.size() - packed_start_ != packed_bytes) throw CorruptRecordError("corrupt record (bad records length)");
}

std::string_view PassageRecords::record(std::size_t i) {
    if (i >= size_) throw CorruptRecordError("corrupt record (no such passage)");
    Group& g = groups_[i / kRecordsPerGroup];
    if (g.records.empty()) {  // filled whole or not at all: a corrupt group throws each time
        const std::string_view packed = std::string_view(data_).substr(packed_start_ + g.packed_offset, g.packed_size);
        std::string plain = RecordsPacker::of_this_thread().unpack(packed, g.plain_size, dictionary_);
        Reader records(plain);
        std::vector<std::pair<std::size_t, std::size_t>> places;
        const std::size_t first = i / kRecordsPerGroup * kRecordsPerGroup;
        for (std::size_t k = first; k < std::min(size_, first + kRecordsPerGroup); ++k) {
            const std::string_view r = records.view();
            places.emplace_back(static_cast<std::size_t>(r.data() - plain.data()), r.size());
        }
        if (!records.done()) throw CorruptRecordError("corrupt record (bad group length)");
        g.plain = std::move(plain);
        g.records = std::move(places);
    }
    const auto [offset, length] = g.records.at(i % kRecordsPerGroup);
    return std::string_view(g.plain).substr(offset, length);
}

bool Passage::cites_footnote(std::string_view footnote_label) const {
    return std::any_of(cites.begin(), cites.end(), [&](const FootnoteRef& r) { return r.label == footnote_label; });
}

std::string encode_file_record(const FileRecord& r) {
    std::string out;
    out += kFileFormat;
    put_string(out, r.path);
    put_varint(out, r.size);
    put_varint(out, static_cast<std::uint64_t>(r.mtime_ns));
    put_varint(out, r.content_hash);
    put_varint(out, r.passages);
    put_string(out, r.title);
    out += static_cast<char>(r.format);
    put_varint(out, r.page_starts.size());
    std::uint32_t prev = 0;
    for (std::uint32_t p : r.page_starts) {
        put_varint(out, p - prev);
        prev = p;
    }
    put_varint(out, r.acronyms.size());
    for (const auto& [acronym, long_form] : r.acronyms) {
        put_string(out, acronym);
        put_string(out, long_form);
    }
    return out;
}

std::optional<FileRecord> decode_file_record(std::string_view data) {
    try {
        Reader in(data);
        if (in.byte() != kFileFormat) return std::nullopt;
        FileRecord r;
        r.path = in.string();
        r.size = in.varint();
        r.mtime_ns = static_cast<std::int64_t>(in.varint());
        r.content_hash = in.varint();
        r.passages = in.u32();
        r.title = in.string();
        r.format = static_cast<std::uint8_t>(in.byte());
        const std::uint64_t pages = in.varint();
        if (pages > data.size()) return std::nullopt;
        std::uint32_t prev = 0;
        for (std::uint64_t i = 0; i < pages; ++i) r.page_starts.push_back(prev += in.u32());
        const std::uint64_t acronyms = in.varint();
        if (acronyms > data.size()) return std::nullopt;
        for (std::uint64_t i = 0; i < acronyms; ++i) {
            std::string acronym = in.string();
            r.acronyms.emplace_back(std::move(acronym), in.string());
        }
        return r;
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::pair<std::uint32_t, std::uint32_t> FileRecord::page_of(std::uint32_t line) const {
    if (page_starts.empty()) return {0, line};
    auto it = std::upper_bound(page_starts.begin(), page_starts.end(), line);
    if (it == page_starts.begin()) return {1, line};
    const auto page = static_cast<std::uint32_t>(it - page_starts.begin());
    return {page, line - *(it - 1) + 1};
}

namespace schema {

bool is_acronym_key(std::string_view key) {
    auto starts = [key](std::string_view prefix) { return key.substr(0, prefix.size()) == prefix; };
    return starts(kMetaAcronymPrefix) || starts(kMetaExpansionPrefix);
}

namespace {

/// An acronym key's value: one name a line, after its count and a space.
using Counted = std::vector<std::pair<std::string, std::uint64_t>>;

Counted decode_counted(std::string_view value) {
    Counted out;
    while (!value.empty()) {
        const std::size_t end = std::min(value.find('\n'), value.size());
        const std::string_view line = value.substr(0, end);
        value.remove_prefix(std::min(end + 1, value.size()));
        const std::size_t space = line.find(' ');
        if (space == std::string_view::npos || space == 0) continue;
        std::uint64_t files = 0;
        bool digits = space <= 9;  // a count of files, never near 10^9
        for (char c : line.substr(0, space)) {
            digits = digits && c >= '0' && c <= '9';
            files = files * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (digits && files > 0 && space + 1 < line.size()) out.emplace_back(std::string(line.substr(space + 1)), files);
    }
    return out;
}

std::string encode_counted(Counted names) {
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::string out;
    std::size_t kept = 0;
    for (const auto& [name, files] : names) {
        if (files == 0 || kept == kMaxCountedNames) continue;
        out += (out.empty() ? "" : "\n") + std::to_string(files) + ' ' + name;
        ++kept;
    }
    return out;
}

void add_count(Counted& names, std::string_view name, std::int64_t delta) {
    auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == name; });
    if (it == names.end()) {
        if (delta > 0) names.emplace_back(std::string(name), static_cast<std::uint64_t>(delta));
        return;
    }
    it->second = delta < 0 && it->second <= static_cast<std::uint64_t>(-delta) ? 0 : it->second + static_cast<std::uint64_t>(delta);
}

}  // namespace

std::string count_name(std::string_view value, std::string_view name, int delta) {
    Counted names = decode_counted(value);
    add_count(names, name, delta);
    return encode_counted(std::move(names));
}

std::string merge_counts(const std::vector<std::string>& values) {
    Counted names;
    for (const std::string& value : values)
        for (const auto& [name, files] : decode_counted(value)) add_count(names, name, static_cast<std::int64_t>(files));
    return encode_counted(std::move(names));
}

std::vector<std::string> counted_names(std::string_view value, std::size_t at_most) {
    std::vector<std::string> out;
    for (auto& [name, files] : decode_counted(value))
        if (out.size() < at_most) out.push_back(std::move(name));
    return out;
}

std::string encode_header(const IndexHeader& header) {
    return header.version + '\n' + header.language + '\n' + header.acronym_keys.encode() + '\n' + header.root;
}

IndexHeader decode_header(std::string_view value) {
    IndexHeader header;
    std::string filter;
    for (std::string* field : {&header.version, &header.language, &filter}) {
        const std::size_t end = std::min(value.find('\n'), value.size());
        field->assign(value.substr(0, end));
        value.remove_prefix(std::min(end + 1, value.size()));
    }
    header.acronym_keys = KeyFilter::decode(filter);
    header.root.assign(value);  // last: a path may hold a newline
    return header;
}

unsigned stored_wdf(unsigned tf, unsigned length) {
    if (tf == 0) return 0;
    const double norm = 1.0 - kLengthB + kLengthB * std::max(length / kPivotLength, kMinNormLength);
    return std::max(1u, static_cast<unsigned>(std::lround(kWdfScale * tf / norm)));
}

std::string field_term(std::string_view prefix, const analysis::Token& token) {
    return std::string(prefix) + (token.stem.empty() ? token.term : token.stem);
}

namespace {
std::string hex64(std::uint64_t h) {
    static const char* digits = "0123456789abcdef";
    std::string hex(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) hex[static_cast<std::size_t>(i)] = digits[h & 0xF];
    return hex;
}

/// @p bytes as lower-case hex, two digits a byte: how keys and terms name
/// binary ids and places.
std::string in_hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}
}  // namespace

std::string file_key(std::string_view path) {
    // Leave room for the longest prefix (metadata's "loci.file:").
    constexpr std::size_t kMaxPlainKey = kMaxTermBytes - 16;
    if (path.size() <= kMaxPlainKey) return std::string(path);
    return std::string(path.substr(0, kMaxPlainKey - 18)) + "#" + hex64(fnv1a64(path));
}

std::string file_id(std::string_view key) {
    static_assert(kFileIdBytes == sizeof(std::uint64_t), "a file id is a 64-bit hash");
    std::uint64_t h = fnv1a64(key);
    std::string id(kFileIdBytes, '\0');
    for (int i = 7; i >= 0; --i, h >>= 8) id[static_cast<std::size_t>(i)] = static_cast<char>(h & 0xFF);
    return id;
}

std::string document_place(std::string_view id, std::uint32_t line_start) {
    std::string place(id);
    for (int shift = 24; shift >= 0; shift -= 8) place += static_cast<char>((line_start >> shift) & 0xFF);
    return place;
}

std::string document_data(std::string_view place, std::string_view signatures) {
    return std::string(place) + std::string(signatures);
}

std::pair<std::string_view, std::string_view> split_document_data(std::string_view data) {
    constexpr std::size_t kPlaceBytes = kFileIdBytes + 4;  // document_place()'s id and big-endian first line
    if (data.size() < kPlaceBytes) return {data.substr(0, kFileIdBytes), {}};
    return {data.substr(0, kFileIdBytes), data.substr(kPlaceBytes)};
}

std::string passages_key(std::string_view place) { return std::string(kMetaPassagesPrefix) + in_hex(place); }

std::string file_id_term(std::string_view id) { return std::string(kFileIdPrefix) + in_hex(id); }

std::string file_id_term_of_path(std::string_view path) { return file_id_term(file_id(file_key(path))); }

std::string file_record_key(std::string_view id) { return std::string(kMetaFilePrefix) + in_hex(id); }

std::string file_record_key_of_path(std::string_view path) { return file_record_key(file_id(file_key(path))); }

}  // namespace schema
}  // namespace loci
