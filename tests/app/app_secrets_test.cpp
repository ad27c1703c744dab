// Secrets sweep of the desktop app (issue 8): a vendor profile saved through the app with four
// distinctive secrets (AppSecret, signing key, push-verification key, MQTT password), then the
// merchant's session on the real simulator and a real mosquitto: sync, generate confirmed by pushes,
// CSV and PDF export, pushes export, database backup, a connection test with a wrong secret. Every
// file the app wrote (database, WAL, exports, backup, calibration) and every message it showed are
// searched for each secret in every form (tests/support/secret_sweep.hpp).
#include "app/desktop/app_model.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/secret_sweep.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace app::desktop;
using apptest::configIn;
using apptest::pumpUntil;

namespace {

const std::vector<testsupport::Secret>& secrets() {
    static const std::vector<testsupport::Secret> all = {{"AppSecret", "AppSecret-D4sk-AppProbe-61e0"},
                                                         {"signing key", "SignKey-D4sk-AppProbe-2b7f"},
                                                         {"push-verification key", "PushKey-D4sk-AppProbe-93ac"},
                                                         {"MQTT password", "MqttPass-D4sk-AppProbe-c51d"}};
    return all;
}

ProfileForm vendorProfile(const std::string& simUrl, const std::string& brokerUrl) {
    ProfileForm form;
    form.name = "shop";
    form.baseUrl = simUrl;
    form.appId = testsupport::SimServer::kAppId;
    form.appSecret = secrets()[0].value;
    form.signKey = secrets()[1].value;
    form.pushKey = secrets()[2].value;
    form.mqttUrl = brokerUrl;
    form.mqttUser = "shop-support";
    form.mqttPassword = secrets()[3].value;  // the broker allows anyone: it is sent, never checked
    return form;
}

std::string allMessages(AppModel& model) {
    std::string text;
    for (const auto& e : model.errors()) text += e.what + ": " + e.error.message + "\n";
    if (model.status().connectionTest) text += model.status().connectionTest->detail + "\n";
    text += model.status().httpDetail + "\n" + model.pushes().mqtt().lastError + "\n";
    return text;
}

}  // namespace

TEST_CASE("secrets sweep: nothing the desktop app writes or shows holds a secret") {
    testsupport::Mosquitto broker;
    testsupport::SimServer sim({"--mqtt-url", broker.url(), "--app-secret", secrets()[0].value, "--sign-key",
                                secrets()[1].value, "--push-key", secrets()[2].value});
    testsupport::TempDir dir;
    const auto config = configIn(dir);
    std::string messages;
    {
        AppModel model(config, {});
        model.setPreferredMachine("16327138");
        model.backend().saveProfile(vendorProfile(sim.url(), broker.url()));
        REQUIRE(pumpUntil(model, [&] {
            return model.products().loaded() && !model.products().rows().empty() &&
                   model.pushes().mqtt().state == core::net::MqttState::Connected && model.pending() == 0;
        }));
        INFO(allMessages(model));
        CHECK(model.errors().empty());

        model.openGenerate(model.products().rows()[0].product.id);
        auto& gen = model.generate();
        gen.form().count = 2;
        gen.form().never = true;
        REQUIRE(gen.submit());
        REQUIRE(pumpUntil(model, [&] { return gen.state() != GenerateState::Running; }));
        REQUIRE(gen.state() == GenerateState::Done);
        CHECK(gen.result()->source == "push");  // verified with the push key

        auto& ex = model.exporter();
        core::store::CodeFilter filter;
        filter.machineNo = "16327138";
        ex.open(filter, "Asia/Shanghai", false);
        REQUIRE(pumpUntil(model, [&] { return ex.previewReady(); }));
        for (const auto format : {core::exporter::Format::Csv, core::exporter::Format::Pdf}) {
            ex.setFormat(format);
            ex.settings().outPath = dir.file(std::string("codes.") + core::exporter::formatName(format));
            ex.save();
            REQUIRE(pumpUntil(model, [&] { return ex.result().has_value() && !ex.running(); }));
            REQUIRE_FALSE(ex.result()->error.has_value());
        }
        ex.saveCalibration();
        REQUIRE(pumpUntil(model, [&] { return ex.calibration() && ex.calibration()->saved; }));

        auto& pushes = model.pushes();
        REQUIRE(pumpUntil(model, [&] { return !pushes.rows().empty(); }));
        pushes.exportVisible(dir.file("pushes.jsonl"), PushExportFormat::JsonLines);
        REQUIRE(pumpUntil(model, [&] { return pushes.lastExport().has_value() && !pushes.exporting(); }));
        model.backupDatabase(dir.file("backup.db"));
        REQUIRE(pumpUntil(model, [&] { return model.status().lastBackup.has_value(); }));
        REQUIRE_FALSE(model.status().lastBackup->error.has_value());

        auto wrong = vendorProfile(sim.url(), broker.url());
        wrong.appSecret = "AppSecret-wrong-" + secrets()[0].value.substr(0, 6);
        model.testConnection(wrong);
        REQUIRE(pumpUntil(model, [&] { return model.status().connectionTest.has_value(); }));
        CHECK_FALSE(model.status().connectionTest->ok);
        messages = allMessages(model);
    }  // the app closes: its database is checkpointed, its workers stop

    std::set<std::string> files;
    auto hits = testsupport::sweepFiles(secrets(), {dir.path()}, files);
    for (auto& h : testsupport::hitsIn(secrets(), messages, "the app's messages")) hits.push_back(std::move(h));
    INFO("files swept: " << files.size());
    for (const auto& f : files) INFO(f);
    auto swept = [&](const std::string& name) {
        for (const auto& f : files) {
            if (f.size() >= name.size() && f.compare(f.size() - name.size(), name.size(), name) == 0) return true;
        }
        return false;
    };
    CHECK(swept("/pickupdesk.db"));
    CHECK(swept("/codes.pdf"));
    CHECK(swept("/backup.db"));
    CHECK(files.size() >= 6);  // database, CSV, PDF, pushes, backup, calibration
    for (const auto& h : hits) FAIL_CHECK(h);
    CHECK(hits.empty());
}
