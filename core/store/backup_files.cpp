// File names and moves behind backups: the backups folder and its rotation, the pre-migration
// backup, and setting a database (with its -wal/-shm) aside.
#include "core/config/paths.hpp"
#include "core/store/backup.hpp"
#include "core/store/backup_detail.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace core::store {
namespace fs = std::filesystem;

namespace {

constexpr int kDefaultBackupsToKeep = 5;
constexpr const char* kSideFiles[] = {"-wal", "-shm", "-journal"};

bool allDigits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// `<stem>-v<N>-<time>[-<n>].db` -> (time, n); nullopt for any other name, which the rotation
// leaves alone.
std::optional<std::pair<std::string, long>> rotationKey(const std::string& name, const std::string& stem) {
    const std::string prefix = stem + "-v";
    const std::string ext = ".db";
    if (name.size() <= prefix.size() + ext.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - ext.size(), ext.size(), ext) != 0) {
        return std::nullopt;
    }
    size_t i = prefix.size();
    const size_t digits = i;
    while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) != 0) ++i;
    if (i == digits || i >= name.size() || name[i] != '-') return std::nullopt;
    const std::string rest = name.substr(i + 1, name.size() - ext.size() - i - 1);
    const auto dash = rest.rfind('-');
    if (dash != std::string::npos && allDigits(rest.substr(dash + 1))) {
        return std::make_pair(rest.substr(0, dash), std::strtol(rest.c_str() + dash + 1, nullptr, 10));
    }
    return std::make_pair(rest, 1L);
}

// `<base>.db`, or `<base>-<n>.db` with n above every existing one for this base, so a backup made
// within the same second as others always sorts as the newest (even after older ones were pruned).
std::string nextBackupName(const fs::path& dir, const std::string& base) {
    long highest = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name == base + ".db") {
            highest = std::max(highest, 1L);
        } else if (name.size() > base.size() + 4 && name.compare(0, base.size() + 1, base + "-") == 0 &&
                   name.compare(name.size() - 3, 3, ".db") == 0) {
            const std::string n = name.substr(base.size() + 1, name.size() - base.size() - 4);
            if (allDigits(n)) highest = std::max(highest, std::strtol(n.c_str(), nullptr, 10));
        }
    }
    return (dir / (highest == 0 ? base + ".db" : base + "-" + std::to_string(highest + 1) + ".db")).string();
}

void keepNewest(const fs::path& dir, const std::string& stem, int keep) {
    std::vector<std::pair<std::pair<std::string, long>, fs::path>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (auto key = rotationKey(entry.path().filename().string(), stem)) found.emplace_back(*key, entry.path());
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = static_cast<size_t>(std::max(keep, 0)); i < found.size(); ++i) fs::remove(found[i].second, ec);
}

}  // namespace

std::string utcFileStamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &now);
#else
    gmtime_r(&now, &utc);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

std::string backupDirFor(const std::string& dbPath) {
    return (fs::path(dbPath).parent_path() / "backups").string();
}

int defaultBackupsToKeep() {
    const char* env = std::getenv("PICKUPDESK_BACKUPS_KEEP");
    if (env == nullptr || *env == '\0') return kDefaultBackupsToKeep;
    char* end = nullptr;
    const long keep = std::strtol(env, &end, 10);
    return end != nullptr && *end == '\0' && keep >= 0 && keep <= 1000 ? static_cast<int>(keep) : kDefaultBackupsToKeep;
}

std::optional<std::string> newestBackup(const std::string& dbPath) {
    std::optional<std::pair<fs::file_time_type, fs::path>> newest;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(backupDirFor(dbPath), ec)) {
        if (!entry.is_regular_file(ec) || entry.path().extension() != ".db") continue;
        const auto when = entry.last_write_time(ec);
        if (ec) continue;
        if (!newest || std::make_pair(when, entry.path()) > *newest) newest = std::make_pair(when, entry.path());
    }
    if (!newest) return std::nullopt;
    return newest->second.string();
}

std::string suggestedBackupPath(const std::string& dbPath) {
    const std::string stem = fs::path(dbPath).stem().string();
    return detail::uniquePath((fs::path(backupDirFor(dbPath)) / (stem + "-" + utcFileStamp())).string(), ".db");
}

namespace detail {

std::string uniquePath(const std::string& base, const std::string& ext) {
    std::error_code ec;
    std::string candidate = base + ext;
    for (int n = 2; fs::exists(candidate, ec); ++n) candidate = base + "-" + std::to_string(n) + ext;
    return candidate;
}

Result<std::string> backupBeforeMigration(const std::string& dbPath, int fromVersion, int keep) {
    const fs::path dir = backupDirFor(dbPath);
    if (auto made = config::ensurePrivateDir(dir.string()); !made) return made.error();
    const std::string stem = fs::path(dbPath).stem().string();
    const std::string dest = nextBackupName(dir, stem + "-v" + std::to_string(fromVersion) + "-" + utcFileStamp());
    try {
        // A second, read-only connection: the caller holds the write lock; WAL lets this reader
        // see the last committed (pre-migration) state.
        SQLite::Database from(dbPath, SQLite::OPEN_READONLY, 5000);
        if (auto copied = writeCheckedCopy(from, dbPath, dest + ".partial"); !copied) return copied.error();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Storage, "Could not read '" + dbPath + "' to back it up: " + e.what() + ".");
    }
    if (auto published = publishFile(dest + ".partial", dest); !published) return published.error();
    keepNewest(dir, stem, keep);
    return dest;
}

Status publishFile(const std::string& partial, const std::string& dest) {
    std::error_code ec;
#ifndef _WIN32
    // Codes are the merchant's money: copies are readable by the user only, wherever they go.
    fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
#endif
    fs::rename(partial, dest, ec);
    if (ec) {
        removeDatabaseFiles(partial);
        return makeError(ErrorCode::Storage, "Could not move the finished copy to '" + dest + "' (" + ec.message() +
                                                 "); nothing was changed there.");
    }
    return {};
}

void removeDatabaseFiles(const std::string& path) {
    std::error_code ec;
    fs::remove(path, ec);
    for (const char* side : kSideFiles) fs::remove(path + side, ec);
}

Result<std::string> moveDatabaseAside(const std::string& dbPath, const std::string& label) {
    const std::string aside = uniquePath(dbPath + "." + label + "-" + utcFileStamp(), "");
    std::error_code ec;
    fs::rename(dbPath, aside, ec);
    if (ec) {
        return makeError(ErrorCode::Storage, "Could not rename '" + dbPath + "' to '" + aside + "' (" + ec.message() +
                                                 "); nothing was changed. Check the folder's permissions.");
    }
    // The side files follow under matching names, so the set-aside copy opens with its WAL.
    for (const char* side : kSideFiles) {
        if (fs::exists(dbPath + side, ec)) fs::rename(dbPath + side, aside + side, ec);
    }
    return aside;
}

void moveDatabaseBack(const std::string& aside, const std::string& dbPath) {
    std::error_code ec;
    fs::rename(aside, dbPath, ec);
    for (const char* side : kSideFiles) {
        if (fs::exists(aside + side, ec)) fs::rename(aside + side, dbPath + side, ec);
    }
}

}  // namespace detail
}  // namespace core::store
