// Fuzz target: any byte string as a query. Either it compiles, or it is a
// QuerySyntaxError whose message names a position; nothing else escapes.
#include <xapian.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "indexer/analysis/error.h"
#include "indexer/analysis/index_schema.h"
#include "query/query_compiler.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static loci::analysis::Analyzer analyzer;
    static Xapian::WritableDatabase db = [] {
        Xapian::WritableDatabase d(std::string(), Xapian::DB_BACKEND_INMEMORY);
        d.set_metadata(std::string(loci::schema::kMetaAcronymPrefix) + "ihl",
                       loci::schema::count_name("", "international humanitarian law", 1));
        d.set_metadata(std::string(loci::schema::kMetaExpansionPrefix) + "red cross", loci::schema::count_name("", "rc", 1));
        Xapian::Document doc;
        doc.add_boolean_term("F/corpus/report.txt");
        doc.add_posting("china", 1);
        d.add_document(doc);
        return d;
    }();
    const std::string query(reinterpret_cast<const char*>(data), size);
    try {
        loci::CompiledQuery q = loci::QueryCompiler(analyzer, db).compile(query);
        if (q.query.empty()) std::abort();  // compile() promises a query or an error
        Xapian::Enquire enquire(db);
        enquire.set_query(q.query);
        (void)enquire.get_mset(0, 10);
    } catch (const loci::QuerySyntaxError& e) {
        const std::string what = e.what();
        if (what.rfind("query position ", 0) != 0 && what != "query has no words to search for") std::abort();
    }
    return 0;
}
