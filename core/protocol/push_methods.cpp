#include "core/protocol/push_methods.hpp"

namespace core::protocol {

const char* directionName(Direction direction) {
    switch (direction) {
    case Direction::ServerToDevice: return "server_to_device";
    case Direction::DeviceToServer: return "device_to_server";
    case Direction::Unknown: break;
    }
    return "unknown";
}

const std::vector<MethodInfo>& allMethods() {
    constexpr auto kDown = Direction::ServerToDevice;
    constexpr auto kUp = Direction::DeviceToServer;
    // Chinese labels follow the vendor's own page titles where they are short enough.
    static const std::vector<MethodInfo> kMethods{
        {"client.machine.invalidate", kDown, "Machine data changed", "设备字段更新"},
        {"client.machine.refresh", kDown, "Machine data refresh", "设备字段更新(新)"},
        {"client.machine.shutdown", kDown, "Shut down", "设备关机"},
        {"client.machine.reboot", kDown, "Reboot", "设备重启"},
        {"client.machine.password.modified", kDown, "Machine password changed", "设备密码更新"},
        {"client.channel.debugging", kDown, "Test dispense", "设备测试出货"},
        {"client.power.schedule.once", kDown, "Power schedule (once)", "定时开关机(一次)"},
        {"client.power.schedule.cycle", kDown, "Power schedule (weekly)", "定时开关机(重复)"},
        {"client.power.schedule.clear", kDown, "Power schedule cleared", "清除定时开关机"},
        {"client.machine.config.push", kDown, "Machine settings pushed", "设备配置下发"},
        {"client.ads.push", kDown, "Ads pushed", "广告推送"},
        {"client.ads.update", kDown, "Ads updated", "广告更新"},
        {"client.ads.delete", kDown, "Ads deleted", "广告删除"},
        {"client.pickup_codes.create", kDown, "Pickup codes created", "取货码生成"},
        {"client.pickup_codes.delete", kDown, "Pickup code deleted", "取货码删除"},
        {"client.factory.reset", kDown, "Factory reset", "恢复出厂设置"},
        {"client.channel.fault.clear", kDown, "Channel faults cleared", "清除货道故障"},

        {"client.heartbeat", kUp, "Heartbeat", "心跳"},
        {"client.offline", kUp, "Offline (last will)", "离线(遗嘱消息)"},
        {"client.temperature.put", kUp, "Temperature report", "温度上报"},
        {"client.humidity.put", kUp, "Humidity report", "湿度上报"},
        {"client.machine.env.put", kUp, "Device environment report", "设备环境上报"},
        {"client.product.put", kUp, "Product update", "产品更新"},
        {"client.doorlock.status", kUp, "Door lock status (deprecated)", "门锁状态上报(已弃用)"},
        {"client.channel.status.put", kUp, "Channel and lock status", "货道与门锁状态上报"},
        {"client.product.restock", kUp, "Restock", "批量补货"},
        {"client.machine.config.put", kUp, "Machine settings reported", "设备配置上报"},
        {"client.pickup_codes.put", kUp, "Pickup code used", "取货码已使用"},
        {"client.goods.slug.put", kUp, "Goods code update", "更新商品编码"},
        {"client.traffic.put", kUp, "Data traffic report", "设备流量上报"},
    };
    return kMethods;
}

const MethodInfo* findMethod(std::string_view method) {
    for (const auto& info : allMethods()) {
        if (method == info.method) return &info;
    }
    return nullptr;
}

}  // namespace core::protocol
