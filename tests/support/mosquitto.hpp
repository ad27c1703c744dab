#pragma once
// A real mosquitto broker for a test: its own config and persistence in a TempDir, on a free
// 127.0.0.1 port, stopped by PID. restart() starts it again on the same port with the same
// persistence file, so sessions and queued QoS 1 messages survive (a graceful stop saves them).
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <memory>
#include <string>

namespace testsupport {

class Mosquitto {
public:
    // Throws std::runtime_error (with the broker's log) when it does not listen within 5 s.
    Mosquitto();
    ~Mosquitto();
    Mosquitto(const Mosquitto&) = delete;
    Mosquitto& operator=(const Mosquitto&) = delete;

    int port() const { return m_port; }
    std::string url() const;  // tcp://127.0.0.1:PORT
    int pid() const;

    void stop();     // SIGTERM (mosquitto saves its persistence file), wait for exit
    void restart();  // stop() if running, then start on the same port
    bool running();
    int lastExitCode() const { return m_lastExit; }  // of the last stop(): 0 = clean, -1 = none yet
    std::string log() const;

private:
    void start();

    TempDir m_dir;
    int m_port = 0;
    std::unique_ptr<ChildProcess> m_process;
    int m_lastExit = -1;
};

// A port nobody listens on right now (bind to 0, read it, close).
int freeTcpPort();
// True once something accepts TCP connections on 127.0.0.1:port, within timeoutMs.
bool waitForPort(int port, int timeoutMs);

}  // namespace testsupport
