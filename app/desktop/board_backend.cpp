#include "app/desktop/board_backend.hpp"

#include "app/desktop/sim_process.hpp"

#include "hw/services/connect.hpp"
#include "hw/usb/hotplug.hpp"
#include "hw/sim/loopback_transport.hpp"

#include <fstream>
#include <sstream>

namespace app::desktop {

// The open board link. Touched only by jobs on the link worker.
struct BoardBackend::LinkState {
    std::shared_ptr<BoardInbox> inbox;
    std::uint64_t session = 0;
    // Simulator links own their parts; real links live in a Connection.
    std::unique_ptr<hw::Clock> clock;
    std::unique_ptr<hw::sim::BoardSim> sim;
    std::unique_ptr<hw::sim::LoopbackTransport> loopback;
    std::unique_ptr<hw::board::FramedDriver> simDriver;
    std::unique_ptr<hw::services::Connection> connection;
    std::unique_ptr<BoardSimProcess> ptySim;  // kSimPtyTarget: the simulator process behind `connection`

    bool open() const { return simDriver != nullptr || connection != nullptr; }
    hw::board::FramedDriver& driver() { return simDriver ? *simDriver : connection->driver(); }
    hw::Clock& linkClock() { return simDriver ? *clock : connection->clock(); }
    std::string describe() const {
        if (simDriver) return std::string("in-process simulator (") + hw::board::modelName(sim->identity().model) + ")";
        return ptySim ? "pickupdesk-sim board --pty: " + connection->describe() : connection->describe();
    }
    void close() {
        simDriver.reset();
        if (loopback) loopback->close();
        loopback.reset();
        sim.reset();
        clock.reset();
        connection.reset();  // closes its transport
        ptySim.reset();      // then stops the simulator process
    }
    void openSim(const BoardSimSetup& setup) {
        if (setup.fakeClock) clock = std::make_unique<hw::FakeClock>();
        else clock = std::make_unique<hw::SteadyClock>();
        sim = std::make_unique<hw::sim::BoardSim>(setup.model, *clock, setup.serial, setup.cabinets);
        if (setup.timing) sim->setTiming(*setup.timing);
        for (const auto& f : setup.faults) sim->plan(f.addr, f.slot, f.plan);
        loopback = std::make_unique<hw::sim::LoopbackTransport>(*sim, *clock);
        simDriver = std::make_unique<hw::board::FramedDriver>(*loopback, *clock, hw::board::DriverOptions{hw::Millis(200), 3});
    }
    core::Result<hw::services::Snapshot> read() {
        hw::services::ProvisioningService provisioning(driver());
        return provisioning.read(hw::board::kMaxAddr);  // stops at the first cabinet that does not answer
    }
};

BoardBackend::BoardBackend(std::shared_ptr<BoardInbox> inbox, BoardBackendOptions options)
    : m_inbox(std::move(inbox)), m_options(std::move(options)), m_state(std::make_shared<LinkState>()) {
    m_state->inbox = m_inbox;
    if (m_options.watchUsb) m_watcher = std::thread([this] { watch(); });
}

BoardBackend::~BoardBackend() {
    m_cancel->store(true);  // a running dispense stops polling at its next step
    {
        std::lock_guard lock(m_watchMutex);
        m_stopping = true;
    }
    m_watchWake.notify_all();
    if (m_watcher.joinable()) m_watcher.join();
    m_link.stop();
    m_files.stop();
    m_state->close();
}

std::shared_ptr<void> startLibusbHotplug(std::function<void()> onChange) {
    return hw::usb::HotplugSignal::start(std::move(onChange));
}

// Hotplug events only set a flag and wake watch().
std::shared_ptr<void> BoardBackend::startHotplug() {
    if (!m_options.hotplug) return nullptr;
    return m_options.hotplug([this] {
        {
            std::lock_guard guard(m_watchMutex);
            m_hotplugPending = true;
        }
        m_watchWake.notify_all();
    });
}

// Lists the USB devices at start, on every hotplug event (where libusb has them) and every
// watchInterval (everywhere: hotplug callbacks do not exist on every platform).
void BoardBackend::watch() {
    hw::usb::DeviceWatcher watcher(m_options.lister);
    bool first = true;
    const std::shared_ptr<void> hotplug = startHotplug();  // before the lock: released after it (its callback locks)
    std::unique_lock lock(m_watchMutex);
    while (!m_stopping) {
        lock.unlock();
        auto changes = watcher.poll();
        if (!changes) {
            if (first) m_inbox->post(BoardDevicesListed{{}, changes.error()});
        } else if (first || !changes->empty()) {
            BoardDevicesListed listed;
            for (const auto& [key, device] : watcher.current()) listed.devices.push_back(device);
            m_inbox->post(std::move(listed));
        }
        first = false;
        lock.lock();
        m_watchWake.wait_for(lock, m_options.watchInterval, [this] { return m_stopping || m_hotplugPending; });
        if (m_hotplugPending) {  // give udev a moment to create the device's /dev/tty* node
            m_hotplugPending = false;
            m_watchWake.wait_for(lock, std::chrono::milliseconds(300), [this] { return m_stopping; });
        }
    }
}

void BoardBackend::setSimSetup(BoardSimSetup setup) { m_options.sim = std::move(setup); }

void BoardBackend::connect(const std::string& target) {
    m_cancel->store(true);
    m_link.post([state = m_state, target, setup = m_options.sim, binary = m_options.simBinary, dir = m_options.workDir] {
        state->close();
        ++state->session;
        const std::uint64_t session = state->session;
        std::string port = target;
        if (target == kSimPtyTarget) {
            auto sim = BoardSimProcess::start(binary, hw::board::modelName(setup.model), dir);
            if (!sim) {
                state->inbox->post(BoardFailed{"board.action.connect", sim.error()});
                return;
            }
            state->ptySim = std::move(*sim);
            port = state->ptySim->path();
        }
        if (target == kSimTarget) {
            state->openSim(setup);
        } else {
            auto c = hw::services::connect(port);
            if (!c) {
                state->close();
                state->inbox->post(BoardFailed{"board.action.connect", c.error()});
                return;
            }
            state->connection = std::move(*c);
        }
        const hw::Millis origin = state->linkClock().now();
        std::weak_ptr<BoardInbox> inbox = state->inbox;
        state->driver().setObserver([inbox, session, origin](const hw::board::FrameLogEntry& e) {
            if (auto q = inbox.lock()) q->post(BoardFrame{session, e, origin});  // copy and enqueue, nothing more
        });
        auto snapshot = state->read();
        if (!snapshot) {
            state->close();
            state->inbox->post(BoardFailed{"board.action.connect", snapshot.error()});
            return;
        }
        state->inbox->post(BoardConnected{session, target, state->describe(), std::move(*snapshot)});
    });
}

void BoardBackend::disconnect() {
    m_cancel->store(true);
    m_link.post([state = m_state] {
        if (!state->open()) return;
        state->close();
        state->inbox->post(BoardDisconnected{state->session, ""});
    });
}

void BoardBackend::reread() {
    m_link.post([state = m_state] {
        if (!state->open()) return;
        auto snapshot = state->read();
        if (!snapshot) state->inbox->post(BoardFailed{"board.action.read", snapshot.error()});
        else state->inbox->post(BoardSnapshotRead{state->session, std::move(*snapshot)});
    });
}

void BoardBackend::dispense(std::uint64_t job, const hw::services::SlotRequest& slot) {
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_link.post([state = m_state, cancel = m_cancel, job, slot, options = m_options.dispense] {
        if (!state->open()) return;
        hw::services::DispenseService service(state->driver(), state->linkClock(), options);
        auto progress = [&](const hw::board::DispenseStatus& st) { state->inbox->post(BoardDispenseProgress{job, slot, st}); };
        auto report = service.dispense(slot, cancel.get(), progress);
        if (!report) {
            hw::services::DispenseReport failed;
            failed.slot = slot;
            failed.result = hw::services::DispenseResult::NotRun;
            failed.message = report.error().message;
            state->inbox->post(BoardDispenseDone{job, failed, false});
            return;
        }
        state->inbox->post(BoardDispenseDone{job, *report, cancel->load()});
    });
}

void BoardBackend::sweep(std::uint64_t job, const std::vector<hw::services::SlotRequest>& slots) {
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_link.post([state = m_state, cancel = m_cancel, job, slots, options = m_options.dispense] {
        if (!state->open()) return;
        hw::services::DispenseService service(state->driver(), state->linkClock(), options);
        auto onEach = [&](const hw::services::DispenseReport& r) {
            state->inbox->post(BoardDispenseDone{job, r, cancel->load()});
        };
        auto report = service.sweep(slots, cancel.get(), onEach);
        state->inbox->post(BoardSweepDone{job, std::move(report), cancel->load()});
    });
}

void BoardBackend::clearFaults(std::uint8_t addr) {
    m_link.post([state = m_state, addr] {
        if (!state->open()) return;
        if (auto st = state->driver().clearFault(addr, hw::board::kAllSlots); !st) {
            state->inbox->post(BoardFailed{"board.action.clear", st.error()});
            return;
        }
        if (auto snapshot = state->read()) state->inbox->post(BoardSnapshotRead{state->session, std::move(*snapshot)});
    });
}

void BoardBackend::apply(const hw::services::Provisioning& wanted) {
    m_link.post([state = m_state, wanted] {
        if (!state->open()) return;
        hw::services::ProvisioningService provisioning(state->driver());
        auto report = provisioning.apply(wanted);
        if (!report) {
            state->inbox->post(BoardFailed{"board.action.write", report.error()});
            return;
        }
        state->inbox->post(BoardProvisioned{*report});
        if (auto snapshot = state->read()) state->inbox->post(BoardSnapshotRead{state->session, std::move(*snapshot)});
    });
}

void BoardBackend::loadProvisioning(const std::string& path) {
    m_files.post([inbox = m_inbox, path] {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            inbox->post(BoardFailed{"board.action.load",
                                    core::makeError(core::ErrorCode::NotFound, "Cannot open " + path + ": check the path and that you may read it.")});
            return;
        }
        std::ostringstream text;
        text << in.rdbuf();
        auto parsed = hw::services::parseProvisioning(text.str());
        if (!parsed) inbox->post(BoardFailed{"board.action.load", parsed.error()});
        else inbox->post(BoardProvisioningLoaded{path, std::move(*parsed)});
    });
}

void BoardBackend::writeFile(const std::string& path, std::string text, const std::string& what) {
    m_files.post([inbox = m_inbox, path, text = std::move(text), what] {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            inbox->post(BoardFailed{what, core::makeError(core::ErrorCode::Storage, "Cannot write " + path +
                                                                                   ": check the folder exists and you may write there.")});
            return;
        }
        inbox->post(BoardFileWritten{path, what});
    });
}

}  // namespace app::desktop
