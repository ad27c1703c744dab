#pragma once
// Time rules of vendor-protocol.md §6/§10: instants are stored as UTC epoch seconds,
// shown in the machine's IANA zone, and sent to the open API as GMT+8 wall-clock strings.
#include "core/util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace core::tz {

using Instant = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

inline constexpr std::string_view kDefaultZone = "Asia/Shanghai";

// What to do with a local time that occurs twice (a DST fall-back hour).
enum class Ambiguity { Reject, Earliest, Latest };

bool isValidZone(std::string_view zone);

// Parses "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" as wall-clock time in `zone`.
// Times skipped by a DST change are refused; repeated ones are refused unless `ambiguity` picks one.
Result<Instant> localToUtc(std::string_view localText, std::string_view zone,
                           Ambiguity ambiguity = Ambiguity::Reject);

// "YYYY-MM-DD HH:MM:SS" of the instant in `zone` (an unknown zone formats as UTC).
std::string formatInZone(Instant instant, std::string_view zone);

// The open API's expiry format: wall-clock time at a fixed +08:00.
std::string toGmt8String(Instant instant);
Result<Instant> parseGmt8String(std::string_view text);

// "2025-10-23T12:51:37Z".
std::string toIso8601Utc(Instant instant);

// Vendor epochs come in seconds or milliseconds: values >= 1e12 are milliseconds.
Instant normalizeEpoch(std::int64_t raw);

// A vendor time value as text: a GMT+8 "YYYY-MM-DD HH:MM:SS" string or an epoch (s or ms) in digits.
Result<Instant> parseVendorTime(std::string_view text);

// Offset of `zone` from UTC at `instant`, in seconds (0 for an unknown zone).
int utcOffsetSeconds(Instant instant, std::string_view zone);

// The computer's own zone name ("UTC" when it cannot be determined). Looked up at most once a
// second: views ask for it for every row they show, and the lookup reads /etc/localtime.
std::string localZoneName();

Instant nowUtc();

}  // namespace core::tz
