#pragma once
// What services and front-ends need from a board, independent of its wire protocol. Our framed
// protocol (FramedDriver) is one implementation; a vendor's own protocol can be another.
#include "hw/board/protocol.hpp"

#include "core/util/result.hpp"

#include <cstdint>
#include <vector>

namespace hw::board {

// The board's immediate answer to DISPENSE: accepted (poll dispenseStatus) or refused with a reason.
// A refused dispense did not vend.
struct DispenseAck {
    bool accepted = false;
    BoardStatus status = BoardStatus::Ok;
    Fault fault = Fault::None;  // why it was refused (SLOT_INVALID, BOARD_BUSY)
};

class BoardDriver {
public:
    virtual ~BoardDriver() = default;
    virtual core::Result<Identity> identify() = 0;
    virtual core::Result<BoardConfig> getConfig() = 0;
    virtual core::Status setConfig(const BoardConfig& config) = 0;  // staged until commitConfig
    virtual core::Result<std::uint16_t> commitConfig() = 0;         // CRC of the stored block
    virtual core::Result<std::vector<ChannelInfo>> readChannels(std::uint8_t addr, std::uint8_t first, int count) = 0;
    virtual core::Status setChannel(const ChannelInfo& channel) = 0;
    // ErrorCode::OutcomeUnknown when the request may have reached the board but no answer came back:
    // never resend it as a new dispense.
    virtual core::Result<DispenseAck> dispense(const DispenseRequest& request) = 0;
    virtual core::Result<DispenseStatus> dispenseStatus(std::uint32_t txn) = 0;
    virtual core::Status clearFault(std::uint8_t addr, std::uint8_t slot) = 0;  // slot kAllSlots = every slot
    virtual core::Result<PingInfo> ping() = 0;
    virtual core::Status reset() = 0;
};

}  // namespace hw::board
