#include "tests/support/temp_dir.hpp"

#include <filesystem>
#include <random>
#include <stdexcept>
#include <system_error>

namespace testsupport {

TempDir::TempDir() {
    // std::filesystem has no mkdtemp; create_directory fails if the name exists, so retry.
    const auto base = std::filesystem::temp_directory_path();
    std::random_device seed;
    std::mt19937_64 rng(seed());
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto candidate = base / ("pd-test-" + std::to_string(rng() % 1000000000000ULL));
        std::error_code ec;
        if (std::filesystem::create_directory(candidate, ec)) {
            m_path = candidate.string();
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory under " + base.string());
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

const std::string& TempDir::path() const { return m_path; }

std::string TempDir::file(const std::string& name) const { return (std::filesystem::path(m_path) / name).string(); }

}  // namespace testsupport
