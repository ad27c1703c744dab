// Typed views of the pushes that matter to merchants and technicians, their labels, and the
// timezone check of §10.
#include "core/protocol/push_fields.hpp"
#include "core/protocol/push_message.hpp"

#include "core/api/reply_parse.hpp"

#include <charconv>
#include <limits>

namespace core::protocol {
namespace detail {

std::optional<std::int64_t> parseWhole(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

std::string FieldReader::text(const char* key, bool required) {
    std::string value = api::jsonText(m_object, key);
    if (value.empty() && required) m_notes.push_back(std::string("missing field '") + key + "'");
    return value;
}

std::optional<std::int64_t> FieldReader::integer(const char* key, bool required) {
    const std::string value = text(key, required);
    if (value.empty()) return std::nullopt;
    auto number = parseWhole(value);
    if (!number) m_notes.push_back(std::string("field '") + key + "' is not a whole number: '" + value + "'");
    return number;
}

std::optional<int> FieldReader::smallInt(const char* key, bool required) {
    auto number = integer(key, required);
    if (!number) return std::nullopt;
    if (*number < std::numeric_limits<int>::min() || *number > std::numeric_limits<int>::max()) {
        m_notes.push_back(std::string("field '") + key + "' is out of range");
        return std::nullopt;
    }
    return static_cast<int>(*number);
}

std::optional<bool> FieldReader::flag(const char* key, bool required) {
    const std::string value = text(key, required);
    if (value.empty()) return std::nullopt;
    if (value == "1" || value == "true") return true;
    if (value == "0" || value == "false") return false;
    m_notes.push_back(std::string("field '") + key + "' is not 0 or 1: '" + value + "'");
    return std::nullopt;
}

namespace {

PickupCodeCreate readCreate(FieldReader& read, std::vector<std::string>& notes) {
    PickupCodeCreate c;
    c.id = read.integer("id");
    c.productId = read.integer("product_id");
    c.code = read.text("code");
    c.quantity = read.smallInt("quantity");
    c.used = read.flag("used");
    // No expiry fields means a code that never expires (§9.4: "required" but optional).
    c.expiredAtRaw = read.integer("expired_at", false);
    if (c.expiredAtRaw) c.expiresUtc = tz::normalizeEpoch(*c.expiredAtRaw);
    c.expiredDay = read.text("expired_day", false);
    if (!c.expiredAtRaw && c.expiredDay.empty()) notes.emplace_back("no expired_at or expired_day: the code never expires");
    return c;
}

ChannelStatus readChannelStatus(FieldReader& read, std::vector<std::string>& notes) {
    ChannelStatus s;
    s.productId = read.integer("product_id");
    s.floorStatus = read.smallInt("floor_status", false);
    s.lockStatus = read.smallInt("lock_status", false);
    if (!s.floorStatus && !s.lockStatus) notes.emplace_back("neither floor_status nor lock_status given");
    return s;
}

FaultClear readFaultClear(FieldReader& read, std::vector<std::string>& notes) {
    FaultClear f;
    const std::string list = read.text("product_ids");
    size_t start = 0;
    while (start <= list.size() && !list.empty()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        std::string item = list.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        start = comma + 1;
        if (item.empty()) continue;
        if (auto id = parseWhole(item)) f.productIds.push_back(*id);
        else notes.push_back("product_ids entry is not a number: '" + item + "'");
    }
    f.floorStatus = read.smallInt("floor_status");
    return f;
}

}  // namespace

void fillTypedView(PushMessage& m) {
    FieldReader read(m.fields, m.notes);
    const std::string& method = m.method;
    if (method == "client.pickup_codes.create") {
        m.create = readCreate(read, m.notes);
    } else if (method == "client.pickup_codes.delete") {
        m.del = PickupCodeDelete{read.integer("id")};
    } else if (method == "client.pickup_codes.put") {
        m.put = PickupCodePut{read.integer("id"), read.flag("used")};
    } else if (method == "client.channel.debugging") {
        ChannelDebugging d;
        d.floorType = read.smallInt("floor_type");
        d.isLp = read.flag("is_lp");
        d.isDc = read.flag("is_dc");
        d.code = read.smallInt("code");
        d.addr = read.smallInt("addr");
        d.orderType = read.text("order_type");
        m.debugging = d;
    } else if (method == "client.channel.status.put") {
        m.channelStatus = readChannelStatus(read, m.notes);
    } else if (method == "client.channel.fault.clear") {
        m.faultClear = readFaultClear(read, m.notes);
    }
}

}  // namespace detail

const char* floorTypeLabel(int floorType, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (floorType) {
    case 1: return zh ? "弹簧电机" : "spring motor";
    case 2: return zh ? "电磁锁" : "e-lock";
    case 3: return zh ? "履带" : "belt";
    default: return zh ? "未知类型" : "unknown type";
    }
}

const char* floorStatusLabel(int floorStatus, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (floorStatus) {
    case 0: return zh ? "货道不存在" : "no such channel";
    case 1: return zh ? "正常" : "ok";
    case 2: return zh ? "卡货" : "jammed";
    case 3: return zh ? "故障" : "fault";
    case 47: return zh ? "串口通讯超时" : "serial timeout";
    default: return zh ? "未知错误" : "unknown error";
    }
}

const char* lockStatusLabel(int lockStatus, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (lockStatus) {
    case -1: return zh ? "无门锁" : "no lock";
    case 0: return zh ? "开锁" : "open";
    case 1: return zh ? "关锁" : "closed";
    case 2: return zh ? "故障" : "fault";
    default: return zh ? "未知状态" : "unknown state";
    }
}

std::optional<int> inferredUtcOffset(const PickupCodeCreate& create) {
    if (!create.expiresUtc || create.expiredDay.empty()) return std::nullopt;
    // Reading the wall clock as if it were UTC gives "UTC instant + offset".
    const auto wall = tz::localToUtc(create.expiredDay, "UTC");
    if (!wall.ok()) return std::nullopt;
    const std::int64_t diff = wall.value() - *create.expiresUtc;
    constexpr std::int64_t kStep = 15 * 60, kMin = -12 * 3600, kMax = 14 * 3600;
    if (diff < kMin || diff > kMax || diff % kStep != 0) return std::nullopt;
    return static_cast<int>(diff);
}

std::optional<ZoneCheck> checkMachineZone(const PickupCodeCreate& create, std::string_view zone) {
    const auto inferred = inferredUtcOffset(create);
    if (!inferred || !tz::isValidZone(zone)) return std::nullopt;
    return ZoneCheck{*inferred, tz::utcOffsetSeconds(*create.expiresUtc, zone)};
}

}  // namespace core::protocol
