// QR sheet benchmark: N codes (default 100,000) from a real SQLite store to an A4 3x8 PDF through
// the same path as `pickupctl export` (StoreCodeSource paging, audit recorded). Prints one
// machine-readable line; see docs/BENCHMARKS.md ("QR sheets").
//   export_bench [--codes N] [--template NAME] [--format pdf|png|svg|csv] [--out FILE] [--db PATH]
//                [--pdf-qr image|vector]
#include "core/export/export_service.hpp"
#include "core/store/store.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace core;

namespace {

struct Options {
    std::int64_t codes = 100000;
    std::string templateName = "a4-3x8";
    std::string format = "pdf";
    std::string out;  // empty = a temp file, deleted afterwards
    std::string db;   // empty = a temp file, deleted afterwards
    std::string pdfQr = "image";  // image | vector
};

bool parseArgs(int argc, char** argv, Options& o) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i], value = argv[i + 1];
        if (arg == "--codes") o.codes = std::atoll(value.c_str());
        else if (arg == "--template") o.templateName = value;
        else if (arg == "--format") o.format = value;
        else if (arg == "--out") o.out = value;
        else if (arg == "--db") o.db = value;
        else if (arg == "--pdf-qr" && (value == "image" || value == "vector")) o.pdfQr = value;
        else return false;
    }
    return argc % 2 == 1 && o.codes > 0;
}

long peakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;  // kilobytes on Linux
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// 20 machines with names and zones, Chinese product names, codes in batches of 10,000.
Status seed(store::Store& s, std::int64_t count) {
    Profile p;
    p.name = "bench";
    auto pid = s.upsertProfile(p);
    if (!pid) return pid.error();
    std::vector<Machine> machines;
    for (int m = 0; m < 20; ++m) machines.push_back({*pid, std::to_string(16300000 + m), "门店 " + std::to_string(m), "", "Asia/Shanghai", true, "", 0});
    if (auto ok = s.upsertMachines(*pid, machines); !ok) return ok;
    for (const auto& m : machines) {
        Product product;
        product.machineNo = m.machineNo;
        product.id = 30001;
        product.name = "农夫山泉矿泉水 550ml";
        if (auto ok = s.replaceProducts(m.machineNo, {product}); !ok) return ok;
    }
    std::vector<PickupCode> batch;
    for (std::int64_t i = 0; i < count; ++i) {
        PickupCode c;
        c.machineNo = machines[static_cast<std::size_t>(i * 20 / count)].machineNo;
        c.id = i + 1;
        c.productId = 30001;
        c.code = std::to_string(10000000 + (i * 7919) % 89999999);
        c.expiresUtc = 1798106400 + i;
        batch.push_back(std::move(c));
        if (batch.size() == 10000 || i + 1 == count) {
            auto ok = s.upsertCodes(batch);
            if (!ok) return ok.error();
            batch.clear();
        }
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parseArgs(argc, argv, o)) {
        std::cerr << "usage: export_bench [--codes N] [--template NAME] [--format pdf|png|svg|csv] [--out FILE] [--db PATH] [--pdf-qr image|vector]\n";
        return 2;
    }
    const auto tmp = fs::temp_directory_path() / ("pd-export-bench-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    const std::string dbPath = o.db.empty() ? (tmp / "bench.db").string() : o.db;
    const std::string outPath = o.out.empty() ? (tmp / ("sheet." + o.format)).string() : o.out;
    auto opened = store::Store::open(dbPath);
    if (!opened) { std::cerr << opened.error().message << '\n'; return 1; }
    auto& s = **opened;
    if (s.countCodes({}).value() == 0) {
        if (auto ok = seed(s, o.codes); !ok) { std::cerr << ok.error().message << '\n'; return 1; }
    }
    const long rssBefore = peakRssKb();

    exporter::ExportOptions options;
    auto sheet = exporter::findTemplate(o.templateName);
    auto format = exporter::parseFormat(o.format);
    if (!sheet || !format) { std::cerr << "unknown template or format\n"; return 2; }
    options.sheet.sheet = *sheet;
    options.sheet.pdfVectorQr = o.pdfQr == "vector";
    options.format = *format;
    options.outPath = outPath;
    exporter::StoreSelection selection;
    selection.filter.limit = static_cast<int>(o.codes);
    selection.filter.sort = store::CodeSort::MachineNo;
    const auto start = std::chrono::steady_clock::now();
    auto result = exporter::exportFromStore(s, selection, options);
    const double seconds = secondsSince(start);
    if (!result) { std::cerr << result.error().message << '\n'; return 1; }
    std::printf("export_%s codes=%lld template=%s pages=%d seconds=%.2f codes_per_s=%.0f bytes=%ju "
                "peak_rss_mb=%.1f rss_before_export_mb=%.1f\n",
                o.format.c_str(), static_cast<long long>(result->labels), o.templateName.c_str(), result->pages, seconds,
                static_cast<double>(result->labels) / seconds, result->bytes, peakRssKb() / 1024.0, rssBefore / 1024.0);
    opened->reset();
    std::error_code ec;
    fs::remove_all(tmp, ec);  // keeps --out / --db files given by the caller
    return 0;
}
