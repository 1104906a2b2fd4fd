// Tests of acronym definitions found in text.
#include <catch2/catch.hpp>

#include "indexer/acronym_miner.h"

namespace {
loci::analysis::Analyzer& analyzer() {
    static loci::analysis::Analyzer a;
    return a;
}

/// "ihl=international humanitarian law; ..."
std::string joined(const std::vector<loci::AcronymDefinition>& found) {
    std::string out;
    for (const auto& d : found) {
        out += (out.empty() ? "" : "; ") + d.acronym + "=";
        for (std::size_t i = 0; i < d.expansion.size(); ++i) out += (i ? " " : "") + d.expansion[i];
    }
    return out;
}

std::string definitions(const std::string& text) { return joined(loci::find_acronym_definitions(text, analyzer())); }
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

namespace {
std::string spelled_out(const std::vector<std::string_view>& texts, const std::string& defined_acronym = "") {
    std::vector<loci::AcronymDefinition> defined;
    if (!defined_acronym.empty()) defined.push_back({defined_acronym, {"some", "thing"}});
    const std::string found = joined(loci::find_spelled_out_acronyms(texts, defined, analyzer()));
    // The indexer hands over the tokens it made for the passages' documents: the same acronyms.
    std::vector<std::vector<loci::analysis::Token>> tokens;
    for (std::string_view t : texts) tokens.push_back(analyzer().analyze(t));
    CHECK(joined(loci::find_spelled_out_acronyms(texts, defined, analyzer(), &tokens)) == found);
    return found;
}
}  // namespace

TEST_CASE("acronyms used in one passage and spelled out in capitals in another") {
    // As in the R2P assessment: the acronym in the text, the long form in the publisher's name.
    CHECK(spelled_out({"China has not yet appointed an R2P Focal Point.",
                       "Asia-Pacific Centre for the\nResponsibility to Protect"}) == "r2p=responsibility to protect");
    CHECK(spelled_out({"China voted for S/RES/2677 in the UNSC.",
                       "a permanent member of the United Nations Security Council, which"}) ==
          "unsc=united nations security council");
    CHECK(spelled_out({"the ICCPR", "to ratify the International Covenant on Civil and Political Rights ."}) ==
          "iccpr=international covenant on civil and political rights");
    // Minor words are skipped, "for" stands for 4; several acronyms, several runs.
    CHECK(spelled_out({"ACM and W4C members", "the Association for Computing Machinery; Women for Change"}) ==
          "acm=association for computing machinery; w4c=women for change");
}

TEST_CASE("no acronym where the long form is not surely there") {
    // Not in capitals; not used; two different long forms.
    CHECK(spelled_out({"R2P", "their responsibility to protect civilians"}).empty());
    CHECK(spelled_out({"the Responsibility to Protect"}).empty());
    CHECK(spelled_out({"see ABC", "Alpha Beta Conference", "Apple Banana Cake"}).empty());
    // Minor words and single letters are no initials when spelled out apart.
    CHECK(spelled_out({"the DTD", "from Document to the Document"}).empty());
    CHECK(spelled_out({"the DIO port", "Data I O"}).empty());
    // Two letters are too easily matched by chance: UN, "United Nations".
    CHECK(spelled_out({"the UN", "the United Nations"}).empty());
    // A name broken by punctuation does not run on.
    CHECK(spelled_out({"HRC", "Human Rights. Council"}).empty());
    // A file or web name is no word of a name (Scala's manuals: "not
    // specified by SLS", and "SpecializeTypes.scala Linear Supertypes").
    CHECK(spelled_out({"not specified by SLS", "SpecializeTypes.scala Linear Supertypes"}).empty());
    CHECK(spelled_out({"the SLS says", "Scala Language Specification"}) == "sls=scala language specification");
    // Defined in parentheses already: left to that definition.
    CHECK(spelled_out({"R2P", "the Responsibility to Protect"}, "r2p").empty());
}
