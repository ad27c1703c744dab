#include "core/util/result.hpp"

namespace core {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidInput: return "invalid_input";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Config: return "config";
    case ErrorCode::Secret: return "secret";
    case ErrorCode::Storage: return "storage";
    case ErrorCode::Network: return "network";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Http: return "http";
    case ErrorCode::Protocol: return "protocol";
    case ErrorCode::Vendor: return "vendor";
    case ErrorCode::OutcomeUnknown: return "outcome_unknown";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::InUse: return "in_use";
    case ErrorCode::Corrupt: return "corrupt";
    }
    return "unknown";
}

}  // namespace core
