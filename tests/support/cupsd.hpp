#pragma once
// A real, private CUPS scheduler for a test: its own ServerRoot, spool and logs in a TempDir, on a
// free 127.0.0.1 port, stopped by PID. Queues added with addCapturePrinter() use a tiny backend
// that writes each job's data to a file and the copies it was asked for next to it, so a test can
// check exactly what reached the printer. Point libcups at it with CUPS_SERVER=server().
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <memory>
#include <string>

namespace testsupport {

class Cupsd {
public:
    // Throws std::runtime_error (with the scheduler's log) when it does not listen within 10 s.
    Cupsd();
    ~Cupsd();
    Cupsd(const Cupsd&) = delete;
    Cupsd& operator=(const Cupsd&) = delete;

    std::string server() const;  // 127.0.0.1:PORT, for CUPS_SERVER

    // A raw queue whose jobs land in capturedFile(name); optionally the server's default.
    void addCapturePrinter(const std::string& name, bool makeDefault);
    void rejectJobs(const std::string& name);  // cupsreject: the queue refuses new jobs
    std::string capturedFile(const std::string& name) const;
    // The job's data once the backend has written it (empty after timeoutMs), and its copies.
    std::string waitForJob(const std::string& name, int timeoutMs = 10000) const;
    int capturedCopies(const std::string& name) const;
    std::string log() const;

private:
    void admin(const std::vector<std::string>& argv);

    TempDir m_dir;
    int m_port = 0;
    std::unique_ptr<ChildProcess> m_process;
};

}  // namespace testsupport
