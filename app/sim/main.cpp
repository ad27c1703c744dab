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
#include "app/sim/sim_server.hpp"

#include <map>

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
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
    CLI11_PARSE(cli, argc, argv);

    config.encoding = *core::sign::parseEncoding(encoding);
    const std::map<std::string, ListTimeFormat> formats = {
        {"gmt8", ListTimeFormat::Gmt8}, {"s", ListTimeFormat::Seconds}, {"ms", ListTimeFormat::Millis}};
    config.listTimeFormat = formats.at(timeFormat);
    return app::sim::runServer(config);
}
