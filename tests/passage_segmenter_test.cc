// Tests of passage segmentation: small inputs per rule, then the real corpus.
#include <catch2/catch.hpp>

#include <filesystem>

#include "indexer/analysis/analyzer.h"
#include "indexer/markup_cleaner.h"
#include "indexer/passage_segmenter.h"
#include "indexer/text_extractor.h"
#include "test_support.h"

using loci::PassageKind;
using loci::test::read_file;

namespace {
std::vector<loci::Passage> segment(const std::string& text, loci::SegmentOptions options = {}) {
    loci::PassageSegmenter s(options);
    return s.segment(loci::split_text(text), "/x/report.md").passages;
}

std::vector<std::string> corpus_files() {
    std::vector<std::string> files;
    for (auto& e : std::filesystem::directory_iterator(LOCI_TEST_CORPUS)) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}
}  // namespace

TEST_CASE("paragraphs: lines joined until a blank line") {
    auto ps = segment("First line\nsecond line.\n\nNext paragraph.\n");
    REQUIRE(ps.size() == 2);
    CHECK(ps[0].text == "First line second line.");
    CHECK(ps[0].line_start == 1);
    CHECK(ps[0].line_end == 2);
    CHECK(ps[1].line_start == 4);
}

TEST_CASE("hard-wrapped lines with blank lines between are joined while the sentence goes on") {
    auto ps = segment(
        "1. We believe that the government has done a lot \n\nof work and invested a great amount \n\n"
        "of resources in the recent 5 years. \n\n2. We are pleased to see that, in 2017, the \n\n"
        "Standing Committee passed \n\nthe law. \n\n3. In order to promote the healthy development \n\n"
        "of the cause. \n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].text.rfind("1. We believe", 0) == 0);
    CHECK(ps[0].line_end == 5);
    CHECK(ps[1].kind == PassageKind::list_item);
    CHECK(ps[1].line_start == 7);
    CHECK(ps[1].line_end == 11);
}

TEST_CASE("a lone page number does not split a paragraph") {
    auto ps = segment("training has covered 6.68 million person-time \n\n\n 4 \n\nand the first responder training.\n");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].text == "training has covered 6.68 million person-time and the first responder training.");
    CHECK(ps[0].line_end == 6);
}

TEST_CASE("list items, headings as sections") {
    auto ps = segment("# Report\n\n## Work\n\nIntro:\n\n- the Movement\n- the law\n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].section == "Work");
    CHECK(ps[1].kind == PassageKind::list_item);
    CHECK(ps[1].text == "the Movement");
    CHECK(ps[2].line_start == 8);
    loci::PassageSegmenter s;
    CHECK(s.segment(loci::split_text("# Report\n\ntext.\n"), "/x/r.md").title == "Report");
}

TEST_CASE("table rows: one passage each, headers as context, continuation joined back") {
    auto ps = segment(
        "Area\tIndicator\tAssessment\tNotes\n"
        "Basic\tProtect people.\tFair\tMany feel the force of\n"
        "\tSecond indicator.\tWeak\tNothing new.\n"
        "\n<sup>1</sup> A footnote.\n\n"
        "\t\t\tthe authorities.\n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].kind == PassageKind::table_row);
    CHECK(ps[0].context == "Area | Indicator | Assessment | Notes");
    CHECK(ps[0].text == "Basic | Protect people. | Fair | Many feel the force of | the authorities.");
    CHECK(ps[0].line_start == 2);
    CHECK(ps[0].line_end == 7);
    CHECK(ps[1].text == "Second indicator. | Weak | Nothing new.");
    CHECK(ps[2].kind == PassageKind::footnote);
    CHECK(ps[2].text == "A footnote.");
    CHECK(ps[2].context == "footnote 1");
}

TEST_CASE("markdown pipe tables: a row each, the header as context, cited at its columns") {
    const std::string text =
        "Visits by region:\n"
        "\n"
        "| Region | Visits | Notes |\n"
        "|--------|-------:|:-----:|\n"
        "| North  | 4      | two \\| three *camps* |\n"
        "| south  |        | follow-up |\n"
        "East | 2 | no outer pipes\n"
        "\n"
        "A | B is no table without its delimiter row.\n";
    auto ps = segment(text);
    REQUIRE(ps.size() == 5);
    CHECK(ps[0].text == "Visits by region:");
    for (std::size_t i = 1; i <= 3; ++i) {
        INFO("row " << i);
        CHECK(ps[i].kind == PassageKind::table_row);
        CHECK(ps[i].context == "Region | Visits | Notes");
        CHECK(ps[i].line_start == i + 4);
        CHECK(ps[i].line_end == i + 4);
    }
    CHECK(ps[1].text == "North | 4 | two | three camps");
    CHECK(ps[2].text == "south | follow-up");  // lower case, yet a row of its own; empty cells left out
    CHECK(ps[3].text == "East | 2 | no outer pipes");
    CHECK(ps[4].kind == PassageKind::paragraph);
    CHECK(ps[4].text == "A | B is no table without its delimiter row.");
    // A word is cited at its own line and byte column.
    const std::string line5 = "| North  | 4      | two \\| three *camps* |";
    const auto [line, column] = ps[1].source_of(static_cast<std::uint32_t>(ps[1].text.find("camps")));
    CHECK(line == 5);
    CHECK(column == line5.find("camps"));
}

TEST_CASE("block quotes are read without their markers") {
    auto ps = segment(
        "> The protection of civilians\n"
        "> is a duty of all.\n"
        ">\n"
        "> > - a quoted list item\n"
        "\n"
        "Temperatures a > b stay as written.\n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].kind == PassageKind::paragraph);
    CHECK(ps[0].text == "The protection of civilians is a duty of all.");
    CHECK(ps[0].line_start == 1);
    CHECK(ps[0].line_end == 2);
    const auto [line, column] = ps[0].source_of(static_cast<std::uint32_t>(ps[0].text.find("duty")));
    CHECK(line == 2);
    CHECK(column == std::string("> is a duty").find("duty"));
    CHECK(ps[1].kind == PassageKind::list_item);
    CHECK(ps[1].text == "a quoted list item");
    CHECK(ps[2].text == "Temperatures a > b stay as written.");
}

TEST_CASE("fenced code is one passage read as written, its lines are no headings, items or tables") {
    auto ps = segment(
        "# Data collection\n"
        "\n"
        "The steps below export the register for\n"
        "\n"
        "```bash\n"
        "# export the <b>register</b>\n"
        "\n"
        "  loci-export --quarter 3 > register.csv\n"
        "- not a list item\n"
        "```\n"
        "\n"
        "the quarter's totals.\n"
        "\n"
        "~~~~\n"
        "| a | b |\n"
        "|---|---|\n"
        "~~~\n"
        "~~~~~\n"
        "\n"
        "Inline ```code``` on a line stays text.\n");
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].kind == PassageKind::paragraph);
    // The paragraph goes on after the code, which never takes its words.
    CHECK(ps[0].text == "The steps below export the register for the quarter's totals.");
    CHECK(ps[1].kind == PassageKind::code);
    CHECK(loci::decode_passage(loci::encode_passage(ps[1])).kind == PassageKind::code);
    CHECK(ps[1].text == "# export the <b>register</b> loci-export --quarter 3 > register.csv - not a list item");
    CHECK(ps[1].section == "Data collection");
    CHECK(ps[1].line_start == 6);
    CHECK(ps[1].line_end == 9);
    const auto [line, column] = ps[1].source_of(static_cast<std::uint32_t>(ps[1].text.find("loci-export")));
    CHECK(line == 8);
    CHECK(column == 2);
    // A shorter fence inside a longer one is code; the table is not read.
    CHECK(ps[2].kind == PassageKind::code);
    CHECK(ps[2].text == "| a | b | |---|---| ~~~");
    CHECK(ps[3].kind == PassageKind::paragraph);
    CHECK(ps[3].section == "Data collection");
    CHECK(ps[3].text == "Inline code on a line stays text.");
}

TEST_CASE("an unclosed fence or comment leaves the file as it was") {
    auto ps = segment(
        "```\n"
        "# Findings\n"
        "\n"
        "The mission <!-- draft\n"
        "met the delegation.\n");
    REQUIRE(ps.size() == 2);
    CHECK(ps[0].text == "```");
    CHECK(ps[1].section == "Findings");
    CHECK(ps[1].kind == PassageKind::paragraph);
}

TEST_CASE("an HTML comment over several lines is no text, and ends nothing") {
    auto ps = segment(
        "The delegation visited the camps\n"
        "<!-- page 12: the scan was unreadable,\n"
        "# Not a heading\n"
        "-->\n"
        "in the north in March.\n"
        "\n"
        "<!--\n"
        "- not an item -->\n");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].text == "The delegation visited the camps in the north in March.");
    CHECK(ps[0].section.empty());
}

TEST_CASE("a markdown front matter gives the title and no passage") {
    loci::PassageSegmenter s;
    const auto out = s.segment(loci::split_text("---\n"
                                                "title: \"Humanitarian *access* in 2024\"\n"
                                                "author: Field Office\n"
                                                "---\n"
                                                "\n"
                                                "Access was restricted.\n"),
                               "/x/report.md");
    CHECK(out.title == "Humanitarian access in 2024");
    REQUIRE(out.passages.size() == 1);
    CHECK(out.passages[0].text == "Access was restricted.");
    CHECK(out.passages[0].section.empty());  // "author: Field Office" underlined by "---" is no heading
    // A rule, then text with a colon, never closed: the report's own text.
    const auto ruled = s.segment(loci::split_text("---\n"
                                                  "Note: the figures below are provisional.\n"
                                                  "\n"
                                                  "The mission met the delegation.\n"),
                                 "/x/report.md");
    REQUIRE(ruled.passages.size() == 2);
    CHECK(ruled.passages[0].text == "Note: the figures below are provisional.");
    CHECK(ruled.title == "Note: the figures below are provisional.");
}

TEST_CASE("HTML headings, list items and table rows in markdown read as markdown's") {
    auto ps = segment(
        "<h2 id=\"relief\">Relief operations</h2>\n"
        "\n"
        "<ul>\n"
        "<li>Food parcels for\n"
        "4,000 families</li>\n"
        "<li>Clean water</li>\n"
        "</ul>\n"
        "<table>\n"
        "<tr><th>Province</th><th>Volunteers</th></tr>\n"
        "<tr><td>Hubei</td><td><b>1,200</b></td></tr>\n"
        "</table>\n"
        "<table>\n"
        "<tr><td>Hunan</td><td>950\n"
        "</table>\n"
        "<table class=\"x\"> Then text.\n");
    REQUIRE(ps.size() == 5);
    CHECK(ps[0].kind == PassageKind::list_item);
    CHECK(ps[0].text == "Food parcels for 4,000 families");
    CHECK(ps[0].section == "Relief operations");
    CHECK(ps[1].text == "Clean water");
    CHECK(ps[2].kind == PassageKind::table_row);
    CHECK(ps[2].context == "Province | Volunteers");
    CHECK(ps[2].text == "Hubei | 1,200");
    const auto [line, column] = ps[2].source_of(static_cast<std::uint32_t>(ps[2].text.find("1,200")));
    CHECK(line == 10);
    CHECK(column == std::string("<tr><td>Hubei</td><td><b>").size());
    // A new table has its own header (none here), and an unclosed cell ends with the line.
    CHECK(ps[3].kind == PassageKind::table_row);
    CHECK(ps[3].context.empty());
    CHECK(ps[3].text == "Hunan | 950");
    CHECK(ps[4].text == "Then text.");
}

TEST_CASE("a PDF's headings are those its extractor saw, markdown's signs are its text") {
    loci::ExtractedText pdf = loci::split_text(
        "Humanitarian access\n"
        "in the north\n"
        "\n"
        "# 3 convoys crossed.\n"
        "Status of the convoys\n"
        "=====================\n"
        "Chapter 2\n"
        "Methods\n"
        "The teams counted convoys.\n");
    pdf.markdown_headings = false;
    pdf.lines[0].heading_size = pdf.lines[1].heading_size = 18;
    pdf.lines[6].heading_size = 24;
    pdf.lines[7].heading_size = 16;  // without sizes, "Chapter 2 Methods"
    const auto out = loci::PassageSegmenter().segment(pdf, "/x/report.pdf");
    CHECK(out.title == "Humanitarian access in the north");  // a heading over two lines is one
    REQUIRE(out.passages.size() == 2);
    CHECK(out.passages[0].text == "# 3 convoys crossed. Status of the convoys");
    CHECK(out.passages[0].section == "Humanitarian access in the north");
    CHECK(out.passages[1].section == "Methods");  // headings of two sizes are two
}

TEST_CASE("HTML table rows written a cell a line, as pandoc writes them, are a row each") {
    auto ps = segment(
        "<table>\n"
        "<thead>\n"
        "<tr class=\"header\">\n"
        "<th>Province</th>\n"
        "<th>Volunteers</th>\n"
        "</tr>\n"
        "</thead>\n"
        "<tr class=\"odd\">\n"
        "<td>Hubei</td>\n"
        "<td>1,200</td>\n"
        "</tr>\n"
        "</table>\n");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].kind == PassageKind::table_row);
    CHECK(ps[0].context == "Province | Volunteers");
    CHECK(ps[0].text == "Hubei | 1,200");
    CHECK(ps[0].line_start == 9);
    CHECK(ps[0].line_end == 10);
    const auto [line, column] = ps[0].source_of(static_cast<std::uint32_t>(ps[0].text.find("1,200")));
    CHECK(line == 10);
    CHECK(column == 4);
}

TEST_CASE("reference link definitions are no passage, and give their links' addresses") {
    auto ps = segment(
        "See the [customary rules][ihl] for more.\n"
        "\n"
        "[IHL]: https://ihl-databases.icrc.org/en/customary-ihl\n"
        "\n"
        "[Unofficial translation]: The delegation said it would return.\n");
    REQUIRE(ps.size() == 2);
    CHECK(ps[0].text == "See the customary rules for more.");
    CHECK(ps[0].hidden_text == "https://ihl-databases.icrc.org/en/customary-ihl");
    CHECK(ps[1].text == "[Unofficial translation]: The delegation said it would return.");
}

TEST_CASE("footnotes know their number, and passages the footnotes they cite") {
    auto ps = segment(
        "Evidence arose of stations abroad.<sup>27</sup> Such acts are\n"
        "illegal.<sup>28</sup>\n\n"
        "<sup>27</sup> Al Jazeera, 2023. Secret Overseas Stations.\n"
        "[^28]: Purbrick, 2023.\n");
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].label.empty());
    REQUIRE(ps[0].cites.size() == 2);
    CHECK(ps[0].cites_footnote("27"));
    CHECK(ps[0].cites_footnote("28"));
    CHECK_FALSE(ps[0].cites_footnote("2"));
    CHECK(ps[0].text.substr(0, ps[0].cites[0].text_offset) == "Evidence arose of stations abroad.");
    CHECK(ps[1].kind == PassageKind::footnote);
    CHECK(ps[1].label == "27");
    CHECK(ps[2].label == "28");
    // And they survive the index's encoding.
    const loci::Passage back = loci::decode_passage(loci::encode_passage(ps[0]));
    CHECK(back.cites == ps[0].cites);
    CHECK(loci::decode_passage(loci::encode_passage(ps[1])).label == "27");
}

TEST_CASE("a link's target is not in the text, but the record keeps it") {
    auto ps = segment("See [the ICRC's rules](https://icrc.org/en/ihl-rules) on this.\n\nAfter.\n");
    REQUIRE(ps.size() == 2);
    CHECK(ps[0].text == "See the ICRC's rules on this.");
    CHECK(ps[0].hidden_text == "https://icrc.org/en/ihl-rules");
    // The query side makes the passage's terms again from its record
    // (match_tree's terms_of()): the target must survive the encoding.
    const loci::Passage back = loci::decode_passage(loci::encode_passage(ps[0]));
    CHECK(back.hidden_text == ps[0].hidden_text);
    CHECK(back.text == ps[0].text);
    CHECK(loci::decode_passage(loci::encode_passage(ps[1])).hidden_text.empty());
}

TEST_CASE("a long passage cut in parts keeps each reference with its part") {
    loci::SegmentOptions options;
    options.max_words = 6;
    auto ps = segment("One two three four five.<sup>1</sup> Six seven eight nine ten.<sup>2</sup>\n", options);
    REQUIRE(ps.size() == 2);
    REQUIRE(ps[0].cites.size() == 1);
    CHECK(ps[0].cites[0].label == "1");
    REQUIRE(ps[1].cites.size() == 1);
    CHECK(ps[1].cites[0].label == "2");
    CHECK(ps[1].cites[0].text_offset == ps[1].text.size());
}

TEST_CASE("long passages are split at sentence boundaries") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "Sentence number " + std::to_string(i) + " has six words. ";
    loci::SegmentOptions options;
    options.max_words = 50;
    auto ps = segment(text + "\n", options);
    REQUIRE(ps.size() >= 5);
    for (const auto& p : ps) {
        CHECK(std::count(p.text.begin(), p.text.end(), ' ') + 1 <= 50);
        CHECK(p.text.back() == '.');  // never mid-sentence
    }
}

TEST_CASE("corpus: every passage spans lines, holds no markup, and its words are on its cited lines") {
    loci::analysis::Analyzer analyzer;
    loci::PassageSegmenter segmenter;
    std::size_t passages = 0;
    for (const std::string& path : corpus_files()) {
        const std::string raw = read_file(path);
        const auto source = loci::split_text(raw);
        const auto ps = segmenter.segment(source, path).passages;
        CHECK(ps.size() >= 4);
        for (const auto& p : ps) {
            ++passages;
            INFO(path << ":" << p.line_start << " " << p.text.substr(0, 80));
            CHECK(p.line_start >= 1);
            CHECK(p.line_end >= p.line_start);
            CHECK(p.line_end <= source.lines.size());
            CHECK(p.text.find("<sup>") == std::string::npos);
            CHECK(p.text.find("</p>") == std::string::npos);
            CHECK(p.text.find("**") == std::string::npos);
            CHECK(p.text.find("](") == std::string::npos);
            for (const auto& t : analyzer.analyze(p.text)) {
                if (t.role != loci::analysis::TokenRole::word) continue;
                auto [line, column] = p.source_of(t.byte_start);
                REQUIRE(line >= 1);
                REQUIRE(line <= source.lines.size());
                const std::string& src = source.lines[line - 1].text;
                REQUIRE(column < src.size());
                // The word starts at the cited column, and where no markup
                // interrupts it, the source there spells it.
                const std::string word = p.text.substr(t.byte_start, t.byte_length);
                CHECK(src[column] == word[0]);
                if (src.compare(column, word.size(), word) != 0)
                    CHECK(loci::clean_markup(src.substr(column)).text.find(word.substr(1)) != std::string::npos);
            }
        }
    }
    CHECK(passages > 150);
}

TEST_CASE("corpus: the press-freedom row continued after footnotes is one passage") {
    loci::PassageSegmenter segmenter;
    const std::string path = std::string(LOCI_TEST_CORPUS) + "/r2p-china-assessment-2023.txt";
    auto ps = segmenter.segment(loci::split_text(read_file(path)), path).passages;
    auto it = std::find_if(ps.begin(), ps.end(), [](const auto& p) {
        return p.text.find("journalism and the right to information worldwide") != std::string::npos;
    });
    REQUIRE(it != ps.end());
    CHECK(it->line_end == 150);
    CHECK(it->line_start >= 138);
    CHECK(it->text.find("prison for journalists") != std::string::npos);
}
