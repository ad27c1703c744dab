#include "app/desktop/bench_script.hpp"

#include "app/desktop/app_model.hpp"
#include "app/desktop/software_raster.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <optional>
#include <string_view>
#include <thread>

namespace app::desktop {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kJumpEvery = 50;      // scroll: a scrollbar click every N frames
constexpr int kFilterEvery = 20;    // filter: the next filter every N frames
constexpr int kSettleTimeoutS = 120;
constexpr int kStartupWaitTimeoutS = 30;  // warm-up: the longest wait for the start-up work to finish

std::int64_t realtimeNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// When this process started, on the realtime clock (Linux: /proc/self/stat, 10 ms ticks); now if unknown.
std::int64_t processStartNs() {
    std::ifstream in("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');  // the command name may hold spaces
    timespec boot{};
    if (close == std::string::npos || clock_gettime(CLOCK_BOOTTIME, &boot) != 0) return realtimeNs();
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i < 22; ++i) fields >> field;  // fields 3..21; 22 is starttime
    long long ticks = 0;
    if (!(fields >> ticks)) return realtimeNs();
    const double startedS = static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
    const double bootNowS = static_cast<double>(boot.tv_sec) + static_cast<double>(boot.tv_nsec) / 1e9;
    return realtimeNs() - static_cast<std::int64_t>((bootNowS - startedS) * 1e9);
}

double cpuSeconds() {  // user + system time of every thread of the process
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double threadCpuSeconds() {  // this thread only
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The codes table's scrolling child window ("##shell/.../##codes_XXXXXXXX") when the latest frame
// drew it (Active holds until the next NewFrame; WasActive would be one frame late).
ImGuiWindow* codesTableWindow() {
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (w->Active && std::string_view(w->Name).find("/##codes_") != std::string_view::npos) return w;
    }
    return nullptr;
}

// Pixels covered by the frame's triangles (overdraw counted, clipping not): what a software
// renderer has to shade and blend.
double drawnPixels(const ImDrawData* data) {
    if (data == nullptr) return 0;
    double area = 0;
    for (int l = 0; l < data->CmdListsCount; ++l) {
        const ImDrawList* list = data->CmdLists[l];
        for (int i = 0; i + 2 < list->IdxBuffer.Size; i += 3) {
            const ImVec2 a = list->VtxBuffer[list->IdxBuffer[i]].pos;
            const ImVec2 b = list->VtxBuffer[list->IdxBuffer[i + 1]].pos;
            const ImVec2 c = list->VtxBuffer[list->IdxBuffer[i + 2]].pos;
            area += 0.5 * std::abs(static_cast<double>((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)));
        }
    }
    return area;
}

// The filter script's steps: what a user types and picks in the codes toolbar.
struct FilterStep {
    std::optional<std::string> prefix;
    std::optional<int> status;      // -1 = any, else a core::CodeStatus
    std::optional<int> product;     // -1 = any, else an index into the products
    std::optional<core::store::CodeSort> sort;
    bool descending = false;
};

std::vector<FilterStep> filterSteps() {
    using core::store::CodeSort;
    std::vector<FilterStep> steps;
    for (const char* p : {"1", "12", "123", "1234", "12345", "1234", "123", "12", "1", ""}) steps.push_back({p, {}, {}, {}, false});
    for (int s : {static_cast<int>(core::CodeStatus::Unused), static_cast<int>(core::CodeStatus::Used),
                  static_cast<int>(core::CodeStatus::Expired), -1}) {
        steps.push_back({{}, s, {}, {}, false});
    }
    for (int p : {0, 1, 2, -1}) steps.push_back({{}, {}, p, {}, false});
    steps.push_back({{}, {}, {}, CodeSort::Code, false});
    steps.push_back({{}, {}, {}, CodeSort::Code, true});
    steps.push_back({{}, {}, {}, CodeSort::CreatedUtc, true});
    steps.push_back({{}, {}, {}, CodeSort::ExpiresUtc, false});
    return steps;
}

// Scroll: the frames right after each scrollbar click (the click, the frame the rows arrive in, the
// one after), apart from the others. A click shows rows that are not drawn anywhere yet, so the whole
// table is drawn: on a fast machine those frames are most of a scroll run's slowest 1 %.
nlohmann::json jumpSummary(const std::vector<double>& frameMs, const std::vector<int>& sinceJump) {
    constexpr int kAfter = 3;
    std::vector<std::vector<double>> after(kAfter);
    std::vector<double> others;
    for (size_t i = 0; i < frameMs.size() && i < sinceJump.size(); ++i) {
        const int k = sinceJump[i];
        if (k >= 0 && k < kAfter) {
            after[static_cast<size_t>(k)].push_back(frameMs[i]);
        } else {
            others.push_back(frameMs[i]);
        }
    }
    nlohmann::json afterClick = nlohmann::json::array();
    for (int k = 0; k < kAfter; ++k) {
        const auto& v = after[static_cast<size_t>(k)];
        afterClick.push_back({{"offset", k}, {"frames", v.size()}, {"p50", percentile(v, 0.50)}, {"max", percentile(v, 1.0)}});
    }
    return {{"every", kJumpEvery},
            {"frames_after_click_ms", afterClick},
            {"other_frames_ms", {{"frames", others.size()}, {"p50", percentile(others, 0.50)}, {"p99", percentile(others, 0.99)}}}};
}

}  // namespace

BenchScript::BenchScript(const Options& options)
    : m_script(options.benchScript), m_out(options.benchOut), m_started(Clock::now()) {
    if (options.benchFrames > 0) m_frames = options.benchFrames;
    if (options.benchFps > 0) m_period = std::chrono::nanoseconds(1000000000LL / options.benchFps);
    if (options.benchWarmup >= 0) m_warmupFrames = options.benchWarmup;
    m_seconds = options.benchSeconds > 0 ? options.benchSeconds : (m_script == "idle" ? 60 : 30);
    const char* t0 = std::getenv("PICKUPDESK_BENCH_T0_NS");
    m_launchNs = t0 != nullptr && *t0 != '\0' ? std::atoll(t0) : processStartNs();
}

void BenchScript::setDatabase(const std::string& dbPath) {
    if (m_script != "soak") return;
    const auto outDir = std::filesystem::path(m_out).parent_path();
    m_soak = std::make_unique<SoakDriver>(dbPath, outDir.empty() ? std::string(".") : outDir.string());
}

double BenchScript::msSinceLaunch() const { return static_cast<double>(realtimeNs() - m_launchNs) / 1e6; }

bool BenchScript::settled(AppModel& model) const {
    if (m_script == "pushes" || m_script == "soak") {
        return model.pushes().loaded() && model.pushes().mqtt().state == core::net::MqttState::Connected;
    }
    return codesTableShown(model) && model.products().loaded() &&
           model.products().machineNo() == model.machines().selectedNo();
}

bool BenchScript::codesTableShown(AppModel& model) const {
    auto& codes = model.codes();
    return model.status().profile && model.machines().loaded() && model.machines().selected() != nullptr &&
           codes.machineNo() == model.machines().selectedNo() && codes.counted() && codes.total() > 0 &&
           !codes.busy() && codesTableWindow() != nullptr;
}

void BenchScript::settle(AppModel& model) {
    // Idle waits 5 s after start-up work finished, so it measures the resting app.
    const bool ready = m_script == "idle" ? m_quietMs >= 0 && Clock::now() - m_quietAt > std::chrono::seconds(5)
                                          : m_fullFrameMs >= 0;
    if (!ready) {
        if (Clock::now() - m_started > std::chrono::seconds(kSettleTimeoutS)) {
            m_timedOut = true;
            m_finished = true;
        }
        return;
    }
    const bool warms = inputScript() && m_warmupFrames > 0;
    if (!warms) return startMeasuring(model);
    m_phase = Phase::AwaitingStartup;
    m_warmupStart = Clock::now();
}

void BenchScript::awaitStartupDone() {
    // Before any input: the filter script's own queries would keep the workers busy.
    const bool waitedLong = Clock::now() - m_warmupStart > std::chrono::seconds(kStartupWaitTimeoutS);
    if (m_quietMs < 0 && !waitedLong) return;
    m_startupDone = m_quietMs >= 0;
    m_phase = Phase::WarmingUp;
}

void BenchScript::warmUp(AppModel& model, double frameMs) {
    m_warmupMs.push_back(frameMs);
    ++m_frame;
    if (m_frame < m_warmupFrames) return;
    m_frame = 0;  // the measured run starts the script from its beginning
    m_lastJumpFrame = -1;
    m_pendingJumpRelease = 0;
    ImGui::GetIO().MouseDown[0] = false;
    startMeasuring(model);
}

void BenchScript::startMeasuring(AppModel& model) {
    m_phase = Phase::Measuring;
    m_measureStartMs = msSinceLaunch();
    m_measureStart = Clock::now();
    m_cpuStart = cpuSeconds();
    m_codesTotal = model.codes().total();
    if (!model.pushes().rows().empty()) m_pushRowsStart = model.pushes().rows().back().id;
    if (m_soak) m_soak->start();
    std::printf("pickupdesk bench: measuring %s\n", m_script.c_str());  // bench/app_bench.sh waits for this
    std::fflush(stdout);
}

void BenchScript::scrollInput() {
    ImGuiWindow* table = codesTableWindow();
    if (table == nullptr) return;
    ImGuiIO& io = ImGui::GetIO();
    if (m_pendingJumpRelease > 0) {
        --m_pendingJumpRelease;
        io.MouseDown[0] = m_pendingJumpRelease > 0;
        return;
    }
    if (m_frame > 0 && m_frame % kJumpEvery == 0 && table->ScrollbarY) {
        // Click the scrollbar track: ImGui jumps there (and would drag from there).
        const ImRect bar = ImGui::GetWindowScrollbarRect(table, ImGuiAxis_Y);
        std::uniform_real_distribution<float> where(0.02f, 0.98f);
        io.MousePos = ImVec2(bar.GetCenter().x, bar.Min.y + bar.GetHeight() * where(m_random));
        io.MouseDown[0] = true;
        m_pendingJumpRelease = 1;
        m_lastJumpFrame = m_frame;
        return;
    }
    io.MousePos = table->InnerRect.GetCenter();
    io.MouseWheel = (m_frame / 200) % 2 == 0 ? -3.f : 3.f;  // down for 200 frames, then up
}

void BenchScript::filterStep(AppModel& model) {
    static const std::vector<FilterStep> steps = filterSteps();
    auto& codes = model.codes();
    const FilterStep& step = steps[static_cast<size_t>(m_frame / kFilterEvery) % steps.size()];
    if (step.prefix) codes.setPrefix(*step.prefix);
    if (step.status) {
        codes.setStatus(*step.status < 0 ? std::nullopt : std::optional<core::CodeStatus>(static_cast<core::CodeStatus>(*step.status)));
    }
    if (step.product) {
        const auto& rows = model.products().rows();
        const auto index = static_cast<size_t>(*step.product);
        codes.setProduct(*step.product < 0 || index >= rows.size() ? std::nullopt
                                                                   : std::optional<std::int64_t>(rows[index].product.id));
    }
    if (step.sort) codes.setSort(*step.sort, step.descending);
}

void BenchScript::injectInput(AppModel& model) {
    if (!drivesInput() || m_finished) return;
    if (m_script == "scroll") scrollInput();
    if (m_script == "filter") {
        if (m_frame % kFilterEvery == 0) filterStep(model);
        if (ImGuiWindow* table = codesTableWindow()) {
            ImGuiIO& io = ImGui::GetIO();
            io.MousePos = table->InnerRect.GetCenter();
            io.MouseWheel = -1.f;
        }
    }
}

void BenchScript::noteStage(const std::string& stage) {
    if (m_stagesMs.count(stage) == 0) m_stagesMs[stage] = msSinceLaunch();
}

void BenchScript::noteStages(AppModel& model, bool textComplete) {
    if (m_fullFrameMs >= 0) return;
    const auto note = [this](const char* stage, bool reached) {
        if (reached) noteStage(stage);
    };
    const auto& machines = model.machines();
    const bool selected = machines.selected() != nullptr;
    note("profile", model.status().profile.has_value());
    note("machines", machines.loaded());
    note("machine_selected", selected);
    note("products", selected && model.products().loaded() && model.products().machineNo() == machines.selectedNo());
    note("codes_counted", selected && model.codes().machineNo() == machines.selectedNo() && model.codes().counted());
    note("codes_rows", textComplete && codesTableShown(model));
}

void BenchScript::frameDone(AppModel& model, double frameMs, double buildMs, bool textComplete) {
    if (m_finished) return;
    if (m_firstFrameMs < 0) m_firstFrameMs = msSinceLaunch();
    noteStages(model, textComplete);
    const bool tableShown = textComplete && codesTableShown(model);
    if (m_codesTableMs < 0 && m_script != "pushes" && tableShown) m_codesTableMs = msSinceLaunch();
    if (m_fullFrameMs < 0 && textComplete && settled(model)) m_fullFrameMs = msSinceLaunch();
    if (m_fullFrameMs >= 0 && m_quietMs < 0 && model.pending() == 0 && !model.codes().busy()) {
        m_quietMs = msSinceLaunch();
        m_quietAt = Clock::now();
    }
    if (m_phase == Phase::AwaitingStartup) return awaitStartupDone();
    if (m_phase == Phase::WarmingUp) return warmUp(model, frameMs);
    if (m_phase == Phase::Settling) return settle(model);
    m_frameMs.push_back(frameMs);
    m_buildMs.push_back(buildMs);
    m_drawnMpx.push_back(drawnPixels(ImGui::GetDrawData()) / 1e6);
    m_redrawnMpx.push_back(m_lastRedrawn / 1e6);
    m_drawMs.push_back(m_lastDrawMs);
    m_sinceJump.push_back(m_lastJumpFrame < 0 ? -1 : m_frame - m_lastJumpFrame);
    if (m_lastCopied > 0) {
        ++m_copiedFrames;
        if (m_lastCopiedInWindow) ++m_copiedInWindowFrames;
        m_copiedMpx.push_back(m_lastCopied / 1e6);
    }
    if (model.codes().busy()) ++m_waitingFrames;
    const double processCpu = cpuSeconds();
    const double mainCpu = threadCpuSeconds();
    if (m_lastProcessCpu >= 0) {
        m_processCpuMs.push_back((processCpu - m_lastProcessCpu) * 1000.0);
        m_mainCpuMs.push_back((mainCpu - m_lastMainCpu) * 1000.0);
    }
    m_lastProcessCpu = processCpu;
    m_lastMainCpu = mainCpu;
    if (m_soak) m_soak->frame(model, frameMs);
    ++m_frame;
    const double elapsed = std::chrono::duration<double>(Clock::now() - m_measureStart).count();
    const bool byFrames = inputScript();
    if ((byFrames && m_frame >= m_frames) || (!byFrames && elapsed >= m_seconds)) {
        m_wallSeconds = elapsed;
        m_cpuSeconds = cpuSeconds() - m_cpuStart;
        if (!model.pushes().rows().empty()) m_pushRowsEnd = model.pushes().rows().back().id;
        const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
        m_pushRate = model.pushes().ratePerSecond(nowMs);
        if (m_soak) m_soak->finish(model);
        m_finished = true;
    }
}

void BenchScript::pace() {
    if (m_period.count() == 0) return;
    const auto now = Clock::now();
    if (m_nextFrame > now) std::this_thread::sleep_until(m_nextFrame);
    // A late frame starts the next period from now: no burst of frames to catch up.
    m_nextFrame = std::max(m_nextFrame, now) + m_period;
}

bool BenchScript::writeResult() const {
    nlohmann::json j;
    j["script"] = m_script;
    j["ok"] = !m_timedOut;
    j["gl_renderer"] = m_renderer;
    j["first_frame_ms"] = m_firstFrameMs;
    j["codes_table_ms"] = m_codesTableMs;
    j["first_full_frame_ms"] = m_fullFrameMs;
    j["startup_quiet_ms"] = m_quietMs;
    j["measure_start_ms"] = m_measureStartMs;
    if (!m_warmupMs.empty()) {
        j["warmup"] = {{"frames", m_warmupMs.size()},
                       {"startup_done", m_startupDone},
                       {"frame_ms", {{"p50", percentile(m_warmupMs, 0.50)}, {"p99", percentile(m_warmupMs, 0.99)},
                                     {"max", percentile(m_warmupMs, 1.0)}}}};
    }
    j["stages_ms"] = m_stagesMs;
    j["codes_total"] = m_codesTotal;
    j["frames_waiting_for_rows"] = m_waitingFrames;  // the codes table showed "..." rows (a page or count in flight)
    j["frames"] = m_frameMs.size();
    j["wall_s"] = m_wallSeconds;
    j["cpu_s"] = m_cpuSeconds;
    j["cpu_percent"] = m_wallSeconds > 0 ? 100.0 * m_cpuSeconds / m_wallSeconds : 0.0;
    j["frame_ms"] = {{"p50", percentile(m_frameMs, 0.50)}, {"p90", percentile(m_frameMs, 0.90)},
                     {"p99", percentile(m_frameMs, 0.99)}, {"max", percentile(m_frameMs, 1.0)}};
    j["build_ms"] = {{"p50", percentile(m_buildMs, 0.50)}, {"p90", percentile(m_buildMs, 0.90)},
                     {"p99", percentile(m_buildMs, 0.99)}, {"max", percentile(m_buildMs, 1.0)}};
    j["process_cpu_per_frame_ms"] = {{"p50", percentile(m_processCpuMs, 0.50)}, {"p99", percentile(m_processCpuMs, 0.99)}};
    j["ui_thread_cpu_per_frame_ms"] = {{"p50", percentile(m_mainCpuMs, 0.50)}, {"p99", percentile(m_mainCpuMs, 0.99)}};
    j["drawn_megapixels_per_frame"] = {{"p50", percentile(m_drawnMpx, 0.50)}, {"max", percentile(m_drawnMpx, 1.0)}};
    j["partial_redraw"] = m_partialRedraw;
    if (m_framebufferKnown) j["framebuffer"] = {{"depth", m_depthBuffer}, {"stencil", m_stencilBuffer}};
    j["llvmpipe_threads"] = llvmpipeThreadCount();  // software_raster.hpp
    j["paced_fps"] = m_period.count() > 0 ? 1e9 / static_cast<double>(m_period.count()) : 0.0;
    j["redrawn_megapixels_per_frame"] = {{"p50", percentile(m_redrawnMpx, 0.50)}, {"max", percentile(m_redrawnMpx, 1.0)}};
    j["scroll_copy"] = {{"frames", m_copiedFrames},
                        {"window_frames", m_copiedInWindowFrames},
                        {"megapixels_per_frame_p50", percentile(m_copiedMpx, 0.50)}};
    j["frame_times_ms"] = m_frameMs;
    j["build_times_ms"] = m_buildMs;
    j["draw_times_ms"] = m_drawMs;
    j["redrawn_megapixels"] = m_redrawnMpx;
    if (m_script == "scroll") j["jumps"] = jumpSummary(m_frameMs, m_sinceJump);
    if (m_soak) {
        nlohmann::json samples = nlohmann::json::array();
        for (const SoakSample& x : m_soak->samples()) {
            samples.push_back({{"t_s", x.t}, {"rss_kib", x.rssKib}, {"open_files", x.openFiles}, {"threads", x.threads},
                               {"frames", x.frames}, {"frame_p50_ms", x.frameP50}, {"frame_p99_ms", x.frameP99},
                               {"last_push_id", x.lastPushId}, {"store_bytes", x.storeBytes},
                               {"wal_max_bytes", x.walMaxBytes},
                               {"generates", x.generates}, {"generates_ok", x.generatesOk},
                               {"exports", x.exports}, {"exports_ok", x.exportsOk}});
        }
        j["samples"] = samples;
    }
    if (m_script == "pushes" || m_script == "soak") {
        j["pushes_received"] = m_pushRowsEnd - m_pushRowsStart;
        j["push_rate_shown"] = m_pushRate;
    }
    std::ofstream out(m_out);
    out << j.dump(1) << "\n";
    if (!out) {
        std::fprintf(stderr, "pickupdesk: cannot write the benchmark result %s\n", m_out.c_str());
        return false;
    }
    return !m_timedOut;
}

}  // namespace app::desktop
