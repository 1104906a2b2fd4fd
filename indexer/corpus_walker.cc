// Directory walk; see corpus_walker.h.
#include "indexer/corpus_walker.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/error.h"
#include "indexer/analysis/passage_record.h"

namespace loci {
namespace fs = std::filesystem;
namespace {

bool excluded(const fs::path& p, const WalkOptions& options) {
    const std::string name = p.filename().string();
    const std::string full = p.string();
    for (const std::string& glob : options.excludes) {
        if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
        if (fnmatch(glob.c_str(), full.c_str(), 0) == 0) return true;
    }
    return false;
}

bool has_indexed_extension(const fs::path& p, const WalkOptions& options) {
    const std::string ext = ascii_lower(p.extension().string());
    return std::find(options.extensions.begin(), options.extensions.end(), ext) != options.extensions.end();
}

/// Adds @p p if it is a regular file (following a link) of an indexed format.
void consider_file(const fs::path& p, const WalkOptions& options, WalkResult& result, bool named) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        result.warnings.push_back(p.string() + ": cannot read: " + system_message(errno));
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        // Found in a folder, it is passed over as ripgrep does; named, it is
        // what the user asked for, so they hear why nothing was read.
        if (named) result.warnings.push_back(p.string() + ": skipped: not a regular file (a pipe, socket or device)");
        return;
    }
    if (!has_indexed_extension(p, options) && !named) {
        result.unsupported.push_back(p.string());
        return;
    }
    SourceFile f;
    f.path = p.string();
    f.read_path = f.path;
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = mtime_ns_of(st);
    result.files.push_back(std::move(f));
}

void walk_folder(const fs::path& root, const WalkOptions& options, WalkResult& result) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        result.warnings.push_back(root.string() + ": cannot read folder: " + ec.message());
        return;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
            result.warnings.push_back(root.string() + ": " + ec.message());
            ec.clear();
            continue;
        }
        const fs::path& p = it->path();
        const std::string name = p.filename().string();
        const bool is_dir = it->is_directory(ec) && !it->is_symlink(ec);
        if ((!name.empty() && name[0] == '.') || excluded(p, options) ||
            (is_dir && p.string() == options.skip_dir)) {
            if (is_dir) it.disable_recursion_pending();
            continue;
        }
        if (is_dir || it->is_directory(ec)) continue;  // links to folders are not followed
        consider_file(p, options, result, false);
    }
}

}  // namespace

std::string absolute_path(const std::string& path) {
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec) abs = path;
    std::string s = abs.lexically_normal().string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

WalkResult walk_corpus(const std::vector<std::string>& roots, const WalkOptions& options) {
    WalkResult result;
    for (const std::string& root : roots) {
        fs::path p = absolute_path(root);
        std::error_code ec;
        fs::file_status st = fs::status(p, ec);
        if (ec || !fs::exists(st)) {
            result.warnings.push_back(root + ": no such file or folder");
        } else if (fs::is_directory(st)) {
            walk_folder(p, options, result);
        } else {
            consider_file(p, options, result, true);
        }
    }
    std::sort(result.files.begin(), result.files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    result.files.erase(std::unique(result.files.begin(), result.files.end(),
                                   [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
                       result.files.end());
    return result;
}

}  // namespace loci
