#pragma once
// pickupctl's documented exit codes (docs/CLI.md). Scripts depend on these numbers.
#include "core/util/result.hpp"

namespace cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,         // anything not listed below
    kExitUsage = 2,           // bad command line or input value (time, count, length, zone)
    kExitVendor = 3,          // the vendor answered with an error code
    kExitNetwork = 4,         // network, TLS, timeout, HTTP error status or a reply that is not the vendor's
    kExitOutcomeUnknown = 5,  // a create may or may not have been applied: run `pickupctl reconcile`
    kExitConfig = 6,          // no profile, missing secret, keychain unavailable
    kExitStorage = 7,         // the local database could not be read or written
    kExitNotFound = 8,        // machine, product, code or profile not found
    kExitInUse = 9,           // another Pickup Desk process is writing this database (the app, `watch`, ...)
    kExitCorrupt = 10,        // the database file is damaged: `restore` a backup, or `recover`
};

inline int exitCodeFor(const core::Error& error) {
    using core::ErrorCode;
    switch (error.code) {
    case ErrorCode::InvalidInput: return kExitUsage;
    case ErrorCode::NotFound: return kExitNotFound;
    case ErrorCode::Config:
    case ErrorCode::Secret: return kExitConfig;
    case ErrorCode::Storage: return kExitStorage;
    case ErrorCode::Network:
    case ErrorCode::Timeout:
    case ErrorCode::Http:
    case ErrorCode::Protocol: return kExitNetwork;
    case ErrorCode::Vendor: return kExitVendor;
    case ErrorCode::OutcomeUnknown: return kExitOutcomeUnknown;
    case ErrorCode::Cancelled: return kExitFailure;
    case ErrorCode::InUse: return kExitInUse;
    case ErrorCode::Corrupt: return kExitCorrupt;
    }
    return kExitFailure;
}

}  // namespace cli
