#pragma once
// Board provisioning: read the board's settings and channel table, write a provisioning (settings +
// channel entries), commit, re-read and verify. Provisioning files are JSON (docs/board-protocol.md §8).
#include "hw/board/board_driver.hpp"

#include <string>
#include <vector>

namespace hw::services {

struct Provisioning {
    board::BoardConfig config;                // only the keys to change
    std::vector<board::ChannelInfo> channels;  // only the slots to change
};

// {"config": {"machine_no": "...", "server_port": 443, ...}, "channels": [{"addr":1,"slot":0,"type":"spring",...}]}
core::Result<Provisioning> parseProvisioning(const std::string& json);
std::string provisioningJson(const Provisioning& p);  // the MQTT password is written as given (the file is the technician's)

struct Snapshot {
    board::Identity identity;
    board::BoardConfig config;
    std::vector<board::ChannelInfo> channels;  // every slot of every cabinet that answered
};

struct ConfigChange {
    std::string key, from, to;  // the MQTT password shows as "***"
};
std::vector<ConfigChange> diffConfig(const board::BoardConfig& current, const board::BoardConfig& wanted);

struct ApplyReport {
    std::vector<ConfigChange> changes;
    int channelsWritten = 0;
    std::uint16_t storedCrc = 0;
    std::vector<std::string> mismatches;  // after re-reading; empty = verified
    bool verified() const { return mismatches.empty(); }
};

class ProvisioningService {
public:
    explicit ProvisioningService(board::BoardDriver& driver) : m_driver(driver) {}
    core::Result<Snapshot> read(int cabinets = 1);
    core::Result<ApplyReport> apply(const Provisioning& wanted);

private:
    board::BoardDriver& m_driver;
};

}  // namespace hw::services
