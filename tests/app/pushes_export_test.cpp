// Push console and Export dialog view models: real mosquitto, real SQLite file, real workers and
// core's real renderer/exporter. No window.
#include "app/desktop/app_model.hpp"
#include "core/export/calibration.hpp"
#include "core/store/store.hpp"
#include "core/tz/machine_time.hpp"
#include "core/util/base64.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/integration/mqtt_fixture.hpp"
#include "tests/support/cupsd.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <algorithm>
#include <fstream>

using namespace app::desktop;
using apptest::configIn;
using apptest::pumpUntil;
using core::protocol::Verification;

namespace {

constexpr const char* kKey = "console-push-key";

void publish(int port, const std::string& machineNo, const std::string& payload) {
    const auto r = testsupport::runProcess({"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(port), "-t",
                                            "/clients/" + machineNo, "-q", "1", "-m", payload},
                                           {}, {}, 5000);
    REQUIRE(r.exitCode == 0);
}

// A store with one machine M1, two products and `count` unused codes (ids 1..count).
void seed(const std::string& dbPath, int count) {
    auto store = core::store::Store::open(dbPath);
    REQUIRE(store.ok());
    core::Profile p;
    p.name = "seed";
    p.baseUrl = "http://127.0.0.1:1";
    p.appId = "x";
    auto pid = (*store)->upsertProfile(p);
    REQUIRE(pid.ok());
    core::Machine m;
    m.machineNo = "M1";
    m.name = "一号机";
    REQUIRE((*store)->upsertMachines(*pid, {m}).ok());
    core::Product a;
    a.machineNo = "M1";
    a.id = 7001;
    a.name = "可口可乐";
    core::Product b = a;
    b.id = 7002;
    b.name = "矿泉水";
    REQUIRE((*store)->replaceProducts("M1", {a, b}).ok());
    std::vector<core::PickupCode> codes;
    const core::Instant now = core::tz::nowUtc();
    for (int i = 1; i <= count; ++i) {
        core::PickupCode c;
        c.machineNo = "M1";
        c.id = i;
        c.productId = i % 2 == 0 ? 7002 : 7001;
        c.code = std::to_string(20000000 + i);
        c.status = core::CodeStatus::Unused;
        c.createdUtc = now;
        c.expiresUtc = now + 86400 * 30;
        codes.push_back(c);
    }
    REQUIRE((*store)->upsertCodes(codes).ok());
}

core::store::CodeFilter machineFilter() {
    core::store::CodeFilter f;
    f.machineNo = "M1";
    return f;
}

}  // namespace

TEST_CASE("pushes console: live pushes from mosquitto with badges, filters, pause and rate") {
    testsupport::Mosquitto broker;
    testsupport::TempDir dir;
    ::setenv("PICKUPDESK_PUSH_KEY", kKey, 1);  // no profile here: the key comes from the environment
    AppModel model(configIn(dir), {});
    auto& pushes = model.pushes();
    pushes.load();
    REQUIRE(pumpUntil(model, [&] { return pushes.loaded(); }));
    CHECK(pushes.rows().empty());
    MqttSettings settings;
    settings.url = broker.url();
    model.setMqttSettings(settings);
    model.backend().startPushes(settings, {"M1"});
    REQUIRE(pumpUntil(model, [&] { return pushes.mqtt().state == core::net::MqttState::Connected; }, 10000));
    CHECK(pushes.mqtt().configured);
    CHECK(pushes.mqtt().broker == broker.url());

    // The subscription may be granted just after CONNACK: repeat the first push until it is stored
    // (identical pushes share a dedup key, so it is stored once).
    const std::string valid = testsupport::createPush(1, "16327138", 1893456000, 8 * 3600, "M1", kKey);
    bool first = false;
    for (int i = 0; i < 25 && !first; ++i) {
        publish(broker.port(), "M1", valid);
        first = pumpUntil(model, [&] { return !pushes.rows().empty(); }, 400);
    }
    REQUIRE(first);
    publish(broker.port(), "M1", testsupport::createPush(2, "16327139", 1893456000, 8 * 3600, "M1", "wrong-key"));
    publish(broker.port(), "M1", core::util::base64Encode(R"({"method":"client.pickup_codes.delete","client_id":"M1","id":"1"})"));
    publish(broker.port(), "M1", "%%% not base64 %%%");
    REQUIRE(pumpUntil(model, [&] { return pushes.rows().size() == 4; }, 8000));

    const auto& rows = pushes.rows();
    CHECK(rows[0].verification == Verification::Valid);
    CHECK(rows[1].verification == Verification::Invalid);
    CHECK(rows[2].verification == Verification::Unsigned);
    CHECK(rows[3].verification == Verification::Undecodable);
    CHECK(rows[0].machineNo == "M1");
    CHECK(rows[0].method == "client.pickup_codes.create");
    CHECK(rows[0].labelZh == "取货码生成");
    CHECK(rows[0].summaryEn.find("16327138") != std::string::npos);
    CHECK(nlohmann::json::parse(rows[0].decodedJson).value("code", "") == "16327138");
    CHECK(rows[0].applied == "yes");
    CHECK(rows[1].applied == "no");  // an invalid signature never changes codes
    CHECK(rows[3].payload == "%%% not base64 %%%");
    CHECK_FALSE(rows[3].decodeError.empty());
    CHECK(pushes.visible().size() == 4);

    // Filters.
    pushes.setVerification(Verification::Invalid);
    REQUIRE(pushes.visible().size() == 1);
    CHECK(pushes.visibleRow(0).id == rows[1].id);
    pushes.setVerification(std::nullopt);
    pushes.setMethod("client.pickup_codes.delete");
    CHECK(pushes.visible().size() == 1);
    pushes.setMethod(std::nullopt);
    pushes.setSearch("16327139");
    CHECK(pushes.visible().size() == 1);
    pushes.setSearch("");
    pushes.setMachine("M2");
    CHECK(pushes.visible().empty());
    pushes.setMachine(std::nullopt);
    CHECK(pushes.countsPerMethod().at("client.pickup_codes.create") == 2);

    // Detail pane.
    pushes.select(rows[0].id);
    REQUIRE(pushes.selected() != nullptr);
    const PushDetail* detail = pushes.selectedDetail();
    REQUIRE(detail != nullptr);
    CHECK(detail->id == rows[0].id);
    CHECK(nlohmann::json::parse(detail->viewJson).value("verification", "") == "valid");
    CHECK(detail->decodedPretty.find("\"code\": \"16327138\"") != std::string::npos);  // indented for reading
    pushes.select(rows[3].id);
    REQUIRE(pushes.selectedDetail() != nullptr);
    CHECK(pushes.selectedDetail()->decodedPretty.empty());  // undecodable: raw Base64 only
    CHECK(nlohmann::json::parse(pushes.selectedDetail()->viewJson).value("verification", "") == "undecodable");
    pushes.select(rows[0].id);

    // Rate and last push.
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    CHECK(pushes.ratePerSecond(now) > 0.0);
    REQUIRE(pushes.lastPushMs("M1").has_value());
    CHECK(std::llabs(*pushes.lastPushMs("M1") - now) < 60000);

    // Pause: the visible list stays, new rows still load; resume shows them.
    pushes.setPaused(true);
    publish(broker.port(), "M1", testsupport::createPush(3, "16327140", 1893456000, 8 * 3600, "M1", kKey));
    REQUIRE(pumpUntil(model, [&] { return pushes.rows().size() == 5; }, 8000));
    CHECK(pushes.visible().size() == 4);
    CHECK(pushes.newWhilePaused() == 1);
    pushes.setPaused(false);
    CHECK(pushes.visible().size() == 5);
    CHECK(pushes.consumeScrollRequest());

    // The machines panel's info: last push time from the store.
    model.backend().machinePushInfo("M1");
    REQUIRE(pumpUntil(model, [&] { return model.pushInfo("M1") != nullptr; }));
    CHECK(model.pushInfo("M1")->lastPushMs.has_value());

    // Export of the filtered pushes: JSON lines, then CSV, on the export worker.
    pushes.setVerification(Verification::Valid);
    REQUIRE(pushes.visible().size() == 2);
    pushes.exportVisible(dir.file("valid.jsonl"), PushExportFormat::JsonLines);
    CHECK(pushes.exporting());
    REQUIRE(pumpUntil(model, [&] { return !pushes.exporting(); }));
    REQUIRE(pushes.lastExport().has_value());
    CHECK_FALSE(pushes.lastExport()->error.has_value());
    CHECK(pushes.lastExport()->count == 2);
    std::ifstream jsonl(dir.file("valid.jsonl"));
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(jsonl, line);) lines.push_back(nlohmann::json::parse(line));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["verification"] == "valid");
    CHECK(lines[0]["label_zh"] == "取货码生成");
    CHECK(lines[0]["decoded"]["code"] == "16327138");
    CHECK(lines[0]["payload"] == rows[0].payload);
    CHECK(lines[1]["decoded"]["code"] == "16327140");
    CHECK_FALSE(std::filesystem::exists(dir.file("valid.jsonl.part")));

    pushes.setVerification(std::nullopt);
    pushes.exportVisible(dir.file("all.csv"), PushExportFormat::Csv);
    REQUIRE(pumpUntil(model, [&] { return !pushes.exporting(); }));
    REQUIRE_FALSE(pushes.lastExport()->error.has_value());
    std::ifstream csvFile(dir.file("all.csv"), std::ios::binary);
    const std::string csv((std::istreambuf_iterator<char>(csvFile)), std::istreambuf_iterator<char>());
    CHECK(csv.rfind("\xEF\xBB\xBF" "id,received_utc,topic,machine_no,method,", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 6);  // header + 5 pushes
    CHECK(csv.find("取货码生成") != std::string::npos);
    CHECK(csv.find(",undecodable,") != std::string::npos);

    // A folder that does not exist: a clear error, nothing written.
    pushes.exportVisible(dir.file("missing/dir/all.csv"), PushExportFormat::Csv);
    REQUIRE(pumpUntil(model, [&] { return !pushes.exporting(); }));
    REQUIRE(pushes.lastExport()->error.has_value());
    CHECK(pushes.lastExport()->error->message.find("Could not write") != std::string::npos);
    ::unsetenv("PICKUPDESK_PUSH_KEY");
}

TEST_CASE("pushes console: no broker configured says what to set") {
    testsupport::TempDir dir;
    ::unsetenv("PICKUPDESK_MQTT_URL");
    AppModel model(configIn(dir), {});
    model.backend().startPushes(MqttSettings{}, {"M1"});
    REQUIRE(pumpUntil(model, [&] { return !model.pushes().mqtt().configured; }));
    INFO(model.pushes().mqtt().lastError);
    CHECK(model.pushes().mqtt().lastError.find("PICKUPDESK_MQTT_URL") != std::string::npos);
}

TEST_CASE("export dialog: preview page count, start-at, selection, save and printed state") {
    testsupport::TempDir dir;
    seed(dir.file("pickupdesk.db"), 30);
    AppModel model(configIn(dir), {});
    auto& ex = model.exporter();
    ex.open(machineFilter(), "Asia/Shanghai", false);
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady(); }));
    REQUIRE(ex.currentTemplate() != nullptr);
    CHECK(ex.currentTemplate()->name == "a4-3x8");
    CHECK(ex.preview().labels == 30);
    CHECK(ex.preview().pages == 2);
    REQUIRE(ex.preview().images.size() == 2);
    CHECK(ex.preview().images[0].width == core::exporter::pagePixels(210, ExportViewModel::kPreviewPxPerMm));
    CHECK(ex.preview().images[0].pixels.size() ==
          static_cast<size_t>(ex.preview().images[0].width) * static_cast<size_t>(ex.preview().images[0].height) * 4);

    ex.settings().startAt = 20;  // 5 slots left on the first sheet: 5 + 24 + 1
    ex.changed();
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady(); }));
    CHECK(ex.preview().pages == 3);
    ex.settings().startAt = 99;  // clamped to the sheet's 24 slots
    ex.changed();
    CHECK(ex.settings().startAt == 24);
    ex.settings().startAt = 1;
    ex.changed();

    // Save as PDF; the audit then shows the codes as exported.
    ex.settings().outPath = dir.file("sheet.pdf");
    CHECK(ex.problem(false).empty());
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady(); }));
    ex.save();
    REQUIRE(pumpUntil(model, [&] { return ex.result().has_value(); }));
    INFO((ex.result()->error ? ex.result()->error->message : std::string()));
    CHECK_FALSE(ex.result()->error.has_value());
    CHECK(ex.result()->labels == 30);
    CHECK(ex.result()->pages == 2);
    CHECK(std::filesystem::file_size(dir.file("sheet.pdf")) > 1000);
    auto& codes = model.codes();
    codes.setMachine("M1", "Asia/Shanghai");
    REQUIRE(pumpUntil(model, [&] { return codes.counted() && codes.row(0) != nullptr; }));
    const std::int64_t firstId = codes.row(0)->id;
    REQUIRE(pumpUntil(model, [&] { return codes.printed(firstId) != nullptr; }));
    CHECK(codes.printed(firstId)->exports == 1);
    CHECK(codes.printed(firstId)->prints == 0);

    // A selection (through AppModel::openExport's filter.ids): 3 codes, one page.
    auto selection = machineFilter();
    selection.ids = {1, 2, 3};
    ex.open(selection, "Asia/Shanghai", true);
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady(); }));
    CHECK(ex.forSelection());
    CHECK(ex.preview().labels == 3);
    CHECK(ex.preview().pages == 1);

    // Bad destination folder: said before anything runs.
    ex.settings().outPath = dir.file("missing/sheet.pdf");
    CHECK(ex.problem(false) == "export.bad_folder");
    ex.setFormat(core::exporter::Format::Csv);
    CHECK(ex.settings().outPath == dir.file("missing/sheet.csv"));
}

TEST_CASE("export dialog: cancel leaves no file behind") {
    testsupport::TempDir dir;
    seed(dir.file("pickupdesk.db"), 2400);  // 100 pages: long enough to cancel after the first
    AppModel model(configIn(dir), {});
    auto& ex = model.exporter();
    ex.open(machineFilter(), "Asia/Shanghai", false);
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady(); }));
    CHECK(ex.preview().pages == 100);
    const std::string out = dir.file("out") + "/big.pdf";
    std::filesystem::create_directories(dir.file("out"));
    ex.settings().outPath = out;
    ex.save();
    CHECK(ex.running());
    REQUIRE(pumpUntil(model, [&] { return ex.progress().pagesDone >= 1 || ex.result().has_value(); }));
    ex.cancel();
    REQUIRE(pumpUntil(model, [&] { return ex.result().has_value(); }));
    CHECK(ex.result()->cancelled);
    CHECK_FALSE(ex.running());
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(std::filesystem::is_empty(dir.file("out")));  // no temp file either
}

TEST_CASE("export dialog: calibration offsets follow the printer and template, and save") {
    testsupport::TempDir dir;
    seed(dir.file("pickupdesk.db"), 30);
    const auto config = configIn(dir);
    AppModel model(config, {});
    auto& ex = model.exporter();
    ex.open(machineFilter(), "Asia/Shanghai", false);
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady() && ex.calibration().has_value(); }));
    // Without a print server (CI) the offsets are the ones for files; with one, the default printer's.
    const std::string key = ex.calibrationPrinter();
    if (ex.printers().empty()) CHECK(key == core::exporter::kFilePrinter);
    CHECK(ex.settings().offsetXMm == 0.f);  // nothing saved yet
    REQUIRE(core::exporter::saveCalibration(config.calibrationFile, key, "a4-4x10", {1.5, -0.5}).ok());

    auto select = [&](const std::string& name) {
        for (size_t i = 0; i < ex.templates().size(); ++i) {
            if (ex.templates()[i].name == name) ex.settings().templateIndex = static_cast<int>(i);
        }
        ex.changed();
        REQUIRE(pumpUntil(model, [&] {
            return ex.previewReady() && ex.calibration() && ex.calibration()->templateName == name;
        }));
    };
    select("a4-4x10");
    CHECK(ex.settings().offsetXMm == doctest::Approx(1.5));
    CHECK(ex.settings().offsetYMm == doctest::Approx(-0.5));

    ex.settings().offsetXMm = 2.0f;
    ex.changed();
    ex.saveCalibration();
    REQUIRE(pumpUntil(model, [&] { return ex.calibration() && ex.calibration()->saved; }));
    CHECK_FALSE(ex.calibration()->error.has_value());
    auto stored = core::exporter::loadCalibration(config.calibrationFile, key, "a4-4x10");
    REQUIRE(stored.ok());
    CHECK(stored->xMm == doctest::Approx(2.0));
    CHECK(stored->yMm == doctest::Approx(-0.5));

    select("a4-3x8");
    CHECK(ex.settings().offsetXMm == 0.f);
    select("a4-4x10");
    CHECK(ex.settings().offsetXMm == doctest::Approx(2.0));
    CHECK(ex.request(false).options.sheet.offset.xMm == doctest::Approx(2.0));
}

TEST_CASE("export dialog: print to a real CUPS printer, with its calibration and copies") {
    testsupport::Cupsd cups;
    cups.addCapturePrinter("pd-office", true);
    cups.addCapturePrinter("pd-labels", false);
    ::setenv("CUPS_SERVER", cups.server().c_str(), 1);  // before the export worker's first CUPS call
    testsupport::TempDir dir;
    seed(dir.file("pickupdesk.db"), 30);
    const auto config = configIn(dir);
    REQUIRE(core::exporter::saveCalibration(config.calibrationFile, "pd-labels", "a4-3x8", {0.5, 0.25}).ok());
    AppModel model(config, {});
    auto& ex = model.exporter();
    ex.open(machineFilter(), "Asia/Shanghai", false);
    REQUIRE(pumpUntil(model, [&] { return ex.previewReady() && ex.calibration().has_value(); }));
    REQUIRE(ex.printers().size() == 2);
    CHECK(ex.calibrationPrinter() == "pd-office");  // the default printer's offsets: none saved
    CHECK(ex.settings().offsetXMm == 0.f);

    for (size_t i = 0; i < ex.printers().size(); ++i) {
        if (ex.printers()[i].name == "pd-labels") ex.settings().printerIndex = static_cast<int>(i);
    }
    ex.changed();
    REQUIRE(pumpUntil(model, [&] { return ex.calibration() && ex.calibration()->printer == "pd-labels"; }));
    CHECK(ex.settings().offsetXMm == doctest::Approx(0.5));
    CHECK(ex.settings().offsetYMm == doctest::Approx(0.25));

    ex.settings().copies = 3;
    ex.settings().vectorQr = true;
    CHECK(ex.request(true).options.sheet.pdfVectorQr);
    ex.print();
    REQUIRE(pumpUntil(model, [&] { return ex.result().has_value(); }));
    INFO((ex.result()->error ? ex.result()->error->message : std::string()) << cups.log());
    REQUIRE_FALSE(ex.result()->error.has_value());
    CHECK(ex.result()->printed);
    CHECK(ex.result()->printer == "pd-labels");
    CHECK(ex.result()->pages == 2);
    const std::string job = cups.waitForJob("pd-labels");
    CHECK(job.rfind("%PDF-", 0) == 0);
    CHECK(job.find("/ImageMask") == std::string::npos);  // vectors, as chosen
    CHECK(cups.capturedCopies("pd-labels") == 3);
    ::unsetenv("CUPS_SERVER");
}
