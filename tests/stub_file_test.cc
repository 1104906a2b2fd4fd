// Tests of stub files: what loci --db reads, what loci-index --stub writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "indexer/analysis/error.h"
#include "indexer/analysis/stub_file.h"
#include "test_support.h"

using loci::test::TempDir;
using loci::test::read_file;

TEST_CASE("a stub lists local databases relative to its folder, and remote ones") {
    TempDir dir;
    const std::string stub = dir.write("shards/all.stub",
                                       "# shards\n\nauto one.db\nglass /abs/two.db\n  remote 10.0.0.1:7001  \n"
                                       "auto with space.db\n");
    const auto entries = loci::read_stub(stub);
    REQUIRE(entries.size() == 4);
    CHECK((entries[0].kind == "auto" && entries[0].where == dir.path("shards") + "/one.db"));
    CHECK((entries[1].kind == "auto" && entries[1].where == "/abs/two.db"));
    CHECK((entries[2].kind == "remote" && entries[2].where == "10.0.0.1:7001"));
    CHECK(entries[3].where == dir.path("shards") + "/with space.db");
}

TEST_CASE("a stub line that cannot be read is named by file and line") {
    TempDir dir;
    auto message = [&](const std::string& text) {
        const std::string stub = dir.write("s.stub", text);
        try {
            loci::read_stub(stub);
        } catch (const loci::IndexOpenError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("auto a.db\nremote host:99999\n") == "stub file " + dir.path("s.stub") + " line 2: bad port in 'remote host:99999'");
    CHECK(message("tcp host:1\n") == "stub file " + dir.path("s.stub") + " line 1: expected 'auto PATH' or 'remote HOST:PORT'");
    CHECK(message("# nothing\n") == "stub file " + dir.path("s.stub") + " names no database");
    CHECK(loci::read_stub(dir.path("s.stub"), true).empty());
    CHECK(message("remote a b:1\n").find("line 1") != std::string::npos);
}

TEST_CASE("adding to a stub creates it, lists each database once, relative to the stub") {
    TempDir dir;
    const std::string stub = dir.path("all.stub");
    loci::add_to_stub(stub, dir.path("shards/s1.db"));
    loci::add_to_stub(stub, dir.path("shards/s2.db"));
    loci::add_to_stub(stub, dir.path("shards/../shards/s1.db"));  // the same database
    const std::string text = read_file(stub);
    CHECK(text.rfind("# ", 0) == 0);
    CHECK(text.find("auto shards/s1.db\nauto shards/s2.db\n") != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);
    const auto entries = loci::read_stub(stub);
    REQUIRE(entries.size() == 2);
    CHECK(entries[1].where == dir.path("shards/s2.db"));
}

TEST_CASE("indexers adding to one stub at once lose no line") {
    TempDir dir;
    const std::string stub = dir.path("all.stub");
    std::vector<std::thread> adders;
    for (int i = 0; i < 8; ++i)
        adders.emplace_back([&, i] { loci::add_to_stub(stub, dir.path("s" + std::to_string(i) + ".db")); });
    for (std::thread& t : adders) t.join();
    const auto entries = loci::read_stub(stub);
    CHECK(entries.size() == 8);
    for (int i = 0; i < 8; ++i)
        CHECK(std::count_if(entries.begin(), entries.end(), [&](const loci::StubEntry& e) {
                  return e.where == dir.path("s" + std::to_string(i) + ".db");
              }) == 1);
}

TEST_CASE("a stub that cannot be written is an error naming it") {
    TempDir dir;
    CHECK_THROWS_WITH(loci::add_to_stub(dir.path("no/such/folder/all.stub"), dir.path("a.db")),
                      Catch::Contains("cannot write stub file " + dir.path("no/such/folder/all.stub")));
}

TEST_CASE("HOST:PORT of a remote line: the host, and the port or 0") {
    CHECK(loci::remote_host("shards.example.org:5050") == "shards.example.org");
    CHECK(loci::remote_port("shards.example.org:5050") == 5050);
    CHECK(loci::remote_host(":5050") == "127.0.0.1");  // as Xapian reads it
    CHECK(loci::remote_port("host:0") == 0);
    CHECK(loci::remote_port("host:65536") == 0);
    CHECK(loci::remote_port("host") == 0);
}
