#include "hw/transport/transport.hpp"

namespace hw::transport {
namespace {

// Marks link errors inside core::Error::vendorCode; far from any vendor or board code.
constexpr int kLinkErrorBase = 9100;

core::ErrorCode coreCodeFor(LinkError kind) {
    switch (kind) {
    case LinkError::Timeout: return core::ErrorCode::Timeout;
    case LinkError::Permission: return core::ErrorCode::Config;
    case LinkError::NotFound: return core::ErrorCode::NotFound;
    case LinkError::Disconnected:
    case LinkError::Busy:
    case LinkError::Io: break;
    }
    return core::ErrorCode::Network;
}

}  // namespace

const char* linkErrorName(LinkError kind) {
    switch (kind) {
    case LinkError::Timeout: return "timeout";
    case LinkError::Disconnected: return "disconnected";
    case LinkError::Busy: return "busy";
    case LinkError::Permission: return "permission";
    case LinkError::NotFound: return "not-found";
    case LinkError::Io: return "io";
    }
    return "io";
}

core::Error makeLinkError(LinkError kind, std::string message) {
    core::Error e = core::makeError(coreCodeFor(kind), std::move(message));
    e.vendorCode = kLinkErrorBase + static_cast<int>(kind);
    return e;
}

std::optional<LinkError> linkErrorOf(const core::Error& error) {
    const int kind = error.vendorCode - kLinkErrorBase;
    if (error.code == core::ErrorCode::Vendor || kind < 1 || kind > static_cast<int>(LinkError::Io)) return std::nullopt;
    return static_cast<LinkError>(kind);
}

}  // namespace hw::transport
