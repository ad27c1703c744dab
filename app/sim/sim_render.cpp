#include "app/sim/sim_render.hpp"

#include "core/tz/machine_time.hpp"

#include <cstdio>
#include <set>

namespace app::sim {

std::string channelName(const SimChannel& channel) {
    return channel.cabinet + std::to_string(channel.x + 1) + std::to_string(channel.y + 1);
}

std::string channelCode(const SimChannel& channel) {
    // "000" = row 1 column 1 of the main cabinet; secondary cabinets add 100 per address.
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", (channel.addr - 1) * 100 + channel.x * 10 + channel.y);
    return buf;
}

nlohmann::json machineSummaryJson(const SimMachine& m) {
    return {{"machine_name", m.name},
            {"machine_no", m.machineNo},
            {"is_online", m.isOnline},
            {"status", m.status},
            {"address", m.address},
            {"notify_message", m.notifyMessage},
            {"lng_lat", m.lngLat},
            {"created_at", core::tz::toGmt8String(m.createdAt)},
            {"contact", m.contact},
            {"tel", m.tel}};
}

nlohmann::json machineDetailJson(const SimMachine& m, const std::vector<SimProduct>& products) {
    std::set<std::string> cabinets;
    std::set<std::pair<std::int64_t, std::string>> categories;
    for (const auto& p : products) {
        cabinets.insert(p.channel.cabinet);
        categories.insert({p.categoryId, p.categoryTitle});
    }
    if (cabinets.empty()) cabinets.insert("A");
    nlohmann::json categoryList = nlohmann::json::array();
    for (const auto& [id, title] : categories) categoryList.push_back({{"id", id}, {"title", title}});
    return {{"machine_name", m.name},
            {"address", m.address},
            {"lng_lat", m.lngLat},
            {"is_online", m.isOnline},
            {"model", {{"cabinet_names", cabinets}}},
            {"machine_type", m.machineType},
            {"categories", categoryList},
            {"merchant", {{"id", 1}, {"name", "Sandbox Merchant 沙盒商户"}}},
            {"currency",
             {{"id", m.currency.id}, {"name", m.currency.name}, {"code", m.currency.code}, {"symbol", m.currency.symbol}}}};
}

nlohmann::json productJson(const SimProduct& p) {
    const std::string id = std::to_string(p.id);
    return {{"id", p.id},
            {"current_inventory", p.currentInventory},
            {"inventory", p.inventory},
            {"category", {{"id", p.categoryId}, {"title", p.categoryTitle}}},
            {"good",
             {{"name", p.name},
              {"description", p.description},
              {"thumb", "https://sandbox.invalid/goods/" + id + ".jpg"},
              {"price", p.price},
              {"original_price", p.originalPrice},
              {"content", "<p>" + p.description + "</p>"},
              {"good_no", "G" + id},
              {"slug", "good-" + id},
              {"media", nlohmann::json::array()}}},
            {"channel",
             {{"name", channelName(p.channel)},
              {"cabinet_name", p.channel.cabinet},
              {"code", channelCode(p.channel)},
              {"x", p.channel.x},
              {"y", p.channel.y},
              {"addr", p.channel.addr}}}};
}

nlohmann::json productPageJson(const ProductPage& page) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& p : page.items) items.push_back(productJson(p));
    return {{"data", items},
            {"total", page.total},
            {"current_page", page.currentPage},
            {"last_page", page.lastPage},
            {"per_page", page.perPage}};
}

namespace {

std::string timeText(std::int64_t ms, ListTimeFormat format) {
    switch (format) {
        case ListTimeFormat::Seconds: return std::to_string(ms / 1000);
        case ListTimeFormat::Millis: return std::to_string(ms);
        case ListTimeFormat::Gmt8: break;
    }
    return core::tz::toGmt8String(ms / 1000);
}

}  // namespace

nlohmann::json codeListItemJson(const SimCode& c, ListTimeFormat format) {
    nlohmann::json out = {{"id", c.id},
                          {"code", c.code},
                          {"status", "UNUSED"},
                          {"created_at", timeText(c.createdAtMs, format)},
                          {"quantity", c.quantity}};
    if (c.expiresAt) out["expired_at"] = timeText(*c.expiresAt * 1000, format);
    return out;
}

}  // namespace app::sim
