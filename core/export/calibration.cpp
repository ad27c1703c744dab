#include "core/export/calibration.hpp"

#include "core/config/paths.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace core::exporter {
namespace {

Result<nlohmann::json> readSettings(const std::string& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return nlohmann::json::object();
    std::ifstream in(file, std::ios::binary);
    try {
        auto j = nlohmann::json::parse(in);
        if (!j.is_object()) throw std::runtime_error("not an object");
        return j;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Config, "The calibration settings '" + file + "' are damaged (" + e.what() +
                                                "). Delete the file and calibrate again.");
    }
}

}  // namespace

std::string calibrationFilePath() { return (fs::path(config::configDir()) / "calibration.json").string(); }

Result<Offset> loadCalibration(const std::string& file, const std::string& printer, const std::string& templateName) {
    auto settings = readSettings(file);
    if (!settings) return settings.error();
    const auto& j = *settings;
    try {
        if (!j.contains("printers") || !j["printers"].contains(printer) || !j["printers"][printer].contains(templateName)) {
            return Offset{};
        }
        const auto& entry = j["printers"][printer][templateName];
        return Offset{entry.value("x_mm", 0.0), entry.value("y_mm", 0.0)};
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Config, "The calibration settings '" + file + "' are damaged (" + e.what() +
                                                "). Delete the file and calibrate again.");
    }
}

Status saveCalibration(const std::string& file, const std::string& printer, const std::string& templateName, Offset offset) {
    auto settings = readSettings(file);
    if (!settings) return settings.error();
    (*settings)["printers"][printer][templateName] = {{"x_mm", offset.xMm}, {"y_mm", offset.yMm}};
    const fs::path path(file);
    if (auto ok = config::ensurePrivateDir(path.parent_path().string()); !ok) return ok;
    const std::string temp = file + ".part";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << settings->dump(2) << '\n';
        if (!out) {
            return makeError(ErrorCode::Storage, "Could not write '" + temp + "'; check free disk space and permissions.");
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) return makeError(ErrorCode::Storage, "Could not save '" + file + "' (" + ec.message() + ").");
    return {};
}

}  // namespace core::exporter
