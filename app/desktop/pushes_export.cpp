#include "app/desktop/pushes_export.hpp"

#include "core/export/csv.hpp"
#include "core/tz/machine_time.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace app::desktop {
namespace {

constexpr auto kReplace = nlohmann::json::error_handler_t::replace;

std::string receivedUtc(const PushRow& row) { return core::tz::toIso8601Utc(row.receivedMs / 1000); }

// The decoded object as JSON when it parses (it was stored as text), else the text itself.
nlohmann::json decodedValue(const PushRow& row) {
    if (row.decodedJson.empty()) return nullptr;
    auto parsed = nlohmann::json::parse(row.decodedJson, nullptr, false);
    return parsed.is_discarded() ? nlohmann::json(row.decodedJson) : parsed;
}

core::Error writeError(const std::string& path, int error) {
    return core::makeError(core::ErrorCode::Storage,
                           "Could not write '" + path + "': " + std::strerror(error) +
                               (error == ENOSPC ? ". The disk is full: free some space and export again."
                                                : ". Choose another folder and export again."));
}

}  // namespace

std::string defaultExportPath(const std::string& stem, const std::string& extension) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::current_path(ec);
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        dir = home;
        if (fs::is_directory(dir / "Documents", ec)) dir /= "Documents";
    }
    return (dir / (stem + "." + extension)).string();
}

std::string pushJsonLine(const PushRow& row) {
    nlohmann::json j;
    j["id"] = row.id;
    j["received_utc"] = receivedUtc(row);
    j["received_ms"] = row.receivedMs;
    j["topic"] = row.topic;
    j["machine_no"] = row.machineNo;
    j["method"] = row.method;
    j["label_en"] = row.labelEn;
    j["label_zh"] = row.labelZh;
    j["verification"] = core::protocol::verificationName(row.verification);
    j["applied"] = row.applied;
    j["summary_en"] = row.summaryEn;
    j["summary_zh"] = row.summaryZh;
    j["decoded"] = decodedValue(row);
    j["decode_error"] = row.decodeError;
    j["notes"] = row.notes;
    j["payload"] = row.payload;
    return j.dump(-1, ' ', false, kReplace);
}

std::string pushCsvHeader() {
    return "id,received_utc,topic,machine_no,method,label_en,label_zh,verification,applied,summary_en,summary_zh,"
           "decode_error,payload\r\n";
}

std::string pushCsvRow(const PushRow& row) {
    using core::exporter::csvField;
    std::string line;
    for (const std::string& field :
         {std::to_string(row.id), receivedUtc(row), row.topic, row.machineNo, row.method, row.labelEn, row.labelZh,
          std::string(core::protocol::verificationName(row.verification)), row.applied, row.summaryEn, row.summaryZh,
          row.decodeError, row.payload}) {
        if (!line.empty()) line += ',';
        line += csvField(field);
    }
    return line + "\r\n";
}

core::Status writePushes(const std::string& path, const std::vector<PushRow>& rows, PushExportFormat format) {
    if (path.empty()) return core::makeError(core::ErrorCode::InvalidInput, "Choose a file to export to.");
    const std::string partial = path + ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) return writeError(path, errno);
        if (format == PushExportFormat::Csv) out << core::exporter::kUtf8Bom << pushCsvHeader();
        for (const PushRow& row : rows) {
            out << (format == PushExportFormat::Csv ? pushCsvRow(row) : pushJsonLine(row) + "\n");
        }
        out.flush();
        if (!out) {
            const int error = errno;
            out.close();
            std::filesystem::remove(partial);
            return writeError(path, error);
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) {
        std::filesystem::remove(partial);
        return writeError(path, ec.value());
    }
    return {};
}

}  // namespace app::desktop
