#include "app/desktop/software_raster.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <thread>

namespace app::desktop {

std::optional<std::string> softwareRasterThreads(const char* current, unsigned cores) {
    if (current != nullptr) return std::nullopt;  // the user's choice
    if (cores == 0 || cores > 2) return std::nullopt;
    return "0";
}

void configureSoftwareRaster() {
    const auto threads = softwareRasterThreads(std::getenv("LP_NUM_THREADS"), std::thread::hardware_concurrency());
    if (!threads) return;
#if defined(_WIN32)
    _putenv_s("LP_NUM_THREADS", threads->c_str());
#else
    setenv("LP_NUM_THREADS", threads->c_str(), 0);
#endif
}

int llvmpipeThreadCount() {
#if defined(__linux__)
    std::error_code error;
    int count = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        if (std::getline(comm, name) && name.rfind("llvmpipe-", 0) == 0) ++count;
    }
    return error ? -1 : count;
#else
    return -1;
#endif
}

}  // namespace app::desktop
