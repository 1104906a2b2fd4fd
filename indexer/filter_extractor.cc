// Running a user's filter program on a file; see filter_extractor.h.
#include "indexer/filter_extractor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "indexer/analysis/ascii.h"
#include "indexer/analysis/error.h"

extern char** environ;

namespace loci {
namespace {

/// Both ends closed on exec: a filter spawned by another worker at the
/// same time must not inherit this one's pipe, or our read would wait for
/// that other program to end too.
struct Pipe {
    int read = -1, write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw Error("cannot make a pipe for a filter: " + system_message(errno));
        read = fds[0];
        write = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (read >= 0) ::close(read);
        read = -1;
    }
    void close_write() {
        if (write >= 0) ::close(write);
        write = -1;
    }
};

/// The command for the shell, the path in it as "$1": an argument to the
/// shell, never part of the command line, whatever the file's name. In
/// place of each %f, else last.
std::string shell_script(const std::string& command) {
    std::string script;
    bool placed = false;
    for (std::size_t i = 0; i < command.size(); ++i) {
        if (command.compare(i, 2, "%f") == 0) {
            script += "\"$1\"";
            placed = true;
            ++i;
        } else {
            script += command[i];
        }
    }
    return placed ? script : script + " \"$1\"";
}

/// The filter's process: started in a process group of its own, so that
/// killing the group ends what the shell started too.
class FilterProcess {
  public:
    FilterProcess(const std::string& command, const std::string& path, Pipe& out, Pipe& err) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, out.write, 1);
        posix_spawn_file_actions_adddup2(&actions, err.write, 2);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        const std::string script = shell_script(command);
        const char* argv[] = {"sh", "-c", script.c_str(), "loci-filter", path.c_str(), nullptr};
        const int rc = ::posix_spawn(&pid_, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) throw Error("cannot start /bin/sh for a filter: " + system_message(rc));
    }
    ~FilterProcess() {
        if (pid_ > 0) {
            kill_all();
            wait();
        }
    }
    void kill_all() const { ::kill(-pid_, SIGKILL); }
    /// The wait status.
    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        return status;
    }

  private:
    pid_t pid_ = -1;
};

enum class ReadEnd { done, timed_out, too_large };

/// Reads the filter's stdout into @p out and its stderr's start into @p err
/// until both close, the deadline passes or the output outgrows its limit.
ReadEnd read_output(Pipe& out, Pipe& err, const FilterLimits& limits, std::string& text, std::string& messages) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(limits.seconds);
    char buf[1 << 16];
    while (out.read >= 0 || err.read >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return ReadEnd::timed_out;
        pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
        const int n = ::poll(fds, 2, static_cast<int>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error("cannot wait for a filter: " + system_message(errno));
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            Pipe& pipe = i == 0 ? out : err;
            const ssize_t got = ::read(pipe.read, buf, sizeof buf);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                pipe.close_read();
                continue;
            }
            if (i == 0) {
                text.append(buf, static_cast<std::size_t>(got));
                if (text.size() > limits.max_output_bytes) return ReadEnd::too_large;
            } else if (messages.size() < 4096) {
                messages.append(buf, static_cast<std::size_t>(got));
            }
        }
    }
    return ReadEnd::done;
}

/// The first non-empty line of a program's stderr, for a one-line reason.
std::string first_line(const std::string& messages) {
    std::size_t start = 0;
    while (start < messages.size()) {
        std::size_t end = messages.find('\n', start);
        if (end == std::string::npos) end = messages.size();
        std::string line = messages.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) return line;
        start = end + 1;
    }
    return "";
}

std::string failure(const std::string& command, int status, const std::string& messages) {
    // The shell's own "not found" line would only say it again.
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return "filter program not found: " + command;
    const std::string said = first_line(messages);
    // The shell reports a program it ran that a signal ended as 128 + the signal.
    const int signal = !WIFEXITED(status) ? WTERMSIG(status) : WEXITSTATUS(status) > 128 ? WEXITSTATUS(status) - 128 : 0;
    std::string reason = "filter '" + command + "' ";
    if (signal)
        reason += "was killed by signal " + std::to_string(signal);
    else
        reason += "failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
    return said.empty() ? reason : reason + ": " + said;
}

/// run_filter(), throwing Error where the program cannot be run at all.
std::variant<std::string, SkipReason> run_bounded(const std::string& command, const std::string& path,
                                                  const FilterLimits& limits) {
    Pipe out, err;
    FilterProcess process(command, path, out, err);
    out.close_write();  // ours: the reads end when the program's copies close
    err.close_write();
    std::string text, messages;
    const ReadEnd end = read_output(out, err, limits, text, messages);
    if (end != ReadEnd::done) process.kill_all();
    const int status = process.wait();
    if (end == ReadEnd::timed_out)
        return SkipReason{"filter '" + command + "' still running after " + std::to_string(limits.seconds) +
                          " s; killed"};
    if (end == ReadEnd::too_large)
        return SkipReason{"filter '" + command + "' wrote over " + std::to_string(limits.max_output_bytes >> 20) +
                          " MiB; killed (see --max-file-size)"};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return SkipReason{failure(command, status, messages)};
    return text;
}

}  // namespace

std::variant<std::string, SkipReason> run_filter(const std::string& command, const std::string& path,
                                                 const FilterLimits& limits) {
    // A program that cannot be started (no pipe, no process left) is this
    // file's problem, not the batch's: it is skipped, the others go on.
    try {
        return run_bounded(command, path, limits);
    } catch (const Error& e) {
        return SkipReason{e.what()};
    }
}

std::pair<std::string, std::string> parse_filter_option(const std::string& option) {
    const std::size_t eq = option.find('=');
    const std::string ext = ascii_lower(option.substr(0, eq));
    const bool bad_ext = ext.size() < 2 || ext[0] != '.' || ext.find_first_of("./ \t", 1) != std::string::npos;
    if (eq == std::string::npos || bad_ext)
        throw Error("--filter " + option + ": expected .EXT=COMMAND, as in --filter .doc=antiword");
    std::string command = option.substr(eq + 1);
    if (command.find_first_of("\n\t") != std::string::npos)
        throw Error("--filter " + option + ": the command must be one line without tabs");
    while (!command.empty() && command.back() == ' ') command.pop_back();
    return {ext, command};
}

std::string encode_filters(const FilterMap& filters) {
    std::string value;
    for (const auto& [ext, command] : filters) value += ext + '\t' + command + '\n';
    return value;
}

FilterMap decode_filters(const std::string& value) {
    FilterMap filters;
    std::size_t start = 0;
    while (start < value.size()) {
        std::size_t end = value.find('\n', start);
        if (end == std::string::npos) end = value.size();
        const std::size_t tab = value.find('\t', start);
        if (tab < end) filters[value.substr(start, tab - start)] = value.substr(tab + 1, end - tab - 1);
        start = end + 1;
    }
    return filters;
}

}  // namespace loci
