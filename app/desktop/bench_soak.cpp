#include "app/desktop/bench_soak.hpp"

#include "app/desktop/app_model.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace app::desktop {
namespace {

namespace fs = std::filesystem;

constexpr double kSampleEveryS = 60;
constexpr double kGenerateEveryS = 120;  // a small generation (5 codes, by pushes) every 2 minutes
constexpr double kExportEveryS = 300;    // a sheet every 5 minutes, PDF and CSV in turn
constexpr double kFirstExportS = 30;

long statusField(std::string_view name) {  // a "Name:  value" line of /proc/self/status
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, name.size(), name) == 0 && line.size() > name.size() && line[name.size()] == ':') {
            return std::atol(line.c_str() + name.size() + 1);
        }
    }
    return -1;
}

int openFiles() {
    std::error_code ec;
    int n = 0;
    for (fs::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
}

std::uint64_t fileBytes(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

}  // namespace

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto at = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(at, values.size() - 1)];
}

SoakDriver::SoakDriver(std::string dbPath, std::string exportDir)
    : m_dbPath(std::move(dbPath)), m_exportDir(std::move(exportDir)) {}

void SoakDriver::start() {
    m_start = std::chrono::steady_clock::now();
    m_nextSample = 0;
    m_nextGenerate = kGenerateEveryS / 2;
    m_nextExport = kFirstExportS;
}

void SoakDriver::frame(AppModel& model, double frameMs) {
    m_windowFrames.push_back(frameMs);
    m_walMaxBytes = std::max(m_walMaxBytes, fileBytes(m_dbPath + "-wal"));  // one stat(2) a frame
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    generateStep(model);
    exportStep(model);
    if (t >= m_nextGenerate && !m_generating && !m_exporting) {
        m_nextGenerate += kGenerateEveryS;
        const auto& products = model.products().rows();
        if (!products.empty()) {
            model.openGenerate(products.front().product.id);
            auto& form = model.generate().form();
            form.allProducts = false;
            form.count = std::min(5, std::max(1, model.generate().maxCount()));
            form.length = 8;
            form.never = true;
            m_generating = model.generate().submit();
            ++m_generates;
        }
    }
    if (t >= m_nextExport && !m_exporting && !m_generating && model.codes().counted()) {
        m_nextExport += kExportEveryS;
        // The machine's used codes: the same work each time (the seed's 15 %; the publisher only
        // creates codes). The whole table grew with every push: by t = 660 s it was a 735,000-code,
        // 30,000-page PDF that ran for ten minutes (docs/BENCHMARKS.md "Soak").
        const auto shown = model.codes().filter().status;
        model.codes().setStatus(core::CodeStatus::Used);
        model.openExport();
        model.codes().setStatus(shown);
        m_exporting = model.exporter().isOpen();
        ++m_exports;
    }
    if (t >= m_nextSample) {
        sample(model, t);
        m_nextSample += kSampleEveryS;
    }
}

void SoakDriver::generateStep(AppModel& model) {
    if (!m_generating) return;
    auto& generate = model.generate();
    if (generate.state() == GenerateState::Running) return;
    if (generate.state() == GenerateState::Done) ++m_generatesOk;
    generate.close();
    m_generating = false;
}

void SoakDriver::exportStep(AppModel& model) {
    if (!m_exporting) return;
    auto& exporter = model.exporter();
    if (!exporter.running() && !exporter.result()) {
        if (!exporter.previewReady() || exporter.templates().empty()) return;  // still loading
        const bool pdf = m_exports % 2 == 1;
        exporter.setFormat(pdf ? core::exporter::Format::Pdf : core::exporter::Format::Csv);
        exporter.settings().outPath = (fs::path(m_exportDir) / (pdf ? "soak.pdf" : "soak.csv")).string();
        exporter.save();
        if (!exporter.running()) {  // refused: counted as a failed export
            exporter.close();
            m_exporting = false;
        }
        return;
    }
    if (exporter.running()) return;
    if (!exporter.result()->error && !exporter.result()->cancelled) ++m_exportsOk;
    exporter.close();
    m_exporting = false;
}

void SoakDriver::sample(AppModel& model, double t) {
    SoakSample s;
    s.t = t;
    s.rssKib = statusField("VmRSS");
    s.threads = static_cast<int>(statusField("Threads"));
    s.openFiles = openFiles();
    s.frames = static_cast<int>(m_windowFrames.size());
    s.frameP50 = percentile(m_windowFrames, 0.50);
    s.frameP99 = percentile(m_windowFrames, 0.99);
    m_windowFrames.clear();
    if (!model.pushes().rows().empty()) s.lastPushId = model.pushes().rows().back().id;
    s.storeBytes = fileBytes(m_dbPath) + fileBytes(m_dbPath + "-wal");
    s.walMaxBytes = std::max(m_walMaxBytes, fileBytes(m_dbPath + "-wal"));
    m_walMaxBytes = 0;
    s.generates = m_generates;
    s.generatesOk = m_generatesOk;
    s.exports = m_exports;
    s.exportsOk = m_exportsOk;
    m_samples.push_back(s);
}

void SoakDriver::finish(AppModel& model) {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    sample(model, t);
}

}  // namespace app::desktop
