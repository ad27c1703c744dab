#pragma once
// Board protocol v1 vocabulary: commands, status and fault codes, and the typed values that travel in
// payloads (docs/board-protocol.md §2–§4). Payload codecs are in payloads.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hw::board {

enum class Cmd : std::uint8_t {
    Hello = 0x01,
    GetConfig = 0x02,
    SetConfig = 0x03,
    CommitConfig = 0x04,
    ReadChannels = 0x10,
    SetChannel = 0x11,
    Dispense = 0x20,
    DispenseStatus = 0x21,
    ClearFault = 0x22,
    Ping = 0x30,
    Reset = 0x31,
};
inline constexpr std::uint8_t kResponseBit = 0x80;
inline constexpr std::uint8_t kHostProtocol = 1;

enum class BoardStatus : std::uint8_t { Ok, BadCrc, BadLen, UnknownCmd, BadArg, Busy, NotAllowed, BadVersion };

enum class Fault : std::uint8_t {
    None = 0,
    SlotInvalid = 1,
    GoodsStuck = 2,
    DropNotDetected = 3,
    MotorShort = 4,
    LockNotOpened = 5,
    LiftFault = 6,
    BoardBusy = 7,
    PowerFault = 8,
    SlaveCommError = 9,
};
inline constexpr std::uint8_t kMaxFault = 9;

enum class BoardModel : std::uint8_t { Unknown = 0, W50x = 1, ELock24P = 2, M2301 = 3 };
enum class SlotType : std::uint8_t { Spring = 1, ELock = 2, Belt = 3 };
enum class DispenseState : std::uint8_t { Idle = 0, Busy = 1, Success = 2, Fault = 3 };
enum class DropSensor : std::uint8_t { NotDetected = 0, Detected = 1, NotChecked = 0xFF };

inline constexpr std::uint8_t kMinAddr = 1;
inline constexpr std::uint8_t kMaxAddr = 8;
inline constexpr std::uint8_t kAllSlots = 0xFF;
inline constexpr std::uint8_t kMaxChannelsPerRead = 50;

const char* cmdName(std::uint8_t cmd);  // "DISPENSE", with the response bit ignored
const char* statusName(BoardStatus status);
const char* faultName(Fault fault);      // "GOODS_STUCK"
const char* faultText(Fault fault);      // technician wording, with the vendor's name where there is one
const char* modelName(BoardModel model);
int modelChannels(BoardModel model);     // channels per cabinet: 32 / 24 / 100
std::optional<BoardModel> parseModel(std::string_view name);  // "W50x", "eLock24P", "M2301" (any case)
const char* slotTypeName(SlotType type);  // "spring" | "elock" | "belt"
std::optional<SlotType> parseSlotType(std::string_view name);
const char* dispenseStateName(DispenseState state);

struct Identity {
    std::uint8_t protocol = kHostProtocol;
    BoardModel model = BoardModel::Unknown;
    std::uint16_t channels = 0;
    std::uint8_t fwMajor = 0, fwMinor = 0, fwPatch = 0;
    std::string serial;
    std::string firmware() const;  // "1.2.3"
    bool operator==(const Identity&) const = default;
};

enum class ConfigTag : std::uint8_t {
    MachineNo = 1, ServerHost, ServerPort, MqttHost, MqttPort, MqttUser, MqttPassword, MqttTopic, Tls,
};

// Board settings; an empty optional is "not set / not asked". GET_CONFIG fills every field.
struct BoardConfig {
    std::optional<std::string> machineNo, serverHost;
    std::optional<std::uint16_t> serverPort;
    std::optional<std::string> mqttHost;
    std::optional<std::uint16_t> mqttPort;
    std::optional<std::string> mqttUser, mqttPassword, mqttTopic;  // mqttPassword is a secret: never log it
    std::optional<bool> tls;
    bool operator==(const BoardConfig&) const = default;
};

struct ChannelInfo {
    std::uint8_t addr = 1;
    std::uint8_t slot = 0;
    SlotType type = SlotType::Spring;
    bool enabled = true, dropCheck = false, lift = false;
    Fault lastFault = Fault::None;
    bool operator==(const ChannelInfo&) const = default;
};

struct DispenseRequest {
    std::uint32_t txn = 0;
    std::uint8_t addr = 1;
    std::uint8_t slot = 0;  // no % 100 = row*10 + col
    SlotType type = SlotType::Spring;
    bool dropCheck = false, lift = false;
    bool operator==(const DispenseRequest&) const = default;
};

struct DispenseStatus {
    std::uint32_t txn = 0;
    DispenseState state = DispenseState::Idle;
    Fault fault = Fault::None;
    DropSensor drop = DropSensor::NotChecked;
    std::uint32_t elapsedMs = 0;
    bool operator==(const DispenseStatus&) const = default;
};

struct PingInfo {
    std::uint32_t uptimeMs = 0;
    std::uint8_t state = 0;  // 0 idle, 1 busy, 3 fault latched
    bool operator==(const PingInfo&) const = default;
};

}  // namespace hw::board
