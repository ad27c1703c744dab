#pragma once
// The `soak` bench script's work while it measures (bench/app_bench.sh, docs/BENCHMARKS.md "Soak"):
// the app sits on the Pushes tab while an external publisher sends, and every few minutes it
// generates codes and exports a sheet, as a merchant would; once a minute it samples what must stay
// flat (memory, open files, threads, frame time) and what must grow linearly (stored pushes, the
// database's size). Linux only (/proc), like the bench driver.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace app::desktop {

class AppModel;

double percentile(std::vector<double> values, double p);  // nearest rank, p in [0, 1]

struct SoakSample {
    double t = 0;                 // seconds since measuring started
    long rssKib = 0;
    int openFiles = 0;
    int threads = 0;
    int frames = 0;               // frames drawn since the previous sample
    double frameP50 = 0, frameP99 = 0;
    std::int64_t lastPushId = 0;  // the console's newest push (ids grow by one per stored push)
    std::uint64_t storeBytes = 0; // database + WAL
    std::uint64_t walMaxBytes = 0; // the largest WAL seen (checked each frame) since the previous sample
    int generates = 0, generatesOk = 0;
    int exports = 0, exportsOk = 0;
};

class SoakDriver {
public:
    SoakDriver(std::string dbPath, std::string exportDir);
    void start();
    // Once per measured frame: runs the periodic work and takes a sample when one is due.
    void frame(AppModel& model, double frameMs);
    void finish(AppModel& model);  // the last sample
    const std::vector<SoakSample>& samples() const { return m_samples; }

private:
    void sample(AppModel& model, double t);
    void generateStep(AppModel& model);
    void exportStep(AppModel& model);

    std::string m_dbPath;
    std::string m_exportDir;
    std::chrono::steady_clock::time_point m_start;
    double m_nextSample = 0;
    double m_nextGenerate = 0;
    double m_nextExport = 0;
    bool m_generating = false;
    bool m_exporting = false;
    int m_generates = 0, m_generatesOk = 0;
    int m_exports = 0, m_exportsOk = 0;
    std::vector<double> m_windowFrames;
    std::uint64_t m_walMaxBytes = 0;
    std::vector<SoakSample> m_samples;
};

}  // namespace app::desktop
