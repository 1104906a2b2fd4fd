// loci-thesaurus-table WORDNET_DIR OUTPUT: a build step. Writes the
// thesaurus table (thesaurus.h) of the WordNet in WORDNET_DIR as the C++
// source that the query side compiles in. With no WordNet there, an empty
// table: loci then looks for WordNet's files when it runs.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "query/thesaurus.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: loci-thesaurus-table WORDNET_DIR OUTPUT.cc\n";
        return 2;
    }
    const std::string dir = argv[1], output = argv[2];
    const loci::CompiledThesaurus table = loci::compile_thesaurus(dir);
    const std::string made_from = table.lemmas.empty() ? "no WordNet (none in " + dir + ")" : "the WordNet in " + dir;
    // Written aside and renamed: an interrupted build leaves no half table.
    const std::string part = output + ".part";
    std::ofstream out(part, std::ios::binary);
    out << loci::thesaurus_table_source(table, made_from);
    out.close();
    if (!out || std::rename(part.c_str(), output.c_str()) != 0) {
        std::cerr << "loci-thesaurus-table: cannot write " << output << '\n';
        return 1;
    }
    return 0;
}
