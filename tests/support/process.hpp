#pragma once
// Runs real processes from tests: one-shot with captured output, or in the background.
#include <map>
#include <string>
#include <vector>

namespace testsupport {

struct ProcessResult {
    int exitCode = -1;  // 128 + signal number when killed by a signal
    std::string out;
    std::string err;
    bool timedOut = false;
};

// Runs argv[0] (a path, or a name looked up on PATH) with the other args. `env` adds to or
// overrides the current environment; `stdinText` is written to its stdin, which is then closed.
// Captures stdout/stderr; kills it (SIGKILL) after timeoutMs.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                         const std::string& stdinText = {}, int timeoutMs = 60000);

// A background process, stopped (SIGTERM, then SIGKILL after 3 s) by stop() or the destructor.
// Its stdout and stderr go to temp files; stdin is /dev/null. Throws std::runtime_error when
// it cannot be started.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int pid() const;
    bool running();  // false once it has exited (it is then reaped)
    void stop();
    std::string stderrText();  // what it wrote to stderr so far
    std::string stdoutText();  // what it wrote to stdout so far
    int exitCode() const;      // after it stopped: as ProcessResult::exitCode, -1 before

private:
    int m_pid = -1;
    int m_exitCode = -1;
    bool m_reaped = false;
    std::string m_outPath;
    std::string m_errPath;
};

}  // namespace testsupport
