// Fuzz target: any bytes as what the query side reads of an index's
// passages (a document's signatures, a metadata value of records, a
// record). A corrupt index must give loci::Error, never a crash; and what
// encode_records() writes must read back the same.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "indexer/analysis/error.h"
#include "indexer/analysis/passage_record.h"

namespace {

template <typename F>
void tolerating_errors(F&& f) {
    try {
        f();
    } catch (const loci::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    tolerating_errors([&] {
        const loci::PassageSignatures signatures(bytes);
        for (std::size_t i = 0; i < signatures.size(); ++i) (void)signatures[i].bits.size();
    });
    // Records packed with or without a dictionary (any bytes are one to
    // zstd: raw content to match against).
    static const loci::RecordsDictionary none, dictionary(std::string(
        "Water and sanitation in the camps were restored by volunteers of the Red Cross society, "
        "with the support of the International Committee of the Red Cross (ICRC)."));
    for (const loci::RecordsDictionary* d : {&none, &dictionary})
        tolerating_errors([&] {
            loci::PassageRecords records(bytes, *d);
            for (std::size_t i = 0; i < records.size() && i < 64; ++i)
                tolerating_errors([&] { loci::decode_passage(records.record(i)); });
        });
    tolerating_errors([&] { loci::decode_passage(bytes); });
    // The bytes cut into records: written, then read back whole.
    std::vector<std::string> parts;
    for (std::size_t at = 0; at < bytes.size(); at += 37) parts.push_back(bytes.substr(at, 37));
    for (const loci::RecordsDictionary* d : {&none, &dictionary}) {
        loci::PassageRecords back(loci::encode_records(parts, *d), *d);
        if (back.size() != parts.size()) std::abort();
        for (std::size_t i = 0; i < parts.size(); ++i)
            if (back.record(i) != parts[i]) std::abort();
    }
    // And as signatures, each with a length.
    std::vector<std::uint32_t> lengths;
    for (const std::string& part : parts) lengths.push_back(static_cast<std::uint32_t>(part.size() * 7));
    const loci::PassageSignatures signatures(loci::encode_signatures(lengths, parts));
    if (signatures.size() != parts.size()) std::abort();
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (signatures[i].bits != parts[i] || signatures[i].length != lengths[i]) std::abort();
    return 0;
}
