// One-line summaries (English / Chinese) and the JSON shape of a push for front-ends.
#include "core/protocol/push_message.hpp"

namespace core::protocol {
namespace {

using nlohmann::json;

template <typename T>
std::string orQuestion(const std::optional<T>& value) {
    return value ? std::to_string(*value) : "?";
}

template <typename T>
json orNull(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

std::string methodLabel(const PushMessage& m, Lang lang) {
    if (m.info != nullptr) return lang == Lang::Zh ? m.info->zh : m.info->en;
    if (m.method.empty()) return lang == Lang::Zh ? "无方法名" : "No method";
    return (lang == Lang::Zh ? "未知方法 " : "Unknown method ") + m.method;
}

std::string createText(const PickupCodeCreate& c, Lang lang) {
    const bool zh = lang == Lang::Zh;
    std::string expires = c.expiredDay;
    if (expires.empty()) expires = c.expiresUtc ? tz::toIso8601Utc(*c.expiresUtc) : (zh ? "永不" : "never");
    std::string out = (zh ? "取货码 " : "code ") + (c.code.empty() ? "?" : c.code) + (zh ? " 商品 " : " product ") +
                      orQuestion(c.productId) + (zh ? " 数量 " : " qty ") + orQuestion(c.quantity) +
                      (zh ? " 过期 " : " expires ") + expires;
    if (c.used.value_or(false)) out += zh ? " (已使用)" : " (used)";
    return out;
}

std::string debuggingText(const ChannelDebugging& d, Lang lang) {
    const bool zh = lang == Lang::Zh;
    auto yesNo = [zh](const std::optional<bool>& v) -> std::string {
        if (!v) return "?";
        return *v ? (zh ? "有" : "yes") : (zh ? "无" : "no");
    };
    return (zh ? "板卡 " : "board ") + orQuestion(d.addr) + (zh ? " 货道 " : " channel ") + orQuestion(d.code) + " " +
           (d.floorType ? floorTypeLabel(*d.floorType, lang) : "?") + (zh ? " 升降台 " : " lift ") + yesNo(d.isLp) +
           (zh ? " 掉货检测 " : " drop detection ") + yesNo(d.isDc) + (zh ? " 订单类型 " : " order ") +
           (d.orderType.empty() ? "?" : d.orderType);
}

std::string statusText(const ChannelStatus& s, Lang lang) {
    const bool zh = lang == Lang::Zh;
    std::string out = (zh ? "商品 " : "product ") + orQuestion(s.productId);
    if (s.floorStatus) out += (zh ? " 货道 " : " channel ") + std::string(floorStatusLabel(*s.floorStatus, lang));
    if (s.lockStatus) out += (zh ? " 门锁 " : " lock ") + std::string(lockStatusLabel(*s.lockStatus, lang));
    return out;
}

std::string idList(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (const auto id : ids) {
        if (!out.empty()) out += ',';
        out += std::to_string(id);  // appended separately: GCC 12 -O3 reports a false -Wrestrict otherwise
    }
    return out.empty() ? "?" : out;
}

std::string viewText(const PushMessage& m, Lang lang) {
    const bool zh = lang == Lang::Zh;
    if (m.create) return createText(*m.create, lang);
    if (m.del) return "id " + orQuestion(m.del->id);
    if (m.put) return "id " + orQuestion(m.put->id) + (m.put->used.value_or(false) ? (zh ? " 已使用" : " used") : "");
    if (m.debugging) return debuggingText(*m.debugging, lang);
    if (m.channelStatus) return statusText(*m.channelStatus, lang);
    if (m.faultClear) return (zh ? "商品 " : "products ") + idList(m.faultClear->productIds);
    const auto count = std::to_string(m.fields.size());
    return zh ? count + " 个字段" : count + " fields";
}

json viewJson(const PushMessage& m) {
    if (m.create) {
        const auto& c = *m.create;
        const auto offset = inferredUtcOffset(c);
        return {{"type", "pickup_code_create"}, {"id", orNull(c.id)}, {"product_id", orNull(c.productId)},
                {"code", c.code}, {"quantity", orNull(c.quantity)}, {"expired_at_raw", orNull(c.expiredAtRaw)},
                {"expires_utc", c.expiresUtc ? json(tz::toIso8601Utc(*c.expiresUtc)) : json(nullptr)},
                {"expired_day", c.expiredDay}, {"used", orNull(c.used)}, {"inferred_utc_offset", orNull(offset)}};
    }
    if (m.del) return {{"type", "pickup_code_delete"}, {"id", orNull(m.del->id)}};
    if (m.put) return {{"type", "pickup_code_put"}, {"id", orNull(m.put->id)}, {"used", orNull(m.put->used)}};
    if (m.debugging) {
        const auto& d = *m.debugging;
        return {{"type", "channel_debugging"}, {"floor_type", orNull(d.floorType)},
                {"floor_type_label", d.floorType ? json(floorTypeLabel(*d.floorType, Lang::En)) : json(nullptr)},
                {"is_lp", orNull(d.isLp)}, {"is_dc", orNull(d.isDc)}, {"code", orNull(d.code)},
                {"addr", orNull(d.addr)}, {"order_type", d.orderType}};
    }
    if (m.channelStatus) {
        const auto& s = *m.channelStatus;
        return {{"type", "channel_status"}, {"product_id", orNull(s.productId)},
                {"floor_status", orNull(s.floorStatus)},
                {"floor_status_label", s.floorStatus ? json(floorStatusLabel(*s.floorStatus, Lang::En)) : json(nullptr)},
                {"lock_status", orNull(s.lockStatus)},
                {"lock_status_label", s.lockStatus ? json(lockStatusLabel(*s.lockStatus, Lang::En)) : json(nullptr)}};
    }
    if (m.faultClear) {
        return {{"type", "channel_fault_clear"}, {"product_ids", m.faultClear->productIds},
                {"floor_status", orNull(m.faultClear->floorStatus)}};
    }
    return nullptr;
}

}  // namespace

std::string summarize(const PushMessage& m, Lang lang) {
    if (m.verification == Verification::Undecodable) {
        return (lang == Lang::Zh ? "无法解码的推送: " : "Undecodable push: ") + m.decodeError;
    }
    return methodLabel(m, lang) + ": " + viewText(m, lang);
}

json pushJson(const PushMessage& m) {
    json out{{"verification", verificationName(m.verification)},
             {"form", payloadFormName(m.form)},
             {"topic", m.topic},
             {"method", m.method},
             {"label_en", m.info != nullptr ? json(m.info->en) : json(nullptr)},
             {"label_zh", m.info != nullptr ? json(m.info->zh) : json(nullptr)},
             {"direction", directionName(m.info != nullptr ? m.info->direction : Direction::Unknown)},
             {"machine_no", m.machineNo},
             {"machine_id", orNull(m.machineId)},
             {"timestamp", orNull(m.timestamp)},
             {"sign", m.sign},
             {"fields", m.fields},
             {"view", viewJson(m)},
             {"notes", m.notes},
             {"summary_en", summarize(m, Lang::En)},
             {"summary_zh", summarize(m, Lang::Zh)}};
    if (m.verification == Verification::Undecodable) {
        out["decode_error"] = m.decodeError;
        out["payload"] = m.payload;  // may hold bytes that are not UTF-8: dump with error_handler_t::replace
    }
    return out;
}

}  // namespace core::protocol
