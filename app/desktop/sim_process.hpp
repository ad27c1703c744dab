#pragma once
// Sandbox mode: runs pickupdesk-sim (found next to this binary) on a free port and stops it
// with the app. POSIX only for now (posix_spawn); Windows needs a CreateProcess twin.
#include "core/util/result.hpp"

#include <memory>
#include <string>
#include <vector>

namespace app::desktop {

class SimProcess {
public:
    SimProcess() = default;
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    // The simulator binary: $PICKUPDESK_SIM, else ../sim/pickupdesk-sim or ./pickupdesk-sim
    // relative to the running executable, else "" (not found).
    static std::string locate();

    // Starts `binary --port 0 --port-file <dir>/sim.port` and waits (<= 10 s) for the port.
    // With `mqttUrl`, the simulator also publishes signed pushes there.
    core::Status start(const std::string& binary, const std::string& dir, const std::string& mqttUrl = {});
    const std::string& url() const { return m_url; }
    void stop();

private:
    int m_pid = -1;
    std::string m_url;
};

// The board simulator on a pseudo-terminal (`pickupdesk-sim board --pty --model M`), so the app's
// real serial transport talks to it as to /dev/ttyUSB0 (sandbox mode's "simulated board").
class BoardSimProcess {
public:
    ~BoardSimProcess();
    BoardSimProcess(const BoardSimProcess&) = delete;
    BoardSimProcess& operator=(const BoardSimProcess&) = delete;

    // Starts it with its output in `dir` and waits (<= 10 s) for the pseudo-terminal's path.
    static core::Result<std::unique_ptr<BoardSimProcess>> start(const std::string& binary, const std::string& model,
                                                                const std::string& dir);
    const std::string& path() const { return m_path; }

private:
    BoardSimProcess() = default;
    int m_pid = -1;
    std::string m_path;
};

}  // namespace app::desktop
