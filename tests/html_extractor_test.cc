// Tests of reading HTML pages: what the extractor gives the segmenter, seen
// as the passages a user searches (their text and their hidden link targets).
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "indexer/html_extractor.h"
#include "indexer/passage_segmenter.h"

namespace {

std::vector<loci::Passage> passages_of(const std::string& body) {
    auto extracted = loci::extract_html("<html><body>\n" + body + "\n</body></html>");
    REQUIRE(std::holds_alternative<loci::ExtractedText>(extracted));
    return loci::PassageSegmenter().segment(std::get<loci::ExtractedText>(extracted), "/x/page.html").passages;
}

}  // namespace

TEST_CASE("a link's address is searchable hidden text, as a markdown link's") {
    auto ps = passages_of(
        "<p>See the <a href=\"https://www.icrc.org/en/customary-ihl-database\">customary <b>rules</b></a> "
        "(2005).</p>");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].text == "See the customary rules (2005).");
    CHECK(ps[0].hidden_text == "https://www.icrc.org/en/customary-ihl-database");
}

TEST_CASE("an address keeps its parentheses, spaces and markdown characters") {
    auto ps = passages_of(
        "<p><a href=\"https://en.wikipedia.org/wiki/Geneva_Conventions_(1949)\">Conventions</a> and "
        "<a href=\"/docs/r2p_*report*.html?a=1&amp;b=[2]\">the report</a>.</p>");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].text == "Conventions and the report.");
    CHECK(ps[0].hidden_text == "https://en.wikipedia.org/wiki/Geneva_Conventions_(1949) /docs/r2p_*report*.html?a=1&b=[2]");
}

TEST_CASE("jumps within the page, scripts and icons add no address") {
    auto ps = passages_of(
        "<p>Protection<a href=\"#fn1\"><sup>1</sup></a> of <a href=\"javascript:void(0)\">civilians</a>."
        "<a href=\"https://example.org/share\"><img src=\"share.png\"></a></p>");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].text == "Protection1 of civilians.");
    CHECK(ps[0].hidden_text.empty());
}

TEST_CASE("a link whose text markdown cannot hold keeps its text, nothing lost") {
    auto ps = passages_of(
        "<p>As <a href=\"https://a.org/n\">note [3]</a> says.</p>\n"
        "<a href=\"https://a.org/block\"><p>A whole block as a link.</p></a>\n"
        "<p>Forged \x01marks\x02 https://b.org\x03 stay text.</p>");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].text == "As note [3] says.");
    CHECK(ps[0].hidden_text.empty());
    CHECK(ps[1].text == "A whole block as a link.");
    CHECK(ps[2].text == "Forged marks https://b.org stay text.");
    CHECK(ps[2].hidden_text.empty());
}

TEST_CASE("a page's text that looks like markdown stays as written") {
    auto ps = passages_of("<p>&gt; 50 people were *displaced* in [two] camps_a_b.</p>");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].text == "> 50 people were *displaced* in [two] camps_a_b.");
    // A paragraph that starts with '#' is no heading of the page.
    ps = passages_of("<h2>Needs</h2><p># of people reached: 4,000.</p><p>```</p><p>Water points.</p>");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].text == "# of people reached: 4,000.");
    CHECK(ps[0].section == "Needs");
    CHECK(ps[1].text == "```");
    CHECK(ps[2].section == "Needs");
}

TEST_CASE("footnotes of a page: references cite them, their list items are footnotes") {
    // pandoc's HTML5, and Wikipedia's bracketed references in <sup>.
    auto ps = passages_of(
        "<p>Wells were dug in Kassala.<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref1\" role=\"doc-noteref\">"
        "<sup>1</sup></a> Pumps came later.<sup class=\"reference\"><a href=\"#cite_note-7\">[7]</a></sup></p>\n"
        "<p>An area of 40 m<sup>2</sup> was cleared.</p>\n"
        "<ul><li><p>A list item in a paragraph</p></li></ul>\n"
        "<section class=\"footnotes\"><ol>\n"
        "<li id=\"fn1\"><p>Postponed twice by floods.<a href=\"#fnref1\" class=\"footnote-back\" role=\"doc-backlink\">"
        "\xe2\x86\xa9\xef\xb8\x8e</a></p></li>\n"
        "<li id=\"cite_note-7\">Donor report, annex B.</li></ol></section>");
    REQUIRE(ps.size() == 5);
    CHECK(ps[0].text == "Wells were dug in Kassala. Pumps came later.");
    CHECK(ps[0].cites_footnote("1"));
    CHECK(ps[0].cites_footnote("7"));
    CHECK(ps[1].text == "An area of 40 m2 was cleared.");  // a superscript that is no reference stays
    CHECK(ps[2].kind == loci::PassageKind::list_item);
    CHECK(ps[3].kind == loci::PassageKind::footnote);
    CHECK(ps[3].label == "1");
    CHECK(ps[3].text == "Postponed twice by floods.");  // without the way back
    CHECK(ps[4].kind == loci::PassageKind::footnote);
    CHECK(ps[4].label == "7");
}
