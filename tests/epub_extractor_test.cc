// Tests of reading e-books (.epub): archives the test writes with libzip,
// laid out as EPUB 3 producers lay them out, seen as passages.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "indexer/epub_extractor.h"
#include "indexer/passage_segmenter.h"
#include "tests/zip_support.h"

namespace {

using loci::test::zip_of;

const std::string kContainer =
    R"(<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">)"
    R"(<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>)";

/// A package listing the navigation document and two chapters, the second
/// first in the manifest but last in the spine, in folders and with a
/// space in a name.
const std::string kPackage =
    R"(<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">)"
    R"(<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Water in the Sahel</dc:title></metadata>)"
    R"(<manifest><item id="c2" href="text/chapter%202.xhtml" media-type="application/xhtml+xml"/>)"
    R"(<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>)"
    R"(<item id="css" href="../styles/book.css" media-type="text/css"/>)"
    R"(<item id="c1" href="text/../text/chapter1.xhtml" media-type="application/xhtml+xml"/></manifest>)"
    R"(<spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="css"/><itemref idref="c2"/></spine></package>)";

std::string page(const std::string& body) {
    return R"(<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>)" + body +
           "</body></html>";
}

}  // namespace

TEST_CASE("an e-book's chapters in reading order, its blocks numbered through the book") {
    const std::string bytes = zip_of({{"mimetype", "application/epub+zip"},
                                      {"META-INF/container.xml", kContainer},
                                      {"OEBPS/content.opf", kPackage},
                                      {"OEBPS/nav.xhtml", page("<nav><ol><li>Wells navword</li></ol></nav>")},
                                      {"OEBPS/text/chapter 2.xhtml", page("<h1>Latrines</h1><p>Latrines were built.</p>")},
                                      {"OEBPS/text/chapter1.xhtml",
                                       page("<h1>Wells</h1>\n<p>Wells were dug\nin May.</p>\n<ul><li>Twelve wells</li></ul>")}});
    const auto extracted = loci::extract_epub(bytes);
    REQUIRE(std::holds_alternative<loci::ExtractedText>(extracted));
    const auto& text = std::get<loci::ExtractedText>(extracted);
    CHECK(text.title == "Water in the Sahel");
    const auto f = loci::PassageSegmenter().segment(text, "/x/book.epub");
    REQUIRE(f.passages.size() == 3);
    CHECK(f.passages[0].text == "Wells were dug in May.");  // not the navigation's "Wells navword"
    CHECK(f.passages[0].section == "Wells");
    CHECK(f.passages[0].line_start == 2);
    CHECK(f.passages[1].kind == loci::PassageKind::list_item);
    CHECK(f.passages[1].line_start == 3);
    CHECK(f.passages[2].text == "Latrines were built.");
    CHECK(f.passages[2].section == "Latrines");
    CHECK(f.passages[2].line_start == 5);  // numbered on across chapters
}

TEST_CASE("what is not a readable e-book is one reason") {
    auto reason = [](const std::string& bytes) {
        const auto r = loci::extract_epub(bytes);
        REQUIRE(std::holds_alternative<loci::SkipReason>(r));
        return std::get<loci::SkipReason>(r).message;
    };
    CHECK_THAT(reason("not a zip"), Catch::Contains("not a readable .epub"));
    CHECK_THAT(reason(zip_of({{"mimetype", "application/epub+zip"}})), Catch::Contains("no META-INF/container.xml"));
    CHECK_THAT(reason(zip_of({{"META-INF/container.xml", kContainer}})), Catch::Contains("no OEBPS/content.opf"));
    CHECK_THAT(reason(zip_of({{"META-INF/container.xml", kContainer}, {"OEBPS/content.opf", kPackage}})),
               Catch::Contains("without text"));
}
