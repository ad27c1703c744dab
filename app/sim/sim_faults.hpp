#pragma once
// Faults the simulator can inject into vendor API replies, set by flags and by POST /_sim/faults.
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace app::sim {

struct Faults {
    int latencyMs = 0;             // sleep before answering each API request
    bool fail5xx = false;          // answer HTTP 503 with a plain-text body
    bool htmlError = false;        // answer HTTP 502 with an HTML page (a proxy error)
    bool dropAfterCreate = false;  // apply a create, then cut the connection mid-reply
};

nlohmann::json faultsToJson(const Faults& faults);

// Applies the fields present in `patch` (omitted ones stay). Returns an error text when
// `patch` is not an object or a field has the wrong type or range; `faults` is then unchanged.
std::optional<std::string> applyFaultPatch(Faults& faults, const nlohmann::json& patch);

// The live fault settings, read by every request thread.
class FaultSwitch {
public:
    explicit FaultSwitch(Faults initial) : m_initial(initial), m_current(initial) {}

    Faults current() const;
    std::optional<std::string> apply(const nlohmann::json& patch);
    void reset();  // back to the flags given at start-up

private:
    mutable std::mutex m_mutex;
    const Faults m_initial;
    Faults m_current;
};

}  // namespace app::sim
