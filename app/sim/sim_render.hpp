#pragma once
// The vendor's reply shapes (vendor-protocol.md §2) for simulator records.
#include "app/sim/sim_config.hpp"
#include "app/sim/sim_state.hpp"

#include <nlohmann/json.hpp>

namespace app::sim {

std::string channelName(const SimChannel& channel);  // "A21"
std::string channelCode(const SimChannel& channel);  // motor number, "010"

nlohmann::json machineSummaryJson(const SimMachine& machine);
nlohmann::json machineDetailJson(const SimMachine& machine, const std::vector<SimProduct>& products);
nlohmann::json productJson(const SimProduct& product);
nlohmann::json productPageJson(const ProductPage& page);
nlohmann::json codeListItemJson(const SimCode& code, ListTimeFormat format);

}  // namespace app::sim
