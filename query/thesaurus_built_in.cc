// Thesaurus::built_in(), beside the table the build generates
// (thesaurus_table.cc): thesaurus.cc is also linked into the program that
// generates it, which has no table.
#include "query/thesaurus.h"

namespace loci {

Thesaurus Thesaurus::built_in() {
    const ThesaurusTable table = built_in_table();
    return table.lemmas.empty() ? Thesaurus(kDefaultDir) : Thesaurus(table);
}

}  // namespace loci
