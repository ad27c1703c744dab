#pragma once
// Output files written under temporary names in their final folder and renamed into place only on
// commit(); whatever was not committed is removed when the object goes away. Internal to exporter.
#include "core/util/result.hpp"

#include <string>
#include <utility>
#include <vector>

namespace core::exporter::detail {

class PendingFiles {
public:
    PendingFiles() = default;
    ~PendingFiles();
    PendingFiles(const PendingFiles&) = delete;
    PendingFiles& operator=(const PendingFiles&) = delete;

    // A temporary path next to `finalPath` (same folder, so the rename is atomic); checks the folder exists.
    Result<std::string> add(const std::string& finalPath);
    // Renames every temporary file to its final path. On failure the rest are removed.
    Status commit();
    const std::vector<std::string>& finalPaths() const { return m_finals; }

private:
    std::vector<std::string> m_temps;
    std::vector<std::string> m_finals;
    bool m_committed = false;
};

}  // namespace core::exporter::detail
