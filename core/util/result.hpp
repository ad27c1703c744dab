#pragma once
// A small std::expected stand-in (GCC 12 / clang 14 lack <expected>).
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace core {

// What went wrong, by layer. Transport, protocol and vendor failures stay distinct so
// callers (CLI exit codes, UI wording) can react to each.
enum class ErrorCode {
    InvalidInput,    // the caller's input is wrong (bad time, bad option)
    NotFound,        // a local record does not exist
    Config,          // missing profile / URL / credentials
    Secret,          // keychain unavailable or failed
    Storage,         // SQLite or file system
    Network,         // connect/DNS/TLS/transfer failure
    Timeout,         // connect or total timeout
    Http,            // the server answered with a non-2xx status or a non-JSON page
    Protocol,        // the reply was not what the vendor protocol says
    Vendor,          // the vendor answered with an error code
    OutcomeUnknown,  // a non-idempotent request may or may not have been applied
    Cancelled,
    InUse,           // another process is writing the same database (core/config/instance_lock.hpp)
    Corrupt,         // the database file is damaged (not a database, failed integrity check)
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::InvalidInput;
    std::string message;  // what happened and what to do, safe to show (never holds secrets)
    int vendorCode = 0;   // with ErrorCode::Vendor
    int httpStatus = 0;   // with ErrorCode::Http (and Vendor when the status was not 200)
    std::string vendorMessage;  // raw vendor text, as received
    bool requestSent = false;   // transport failures: the request may have reached the server
};

inline Error makeError(ErrorCode code, std::string message) {
    return Error{code, std::move(message), 0, 0, {}, false};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_v); }
    const T& value() const& { assert(ok()); return std::get<0>(m_v); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}  // NOLINT

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { assert(m_failed); return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

using Status = Result<void>;

}  // namespace core
