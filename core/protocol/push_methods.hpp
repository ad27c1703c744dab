#pragma once
// The MQTT methods of vendor-protocol.md §4, with their direction and labels in English and Chinese.
#include <string_view>
#include <vector>

namespace core::protocol {

enum class Direction { ServerToDevice, DeviceToServer, Unknown };

// "server_to_device" | "device_to_server" | "unknown"
const char* directionName(Direction direction);

struct MethodInfo {
    const char* method;  // e.g. "client.pickup_codes.create"
    Direction direction;
    const char* en;      // "Pickup codes created"
    const char* zh;      // "取货码生成"
};

// nullptr for a method the table does not know (it is then shown raw, never dropped).
const MethodInfo* findMethod(std::string_view method);

// Every documented method: 17 server->device (on /clients/{machine_no}) and 13 device->server
// (on /server/app). The vendor's sidebar numbers 16 subscribe entries because
// client.machine.refresh ("1. 设备字段更新(新)") replaced client.machine.invalidate; both still exist.
const std::vector<MethodInfo>& allMethods();

}  // namespace core::protocol
