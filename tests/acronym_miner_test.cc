// Tests of acronym definitions found in text.
#include <catch2/catch.hpp>

#include "indexer/acronym_miner.h"

namespace {
std::string definitions(const std::string& text) {
    static loci::analysis::Analyzer analyzer;
    std::string out;
    for (const auto& d : loci::find_acronym_definitions(text, analyzer)) {
        out += (out.empty() ? "" : "; ") + d.acronym + "=";
        for (std::size_t i = 0; i < d.expansion.size(); ++i) out += (i ? " " : "") + d.expansion[i];
    }
    return out;
}
}  // namespace

TEST_CASE("acronyms defined in parentheses after their long form") {
    CHECK(definitions("affairs and international humanitarian law (IHL) with the Chinese government") ==
          "ihl=international humanitarian law");
    CHECK(definitions("the People's Liberation Army, the Red Cross Society of China (RCSC) and many") ==
          "rcsc=red cross society of china");
    CHECK(definitions("the Universal Periodic Review (UPR) of the UN") == "upr=universal periodic review");
    CHECK(definitions("sexual and gender-based violence (SGBV) as well") == "sgbv=sexual and gender based violence");
    CHECK(definitions("the Responsibility to Protect (R2P) principle") == "r2p=responsibility to protect");
    CHECK(definitions("the Democratic People's Republic of Korea (DPRK), the Republic of Korea (ROK)") ==
          "dprk=democratic people republic of korea; rok=republic of korea");
}

TEST_CASE("parentheses that are no definition are ignored") {
    CHECK(definitions("in 2023 (see above)") == "");
    CHECK(definitions("the report (CERD) was late") == "");
    CHECK(definitions("rights treaty bodies (for the CERD)") == "");
    CHECK(definitions("Human Rights Office of the High Commissioner (UNOHCHR)") == "");
    CHECK(definitions("unclosed (IHL") == "");
}
