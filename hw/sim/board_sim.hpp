#pragma once
// A simulated vending board speaking the framed protocol: bytes in, bytes out, time from a Clock.
// Models W50x (32 ch), eLock24P (24) and M2301 (100); config kept across commits; per-slot fault
// plan; SEQ replay cache; the last 8 dispense transactions. Thread-safe (one mutex).
#include "hw/board/frame.hpp"
#include "hw/board/protocol.hpp"
#include "hw/clock.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace hw::sim {

using board::Bytes;

// What a slot does when dispensed.
enum class SlotFault {
    Ok,
    Stuck,            // busy until the board's motor timeout, then GOODS_STUCK
    DropNotDetected,  // motor fine, drop sensor silent: DROP_NOT_DETECTED when drop check is on
    SlotInvalid,      // refused at once with SLOT_INVALID
    CommError,        // secondary cabinet silent: SLAVE_COMM_ERROR
    Lift,             // LIFT_FAULT when lift is requested
    MotorShort,       // MOTOR_SHORT ("VerMo short")
    LockNotOpened,    // LOCK_NOT_OPENED
    PowerFault,       // POWER_FAULT
    Busy,             // refused at once with BUSY / BOARD_BUSY
    Slow,             // success after SlotPlan::delay
    Hang,             // busy forever (the host's deadline must end it)
};
const char* slotFaultName(SlotFault fault);
bool parseSlotFault(const std::string& name, SlotFault& out);  // "stuck", "no-drop", "invalid", ...

struct SlotPlan {
    SlotFault fault = SlotFault::Ok;
    Millis delay{0};  // SlotFault::Slow
};

// Motor run times by slot type; zero() for benchmarks.
struct SimTiming {
    Millis spring{2000}, elock{300}, belt{6000}, lift{3000};
    static SimTiming zero() { return {Millis(0), Millis(0), Millis(0), Millis(0)}; }
};

class BoardSim {
public:
    BoardSim(board::BoardModel model, Clock& clock, std::string serial = "SIM0001", int cabinets = 1);

    Bytes feed(std::span<const std::uint8_t> bytes);  // bytes from the host → bytes to the host

    void plan(std::uint8_t addr, std::uint8_t slot, SlotPlan plan);
    void setTiming(SimTiming timing);

    // Observations for tests.
    int dispensesExecuted() const;
    int replays() const;
    std::uint64_t badCrcFrames() const;
    board::BoardConfig storedConfig() const;
    board::Identity identity() const;
    board::ChannelInfo channel(std::uint8_t addr, std::uint8_t slot) const;

    static Millis motorTimeout(board::SlotType type, bool lift);  // 80 % of the host's deadline

private:
    struct Txn {
        board::DispenseRequest request;
        Millis start{0};
        Millis duration{0};
        bool hang = false;
        board::Fault fault = board::Fault::None;
        board::DropSensor drop = board::DropSensor::NotChecked;
        bool settled = false;
    };
    struct Replay {
        std::uint8_t seq, cmd;
        std::uint16_t crc;
        Bytes response;
    };

    Bytes handle(const board::Frame& request);
    Bytes onDispense(const board::Frame& request);
    Bytes onStatus(const board::Frame& request);
    Bytes onReadChannels(const board::Frame& request);
    Bytes onSetChannel(const board::Frame& request);
    Bytes onClearFault(const board::Frame& request);
    Bytes onSetConfig(const board::Frame& request);
    void settle();
    bool busy() const;
    void reboot();
    board::ChannelInfo* findChannel(std::uint8_t addr, std::uint8_t slot);
    Txn planTxn(const board::DispenseRequest& request, const SlotPlan& plan) const;

    mutable std::mutex m_mutex;
    Clock& m_clock;
    board::Identity m_identity;
    int m_cabinets;
    SimTiming m_timing;
    board::FrameDecoder m_decoder;
    std::map<std::uint8_t, std::vector<board::ChannelInfo>> m_channels;  // by cabinet address
    std::map<std::pair<int, int>, SlotPlan> m_plans;
    board::BoardConfig m_stored, m_staged;
    std::deque<Txn> m_txns;      // newest last, at most 8
    std::deque<Replay> m_replay;  // at most 16
    Millis m_bootAt{0};
    int m_dispenses = 0;
    int m_replays = 0;
};

}  // namespace hw::sim
