#pragma once
// The provisioning form: the board's settings as editable text, validation per field, the channel
// entries of a loaded provisioning file, and the diff against what the board holds now.
#include "hw/services/provisioning.hpp"

#include "core/util/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace app::desktop {

struct FormProblem {
    std::string field;  // "server_port"
    std::string key;    // i18n key of the message ("board.invalid.port")
    std::vector<std::string> args;
};

struct DiffLine {
    std::string key;  // setting key, or "channel A/S"
    std::string from, to;
};

struct BoardProvisioningForm {
    std::string machineNo, serverHost, serverPort, mqttHost, mqttPort, mqttUser, mqttPassword, mqttTopic;
    bool tls = false;
    std::vector<hw::board::ChannelInfo> channels;  // from a loaded file; written as given
    std::string loadedFrom;                        // the file they came from
    bool dirty = false;                            // edited since the board was read

    void fill(const hw::board::BoardConfig& config);  // from the board (clears dirty)
    void merge(const hw::services::Provisioning& file, const std::string& path);  // keys in the file replace the form's
    std::vector<FormProblem> validate() const;
    // Only what differs from `current` (the board); an error when the form does not validate.
    core::Result<hw::services::Provisioning> wanted(const hw::board::BoardConfig& current) const;
    std::vector<DiffLine> diff(const hw::services::Snapshot& current) const;
};

}  // namespace app::desktop
