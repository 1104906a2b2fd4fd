// Zip archives written by the tests (.docx, .odt, .epub): with libzip,
// to a file, read back as bytes.
#pragma once
#include <unistd.h>
#include <zip.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace loci::test {

using Parts = std::vector<std::pair<std::string, std::string>>;

/// A zip archive of @p parts, in their order, as bytes.
inline std::string zip_of(const Parts& parts) {
    static int n = 0;
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("loci-zip-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".zip"))
                                 .string();
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    REQUIRE(zip);
    for (const auto& [name, data] : parts) {
        zip_source_t* source = zip_source_buffer(zip, data.data(), data.size(), 0);
        REQUIRE(source);
        REQUIRE(zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8) >= 0);
    }
    REQUIRE(zip_close(zip) == 0);
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    return bytes;
}

}  // namespace loci::test
