// Reading and adding to Xapian stub files; see stub_file.h.
#include "indexer/analysis/stub_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "indexer/analysis/error.h"

namespace loci {
namespace {

namespace fs = std::filesystem;

std::string folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

std::string trim(const std::string& s) {
    const std::size_t from = s.find_first_not_of(" \t\r");
    if (from == std::string::npos) return {};
    return s.substr(from, s.find_last_not_of(" \t\r") - from + 1);
}

/// The entries of stub text @p text; @p name for messages, @p folder for relative paths.
std::vector<StubEntry> parse_stub(const std::string& text, const std::string& name, const std::string& folder) {
    std::vector<StubEntry> entries;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        // As Xapian reads it: the first word, then the rest of the line (a
        // path may hold spaces).
        const std::size_t start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#') continue;
        const std::size_t space = std::min(line.find_first_of(" \t", start), line.size());
        const std::string kind = line.substr(start, space - start);
        std::string where = trim(line.substr(space));
        const std::string at = "stub file " + name + " line " + std::to_string(number);
        if ((kind != "auto" && kind != "glass" && kind != "remote") || where.empty() ||
            (kind == "remote" && where.find_first_of(" \t") != std::string::npos))
            throw IndexOpenError(at + ": expected 'auto PATH' or 'remote HOST:PORT'");
        if (kind == "remote" && remote_port(where) == 0) throw IndexOpenError(at + ": bad port in 'remote " + where + "'");
        if (kind != "remote" && where[0] != '/') where = folder + "/" + where;
        entries.push_back(StubEntry{kind == "remote" ? "remote" : "auto", where});
    }
    return entries;
}

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

bool same_database(const std::string& a, const std::string& b) {
    std::error_code ea, eb;
    const fs::path pa = fs::weakly_canonical(fs::absolute(a), ea), pb = fs::weakly_canonical(fs::absolute(b), eb);
    return !ea && !eb && pa == pb;
}

}  // namespace

unsigned remote_port(const std::string& where) {
    const std::size_t colon = where.rfind(':');
    if (colon == std::string::npos) return 0;
    const long port = std::atol(where.c_str() + colon + 1);
    return port > 0 && port <= 65535 ? static_cast<unsigned>(port) : 0;
}

std::string remote_host(const std::string& where) {
    const std::size_t colon = where.rfind(':');
    return colon == 0 ? "127.0.0.1" : where.substr(0, colon);
}

std::vector<StubEntry> read_stub(const std::string& stub_path, bool may_be_empty) {
    std::ifstream in(stub_path);
    if (!in) throw IndexOpenError("cannot read stub file " + stub_path);
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<StubEntry> entries = parse_stub(text.str(), stub_path, folder_of(stub_path));
    if (entries.empty() && !may_be_empty) throw IndexOpenError("stub file " + stub_path + " names no database");
    return entries;
}

void add_to_stub(const std::string& stub_path, const std::string& db_path) {
    const int fd = ::open(stub_path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw Error("cannot write stub file " + stub_path + ": " + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }  // also releases the lock
    } closer{fd};
    if (::flock(fd, LOCK_EX) != 0) throw Error("cannot lock stub file " + stub_path + ": " + std::strerror(errno));
    const std::string text = read_all(fd);
    for (const StubEntry& e : parse_stub(text, stub_path, folder_of(stub_path)))
        if (e.kind == "auto" && same_database(e.where, db_path)) return;
    std::error_code ec;
    fs::path relative = fs::relative(fs::absolute(db_path), fs::absolute(folder_of(stub_path)), ec);
    if (ec || relative.empty()) relative = fs::absolute(db_path);
    std::string add;
    if (text.empty()) add = "# Databases searched as one by: loci --db " + stub_path + "\n";
    else if (text.back() != '\n') add = "\n";
    add += "auto " + relative.string() + "\n";
    // One write of a short line to a file opened for appending: whole or not at all.
    if (::write(fd, add.data(), add.size()) != static_cast<ssize_t>(add.size()) || ::fsync(fd) != 0)
        throw Error("cannot write stub file " + stub_path + ": " + std::strerror(errno));
}

}  // namespace loci
