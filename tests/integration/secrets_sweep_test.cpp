// Secrets sweep (issue 8): a profile with four distinctive secrets (AppSecret, signing key,
// push-verification key, MQTT password) in the keychain, a realistic pickupctl session against the
// simulator and a password-protected mosquitto (sync, generate confirmed by pushes, list, CSV and PDF
// export, watch, events, decode, sign, calls failing on a wrong key and a wrong MQTT password), then
// every file under the home, data, config and temp folders pickupctl used and all of its output are
// searched for each secret: raw, upper/lower case, hex and Base64 at every byte alignment.
#include "pd_test_paths.hpp"
#include "tests/integration/cli_fixture.hpp"
#include "tests/integration/fault_fixture.hpp"
#include "tests/support/secret_sweep.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace testsupport;
namespace fs = std::filesystem;

namespace {

constexpr const char* kShanghai = "16327138";
constexpr const char* kMqttUser = "pickupdesk-sweep";

const std::vector<Secret>& secrets() {
    static const std::vector<Secret> all = {{"AppSecret", "AppSecret-Q7xZ-LeakProbe-4c1f"},
                                            {"signing key", "SignKey-M3pK-LeakProbe-9e2a"},
                                            {"push-verification key", "PushKey-R8tW-LeakProbe-7b3d"},
                                            {"MQTT password", "MqttPass-V2nH-LeakProbe-5a8c"}};
    return all;
}

std::vector<std::string> hitsIn(const std::string& text, const std::string& where) {
    return testsupport::hitsIn(secrets(), text, where);
}

std::vector<std::string> sweepFiles(const std::vector<fs::path>& dirs, std::set<std::string>& seen) {
    return testsupport::sweepFiles(secrets(), dirs, seen);
}

// A mosquitto that checks user names and passwords (anonymous clients such as the simulator may
// still publish).
class PasswordBroker {
public:
    PasswordBroker(const std::string& user, const std::string& password) : m_port(freeTcpPort()) {
        const auto made = runProcess({"mosquitto_passwd", "-b", "-c", m_dir.file("passwd"), user, password});
        if (made.exitCode != 0) throw std::runtime_error("mosquitto_passwd failed: " + made.err);
        std::ofstream conf(m_dir.file("mosquitto.conf"));
        conf << "listener " << m_port << " 127.0.0.1\nallow_anonymous true\npassword_file " << m_dir.file("passwd")
             << "\npersistence false\nlog_dest file " << m_dir.file("mosquitto.log") << "\n";
        if (::geteuid() == 0) conf << "user root\n";
        conf.close();
        m_process = std::make_unique<ChildProcess>(std::vector<std::string>{"mosquitto", "-c", m_dir.file("mosquitto.conf")});
        if (!waitForPort(m_port, 5000)) throw std::runtime_error("mosquitto did not start: " + m_process->stderrText());
    }
    std::string url() const { return "tcp://127.0.0.1:" + std::to_string(m_port); }

private:
    TempDir m_dir;
    int m_port;
    std::unique_ptr<ChildProcess> m_process;
};

bool keychainRequired() {
    const char* v = std::getenv("PICKUPDESK_REQUIRE_KEYCHAIN");
    return v != nullptr && std::string(v) == "1";
}

// pickupctl with its own HOME, XDG folders and TMPDIR, all inside one folder that is swept.
class Session {
public:
    Session(const std::string& simUrl, const std::string& brokerUrl) : m_brokerUrl(brokerUrl) {
        for (const char* d : {"home", "tmp"}) fs::create_directories(m_root.file(d));
        m_env = {{"HOME", m_root.file("home")},
                 {"XDG_DATA_HOME", m_root.file("home/.local/share")},
                 {"XDG_CONFIG_HOME", m_root.file("home/.config")},
                 {"XDG_CACHE_HOME", m_root.file("home/.cache")},
                 {"TMPDIR", m_root.file("tmp")}};
        m_simUrl = simUrl;
    }
    ProcessResult run(const std::vector<std::string>& args, const std::string& stdinText = {}) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        ProcessResult r = runProcess(argv, m_env, stdinText, 60000);
        m_output += "$ pickupctl";
        for (const auto& a : args) m_output += " " + a;
        m_output += "\n" + r.out + r.err;
        return r;
    }
    nlohmann::json json(const std::vector<std::string>& args) {
        std::vector<std::string> full{"--json"};
        full.insert(full.end(), args.begin(), args.end());
        const auto r = run(full);
        INFO("pickupctl " << args.front() << ": " << r.out << r.err);
        CHECK(r.exitCode == 0);
        auto parsed = nlohmann::json::parse(r.out, nullptr, false);
        REQUIRE_FALSE(parsed.is_discarded());
        return parsed;
    }
    std::unique_ptr<ChildProcess> spawn(const std::vector<std::string>& args) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        return std::make_unique<ChildProcess>(argv, m_env);
    }
    void record(ChildProcess& child) { m_output += child.stdoutText() + child.stderrText(); }
    std::map<std::string, std::string>& env() { return m_env; }
    std::string path(const std::string& rel) const { return m_root.file(rel); }
    std::vector<fs::path> dirs() const { return {m_root.file("home"), m_root.file("tmp")}; }
    const std::string& output() const { return m_output; }

private:
    TempDir m_root;
    std::string m_simUrl, m_brokerUrl;
    std::map<std::string, std::string> m_env;
    std::string m_output;
};

std::string secretOf(const char* kind) {
    for (const auto& s : secrets()) {
        if (std::string(s.kind) == kind) return s.value;
    }
    return {};
}

}  // namespace

TEST_CASE("fault: the sweep finds a secret hidden at any Base64 alignment, in hex and in another case") {
    for (const auto& s : secrets()) {
        for (int pad = 0; pad < 3; ++pad) {
            const std::string text = "payload=" + base64(std::string(static_cast<std::size_t>(pad), 'x') + s.value + "}") + ";";
            CHECK_FALSE(hitsIn(text, "probe").empty());
        }
        CHECK_FALSE(hitsIn("<" + hex(s.value, true) + ">", "probe").empty());
        CHECK_FALSE(hitsIn(transformed(s.value, ::toupper), "probe").empty());
    }
    CHECK(hitsIn("nothing secret here: " + base64("PushKey-R8tW"), "probe").empty());
    // And the file walk reaches nested files.
    TempDir dir;
    fs::create_directories(dir.file("a/b"));
    std::ofstream(dir.file("a/b/canary.wal"), std::ios::binary) << "\x01\x02" << hex(secrets()[3].value, false);
    std::set<std::string> seen;
    const auto hits = sweepFiles({dir.path()}, seen);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].find("MQTT password (hex) in ") == 0);
}

TEST_CASE("fault: secrets sweep: no secret in any file pickupctl writes or in anything it prints") {
    const std::string appSecret = secretOf("AppSecret"), signKey = secretOf("signing key");
    const std::string pushKey = secretOf("push-verification key"), mqttPassword = secretOf("MQTT password");
    PasswordBroker broker(kMqttUser, mqttPassword);
    SimServer sim({"--app-secret", appSecret, "--sign-key", signKey, "--push-key", pushKey, "--mqtt-url", broker.url()});
    Session s(sim.url(), broker.url());
    const std::string profile = "sweep-" + std::to_string(sim.port());

    // The profile, secrets into the keychain (or the environment where none is reachable).
    const auto add = s.run({"profile", "add", profile, "--url", sim.url(), "--appid", SimServer::kAppId, "--app-secret-stdin",
                            "--sign-key-stdin", "--push-key-stdin", "--mqtt-url", broker.url(), "--mqtt-user", kMqttUser,
                            "--mqtt-password-stdin"},
                           appSecret + "\n" + signKey + "\n" + pushKey + "\n" + mqttPassword + "\n");
    if (add.exitCode == 6 && !keychainRequired()) {
        WARN_MESSAGE(false, "no keychain reachable: the secrets come from the environment instead: " << add.err);
        s.env()["PICKUPDESK_APP_SECRET"] = appSecret;
        s.env()["PICKUPDESK_SIGN_KEY"] = signKey;
        s.env()["PICKUPDESK_PUSH_KEY"] = pushKey;
        s.env()["PICKUPDESK_MQTT_PASSWORD"] = mqttPassword;
        REQUIRE(s.run({"profile", "add", profile, "--url", sim.url(), "--appid", SimServer::kAppId, "--mqtt-url", broker.url(),
                       "--mqtt-user", kMqttUser})
                    .exitCode == 0);
    } else {
        INFO("profile add: " << add.out << add.err);
        REQUIRE(add.exitCode == 0);
    }

    // A working session: every secret is in use.
    s.run({"profile", "list"});
    CHECK(s.json({"profile", "test"})["reply"] == "pong");  // AppSecret and signing key
    s.json({"machines"});
    s.json({"products", kShanghai});
    const auto generated = s.json({"generate", kShanghai, "--product", "20001", "--count", "3"});
    CHECK(generated["source"] == "push");  // the MQTT password and the push key worked
    s.run({"generate", kShanghai, "--product", "20002", "--count", "2", "--no-push"});
    s.run({"codes", kShanghai});
    s.json({"codes", kShanghai, "--tz", "utc"});
    fs::create_directories(s.path("home/exports"));
    CHECK(s.run({"export", kShanghai, "--format", "csv", "--out", s.path("home/exports/codes.csv")}).exitCode == 0);
    CHECK(s.run({"export", kShanghai, "--format", "pdf", "--out", s.path("home/exports/codes.pdf")}).exitCode == 0);
    s.run({"sign", "--show-string", "a=1", "timestamp=1717899356"});

    // watch takes two pushes (codes redeemed at the machine); the files are swept while it runs.
    auto watch = s.spawn({"watch", kShanghai, "--count", "3", "--json"});
    REQUIRE(waitFor([&] { return watch->stderrText().find("watching") != std::string::npos || !watch->running(); }, 10000));
    REQUIRE(watch->running());
    const auto ids = generated["codes"];
    sim.useCode(kShanghai, ids[0]["id"].get<std::int64_t>());
    sim.useCode(kShanghai, ids[1]["id"].get<std::int64_t>());
    CHECK(waitFor([&] { return watch->stdoutText().find('\n', watch->stdoutText().find('\n') + 1) != std::string::npos; }, 10000));
    std::set<std::string> files;
    const auto hitsWhileWatching = sweepFiles(s.dirs(), files);
    sim.useCode(kShanghai, ids[2]["id"].get<std::int64_t>());
    CHECK(waitFor([&] { return !watch->running(); }, 10000));
    s.record(*watch);
    const auto events = s.json({"events", "--limit", "0"});
    CHECK(events.size() >= 5);  // 3 creates + 3 uses (+ the second generate's, listed)
    // Events carry their raw payload only when it could not be decoded; else decode an empty object.
    if (!events.empty()) s.run({"decode", events[0].value("payload", std::string("e30="))});

    // Failures: a wrong signing key (vendor 4006), a wrong MQTT password, a wrong push key.
    auto failing = s.env();
    s.env()["PICKUPDESK_SIGN_KEY"] = "not-the-signing-key";
    CHECK(s.run({"machines"}).exitCode == 3);
    s.run({"--json", "generate", kShanghai, "--product", "20001"});
    s.env() = failing;
    s.env()["PICKUPDESK_MQTT_PASSWORD"] = "not-the-mqtt-password";
    CHECK(s.run({"--timeout", "3", "watch", kShanghai, "--duration", "1"}).exitCode != 0);
    s.env() = failing;
    s.env()["PICKUPDESK_PUSH_KEY"] = "not-the-push-key";
    s.run({"decode", createPush(1, "12345678", 1893456000, 8 * 3600, kShanghai, pushKey)});
    s.env() = failing;

    // The sweep.
    auto hits = sweepFiles(s.dirs(), files);
    hits.insert(hits.end(), hitsWhileWatching.begin(), hitsWhileWatching.end());
    for (auto& h : hitsIn(s.output(), "pickupctl output")) hits.push_back(std::move(h));
    std::string names;
    for (const auto& f : files) names += " " + f;
    MESSAGE("secrets sweep: " << files.size() << " files (" << names << "), " << s.output().size()
                              << " bytes of output, " << formsOf(appSecret).size() << " forms of each of 4 secrets");
    for (const char* expected : {"pickupdesk.db", "pickupdesk.db-wal", "codes.csv", "codes.pdf", "client-id"}) {
        CHECK_MESSAGE(names.find(expected) != std::string::npos, expected << " was swept");
    }
    for (const auto& h : hits) FAIL_CHECK("secret leaked: " << h);
}
