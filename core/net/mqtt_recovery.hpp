#pragma once
// QoS 2 pushes that a killed process may not have stored, read back from Paho's file persistence.
//
// Paho MQTT C writes every incoming QoS 2 PUBLISH to its persistence folder ("r-<id>" or, for MQTT 5,
// "r5-<id>") before it answers PUBREC, and deletes the file only after our message callback has
// returned. But it sends PUBCOMP before the callback (MQTT 3.1.1), and with MQTT 5 it never offers
// a restored message again: so after a SIGKILL during our commit the broker considers the message
// delivered and Paho will not deliver it, while the file still holds it. MqttClient::start hands
// these files to the sink before connecting; the store's dedup key makes a push that was in fact
// stored a no-op. (QoS 1 has no such copy: see docs/SECURITY.md, "SIGKILL during push ingest".)
#include "core/net/mqtt_client.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core::net {

// One persisted PUBLISH packet (fixed header, remaining length, topic, packet id, [MQTT 5
// properties], payload) as RawPush; nullopt when it is not a whole PUBLISH (e.g. cut short).
std::optional<RawPush> parsePersistedPublish(std::string_view packet, bool mqtt5);

// Every r-*/r5-* message of `clientId` under Paho's persistence folder `persistenceDir` (one
// sub-folder per client id and server), oldest file first. Unreadable files are skipped.
std::vector<RawPush> unfinishedQos2Pushes(const std::string& persistenceDir, const std::string& clientId);

}  // namespace core::net
