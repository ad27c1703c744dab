// pickupctl board list|info|config|log: find, identify and provision vending boards.
#include "app/cli/commands_board.hpp"
#include "app/cli/exit_codes.hpp"

#include "hw/board/payloads.hpp"
#include "hw/services/connect.hpp"
#include "hw/services/provisioning.hpp"
#include "hw/usb/usb_devices.hpp"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace cli {
namespace boardcli {

std::string frameLine(const hw::board::FrameLogEntry& e, hw::Millis t0) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(3) << static_cast<double>((e.at - t0).count()) / 1000.0 << "s "
        << (e.outgoing ? "->" : "<-") << " seq " << int{e.frame.seq} << ' ' << hw::board::cmdName(e.frame.cmd);
    if (e.outgoing && e.attempt > 1) out << " (resend " << e.attempt << ')';
    if (!e.outgoing) out << " (" << e.latency.count() << " ms)";
    out << "  ";
    for (auto b : e.wire) out << std::hex << std::uppercase << std::setw(2) << std::setfill('0') << int{b} << ' ';
    return out.str();
}

core::Result<std::unique_ptr<hw::services::Connection>> open(const BoardTargetOptions& t) {
    hw::services::ConnectOptions options;
    options.baud = t.baud;
    if (t.responseMs > 0) options.responseTimeout = hw::Millis(t.responseMs);
    auto c = hw::services::connect(t.target, options);
    if (!c) return c.error();
    if (t.frames) {
        const hw::Millis t0 = (*c)->clock().now();
        (*c)->driver().setObserver([t0](const hw::board::FrameLogEntry& e) { std::cerr << frameLine(e, t0) << '\n'; });
    }
    return c;
}

int exitFor(const core::Error& e, const GlobalOptions& g) { return fail(e, g); }

}  // namespace boardcli

namespace {

using nlohmann::json;

json configJson(const hw::board::BoardConfig& c) {
    hw::services::Provisioning p;
    p.config = c;
    json j = json::parse(hw::services::provisioningJson(p))["config"];
    if (j.contains("mqtt_password")) j["mqtt_password"] = c.mqttPassword->empty() ? "" : "***";  // never shown
    return j;
}

json identityJson(const hw::board::Identity& id) {
    return {{"model", hw::board::modelName(id.model)}, {"channels", id.channels}, {"firmware", id.firmware()},
            {"serial", id.serial}, {"protocol", id.protocol}};
}

}  // namespace

int runBoardList(const GlobalOptions& g, bool all) {
    auto devices = hw::usb::listDevices();
    if (!devices) return fail(devices.error(), g);
    json out = json::array();
    Table table({"ID", "KIND", "FIT", "CONNECT WITH", "BUS", "MANUFACTURER", "PRODUCT", "SERIAL"});
    for (const auto& d : *devices) {
        if (!all && d.fit == hw::usb::Fit::Unsupported) continue;
        std::string with = d.fit == hw::usb::Fit::UsbBulk ? "usb:" + d.id() + (d.serial.empty() ? "" : ":" + d.serial) : d.ttyPath;
        out.push_back({{"id", d.id()}, {"kind", d.kind}, {"fit", hw::usb::fitName(d.fit)}, {"connect", with},
                       {"bus_path", d.busPath}, {"manufacturer", d.manufacturer}, {"product", d.product}, {"serial", d.serial}});
        table.addRow({d.id(), d.kind, hw::usb::fitName(d.fit), with, d.busPath, d.manufacturer, d.product, d.serial});
    }
    if (g.json) {
        std::cout << out.dump(2) << '\n';
    } else if (table.empty()) {
        std::cout << "No boards detected: check the cable and the board's power (`--all` lists every USB device).\n"
                     "No hardware at hand? Try `pickupctl board info sim`.\n";
    } else {
        table.print(std::cout);
    }
    return kExitOk;
}

int runBoardInfo(const GlobalOptions& g, const BoardTargetOptions& t) {
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    auto id = (*c)->driver().identify();
    if (!id) return fail(id.error(), g);
    auto ping = (*c)->driver().ping();
    if (!ping) return fail(ping.error(), g);
    if (g.json) {
        json j = identityJson(*id);
        j["link"] = (*c)->describe();
        j["uptime_ms"] = ping->uptimeMs;
        j["state"] = ping->state;
        std::cout << j.dump(2) << '\n';
        return kExitOk;
    }
    std::cout << "board     " << hw::board::modelName(id->model) << " (" << id->channels << " channels per cabinet)\n"
              << "firmware  " << id->firmware() << "\nserial    " << id->serial << "\nlink      " << (*c)->describe()
              << "\nuptime    " << ping->uptimeMs / 1000 << " s\nstate     "
              << (ping->state == 1 ? "busy" : ping->state == 3 ? "fault latched (clear it after checking the slot)" : "idle") << '\n';
    return kExitOk;
}

int runBoardConfigGet(const GlobalOptions& g, const BoardTargetOptions& t) {
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    auto config = (*c)->driver().getConfig();
    if (!config) return fail(config.error(), g);
    const json j = configJson(*config);
    if (g.json) {
        std::cout << j.dump(2) << '\n';
        return kExitOk;
    }
    Table table({"SETTING", "VALUE"});
    for (const auto& [k, v] : j.items()) table.addRow({k, v.is_string() ? v.get<std::string>() : v.dump()});
    table.print(std::cout);
    return kExitOk;
}

namespace {

int printApply(const GlobalOptions& g, const std::string& target, const core::Result<hw::services::ApplyReport>& r, json& all) {
    if (!r) {
        all.push_back({{"board", target}, {"ok", false}, {"error", r.error().message}});
        if (!g.json) std::cout << target << ": FAILED: " << r.error().message << '\n';
        return exitCodeFor(r.error());
    }
    json changes = json::array();
    for (const auto& ch : r->changes) changes.push_back({{"key", ch.key}, {"from", ch.from}, {"to", ch.to}});
    all.push_back({{"board", target}, {"ok", r->verified()}, {"changes", changes}, {"channels_written", r->channelsWritten},
                   {"mismatches", r->mismatches}});
    if (!g.json) {
        std::cout << target << ": " << (r->verified() ? "written and verified" : "written but NOT verified") << " ("
                  << r->changes.size() << " setting(s) changed, " << r->channelsWritten << " channel(s) written)\n";
        for (const auto& ch : r->changes) std::cout << "  " << ch.key << ": " << ch.from << " -> " << ch.to << '\n';
        for (const auto& m : r->mismatches) std::cout << "  MISMATCH: " << m << '\n';
    }
    return r->verified() ? kExitOk : kExitFailure;
}

}  // namespace

int runBoardConfigSet(const GlobalOptions& g, const BoardTargetOptions& t, const std::vector<std::string>& pairs, bool passwordStdin) {
    json config = json::object();
    for (const auto& pair : pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0) return fail(core::makeError(core::ErrorCode::InvalidInput, "Expected key=value, got '" + pair + "'."), g);
        const std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
        if (key == "server_port" || key == "mqtt_port") {
            if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || value.size() > 5) {
                return fail(core::makeError(core::ErrorCode::InvalidInput, key + " must be a port number 1-65535."), g);
            }
            config[key] = std::stoul(value);
        } else if (key == "tls") {
            config[key] = value == "true" || value == "1" || value == "on";
        } else {
            config[key] = value;
        }
    }
    if (passwordStdin) {
        std::string line;
        std::getline(std::cin, line);
        config["mqtt_password"] = line;
    }
    auto p = hw::services::parseProvisioning(json{{"config", config}}.dump());
    if (!p) return fail(p.error(), g);
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    hw::services::ProvisioningService service((*c)->driver());
    json all = json::array();
    const int code = printApply(g, t.target, service.apply(*p), all);
    if (g.json) std::cout << all.front().dump(2) << '\n';
    return code;
}

int runBoardConfigApply(const GlobalOptions& g, const BoardTargetOptions& t, const std::vector<std::string>& moreTargets,
                        const std::string& file) {
    std::ifstream in(file);
    if (!in) return fail(core::makeError(core::ErrorCode::NotFound, "Cannot read " + file + ": check the path."), g);
    std::stringstream text;
    text << in.rdbuf();
    auto p = hw::services::parseProvisioning(text.str());
    if (!p) return fail(p.error(), g);
    std::vector<std::string> targets{t.target};
    targets.insert(targets.end(), moreTargets.begin(), moreTargets.end());
    json all = json::array();
    int worst = kExitOk;
    for (const auto& target : targets) {  // one board after another, each with its own report
        BoardTargetOptions one = t;
        one.target = target;
        auto c = boardcli::open(one);
        int code = kExitOk;
        if (!c) {
            code = printApply(g, target, c.error(), all);
        } else {
            hw::services::ProvisioningService service((*c)->driver());
            code = printApply(g, target, service.apply(*p), all);
        }
        if (code != kExitOk) worst = code;
    }
    if (g.json) std::cout << all.dump(2) << '\n';
    return worst;
}

int runBoardLog(const GlobalOptions& g, const BoardTargetOptions& t, int pings) {
    BoardTargetOptions withFrames = t;
    withFrames.frames = false;
    auto c = boardcli::open(withFrames);
    if (!c) return fail(c.error(), g);
    json frames = json::array();
    const hw::Millis t0 = (*c)->clock().now();
    (*c)->driver().setObserver([&](const hw::board::FrameLogEntry& e) {
        if (!g.json) {
            std::cout << boardcli::frameLine(e, t0) << '\n';
            return;
        }
        std::ostringstream hex;
        for (auto b : e.wire) hex << std::hex << std::uppercase << std::setw(2) << std::setfill('0') << int{b};
        frames.push_back({{"t_ms", (e.at - t0).count()}, {"dir", e.outgoing ? "out" : "in"}, {"seq", e.frame.seq},
                          {"cmd", hw::board::cmdName(e.frame.cmd)}, {"hex", hex.str()}, {"latency_ms", e.latency.count()},
                          {"attempt", e.attempt}});
    });
    auto id = (*c)->driver().identify();
    if (!id) return fail(id.error(), g);
    for (int i = 0; i < pings; ++i) {
        if (auto p = (*c)->driver().ping(); !p) return fail(p.error(), g);
    }
    if (g.json) std::cout << json{{"link", (*c)->describe()}, {"frames", frames}}.dump(2) << '\n';
    return kExitOk;
}

}  // namespace cli
