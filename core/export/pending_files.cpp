#include "core/export/pending_files.hpp"

#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace core::exporter::detail {

PendingFiles::~PendingFiles() {
    if (m_committed) return;
    std::error_code ec;
    for (const auto& temp : m_temps) fs::remove(temp, ec);
}

Result<std::string> PendingFiles::add(const std::string& finalPath) {
    const fs::path target(finalPath);
    if (target.filename().empty()) {
        return makeError(ErrorCode::InvalidInput, "The output path '" + finalPath + "' names a folder; give a file name.");
    }
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return makeError(ErrorCode::Storage, "The folder '" + dir.string() + "' does not exist; create it or choose another output path.");
    }
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string name = ".";  // appends, not operator+: GCC 12 -O3 reports a false -Wrestrict on "." + s
    name.append(target.filename().string()).append(".part-").append(std::to_string(rng() % 1000000000));
    const std::string temp = (dir / name).string();
    m_temps.push_back(temp);
    m_finals.push_back(finalPath);
    return temp;
}

Status PendingFiles::commit() {
    for (std::size_t i = 0; i < m_temps.size(); ++i) {
        std::error_code ec;
        fs::rename(m_temps[i], m_finals[i], ec);
        if (ec) {
            std::error_code ignored;
            for (std::size_t j = 0; j < i; ++j) fs::remove(m_finals[j], ignored);  // no half set of pages
            for (std::size_t j = i; j < m_temps.size(); ++j) fs::remove(m_temps[j], ignored);
            m_committed = true;  // nothing left to clean
            return makeError(ErrorCode::Storage, "Could not move the finished export to '" + m_finals[i] + "' (" + ec.message() +
                                                     "). Check the folder's permissions and free space.");
        }
    }
    m_committed = true;
    return {};
}

}  // namespace core::exporter::detail
