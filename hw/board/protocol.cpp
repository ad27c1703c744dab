#include "hw/board/protocol.hpp"

#include <algorithm>
#include <cctype>

namespace hw::board {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

const char* cmdName(std::uint8_t cmd) {
    switch (static_cast<Cmd>(cmd & ~kResponseBit)) {
    case Cmd::Hello: return "HELLO";
    case Cmd::GetConfig: return "GET_CONFIG";
    case Cmd::SetConfig: return "SET_CONFIG";
    case Cmd::CommitConfig: return "COMMIT_CONFIG";
    case Cmd::ReadChannels: return "READ_CHANNELS";
    case Cmd::SetChannel: return "SET_CHANNEL";
    case Cmd::Dispense: return "DISPENSE";
    case Cmd::DispenseStatus: return "DISPENSE_STATUS";
    case Cmd::ClearFault: return "CLEAR_FAULT";
    case Cmd::Ping: return "PING";
    case Cmd::Reset: return "RESET";
    }
    return "UNKNOWN";
}

const char* statusName(BoardStatus status) {
    switch (status) {
    case BoardStatus::Ok: return "OK";
    case BoardStatus::BadCrc: return "BAD_CRC";
    case BoardStatus::BadLen: return "BAD_LEN";
    case BoardStatus::UnknownCmd: return "UNKNOWN_CMD";
    case BoardStatus::BadArg: return "BAD_ARG";
    case BoardStatus::Busy: return "BUSY";
    case BoardStatus::NotAllowed: return "NOT_ALLOWED";
    case BoardStatus::BadVersion: return "BAD_VERSION";
    }
    return "UNKNOWN_STATUS";
}

const char* faultName(Fault fault) {
    switch (fault) {
    case Fault::None: return "NONE";
    case Fault::SlotInvalid: return "SLOT_INVALID";
    case Fault::GoodsStuck: return "GOODS_STUCK";
    case Fault::DropNotDetected: return "DROP_NOT_DETECTED";
    case Fault::MotorShort: return "MOTOR_SHORT";
    case Fault::LockNotOpened: return "LOCK_NOT_OPENED";
    case Fault::LiftFault: return "LIFT_FAULT";
    case Fault::BoardBusy: return "BOARD_BUSY";
    case Fault::PowerFault: return "POWER_FAULT";
    case Fault::SlaveCommError: return "SLAVE_COMM_ERROR";
    }
    return "UNKNOWN_FAULT";
}

const char* faultText(Fault fault) {
    switch (fault) {
    case Fault::None: return "no fault";
    case Fault::SlotInvalid: return "Slot Invalid: the slot does not exist, is disabled, or the cabinet is absent";
    case Fault::GoodsStuck: return "Goods are Stuck: the motor timed out; clear the slot and the fault, then retry";
    case Fault::DropNotDetected: return "Drop not detected: the motor turned but the drop sensor saw nothing; check the sensor and the slot";
    case Fault::MotorShort: return "VerMo short: motor short or over-current; check the motor wiring";
    case Fault::LockNotOpened: return "Lock not opened: the e-lock did not report open; check the lock and its wiring";
    case Fault::LiftFault: return "Lift Goods: the lift did not complete; check the lift";
    case Fault::BoardBusy: return "Board busy: another dispense is running; wait and retry";
    case Fault::PowerFault: return "Power fault: the motor supply is missing; check the power supply";
    case Fault::SlaveCommError: return "Slave Comm Error: the secondary cabinet did not answer; check the cabinet cable and address";
    }
    return "unknown fault code";
}

const char* modelName(BoardModel model) {
    switch (model) {
    case BoardModel::W50x: return "W50x";
    case BoardModel::ELock24P: return "eLock24P";
    case BoardModel::M2301: return "M2301";
    case BoardModel::Unknown: break;
    }
    return "unknown";
}

int modelChannels(BoardModel model) {
    switch (model) {
    case BoardModel::W50x: return 32;
    case BoardModel::ELock24P: return 24;
    case BoardModel::M2301: return 100;
    case BoardModel::Unknown: break;
    }
    return 0;
}

std::optional<BoardModel> parseModel(std::string_view name) {
    for (auto m : {BoardModel::W50x, BoardModel::ELock24P, BoardModel::M2301}) {
        if (equalsNoCase(name, modelName(m))) return m;
    }
    return std::nullopt;
}

const char* slotTypeName(SlotType type) {
    switch (type) {
    case SlotType::Spring: return "spring";
    case SlotType::ELock: return "elock";
    case SlotType::Belt: return "belt";
    }
    return "unknown";
}

std::optional<SlotType> parseSlotType(std::string_view name) {
    for (auto t : {SlotType::Spring, SlotType::ELock, SlotType::Belt}) {
        if (equalsNoCase(name, slotTypeName(t))) return t;
    }
    if (equalsNoCase(name, "e-lock")) return SlotType::ELock;
    return std::nullopt;
}

const char* dispenseStateName(DispenseState state) {
    switch (state) {
    case DispenseState::Idle: return "idle";
    case DispenseState::Busy: return "busy";
    case DispenseState::Success: return "success";
    case DispenseState::Fault: return "fault";
    }
    return "unknown";
}

std::string Identity::firmware() const {
    return std::to_string(fwMajor) + "." + std::to_string(fwMinor) + "." + std::to_string(fwPatch);
}

}  // namespace hw::board
