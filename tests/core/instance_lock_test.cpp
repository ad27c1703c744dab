// core::config::InstanceLock: one writer per database, across real processes.
#include "core/config/instance_lock.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using core::ErrorCode;
using core::config::InstanceLock;
using testsupport::TempDir;

namespace {

std::string lockText(const std::string& dbPath) {
    std::ifstream in(InstanceLock::lockPathFor(dbPath));
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A child process that takes the lock, says so on a pipe, then waits to be killed.
pid_t forkLockHolder(const std::string& dbPath) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(ready[0]);
        auto lock = InstanceLock::acquire(dbPath, "lock-test-child");
        const char ok = lock ? '1' : '0';
        [[maybe_unused]] const auto written = ::write(ready[1], &ok, 1);
        for (;;) ::pause();
    }
    ::close(ready[1]);
    char ok = '0';
    REQUIRE(::read(ready[0], &ok, 1) == 1);
    ::close(ready[0]);
    REQUIRE(ok == '1');
    return pid;
}

}  // namespace

TEST_CASE("instance lock: a second writer is refused with a message naming the holder, and may take it once released") {
    TempDir dir;
    const std::string db = dir.file("data/pickupdesk.db");
    CHECK(InstanceLock::lockPathFor(db) == dir.file("data/pickupdesk.lock"));
    auto first = InstanceLock::acquire(db, "pickupdesk");
    REQUIRE(first.ok());
    CHECK(lockText(db) == std::to_string(::getpid()) + " pickupdesk\n");
    CHECK((*first)->covers(dir.file("data/../data/pickupdesk.db")));
    CHECK_FALSE((*first)->covers(dir.file("data/other.db")));

    // flock belongs to an open file: a second open, even in this process, is a second writer.
    auto second = InstanceLock::acquire(db, "pickupctl generate");
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ErrorCode::InUse);
    CHECK(second.error().message == "Pickup Desk is already using " + dir.file("data") + " (pickupdesk, pid " +
                                        std::to_string(::getpid()) +
                                        "). Close it first, or choose another data directory.");
    // Another database in the same folder has its own lock.
    CHECK(InstanceLock::acquire(dir.file("data/other.db"), "pickupctl watch").ok());

    first.value().reset();
    CHECK(lockText(db).empty());
    auto third = InstanceLock::acquire(db, "pickupctl generate");
    REQUIRE(third.ok());
    CHECK(lockText(db) == std::to_string(::getpid()) + " pickupctl generate\n");
}

TEST_CASE(
    "instance lock: held by another process, that process killed with SIGKILL leaves a lock file that blocks nobody") {
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    const pid_t child = forkLockHolder(db);

    auto refused = InstanceLock::acquire(db, "pickupdesk");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InUse);
    CHECK(refused.error().message.find("(lock-test-child, pid " + std::to_string(child) + ")") != std::string::npos);

    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    // The dead holder's name is still in the file, but the OS dropped its lock.
    CHECK(std::filesystem::exists(InstanceLock::lockPathFor(db)));
    CHECK(lockText(db) == std::to_string(child) + " lock-test-child\n");
    auto taken = InstanceLock::acquire(db, "pickupdesk");
    REQUIRE_MESSAGE(taken.ok(), (taken.ok() ? "" : taken.error().message));
    CHECK(lockText(db) == std::to_string(::getpid()) + " pickupdesk\n");
}

TEST_CASE("instance lock: a program started by the holder does not inherit the lock") {
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    auto lock = InstanceLock::acquire(db, "pickupdesk");
    REQUIRE(lock.ok());
    // As the app starts the sandbox simulator: a child that outlives the lock's owner object.
    testsupport::ChildProcess sleeper({"sleep", "30"});
    REQUIRE(sleeper.running());
    lock.value().reset();
    auto again = InstanceLock::acquire(db, "pickupctl watch");
    CHECK_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
    sleeper.stop();
}

TEST_CASE(
    "instance lock: the refusal names the file when the database is not the default name, and an unknown holder") {
    CHECK(core::config::inUseMessage("/srv/desk/shop.db", {77, "pickupctl watch"}) ==
          "Pickup Desk is already using /srv/desk/shop.db (pickupctl watch, pid 77). Close it first, or choose "
          "another data directory.");
    CHECK(core::config::inUseMessage("/srv/desk/pickupdesk.db", {}) ==
          "Pickup Desk is already using /srv/desk (another Pickup Desk program). Close it first, or choose another "
          "data directory.");
    TempDir dir;
    std::ofstream(dir.file("x.lock")) << "garbage";
    CHECK(InstanceLock::readHolder(dir.file("x.lock")).pid == 0);
    CHECK(InstanceLock::readHolder(dir.file("missing.lock")).pid == 0);
}
