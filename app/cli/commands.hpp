#pragma once
// pickupctl commands, one function each, free of CLI11 so they compile fast and stay testable.
#include "app/cli/output.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cli {

struct GlobalOptions {
    bool json = false;
    std::optional<std::string> profile;
    std::string db;          // empty = PICKUPDESK_DB or the data directory
    double timeoutSeconds = 20;
    std::string command;     // the command line's subcommand path, e.g. "watch" (names a lock holder)
};

struct ProfileAddOptions {
    std::string name, url, appId, signEncoding = "raw", timezone = "Asia/Shanghai", caFile;
    bool appSecretStdin = false, signKeyStdin = false, pushKeyStdin = false, activate = true;
    // MQTT broker (issue 4): settings in the profile, the password in the keychain.
    std::string mqttUrl, mqttUser, mqttCaFile, mqttClientCert, mqttClientKey, mqttClientId;
    bool mqtt5 = false, mqttPasswordStdin = false;
};

struct GenerateCliOptions {
    std::string machineNo;
    std::optional<std::int64_t> productId;
    bool allProducts = false;
    int count = 1;
    int length = 6;
    std::optional<std::string> expires;
    bool never = false;
    bool earlier = false, later = false;  // for a local time that happens twice (DST)
    double pushTimeoutSeconds = 10;       // wait for the create pushes (with a broker), then list
    bool noPush = false;                  // list only, even with a broker configured
};

struct CodesCliOptions {
    std::optional<std::string> machineNo;
    std::optional<std::int64_t> productId;
    std::optional<std::string> status;
    std::string tz = "machine";
    std::optional<std::string> prefix;
    bool refresh = false;
    int limit = 0;
};

struct SignCliOptions {
    std::optional<std::string> key;
    std::optional<std::string> encoding;
    std::vector<std::string> pairs;  // k=v
    bool showString = false;         // print the canonical string too (it holds the key: local use only)
};

// Prints the error (JSON with --json) and returns its exit code.
int fail(const core::Error& error, const GlobalOptions& g);

int runProfileAdd(const GlobalOptions& g, const ProfileAddOptions& o);
int runProfileList(const GlobalOptions& g);
int runProfileUse(const GlobalOptions& g, const std::string& name);
int runProfileTest(const GlobalOptions& g, const std::optional<std::string>& name);
int runMachines(const GlobalOptions& g, bool offline);
int runMachineTz(const GlobalOptions& g, const std::string& machineNo, const std::string& zone);
int runProducts(const GlobalOptions& g, const std::string& machineNo, bool offline);
int runGenerate(const GlobalOptions& g, const GenerateCliOptions& o);
int runCodes(const GlobalOptions& g, const CodesCliOptions& o);
int runDelete(const GlobalOptions& g, const std::string& machineNo, std::optional<std::int64_t> codeId, bool all);
int runReconcile(const GlobalOptions& g, const std::string& machineNo);
int runSign(const GlobalOptions& g, const SignCliOptions& o);

// pickupctl decode: one MQTT push, decoded and verified (issue 4).
struct DecodeCliOptions {
    std::optional<std::string> key;       // default: PICKUPDESK_PUSH_KEY, else the profile's push key
    std::optional<std::string> encoding;  // raw | form; default: PICKUPDESK_SIGN_ENCODING, else the profile's
    std::optional<std::string> payload;   // default: standard input
    std::string topic;                    // e.g. /clients/16327138 (names the machine when client_id is missing)
};
int runDecode(const GlobalOptions& g, const DecodeCliOptions& o);

// pickupctl watch / events: live MQTT pushes and the stored push log (issue 4, commands_watch.cpp).
struct WatchCliOptions {
    std::vector<std::string> machines;  // subscribe /clients/{no}; none = every stored machine
    std::optional<std::string> topic;   // a custom filter instead (or as well)
    std::optional<std::string> url;     // default PICKUPDESK_MQTT_URL
    std::optional<std::string> clientId;  // default: our own id kept in the data directory
    int qos = 2;  // the vendor publishes at QoS 2; Paho keeps a QoS 2 push on disk until it is stored
    bool mqtt5 = false;
    int count = 0;                      // stop after N messages (0 = no limit)
    double durationSeconds = 0;         // stop after S seconds (0 = no limit)
};
struct EventsCliOptions {
    std::optional<std::string> machineNo;
    std::optional<std::string> method;
    std::optional<std::string> since;   // 30m, 2h, 7d, epoch seconds, "YYYY-MM-DD HH:MM" (UTC)
    bool invalid = false;               // only invalid, unsigned or undecodable pushes
    int limit = 200;                    // the newest N (0 = all)
};
int runWatch(const GlobalOptions& g, const WatchCliOptions& o);
int runEvents(const GlobalOptions& g, const EventsCliOptions& o);

// pickupctl backup | restore | recover (issue 8, commands_store.cpp).
int runBackup(const GlobalOptions& g, const std::string& file, bool force);
int runRestore(const GlobalOptions& g, const std::string& file);
int runRecover(const GlobalOptions& g);

}  // namespace cli

// pickupctl export / print / printers / templates / calibrate (QR sheets, issue 6).
namespace cli {

struct ExportCliOptions {
    // Filters, as in `codes`.
    std::optional<std::string> machineNo;
    std::optional<std::int64_t> productId;
    std::optional<std::string> status;
    std::optional<std::string> prefix;
    int limit = 0;
    // Output.
    std::string format = "pdf";
    std::string templateName = "a4-3x8";
    std::optional<std::string> grid;  // custom grid spec instead of a template
    std::optional<std::string> out;
    int dpi = 300;
    // Label.
    std::string ecLevel = "M";
    std::string qrText;                // "" = the code; else e.g. "https://x/p?c={code}"
    std::string header;
    std::string logo;
    std::vector<std::string> hide;     // code, product, machine, expiry
    // Sheet.
    int startAt = 1;
    bool cropMarks = false;
    bool outlines = false;
    bool vectorQr = false;             // PDF: QR as vector rectangles, not a per-page image mask
    bool calibrationPage = false;
    std::optional<double> offsetX, offsetY;  // default: the saved calibration for printer + template
    // Printing.
    bool print = false;
    std::string printer;               // empty = the default printer
    int copies = 1;
};

struct CalibrateCliOptions {
    std::string templateName;
    std::string printer;  // empty = exports to files
    double x = 0, y = 0;
};

int runExport(const GlobalOptions& g, const ExportCliOptions& o);
int runPrinters(const GlobalOptions& g);
int runTemplates(const GlobalOptions& g);
int runCalibrate(const GlobalOptions& g, const CalibrateCliOptions& o);

}  // namespace cli
