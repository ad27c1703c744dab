#pragma once
// One writer per database: a process that writes (the desktop app, `pickupctl watch`, `generate`, ...)
// holds an exclusive OS lock on a file next to the database, `<dir>/<db name>.lock` (for the default
// database: `<datadir>/pickupdesk.lock`). A second writer is refused with a message naming the holder;
// readers (list, show, export, backup) never take it, since SQLite's WAL lets them read alongside.
//
// The lock is the OS's (POSIX flock, Windows LockFileEx), not the file's existence: it goes away
// when the holder exits or is killed, so a lock file left by a dead process never blocks anyone.
// The file holds the holder's pid and program name, for the message only.
#include "core/util/result.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace core::config {

struct LockHolder {
    long pid = 0;         // 0 = unknown (the holder has not written its name yet)
    std::string program;  // e.g. "pickupdesk", "pickupctl watch"
};

class InstanceLock {
public:
    // Takes the lock for the database at dbPath, or fails at once (no waiting) with
    // ErrorCode::InUse naming the holder. `program` is what a refused process will be told.
    static Result<std::unique_ptr<InstanceLock>> acquire(const std::string& dbPath, const std::string& program);
    // `<dir>/<db stem>.lock`: pickupdesk.db -> pickupdesk.lock.
    static std::string lockPathFor(const std::string& dbPath);
    // What the lock file says about its last holder (for messages; says nothing about liveness).
    static LockHolder readHolder(const std::string& lockPath);

    ~InstanceLock();  // releases the lock (the file stays: deleting it would race with a new holder)
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;

    const std::string& databasePath() const { return m_dbPath; }
    const std::string& lockPath() const { return m_lockPath; }
    // True when this lock guards the database at dbPath (the same file, however it is spelled).
    bool covers(const std::string& dbPath) const;

private:
    InstanceLock(std::string dbPath, std::string lockPath, std::intptr_t handle);
    std::string m_dbPath;
    std::string m_lockPath;
    std::intptr_t m_handle;  // POSIX file descriptor, or a Windows HANDLE
};

// What the refusal names: the data directory for the default database name, else the file.
std::string lockedPlace(const std::string& dbPath);

// The refusal text: "Pickup Desk is already using <dir> (pickupdesk, pid 1234). Close it first, or
// choose another data directory." (<dir> is the data directory, or the file for a non-default name.)
std::string inUseMessage(const std::string& dbPath, const LockHolder& holder);

}  // namespace core::config
