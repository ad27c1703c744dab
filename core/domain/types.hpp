#pragma once
// Domain types shared by the API client, the store, services and front-ends.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace core {

using Instant = std::int64_t;  // UTC epoch seconds (see core/tz)

struct Profile {
    std::int64_t id = 0;
    std::string name;
    std::string baseUrl;        // e.g. https://www.awish.vip (no trailing /api/...)
    std::string appId;
    std::string signEncoding = "raw";  // "raw" | "form"
    std::string defaultTimezone = "Asia/Shanghai";
    std::string caFile;         // optional custom CA bundle for TLS
    bool active = false;
    // Secrets (AppSecret, signing key, push-verify key) live in the keychain, never here.
    // MQTT broker for pushes (issue 4; schema v5). Empty URL = no broker. Paths, never key material;
    // the MQTT password is a keychain secret (SecretKind::MqttPassword).
    std::string mqttUrl;        // tcp://host:1883, ssl://host:8883, ws://..., wss://...
    std::string mqttUser;
    int mqttVersion = 4;        // 4 = MQTT 3.1.1, 5 = MQTT 5
    std::string mqttCaFile;
    std::string mqttClientCert;
    std::string mqttClientKey;  // path of the client certificate's private key (PEM)
    std::string mqttClientId;   // empty = our own generated id
};

struct Machine {
    std::int64_t profileId = 0;
    std::string machineNo;
    std::string name;
    std::string address;
    std::string timezone;       // IANA; empty = profile default
    bool online = false;
    std::string status;         // vendor status text, if any
    Instant updatedUtc = 0;
};

struct Product {
    std::string machineNo;
    std::int64_t id = 0;
    std::string name;
    std::string channel;        // "A21"
    std::string cabinet;        // "A"
    int addr = 1;               // 1..8
    std::string price;          // as the vendor writes it, "0.10"
    int currentInventory = 0;
    int capacity = 0;           // vendor `inventory`: max stock, bounds code count
    std::string category;
    Instant updatedUtc = 0;
};

enum class CodeStatus { Unused, Used, Expired, Deleted, Unknown };

const char* codeStatusName(CodeStatus status);
std::optional<CodeStatus> parseCodeStatus(std::string_view text);  // accepts vendor UNUSED/USED/... too

struct PickupCode {
    std::string machineNo;
    std::int64_t id = 0;        // vendor id
    std::int64_t productId = 0;
    std::string code;
    int quantity = 1;
    CodeStatus status = CodeStatus::Unused;  // stored status; Expired is derived from expiresUtc
    std::optional<Instant> createdUtc;
    std::optional<Instant> expiresUtc;       // nullopt = never expires
    std::int64_t requestId = 0;              // generation request that produced it, 0 if unknown
    Instant updatedUtc = 0;
};

enum class Outcome { Pending, Ok, Failed, Unknown };

const char* outcomeName(Outcome outcome);
std::optional<Outcome> parseOutcome(std::string_view text);

// One create call to the vendor and what became of it.
struct GenerationRequest {
    std::int64_t id = 0;
    std::int64_t profileId = 0;
    std::string machineNo;
    std::string method;                      // pickup_code.product.id | pickup_code.product.all
    std::optional<std::int64_t> productId;
    int count = 1;
    int codeLength = 6;
    std::string expiresGmt8;                 // as sent; empty = never
    Instant requestedUtc = 0;
    Outcome outcome = Outcome::Pending;
    int vendorCode = 0;
    std::string vendorMessage;
    std::string reply;                       // raw reply body (no secrets)
    std::optional<Instant> reconciledUtc;
};

}  // namespace core
