// Tests of inline markup stripping and its source map.
#include <catch2/catch.hpp>

#include "indexer/markup_cleaner.h"

using loci::clean_markup;

namespace {
/// Source column of each byte of the cleaned text must hold the same byte
/// in the source, wherever the text was copied (not decoded).
void check_map(const std::string& source) {
    loci::CleanText c = clean_markup(source);
    loci::Passage p;
    p.text = c.text;
    p.line_start = 1;
    for (auto r : c.runs) p.runs.push_back(loci::SourceRun{r.text_offset, 1, r.column});
    for (std::uint32_t i = 0; i < c.text.size(); ++i) {
        if (c.text[i] == ' ') continue;
        auto [line, column] = p.source_of(i);
        REQUIRE(column < source.size());
        if (source[column] != '&') CHECK(source[column] == c.text[i]);
    }
}
}  // namespace

TEST_CASE("footnote markers leave a word boundary, never glue") {
    CHECK(clean_markup("through the UN<sup>16</sup> as well").text == "through the UN as well");
    CHECK(clean_markup("UN<sup>16</sup>as").text == "UN as");
    CHECK(clean_markup("the 20<sup>th</sup> Party").text == "the 20th Party");
}

TEST_CASE("footnote markers are kept aside as references, where they stood") {
    auto c = clean_markup("the UN<sup>16</sup> and the AU.<sup>17, 18</sup> Then[^n4] more");
    CHECK(c.text == "the UN and the AU. Then more");
    REQUIRE(c.cites.size() == 4);
    CHECK(c.cites[0] == loci::FootnoteRef{6, "16"});
    CHECK(c.cites[1] == loci::FootnoteRef{18, "17"});
    CHECK(c.cites[2] == loci::FootnoteRef{18, "18"});
    CHECK(c.cites[3] == loci::FootnoteRef{23, "n4"});
    CHECK(clean_markup("the 20<sup>th</sup> Party").cites.empty());
    CHECK(clean_markup("a [^not a label] b").text == "a [^not a label] b");
}

TEST_CASE("HTML tags are stripped, block tags separate words") {
    CHECK(clean_markup("<p>one</p><p>two</p>").text == "one two");
    CHECK(clean_markup("Weak <b>Unchanged</b>").text == "Weak Unchanged");
    CHECK(clean_markup("a <i>Rome Statute</i> , b").text == "a Rome Statute , b");
}

TEST_CASE("markdown emphasis is stripped, intraword underscores stay") {
    CHECK(clean_markup("***“China is”*** said").text == "“China is” said");
    CHECK(clean_markup("**abstained**.").text == "abstained.");
    CHECK(clean_markup("_Having worked_ here").text == "Having worked here");
    CHECK(clean_markup("bej_beijing").text == "bej_beijing");
}

TEST_CASE("links keep their text, the URL is hidden but kept") {
    auto c = clean_markup("see [r2pasiapacific.org](https://r2pasiapacific.org) now");
    CHECK(c.text == "see r2pasiapacific.org now");
    CHECK(c.hidden == "https://r2pasiapacific.org");
    auto same = clean_markup("[https://a.org/x](https://a.org/x)");
    CHECK(same.text == "https://a.org/x");
    CHECK(same.hidden.empty());
}

TEST_CASE("a link's address ends at its own parenthesis, as CommonMark's") {
    // Balanced parentheses inside, as Wikipedia's addresses have them.
    auto balanced = clean_markup("the [Conventions](https://en.wikipedia.org/wiki/Geneva_Conventions_(1949)) apply");
    CHECK(balanced.text == "the Conventions apply");
    CHECK(balanced.hidden == "https://en.wikipedia.org/wiki/Geneva_Conventions_(1949)");
    // Escaped ones, as the HTML extractor writes an href's.
    auto escaped = clean_markup("[a](x\\)y\\(z) b");
    CHECK(escaped.text == "a b");
    CHECK(escaped.hidden == "x)y(z");
    // Only escapes and entities are decoded: an address has no emphasis.
    auto plain = clean_markup("[a]( <https://a.org/x_(y)_*z*?p=1&amp;q=2> )");
    CHECK(plain.hidden == "https://a.org/x_(y)_*z*?p=1&q=2");
    // Unclosed: no link, the brackets stay as written.
    auto open = clean_markup("[a](x(y) b");
    CHECK(open.text == "[a](x(y) b");
    CHECK(open.hidden.empty());
}

TEST_CASE("images read as their alt text, reference links take their defined address") {
    auto image = clean_markup("see ![Figure 1: map of camps](maps/camps.png) here!");
    CHECK(image.text == "see Figure 1: map of camps here!");
    CHECK(image.hidden.empty());
    const loci::LinkDefinitions links = {{"icrc", "https://www.icrc.org"}, {"the report", "report.pdf"}};
    auto ref = clean_markup("the [Committee][ICRC] and [the report][] and [x][nowhere]", 0, &links);
    CHECK(ref.text == "the Committee and the report and x");
    CHECK(ref.hidden == "https://www.icrc.org report.pdf");
    // Bracketed citations are no links: their text has no letter.
    CHECK(clean_markup("as reported [3][4].", 0, &links).text == "as reported [3][4].");
    // Where each word came from, through the link's brackets.
    CHECK(ref.runs.size() >= 2);
    CHECK(ref.runs[1].column == std::string("the [").size());
}

TEST_CASE("a link definition is recognised only with an address that looks like one") {
    std::string label, address;
    CHECK(loci::parse_link_definition("[ICRC]: https://www.icrc.org \"The ICRC\"", label, address));
    CHECK(label == "icrc");
    CHECK(address == "https://www.icrc.org");
    CHECK(loci::parse_link_definition("  [a b]: <docs/a_b.pdf>", label, address));
    CHECK(address == "docs/a_b.pdf");
    CHECK_FALSE(loci::parse_link_definition("[Unofficial translation]: The delegation said it would return.", label, address));
    CHECK_FALSE(loci::parse_link_definition("[^1]: a footnote.", label, address));
    CHECK_FALSE(loci::parse_link_definition("[x]:", label, address));
}

TEST_CASE("an HTML comment on one line is no text") {
    auto c = clean_markup("before<!-- an editor's note -->after <!-- unclosed");
    CHECK(c.text == "before after <!-- unclosed");
}

TEST_CASE("autolinks keep the address as text") {
    CHECK(clean_markup("<https://ganhri.org/membership/>.").text == "https://ganhri.org/membership/.");
    // Any scheme of the list the analyzer shares (ascii.h), in any case; an e-mail address.
    CHECK(clean_markup("<HTTPS://GANHRI.ORG/a> <ftp://x.org/f> <MailTo:a@b.org>").text ==
          "HTTPS://GANHRI.ORG/a ftp://x.org/f MailTo:a@b.org");
    CHECK(clean_markup("write to <info@icrc.org>").text == "write to info@icrc.org");
    // Neither an autolink nor a tag: kept as written (it was dropped as a tag).
    CHECK(clean_markup("see <www.icrc.org> or <a.b>").text == "see <www.icrc.org> or <a.b>");
    CHECK(clean_markup("<p class=x>a<br/>b</p><a-b>c <a\nhref=x>d</a>").text == "a b c d");
}

TEST_CASE("escapes and entities are decoded") {
    CHECK(clean_markup("mtdsg\\\\_no").text == "mtdsg_no");
    CHECK(clean_markup("a \\* b").text == "a * b");
    CHECK(clean_markup("Tom &amp; Jerry &#233;&#x41; &lt;x&gt;").text == "Tom & Jerry éA <x>");
    CHECK(clean_markup("AT&T; & co").text == "AT&T; & co");
    // A backslash ending a line is markdown's hard line break, not text.
    CHECK(clean_markup("met the minister\\").text == "met the minister");
    CHECK(clean_markup("\\").text == "\\");
}

TEST_CASE("tabs and runs of spaces become one space, ends trimmed") {
    CHECK(clean_markup("  a\t\tb   c  ").text == "a b c");
}

TEST_CASE("every cleaned byte maps back to its source column") {
    check_map("The <b>judicial</b> system<sup>9</sup> is **warped** by [the CCP](http://x.org) &amp; more");
    check_map("    indented\ttext with\\_escape and <https://a.b/c>");
}
