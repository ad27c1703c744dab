#pragma once
// Time source for every hw timer (response timeouts, dispense deadlines, simulated motors), so tests
// run a 90 s belt timeout in milliseconds with FakeClock.
#include <atomic>
#include <chrono>
#include <thread>

namespace hw {

using Millis = std::chrono::milliseconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Millis now() const = 0;           // monotonic
    virtual void sleepFor(Millis duration) = 0;
};

class SteadyClock final : public Clock {
public:
    Millis now() const override {
        return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now().time_since_epoch());
    }
    void sleepFor(Millis duration) override { std::this_thread::sleep_for(duration); }
};

// Time moves only when someone sleeps or calls advance(). Safe to share between threads.
class FakeClock final : public Clock {
public:
    Millis now() const override { return Millis(m_nowMs.load()); }
    void sleepFor(Millis duration) override { advance(duration); }
    void advance(Millis duration) { m_nowMs.fetch_add(duration.count()); }

private:
    std::atomic<long long> m_nowMs{1'000'000};
};

}  // namespace hw
