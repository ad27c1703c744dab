#pragma once
// Payload codecs for every command, both directions (host and board/simulator share them).
// Response payloads start with a status byte; the *Body functions code what follows it.
// Decoders return nullopt for a payload of the wrong size or with out-of-range values.
#include "hw/board/frame.hpp"
#include "hw/board/protocol.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hw::board {

using Payload = std::span<const std::uint8_t>;

Bytes encodeIdentityBody(const Identity& id);
std::optional<Identity> decodeIdentityBody(Payload body);

// Config TLVs, in tag order. validateConfig says what is wrong (empty when fine).
Bytes encodeConfig(const BoardConfig& config);
std::optional<BoardConfig> decodeConfig(Payload tlvs);
std::string validateConfig(const BoardConfig& config);
std::uint16_t configCrc(const BoardConfig& config);  // the COMMIT_CONFIG answer for a stored block

struct ChannelRange {
    std::uint8_t addr = 1, first = 0, count = 0;
    bool operator==(const ChannelRange&) const = default;
};
Bytes encodeChannelRange(const ChannelRange& range);
std::optional<ChannelRange> decodeChannelRange(Payload payload);
Bytes encodeChannelsBody(const ChannelRange& range, const std::vector<ChannelInfo>& channels);
std::optional<std::vector<ChannelInfo>> decodeChannelsBody(Payload body);
Bytes encodeSetChannel(const ChannelInfo& channel);
std::optional<ChannelInfo> decodeSetChannel(Payload payload);

Bytes encodeDispense(const DispenseRequest& request);
std::optional<DispenseRequest> decodeDispense(Payload payload);
Bytes encodeTxn(std::uint32_t txn);
std::optional<std::uint32_t> decodeTxn(Payload payload);
Bytes encodeDispenseStatusBody(const DispenseStatus& status);
std::optional<DispenseStatus> decodeDispenseStatusBody(Payload body);

struct ClearFaultRequest {
    std::uint8_t addr = 1, slot = kAllSlots;
    bool operator==(const ClearFaultRequest&) const = default;
};
Bytes encodeClearFault(const ClearFaultRequest& request);
std::optional<ClearFaultRequest> decodeClearFault(Payload payload);

Bytes encodePingBody(const PingInfo& ping);
std::optional<PingInfo> decodePingBody(Payload body);

// [status] + body.
Bytes responsePayload(BoardStatus status, const Bytes& body = {});

}  // namespace hw::board
