// pickupdesk-sim: a local stand-in for the vendor cloud's open API (sandbox mode and tests).
//
// Serves POST {base}/api/openapi/v1/<path> (and PUT .../pickup_codes) like the vendor:
// headers Appid/AppSecret, body {"payload": base64(JSON with timestamp + sign)}, replies
// {"code","message","data"}. Demo machines, products and codes are built in (sim_seed.cpp).
//
// Flags:
//   --appid ID                 expected Appid header          (default sandbox-appid)
//   --app-secret SECRET        expected AppSecret header      (default sandbox-secret)
//   --sign-key KEY             payload signing key            (default sandbox-sign-key)
//   --sign-encoding raw|form   how values are signed          (default raw)
//   --host HOST                address to listen on           (default 127.0.0.1)
//   --port N                   port; 0 = any free port        (default 8750)
//   --port-file PATH           write the bound port + newline there once listening (atomic)
//   --tls-cert FILE --tls-key FILE   serve HTTPS with this PEM certificate and key
//   --list-time-format gmt8|s|ms     created_at/expired_at in the code list (default gmt8)
//   --latency-ms N             fault: sleep N ms before answering each API request
//   --fail-5xx                 fault: API requests get HTTP 503 with a plain-text body
//   --html-error               fault: API requests get HTTP 502 with an HTML page
//   --drop-after-create        fault: a create is applied, then the reply is cut off
//
//   --mqtt-url URL             also publish signed pushes (QoS 1, /clients/{no}) for creates,
//                              deletes and uses to this broker, e.g. tcp://127.0.0.1:1883
//   --push-key KEY             key the pushes are signed with  (default: the --sign-key)
//
// Board: pickupdesk-sim board --pty [--model W50x|eLock24P|M2301] [--fault ADDR:SLOT:KIND] ...: prints the
//   pseudo-terminal path of a simulated vending board and serves it (POSIX).
// Load mode: pickupdesk-sim push --mqtt-url URL --rate R --count N [--bad-sign P] [--unsigned P]
//   [--malformed P] [--duplicates P] [--out-of-order P] [--machine NO]: publishes N create pushes
//   at R/s, the given shares (0..1) of them broken on purpose; prints a JSON summary.
//
// Admin endpoints (no auth, never faulted):
//   GET  /_sim/state                       machines, products, codes, counters, faults
//   POST /_sim/faults                      {"latency_ms":0,"fail_5xx":false,"html_error":false,
//                                           "drop_after_create":false}; omitted fields unchanged
//   POST /_sim/codes/{machine_no}/{id}/use mark a code used (a customer redeemed it)
//   POST /_sim/reset                       back to the seed data and the start-up faults
//
// Logs one line per request to stderr (method, path, result); never headers or payloads.
// SIGINT/SIGTERM stop it cleanly.
#include "app/sim/sim_config.hpp"
#include "app/sim/sim_push.hpp"

#include <string_view>
#ifndef _WIN32
#include "hw/sim/boardsim_cli.hpp"
#endif
#include "app/sim/sim_server.hpp"

#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
#ifndef _WIN32
    // `pickupdesk-sim board --pty [...]`: the board simulator on a pseudo-terminal (flags in hw/sim/boardsim_cli.cpp).
    if (argc > 1 && std::string_view(argv[1]) == "board") return hw::sim::runBoardSimCli(argc - 1, argv + 1);
#endif
    using app::sim::ListTimeFormat;
    app::sim::SimConfig config;
    std::string encoding = "raw";
    std::string timeFormat = "gmt8";

    CLI::App cli{"pickupdesk-sim: a local stand-in for the vendor cloud's open API"};
    cli.add_option("--appid", config.appId, "Expected Appid header")->capture_default_str();
    cli.add_option("--app-secret", config.appSecret, "Expected AppSecret header");
    cli.add_option("--sign-key", config.signKey, "Payload signing key");
    cli.add_option("--sign-encoding", encoding, "Signed value encoding")
        ->check(CLI::IsMember({"raw", "form"}))
        ->capture_default_str();
    cli.add_option("--host", config.host, "Address to listen on")->capture_default_str();
    cli.add_option("--port", config.port, "Port (0 = any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    cli.add_option("--port-file", config.portFile, "Write the bound port to this file once listening");
    auto* cert = cli.add_option("--tls-cert", config.tlsCert, "PEM certificate: serve HTTPS")
                     ->check(CLI::ExistingFile);
    auto* key = cli.add_option("--tls-key", config.tlsKey, "PEM private key for --tls-cert")
                    ->check(CLI::ExistingFile);
    cert->needs(key);
    key->needs(cert);
    cli.add_option("--list-time-format", timeFormat, "Time format in the pickup-code list")
        ->check(CLI::IsMember({"gmt8", "s", "ms"}))
        ->capture_default_str();
    cli.add_option("--latency-ms", config.faults.latencyMs, "Fault: delay each API reply")
        ->check(CLI::Range(0, 600000));
    cli.add_flag("--fail-5xx", config.faults.fail5xx, "Fault: answer HTTP 503");
    cli.add_flag("--html-error", config.faults.htmlError, "Fault: answer HTTP 502 with an HTML page");
    cli.add_flag("--drop-after-create", config.faults.dropAfterCreate,
                 "Fault: apply a create, then cut the reply");
    app::sim::PushConfig push;
    std::optional<std::string> pushKey;
    cli.add_option("--mqtt-url", push.mqttUrl, "Publish signed pushes to this MQTT broker");
    cli.add_option("--push-key", pushKey, "Push signing key (default: the --sign-key)");
    app::sim::LoadOptions load;
    auto* loadCmd = cli.add_subcommand("push", "Load mode: publish N create pushes at R/s, some broken on purpose");
    loadCmd->fallthrough();
    loadCmd->add_option("--rate", load.rate, "Messages per second (0 = as fast as possible)")->capture_default_str();
    loadCmd->add_option("--count", load.count, "How many pushes")->capture_default_str();
    loadCmd->add_option("--machine", load.machineNo, "Machine number (topic /clients/NO)")->capture_default_str();
    loadCmd->add_option("--bad-sign", load.badSign, "Share signed with a wrong key")->check(CLI::Range(0.0, 1.0));
    loadCmd->add_option("--unsigned", load.unsignedShare, "Share without a sign")->check(CLI::Range(0.0, 1.0));
    loadCmd->add_option("--malformed", load.malformed, "Share of broken Base64/JSON")->check(CLI::Range(0.0, 1.0));
    loadCmd->add_option("--duplicates", load.duplicates, "Share repeating the previous push")->check(CLI::Range(0.0, 1.0));
    loadCmd->add_option("--out-of-order", load.outOfOrder, "Share whose delete is sent before the create")->check(CLI::Range(0.0, 1.0));
    loadCmd->add_option("--first-id", load.firstId, "First code id")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);
    push.pushKey = pushKey.value_or(config.signKey);
    push.encoding = *core::sign::parseEncoding(encoding);
    if (loadCmd->parsed()) {
        if (push.mqttUrl.empty()) {
            std::fprintf(stderr, "pickupdesk-sim push: give --mqtt-url tcp://host:port.\n");
            return 2;
        }
        return app::sim::runPushLoad(push, load);
    }
    std::unique_ptr<app::sim::PushPublisher> publisher;
    if (!push.mqttUrl.empty()) {
        std::string error;
        publisher = app::sim::PushPublisher::connect(push, error);
        if (!publisher) {
            std::fprintf(stderr, "pickupdesk-sim: cannot publish pushes: %s\n", error.c_str());
            return 1;
        }
        config.push = publisher.get();
    }

    config.encoding = *core::sign::parseEncoding(encoding);
    const std::map<std::string, ListTimeFormat> formats = {
        {"gmt8", ListTimeFormat::Gmt8}, {"s", ListTimeFormat::Seconds}, {"ms", ListTimeFormat::Millis}};
    config.listTimeFormat = formats.at(timeFormat);
    return app::sim::runServer(config);
}
