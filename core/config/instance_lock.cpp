#include "core/config/instance_lock.hpp"

#include "core/config/paths.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace core::config {
namespace fs = std::filesystem;
namespace {

std::string holderText(const std::string& program) {
#ifdef _WIN32
    const long pid = static_cast<long>(GetCurrentProcessId());
#else
    const long pid = static_cast<long>(::getpid());
#endif
    return std::to_string(pid) + " " + program + "\n";
}

Error lockFailed(const std::string& lockPath, const std::string& why) {
    return makeError(ErrorCode::Storage, "Cannot lock '" + lockPath + "' (" + why +
                                             "). Check that the data directory is on a local disk and that you may "
                                             "write to it, or choose another data directory.");
}

#ifdef _WIN32

// A byte far past the holder's text is locked, so other processes can still read the text
// (Windows locks are mandatory for the locked range).
constexpr DWORD kLockOffsetHigh = 1;  // offset 4 GiB

Result<std::intptr_t> lockFile(const std::string& lockPath, const std::string& dbPath, const std::string& program) {
    HANDLE h = CreateFileW(fs::path(lockPath).wstring().c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) return lockFailed(lockPath, "error " + std::to_string(GetLastError()));
    OVERLAPPED where{};
    where.OffsetHigh = kLockOffsetHigh;
    if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &where)) {
        const DWORD err = GetLastError();
        CloseHandle(h);
        if (err == ERROR_LOCK_VIOLATION || err == ERROR_IO_PENDING) {
            return makeError(ErrorCode::InUse, inUseMessage(dbPath, InstanceLock::readHolder(lockPath)));
        }
        return lockFailed(lockPath, "error " + std::to_string(err));
    }
    const std::string text = holderText(program);
    DWORD written = 0;
    SetFilePointer(h, 0, nullptr, FILE_BEGIN);
    SetEndOfFile(h);
    WriteFile(h, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
    return reinterpret_cast<std::intptr_t>(h);
}

void unlockFile(std::intptr_t handle) {
    HANDLE h = reinterpret_cast<HANDLE>(handle);
    SetFilePointer(h, 0, nullptr, FILE_BEGIN);
    SetEndOfFile(h);
    OVERLAPPED where{};
    where.OffsetHigh = kLockOffsetHigh;
    UnlockFileEx(h, 0, 1, 0, &where);
    CloseHandle(h);
}

#else

// flock: owned by the open file description, released when the process exits or dies (SIGKILL
// included). O_CLOEXEC keeps child processes (the sandbox simulator) from inheriting it.
Result<std::intptr_t> lockFile(const std::string& lockPath, const std::string& dbPath, const std::string& program) {
    const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return lockFailed(lockPath, std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) {
            return makeError(ErrorCode::InUse, inUseMessage(dbPath, InstanceLock::readHolder(lockPath)));
        }
        return lockFailed(lockPath, std::strerror(err));
    }
    const std::string text = holderText(program);
    // Best effort: the text only improves the message another process shows.
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd, text.data(), text.size(), 0);
    }
    return static_cast<std::intptr_t>(fd);
}

void unlockFile(std::intptr_t handle) {
    const int fd = static_cast<int>(handle);
    // A stale name left in the file is harmless: the lock itself is what counts.
    [[maybe_unused]] const int cleared = ::ftruncate(fd, 0);
    ::close(fd);  // releases the flock
}

#endif

}  // namespace

std::string InstanceLock::lockPathFor(const std::string& dbPath) {
    return fs::path(dbPath).replace_extension(".lock").string();
}

LockHolder InstanceLock::readHolder(const std::string& lockPath) {
    std::ifstream in(lockPath, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LockHolder holder;
    const auto space = text.find(' ');
    if (space == std::string::npos) return holder;
    holder.pid = std::strtol(text.substr(0, space).c_str(), nullptr, 10);
    const auto end = text.find('\n', space);
    holder.program = text.substr(space + 1, end == std::string::npos ? std::string::npos : end - space - 1);
    if (holder.pid <= 0) holder = LockHolder{};
    return holder;
}

Result<std::unique_ptr<InstanceLock>> InstanceLock::acquire(const std::string& dbPath, const std::string& program) {
    if (dbPath.empty() || dbPath == ":memory:") {
        return makeError(ErrorCode::InvalidInput, "Only a database file can be locked; '" + dbPath + "' is not one.");
    }
    const std::string lockPath = lockPathFor(dbPath);
    if (auto dir = ensurePrivateDir(fs::path(lockPath).parent_path().string()); !dir) return dir.error();
    auto handle = lockFile(lockPath, dbPath, program);
    if (!handle) return handle.error();
    return std::unique_ptr<InstanceLock>(new InstanceLock(dbPath, lockPath, *handle));
}

InstanceLock::InstanceLock(std::string dbPath, std::string lockPath, std::intptr_t handle)
    : m_dbPath(std::move(dbPath)), m_lockPath(std::move(lockPath)), m_handle(handle) {}

InstanceLock::~InstanceLock() {
    unlockFile(m_handle);
}

bool InstanceLock::covers(const std::string& dbPath) const {
    std::error_code ec;
    return fs::equivalent(lockPathFor(dbPath), m_lockPath, ec) && !ec;
}

std::string lockedPlace(const std::string& dbPath) {
    const fs::path db(dbPath);
    return db.filename() == "pickupdesk.db" && db.has_parent_path() ? db.parent_path().string() : dbPath;
}

std::string inUseMessage(const std::string& dbPath, const LockHolder& holder) {
    const std::string where = lockedPlace(dbPath);
    const std::string who = holder.pid > 0
                                ? (holder.program.empty() ? std::string("a Pickup Desk program") : holder.program) +
                                      ", pid " + std::to_string(holder.pid)
                                : std::string("another Pickup Desk program");
    return "Pickup Desk is already using " + where + " (" + who +
           "). Close it first, or choose another data directory.";
}

}  // namespace core::config
