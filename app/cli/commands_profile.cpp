// pickupctl profile add|list|use|test
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include <chrono>
#include <iostream>

namespace cli {
namespace {

// One secret per stdin line, in the order app secret, sign key, push key (those asked for).
core::Result<std::string> readSecretLine(const char* what) {
    std::string line;
    if (!std::getline(std::cin, line)) {
        return core::makeError(core::ErrorCode::InvalidInput, std::string("Expected the ") + what + " on standard input (one line).");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return core::makeError(core::ErrorCode::InvalidInput, std::string("The ") + what + " read from standard input is empty.");
    return line;
}

nlohmann::json profileJson(const core::Profile& p) {
    return {{"name", p.name}, {"url", p.baseUrl}, {"appid", p.appId}, {"sign_encoding", p.signEncoding},
            {"timezone", p.defaultTimezone}, {"ca_file", p.caFile}, {"active", p.active},
            {"mqtt", {{"url", p.mqttUrl}, {"user", p.mqttUser}, {"version", p.mqttVersion}, {"ca_file", p.mqttCaFile},
                      {"client_cert", p.mqttClientCert}, {"client_key", p.mqttClientKey}, {"client_id", p.mqttClientId}}}};
}

}  // namespace

int runProfileAdd(const GlobalOptions& g, const ProfileAddOptions& o) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    core::services::ProfileInput input;
    input.name = o.name;
    input.baseUrl = o.url;
    input.appId = o.appId;
    input.signEncoding = o.signEncoding;
    input.defaultTimezone = o.timezone;
    input.caFile = o.caFile;
    input.activate = o.activate;
    input.mqttUrl = o.mqttUrl;
    input.mqttUser = o.mqttUser;
    input.mqttVersion = o.mqtt5 ? 5 : 4;
    input.mqttCaFile = o.mqttCaFile;
    input.mqttClientCert = o.mqttClientCert;
    input.mqttClientKey = o.mqttClientKey;
    input.mqttClientId = o.mqttClientId;
    if (auto warning = core::net::clientIdWarning(o.mqttClientId); warning && !o.mqttClientId.empty()) {
        std::cerr << "warning: " << *warning << '\n';
    }
    const std::pair<bool, std::optional<std::string>*> reads[] = {{o.appSecretStdin, &input.appSecret},
                                                                  {o.signKeyStdin, &input.signKey},
                                                                  {o.pushKeyStdin, &input.pushKey},
                                                                  {o.mqttPasswordStdin, &input.mqttPassword}};
    const char* names[] = {"AppSecret", "signing key", "push-verification key", "MQTT password"};
    for (size_t i = 0; i < 4; ++i) {
        if (!reads[i].first) continue;
        auto line = readSecretLine(names[i]);
        if (!line) return fail(line.error(), g);
        *reads[i].second = std::move(*line);
    }
    auto profile = (*ctx)->profiles().add(input);
    if (!profile) return fail(profile.error(), g);
    if (g.json) {
        std::cout << profileJson(*profile).dump(2) << '\n';
    } else {
        std::cout << "Profile '" << profile->name << "' saved" << (profile->active ? " and in use" : "")
                  << ". Secrets stored in " << (*ctx)->secrets().keychain().backendName() << ".\n";
    }
    return kExitOk;
}

int runProfileList(const GlobalOptions& g) {
    auto ctx = Context::open(g);
    if (!ctx) return fail(ctx.error(), g);
    auto profiles = (*ctx)->profiles().list();
    if (!profiles) return fail(profiles.error(), g);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : *profiles) out.push_back(profileJson(p));
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    Table table({"", "NAME", "URL", "APPID", "ENCODING", "TIMEZONE"});
    for (const auto& p : *profiles) table.addRow({p.active ? "*" : "", p.name, p.baseUrl, p.appId, p.signEncoding, p.defaultTimezone});
    if (table.empty()) std::cout << "No profiles yet: add one with `pickupctl profile add NAME --url URL --appid APPID --app-secret-stdin`.\n";
    else table.print(std::cout);
    return kExitOk;
}

int runProfileUse(const GlobalOptions& g, const std::string& name) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    if (auto ok = (*ctx)->profiles().use(name); !ok) return fail(ok.error(), g);
    if (g.json) std::cout << nlohmann::json{{"active", name}}.dump() << '\n';
    else std::cout << "Now using profile '" << name << "'.\n";
    return kExitOk;
}

int runProfileTest(const GlobalOptions& g, const std::optional<std::string>& name) {
    GlobalOptions options = g;
    if (name) options.profile = name;
    auto ctx = Context::open(options);
    if (!ctx) return fail(ctx.error(), g);
    auto api = (*ctx)->api();
    if (!api) return fail(api.error(), g);
    const auto start = std::chrono::steady_clock::now();
    auto pong = (*api)->ping();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    if (!pong) return fail(pong.error(), g);
    const auto& profile = (*ctx)->profile();
    if (g.json) {
        std::cout << nlohmann::json{{"profile", profile.name}, {"url", profile.baseUrl}, {"reply", *pong}, {"ms", ms}}.dump(2) << '\n';
    } else {
        std::cout << "Profile '" << profile.name << "': " << profile.baseUrl << " answered '" << *pong << "' in " << ms << " ms.\n";
    }
    return kExitOk;
}

}  // namespace cli
