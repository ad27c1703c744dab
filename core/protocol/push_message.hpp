#pragma once
// MQTT pushes (vendor-protocol.md §4, §6, §10): Base64 -> JSON -> typed message, with the
// signature checked. Decoding never throws and never drops: whatever arrives comes back as a
// PushMessage with one of four verification results, its fields and the raw payload.
#include "core/protocol/push_methods.hpp"
#include "core/sign/signing.hpp"
#include "core/tz/machine_time.hpp"
#include "core/util/lang.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core::protocol {

// valid: signed and the sign matches the key; invalid: signed, sign does not match;
// unsigned: no (or an empty) `sign`; undecodable: not Base64 / not JSON / not a JSON object.
// Only Valid pushes may be applied to the code table; the others are kept and flagged.
enum class Verification { Valid, Invalid, Unsigned, Undecodable };
const char* verificationName(Verification verification);  // "valid" | "invalid" | "unsigned" | "undecodable"
const char* verificationLabel(Verification verification, Lang lang);  // "valid signature" / "签名有效" ...

// How the payload was written. The vendor sends Base64(JSON); plain JSON is accepted too (a
// broker bridge or a hand-written test may send it) but flagged, so the UI can show it.
enum class PayloadForm { Base64, PlainJson, Unknown };
const char* payloadFormName(PayloadForm form);  // "base64" | "plain_json" | "unknown"

// Typed views. Optional members are empty when the field is missing or not a number; a note in
// PushMessage::notes says which.
struct PickupCodeCreate {                      // client.pickup_codes.create
    std::optional<std::int64_t> id, productId;
    std::string code;                          // text: codes may start with 0
    std::optional<int> quantity;               // 1..3
    std::optional<std::int64_t> expiredAtRaw;  // as received: seconds or milliseconds
    std::optional<tz::Instant> expiresUtc;     // normalized (>= 1e12 = ms); empty = never expires
    std::string expiredDay;                    // machine wall clock "YYYY-MM-DD HH:MM:SS"
    std::optional<bool> used;
};

struct PickupCodeDelete {  // client.pickup_codes.delete
    std::optional<std::int64_t> id;
};

struct PickupCodePut {  // client.pickup_codes.put (the code was used)
    std::optional<std::int64_t> id;
    std::optional<bool> used;
};

struct ChannelDebugging {           // client.channel.debugging (H5 test dispense)
    std::optional<int> floorType;   // 1 spring motor, 2 e-lock, 3 belt
    std::optional<bool> isLp, isDc; // lift, drop detection
    std::optional<int> code;        // channel number (the board takes it % 100)
    std::optional<int> addr;        // board address 1..8
    std::string orderType;          // "test"
};

struct ChannelStatus {              // client.channel.status.put
    std::optional<std::int64_t> productId;
    std::optional<int> floorStatus; // 0 none, 1 ok, 2 jammed, 3 fault, 47 serial timeout
    std::optional<int> lockStatus;  // -1 none, 0 open, 1 closed, 2 fault
};

struct FaultClear {                 // client.channel.fault.clear
    std::vector<std::int64_t> productIds;  // from "1,2,3"
    std::optional<int> floorStatus;
};

const char* floorTypeLabel(int floorType, Lang lang);
const char* floorStatusLabel(int floorStatus, Lang lang);
const char* lockStatusLabel(int lockStatus, Lang lang);

struct PushMessage {
    Verification verification = Verification::Undecodable;
    std::string decodeError;       // why undecodable, e.g. "not Base64", "not JSON", "not a JSON object"
    PayloadForm form = PayloadForm::Unknown;
    std::string payload;           // the bytes as received (always kept)
    std::string topic;
    nlohmann::json fields = nlohmann::json::object();  // the decoded object, values as received
    std::string method;            // as received; may be unknown or empty
    const MethodInfo* info = nullptr;  // nullptr for an unknown method
    std::string machineNo;         // client_id, else from the topic
    std::string sign;
    std::optional<std::int64_t> timestamp, machineId;
    std::vector<std::string> notes;  // missing or odd fields, form, topic mismatch (English)

    std::optional<PickupCodeCreate> create;
    std::optional<PickupCodeDelete> del;
    std::optional<PickupCodePut> put;
    std::optional<ChannelDebugging> debugging;
    std::optional<ChannelStatus> channelStatus;
    std::optional<FaultClear> faultClear;
};

// Only a push whose signature checked out may change stored codes (§10).
inline bool mayApply(const PushMessage& message) { return message.verification == Verification::Valid; }

// Payloads larger than this are not parsed (undecodable, "too large"); the raw bytes are still kept.
inline constexpr std::size_t kMaxPushBytes = 1 << 20;

// Decodes and verifies one push. `key` is the push-verification key (never logged or copied into
// the message). Never throws.
PushMessage decodePush(std::string_view payload, std::string_view topic, std::string_view key,
                       sign::Encoding encoding);

// "/clients/16327138" -> "16327138" (also the legacy "/no/{no}"); "" for other topics.
std::string machineFromTopic(std::string_view topic);

// Builds a signed push as the vendor does: Base64(JSON of the string fields plus `sign`).
// Any `sign` in `fields` is replaced. For the simulator and tests.
std::string encodePush(sign::Params fields, std::string_view key, sign::Encoding encoding);

// One line for people, e.g. "取货码生成: 取货码 16327138 商品 20001 数量 1 过期 2025-10-23 20:51:37".
std::string summarize(const PushMessage& message, Lang lang);

// The JSON shape of a push for `--json` output (decode, watch, events): verification, topic,
// method, labels, machine, fields, the typed view, notes; the payload too when undecodable.
nlohmann::json pushJson(const PushMessage& message);

// §10: expired_at is a UTC instant and expired_day the machine's wall clock at that instant, so
// their difference is the machine's UTC offset. Empty when either is missing or unparsable, or the
// difference is no real UTC offset (outside -12 h..+14 h or not on a 15-minute step).
std::optional<int> inferredUtcOffset(const PickupCodeCreate& create);

// The inferred offset next to what the configured zone gives at that instant.
struct ZoneCheck {
    int inferredOffset = 0;    // seconds east of UTC
    int configuredOffset = 0;  // of `zone` at expiresUtc
    bool matches() const { return inferredOffset == configuredOffset; }
};
std::optional<ZoneCheck> checkMachineZone(const PickupCodeCreate& create, std::string_view zone);

namespace detail {
// Fills the typed view for message.method from message.fields (push_views.cpp).
void fillTypedView(PushMessage& message);
}  // namespace detail

}  // namespace core::protocol
