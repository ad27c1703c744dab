#include "core/domain/types.hpp"

namespace core {

const char* codeStatusName(CodeStatus status) {
    switch (status) {
    case CodeStatus::Unused: return "unused";
    case CodeStatus::Used: return "used";
    case CodeStatus::Expired: return "expired";
    case CodeStatus::Deleted: return "deleted";
    case CodeStatus::Unknown: return "unknown";
    }
    return "unknown";
}

std::optional<CodeStatus> parseCodeStatus(std::string_view text) {
    if (text == "unused" || text == "UNUSED") return CodeStatus::Unused;
    if (text == "used" || text == "USED") return CodeStatus::Used;
    if (text == "expired" || text == "EXPIRED") return CodeStatus::Expired;
    if (text == "deleted" || text == "DELETED") return CodeStatus::Deleted;
    if (text == "unknown" || text == "UNKNOWN") return CodeStatus::Unknown;
    return std::nullopt;
}

const char* outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Pending: return "pending";
    case Outcome::Ok: return "ok";
    case Outcome::Failed: return "failed";
    case Outcome::Unknown: return "unknown";
    }
    return "unknown";
}

std::optional<Outcome> parseOutcome(std::string_view text) {
    if (text == "pending") return Outcome::Pending;
    if (text == "ok") return Outcome::Ok;
    if (text == "failed") return Outcome::Failed;
    if (text == "unknown") return Outcome::Unknown;
    return std::nullopt;
}

}  // namespace core
