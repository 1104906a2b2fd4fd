// Tests of reading word-processor documents (.docx, .odt): archives the
// test writes with libzip, their XML as Word and LibreOffice write it,
// seen as the passages a user searches.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "indexer/office_extractor.h"
#include "indexer/passage_segmenter.h"
#include "tests/zip_support.h"

namespace {

using loci::test::Parts;
using loci::test::zip_of;

const std::string kWordNamespaces =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" )"
    R"(xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" )"
    R"(xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" )"
    R"(xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")";

std::string word_part(const std::string& root, const std::string& inside) {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n<w:" + root + " " + kWordNamespaces + ">" +
           inside + "</w:" + root + ">";
}

/// A paragraph of one run, in style @p style ("" for the default).
std::string p(const std::string& text, const std::string& style = "") {
    const std::string props = style.empty() ? "" : R"(<w:pPr><w:pStyle w:val=")" + style + R"("/></w:pPr>)";
    return "<w:p>" + props + R"(<w:r><w:t xml:space="preserve">)" + text + "</w:t></w:r></w:p>";
}

/// Styles as Word writes them in a German document: ids in the author's
/// language, names in English.
const std::string kStyles = word_part(
    "styles",
    R"(<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>)"
    R"(<w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Fett"><w:name w:val="Bold text"/><w:rPr><w:b/></w:rPr></w:style>)"
    R"(<w:style w:type="character" w:styleId="Gross"><w:name w:val="Large"/><w:rPr><w:sz w:val="28"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Kapitel"><w:name w:val="Kapitel"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Listenabsatz"><w:name w:val="List Paragraph"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Verzeichnis1"><w:name w:val="toc 1"/></w:style>)");

loci::SegmentedFile segment(const std::variant<loci::ExtractedText, loci::SkipReason>& extracted,
                            const std::string& path) {
    if (const auto* skip = std::get_if<loci::SkipReason>(&extracted)) FAIL("skipped: " << skip->message);
    return loci::PassageSegmenter().segment(std::get<loci::ExtractedText>(extracted), path);
}

loci::SegmentedFile docx(const std::string& body, Parts more = {}) {
    more.emplace_back("word/document.xml", word_part("document", "<w:body>" + body + "</w:body>"));
    more.emplace_back("word/styles.xml", kStyles);
    return segment(loci::extract_docx(zip_of(more)), "/x/report.docx");
}

const loci::Passage* find(const loci::SegmentedFile& f, const std::string& word) {
    for (const loci::Passage& ps : f.passages)
        if (ps.text.find(word) != std::string::npos) return &ps;
    return nullptr;
}

std::size_t count(const loci::SegmentedFile& f, const std::string& word) {
    std::size_t n = 0;
    for (const loci::Passage& ps : f.passages) n += ps.text.find(word) != std::string::npos;
    return n;
}

}  // namespace

TEST_CASE("a .docx's lines are its paragraphs, headings come from styles, whatever their ids' language") {
    const auto f = docx(p("Wasserversorgung", "berschrift1") + p("") + p("Boreholes were repaired in Kassala.") +
                        p("Findings", "Kapitel") + p("Latrines built in the camp.", "Listenabsatz") +
                        R"(<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Annex</w:t></w:r></w:p>)" +
                        p("Chlorination tablets were handed out."));
    REQUIRE(f.passages.size() == 3);
    CHECK(f.passages[0].text == "Boreholes were repaired in Kassala.");
    CHECK(f.passages[0].line_start == 3);  // the empty paragraph counts
    CHECK(f.passages[0].section == "Wasserversorgung");
    CHECK(f.passages[1].kind == loci::PassageKind::list_item);
    CHECK(f.passages[1].section == "Findings");
    CHECK(f.passages[1].line_start == 5);
    CHECK(f.passages[2].section == "Annex");
    CHECK(f.passages[2].line_start == 7);
    CHECK(f.title == "Wasserversorgung");
}

/// A paragraph of one run with run properties @p props.
std::string run_p(const std::string& text, const std::string& props, const std::string& style = "") {
    const std::string pprops = style.empty() ? "" : R"(<w:pPr><w:pStyle w:val=")" + style + R"("/></w:pPr>)";
    return "<w:p>" + pprops + "<w:r><w:rPr>" + props + R"(</w:rPr><w:t xml:space="preserve">)" + text + "</w:t></w:r></w:p>";
}

TEST_CASE("a .docx's headings set by hand: a short line all bold, or in larger type") {
    const auto f = docx(run_p("Water and sanitation", "<w:b/>") + p("Wells were dug.") +
                        run_p("Health", R"(<w:sz w:val="32"/>)") + p("Clinics opened.") +
                        run_p("Shelter", R"(<w:rStyle w:val="Gross"/>)") + p("Tents arrived.") +
                        p("Protection", "Fett") + p("Visits were made.") +
                        run_p("All wells were tested.", "<w:b/>") + run_p("Not bold after all", R"(<w:b w:val="0"/>)") +
                        R"(<w:p><w:r><w:t xml:space="preserve">Wells dug: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>12</w:t></w:r></w:p>)" +
                        run_p("Slightly larger", R"(<w:sz w:val="24"/>)"));
    REQUIRE(f.passages.size() == 8);
    CHECK(f.passages[0].section == "Water and sanitation");
    CHECK(f.passages[1].section == "Health");
    CHECK(f.passages[2].section == "Shelter");  // 14 points by its character style, against 11
    CHECK(f.passages[3].section == "Protection");  // bold by its paragraph style
    CHECK(f.passages[4].text == "All wells were tested.");  // a sentence in bold
    CHECK(f.passages[5].text == "Not bold after all");
    CHECK(f.passages[6].text == "Wells dug: 12");  // a bold word in a line
    CHECK(f.passages[7].text == "Slightly larger");  // 12 points is not a fifth larger
}

TEST_CASE("tracked deletions, field codes, hidden text, contents entries and a drawing's fallback copy are no text") {
    const std::string box = R"(<w:txbxContent>)" + p("A boxed note on cholera cases.") + "</w:txbxContent>";
    const auto f = docx(
        p("Contents entry naming Kassala 3", "Verzeichnis1") +
        R"(<w:p><w:r><w:t xml:space="preserve">The mission </w:t></w:r>)"
        R"(<w:del w:id="1"><w:r><w:delText>secretlydeleted </w:delText></w:r></w:del>)"
        R"(<w:ins w:id="2"><w:r><w:t xml:space="preserve">reached </w:t></w:r></w:ins>)"
        R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK fieldcodeword </w:instrText></w:r>)"
        R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Kassala</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)"
        R"(<w:r><w:t xml:space="preserve"> in May.</w:t></w:r>)"
        R"(<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> hiddenword</w:t></w:r>)"
        R"(<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>)" + box +
        R"(</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>)" + box +
        R"(</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>)");
    const loci::Passage* mission = find(f, "mission");
    REQUIRE(mission);
    CHECK(mission->text == "The mission reached Kassala in May.");
    CHECK(count(f, "Kassala") == 1);  // not the contents entry
    CHECK(count(f, "secretlydeleted") == 0);
    CHECK(count(f, "fieldcodeword") == 0);
    CHECK(count(f, "hiddenword") == 0);
    CHECK(count(f, "cholera") == 1);  // the box once, as a passage of its own
    CHECK(find(f, "cholera")->text == "A boxed note on cholera cases.");
}

TEST_CASE("a .docx's notes follow its body, cited as Word numbers them") {
    const std::string note_part =
        R"(<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>)"
        R"(<w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Postponed twice by floods.</w:t></w:r></w:p></w:footnote>)";
    const auto f = docx(
        R"(<w:p><w:r><w:t>The visit took place in May.</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p>)"
        R"(<w:p><w:r><w:t>Funding came late.</w:t></w:r><w:r><w:endnoteReference w:id="2"/></w:r></w:p>)",
        {{"word/footnotes.xml", word_part("footnotes", note_part)},
         {"word/endnotes.xml",
          word_part("endnotes", R"(<w:endnote w:id="2"><w:p><w:r><w:t>Donor report, annex B.</w:t></w:r></w:p></w:endnote>)")}});
    REQUIRE(f.passages.size() == 4);
    CHECK(f.passages[0].cites_footnote("1"));
    CHECK(f.passages[1].cites_footnote("i"));
    CHECK(f.passages[2].kind == loci::PassageKind::footnote);
    CHECK(f.passages[2].label == "1");
    CHECK(f.passages[2].text == "Postponed twice by floods.");
    CHECK(f.passages[2].line_start == 3);
    CHECK(f.passages[3].label == "i");
    CHECK(f.passages[3].line_start == 4);
}

TEST_CASE("a .docx table's rows are rows, a one-column table is read as its paragraphs") {
    auto cell = [](const std::string& text) { return "<w:tc>" + p(text) + "</w:tc>"; };
    const auto f = docx("<w:tbl><w:tr>" + cell("Site") + cell("Households") + "</w:tr><w:tr>" + cell("Girba") +
                        cell("1,200") + "</w:tr></w:tbl>" + "<w:tbl><w:tr><w:tc>" + p("Boxed first paragraph.") +
                        p("Boxed second paragraph.") + "</w:tc></w:tr></w:tbl>");
    REQUIRE(f.passages.size() == 3);
    CHECK(f.passages[0].kind == loci::PassageKind::table_row);
    CHECK(f.passages[0].text == "Girba | 1,200");
    CHECK(f.passages[0].line_start == 2);
    CHECK(f.passages[1].text == "Boxed first paragraph.");
    CHECK(f.passages[2].text == "Boxed second paragraph.");
    CHECK(f.passages[1].kind == loci::PassageKind::paragraph);
}

TEST_CASE("a .docx link keeps its address, its own markdown signs are text") {
    const auto f = docx(
        R"(<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>the maps</w:t></w:r></w:hyperlink></w:p>)" +
            p("# of pumps unknown") + p("- a typed dash, *not* emphasis"),
        {{"word/_rels/document.xml.rels",
          R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
          R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" )"
          R"(Target="https://www.icrc.org/en/kassala-water" TargetMode="External"/></Relationships>)"}});
    REQUIRE(f.passages.size() == 3);
    CHECK(f.passages[0].text == "See the maps");
    CHECK(f.passages[0].hidden_text == "https://www.icrc.org/en/kassala-water");
    CHECK(f.passages[1].text == "# of pumps unknown");
    CHECK(f.passages[1].section.empty());
    CHECK(f.passages[2].text == "a typed dash, *not* emphasis");  // a dash typed as a bullet reads as one
    CHECK(f.passages[2].kind == loci::PassageKind::list_item);
}

TEST_CASE("a .docx title comes from its properties, unless it is a placeholder") {
    auto core = [](const std::string& title) {
        return Parts{{"docProps/core.xml",
                      R"(<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" )"
                      R"(xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>)" + title + "</dc:title></cp:coreProperties>"}};
    };
    const std::string body = p("Water access", "berschrift1") + p("Text.");
    CHECK(docx(body, core("Field report on water")).title == "Field report on water");
    CHECK(docx(body, core("Microsoft Word - draft_v3.docx")).title == "Water access");
}

TEST_CASE("an .odt: headings, lists, spaces, notes, tables and its title") {
    const std::string ns =
        R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
        R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
        R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
        R"(xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink")";
    const std::string content =
        R"(<?xml version="1.0"?><office:document-content )" + ns + R"(><office:body><office:text>)"
        R"(<text:tracked-changes><text:changed-region><text:deletion><text:p>secretlydeleted</text:p></text:deletion></text:changed-region></text:tracked-changes>)"
        R"(<text:table-of-content><text:index-body><text:p>Findings 2</text:p></text:index-body></text:table-of-content>)"
        R"(<text:h text:outline-level="2">Findings</text:h>)"
        R"(<text:p>Wells<text:s text:c="3"/>dug: 12.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>)"
        R"(<text:note-body><text:p>Counted in <text:a xlink:href="https://example.org/wells">the survey</text:a>.</text:p></text:note-body></text:note></text:p>)"
        R"(<text:list><text:list-item><text:p>Latrines built.</text:p></text:list-item></text:list>)"
        R"(<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Site</text:p></table:table-cell>)"
        R"(<table:table-cell><text:p>Households</text:p></table:table-cell></table:table-row></table:table-header-rows>)"
        R"(<table:table-row><table:table-cell><text:p>Girba</text:p></table:table-cell><table:table-cell><text:p>1,200</text:p></table:table-cell></table:table-row></table:table>)"
        R"(</office:text></office:body></office:document-content>)";
    const std::string meta = R"(<?xml version="1.0"?><office:document-meta )" + ns +
                             R"(><office:meta><dc:title>Water report</dc:title></office:meta></office:document-meta>)";
    const auto f = segment(loci::extract_odt(zip_of({{"content.xml", content}, {"meta.xml", meta}})), "/x/report.odt");
    CHECK(f.title == "Water report");
    REQUIRE(f.passages.size() == 4);
    CHECK(f.passages[0].text == "Wells dug: 12.");
    CHECK(f.passages[0].section == "Findings");
    CHECK(f.passages[0].line_start == 2);
    CHECK(f.passages[0].cites_footnote("1"));
    CHECK(f.passages[1].kind == loci::PassageKind::list_item);
    CHECK(f.passages[2].kind == loci::PassageKind::table_row);
    CHECK(f.passages[2].text == "Girba | 1,200");
    CHECK(f.passages[3].kind == loci::PassageKind::footnote);
    CHECK(f.passages[3].text == "Counted in the survey.");
    CHECK(f.passages[3].hidden_text == "https://example.org/wells");
    CHECK(f.passages[3].line_start == 6);
}

TEST_CASE("what is not a readable document is one reason, naming what is wrong") {
    auto reason = [](const std::variant<loci::ExtractedText, loci::SkipReason>& r) {
        REQUIRE(std::holds_alternative<loci::SkipReason>(r));
        return std::get<loci::SkipReason>(r).message;
    };
    CHECK_THAT(reason(loci::extract_docx("plain text saved as .docx")), Catch::Contains("not a readable .docx"));
    CHECK_THAT(reason(loci::extract_docx(zip_of({{"content.xml", "<x/>"}}))), Catch::Contains("no word/document.xml"));
    CHECK_THAT(reason(loci::extract_odt(zip_of({{"word/document.xml", "<x/>"}}))), Catch::Contains("no content.xml"));
    const std::string empty = word_part("document", "<w:body>" + p("") + "</w:body>");
    CHECK_THAT(reason(loci::extract_docx(zip_of({{"word/document.xml", empty}}))), Catch::Contains("without text"));
}
