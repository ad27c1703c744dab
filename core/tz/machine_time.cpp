#include "core/tz/machine_time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <mutex>
#include <sstream>

namespace core::tz {
namespace {

using Seconds = std::chrono::seconds;
using SysSeconds = date::sys_time<Seconds>;
using LocalSeconds = date::local_time<Seconds>;

const date::time_zone* findZone(std::string_view zone) {
    try {
        return date::locate_zone(std::string(zone));
    } catch (const std::exception&) {
        return nullptr;
    }
}

// Strict "YYYY-MM-DD HH:MM[:SS]" parser; date::parse accepts too much (e.g. "2024-1-1").
bool parseWallClock(std::string_view text, LocalSeconds& out) {
    auto digits = [&](size_t pos, size_t n, int& value) {
        if (pos + n > text.size()) return false;
        value = 0;
        for (size_t i = pos; i < pos + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
            value = value * 10 + (text[i] - '0');
        }
        return true;
    };
    if (text.size() != 16 && text.size() != 19) return false;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!digits(0, 4, y) || text[4] != '-' || !digits(5, 2, mo) || text[7] != '-' || !digits(8, 2, d)) return false;
    if ((text[10] != ' ' && text[10] != 'T') || !digits(11, 2, h) || text[13] != ':' || !digits(14, 2, mi)) return false;
    if (text.size() == 19 && (text[16] != ':' || !digits(17, 2, s))) return false;
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return false;
    out = date::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + Seconds{s};
    return true;
}

std::string formatWallClock(LocalSeconds local) { return date::format("%Y-%m-%d %H:%M:%S", local); }

constexpr Seconds kGmt8Offset{8 * 3600};

std::string lookUpLocalZone() {
    try {
        return std::string(date::current_zone()->name());
    } catch (const std::exception&) {
        return "UTC";
    }
}

}  // namespace

bool isValidZone(std::string_view zone) { return !zone.empty() && findZone(zone) != nullptr; }

Result<Instant> localToUtc(std::string_view localText, std::string_view zone, Ambiguity ambiguity) {
    const date::time_zone* tz = findZone(zone);
    if (tz == nullptr) {
        return makeError(ErrorCode::InvalidInput,
                         "Unknown time zone '" + std::string(zone) + "': use an IANA name such as Asia/Shanghai.");
    }
    LocalSeconds local;
    if (!parseWallClock(localText, local)) {
        return makeError(ErrorCode::InvalidInput, "Cannot read time '" + std::string(localText) +
                                                      "': write it as YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS.");
    }
    const auto info = tz->get_info(local);
    if (info.result == date::local_info::nonexistent) {
        return makeError(ErrorCode::InvalidInput,
                         std::string(localText) + " does not exist in " + std::string(zone) +
                             " (the clocks skip it for daylight saving time); choose a time outside the gap.");
    }
    if (info.result == date::local_info::ambiguous) {
        if (ambiguity == Ambiguity::Reject) {
            return makeError(ErrorCode::InvalidInput,
                             std::string(localText) + " happens twice in " + std::string(zone) +
                                 " (daylight saving time ends); choose the earlier or the later one explicitly.");
        }
        const auto& pick = ambiguity == Ambiguity::Earliest ? info.first : info.second;
        return (local.time_since_epoch() - pick.offset).count();
    }
    return (local.time_since_epoch() - info.first.offset).count();
}

std::string formatInZone(Instant instant, std::string_view zone) {
    const SysSeconds sys{Seconds{instant}};
    if (const date::time_zone* tz = findZone(zone)) {
        return formatWallClock(date::make_zoned(tz, sys).get_local_time());
    }
    return formatWallClock(LocalSeconds{sys.time_since_epoch()});
}

std::string toGmt8String(Instant instant) { return formatWallClock(LocalSeconds{Seconds{instant} + kGmt8Offset}); }

Result<Instant> parseGmt8String(std::string_view text) {
    LocalSeconds local;
    if (!parseWallClock(text, local)) {
        return makeError(ErrorCode::Protocol, "Not a 'YYYY-MM-DD HH:MM:SS' time: '" + std::string(text) + "'.");
    }
    return (local.time_since_epoch() - kGmt8Offset).count();
}

std::string toIso8601Utc(Instant instant) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", SysSeconds{Seconds{instant}});
}

Instant normalizeEpoch(std::int64_t raw) {
    constexpr std::int64_t kMsThreshold = 1'000'000'000'000;
    return (raw >= kMsThreshold || raw <= -kMsThreshold) ? raw / 1000 : raw;
}

Result<Instant> parseVendorTime(std::string_view text) {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
        std::int64_t raw = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), raw);
        if (ec != std::errc{} || ptr != text.data() + text.size()) {
            return makeError(ErrorCode::Protocol, "Epoch out of range: '" + std::string(text) + "'.");
        }
        // Past 9999-12-31 23:59:59 GMT+8 no string form exists to send back (a fuzz finding).
        constexpr Instant kLastGmt8Instant = 253'402'271'999;
        const Instant instant = normalizeEpoch(raw);
        if (instant > kLastGmt8Instant) {
            return makeError(ErrorCode::Protocol, "Epoch out of range: '" + std::string(text) + "'.");
        }
        return instant;
    }
    return parseGmt8String(text);
}

int utcOffsetSeconds(Instant instant, std::string_view zone) {
    const date::time_zone* tz = findZone(zone);
    if (tz == nullptr) return 0;
    return static_cast<int>(tz->get_info(SysSeconds{Seconds{instant}}).offset.count());
}

std::string localZoneName() {
    // A changed system zone shows within a second.
    constexpr auto kFresh = std::chrono::seconds(1);
    static std::mutex mutex;
    static std::string zone;
    static std::chrono::steady_clock::time_point lookedUp;
    const std::lock_guard lock(mutex);
    const auto now = std::chrono::steady_clock::now();
    if (zone.empty() || now - lookedUp >= kFresh) {
        zone = lookUpLocalZone();
        lookedUp = now;
    }
    return zone;
}

Instant nowUtc() {
    return std::chrono::duration_cast<Seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace core::tz
