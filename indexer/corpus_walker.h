/** @file corpus_walker.h
 *  @brief Roots (files and folders) -> the source files to index.
 *
 *  Recurses into folders; skips hidden entries, the database folder and
 *  whatever matches an --exclude glob. Symbolic links to files are
 *  followed; links to folders are not (so no loop can trap the walk).
 *  Problems (unreadable folder, missing root) are reported, not thrown.
 */
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace loci {

struct SourceFile {
    std::string path;       ///< its name in the index: absolute, or relative to IndexOptions::root
    std::string read_path;  ///< where to read it (absolute); "" means path
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

struct WalkOptions {
    std::vector<std::string> excludes;  ///< globs matched against the base name and the path
    std::string skip_dir;               ///< absolute path never entered (the database)
    std::vector<std::string> extensions = {".txt", ".md", ".markdown", ".pdf",
                                           ".html", ".htm", ".xhtml", ".docx", ".odt", ".epub"};  ///< what is indexed
};

struct WalkResult {
    std::vector<SourceFile> files;      ///< sorted by path
    std::vector<std::string> warnings;  ///< one line each, naming the path
    std::vector<std::string> unsupported;  ///< files skipped for their format
};

WalkResult walk_corpus(const std::vector<std::string>& roots, const WalkOptions& options);

/// Absolute, lexically normal form of @p path (no file-system access beyond cwd).
std::string absolute_path(const std::string& path);

}  // namespace loci
