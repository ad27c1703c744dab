// pickupctl: the Pickup Desk command line. Commands and exit codes are documented in docs/CLI.md.
#include "app/cli/commands.hpp"
#include "app/cli/commands_board.hpp"
#include "app/cli/exit_codes.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>

namespace {

void addProfileCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    auto* profile = app.add_subcommand("profile", "Vendor profiles (URL, Appid; secrets in the keychain)");
    profile->require_subcommand(1);

    static cli::ProfileAddOptions add;
    auto* addCmd = profile->add_subcommand("add", "Add or update a profile and make it active");
    addCmd->add_option("name", add.name, "Profile name")->required();
    addCmd->add_option("--url", add.url, "Vendor base URL, e.g. https://www.awish.vip")->required();
    addCmd->add_option("--appid", add.appId, "Appid header value")->required();
    addCmd->add_option("--sign-encoding", add.signEncoding, "Value encoding for signing: raw (default) or form")
        ->check(CLI::IsMember({"raw", "form"}));
    addCmd->add_option("--timezone", add.timezone, "Default IANA time zone for machines (default Asia/Shanghai)");
    addCmd->add_option("--ca-file", add.caFile, "CA bundle for a server with a private certificate");
    addCmd->add_flag("--app-secret-stdin", add.appSecretStdin, "Read the AppSecret from standard input (one line)");
    addCmd->add_flag("--sign-key-stdin", add.signKeyStdin, "Read the signing key from standard input (next line)");
    addCmd->add_flag("--push-key-stdin", add.pushKeyStdin, "Read the push-verification key from standard input (next line)");
    addCmd->add_flag("!--no-activate", add.activate, "Do not make it the active profile");
    addCmd->add_option("--mqtt-url", add.mqttUrl, "MQTT broker for pushes, e.g. ssl://host:8883 (tcp://, ws://, wss:// too)");
    addCmd->add_option("--mqtt-user", add.mqttUser, "MQTT user name");
    addCmd->add_flag("--mqtt-password-stdin", add.mqttPasswordStdin, "Read the MQTT password from standard input (next line)");
    addCmd->add_option("--mqtt-ca-file", add.mqttCaFile, "CA bundle for the broker's certificate (verification stays on)");
    addCmd->add_option("--mqtt-client-cert", add.mqttClientCert, "TLS client certificate (PEM file)");
    addCmd->add_option("--mqtt-client-key", add.mqttClientKey, "Its private key (PEM file path; the file is not copied)");
    addCmd->add_option("--mqtt-client-id", add.mqttClientId, "MQTT client id (default: Pickup Desk's own; never a machine number)");
    addCmd->add_flag("--mqtt5", add.mqtt5, "Use MQTT 5 (default 3.1.1)");
    addCmd->callback([&] { action = [&] { return cli::runProfileAdd(g, add); }; });

    profile->add_subcommand("list", "List profiles")->callback([&] { action = [&] { return cli::runProfileList(g); }; });

    static std::string useName;
    auto* use = profile->add_subcommand("use", "Make a profile the active one");
    use->add_option("name", useName)->required();
    use->callback([&] { action = [&] { return cli::runProfileUse(g, useName); }; });

    static std::optional<std::string> testName;
    auto* test = profile->add_subcommand("test", "Ping the vendor with a profile's settings");
    test->add_option("name", testName, "Profile (default: the active one)");
    test->callback([&] { action = [&] { return cli::runProfileTest(g, testName); }; });
}

void addCatalogCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    static bool offline = false;
    auto* machines = app.add_subcommand("machines", "Fetch and list the account's machines");
    machines->add_flag("--offline", offline, "Show the stored list without asking the vendor");
    machines->callback([&] { action = [&] { return cli::runMachines(g, offline); }; });

    auto* machine = app.add_subcommand("machine", "Machine settings");
    machine->require_subcommand(1);
    static std::string tzMachine, tzZone;
    auto* tz = machine->add_subcommand("tz", "Set a machine's IANA time zone");
    tz->add_option("machine_no", tzMachine)->required();
    tz->add_option("zone", tzZone, "e.g. Asia/Shanghai, America/New_York")->required();
    tz->callback([&] { action = [&] { return cli::runMachineTz(g, tzMachine, tzZone); }; });

    static std::string productsMachine;
    static bool productsOffline = false;
    auto* products = app.add_subcommand("products", "Fetch and list a machine's products (every page)");
    products->add_option("machine_no", productsMachine)->required();
    products->add_flag("--offline", productsOffline, "Show the stored list without asking the vendor");
    products->callback([&] { action = [&] { return cli::runProducts(g, productsMachine, productsOffline); }; });
}

void addCodeCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    static cli::GenerateCliOptions gen;
    auto* generate = app.add_subcommand("generate", "Generate pickup codes through the vendor open API");
    generate->add_option("machine_no", gen.machineNo)->required();
    auto* product = generate->add_option("--product", gen.productId, "Product id");
    auto* all = generate->add_flag("--all-products", gen.allProducts, "One code for every product of the machine");
    product->excludes(all);
    generate->add_option("--count", gen.count, "Codes to make for the product (1..capacity)")->check(CLI::PositiveNumber)->needs(product);
    generate->add_option("--length", gen.length, "Code length 6..10 (default 6)")->check(CLI::Range(6, 10));
    auto* expires = generate->add_option("--expires", gen.expires, "Expiry \"YYYY-MM-DD HH:MM[:SS]\" in the machine's time zone");
    auto* never = generate->add_flag("--never", gen.never, "Codes never expire (the default)");
    expires->excludes(never);
    generate->add_flag("--earlier", gen.earlier, "For a time that happens twice (DST ends): take the first");
    generate->add_flag("--later", gen.later, "For a time that happens twice (DST ends): take the second");
    generate->add_option("--push-timeout", gen.pushTimeoutSeconds, "With a broker: wait S seconds for the create pushes, then list (default 10)")
        ->check(CLI::NonNegativeNumber);
    generate->add_flag("--no-push", gen.noPush, "Do not wait for pushes: list the new codes");
    generate->callback([&] {
        if (!gen.productId && !gen.allProducts) throw CLI::ValidationError("generate", "give --product ID or --all-products");
        action = [&] { return cli::runGenerate(g, gen); };
    });

    static cli::CodesCliOptions codes;
    auto* list = app.add_subcommand("codes", "List stored pickup codes");
    list->add_option("machine_no", codes.machineNo, "Only this machine");
    list->add_option("--product", codes.productId, "Only this product");
    list->add_option("--status", codes.status, "unused | used | expired | deleted")
        ->check(CLI::IsMember({"unused", "used", "expired", "deleted"}));
    list->add_option("--tz", codes.tz, "Show times in: machine (default) | utc | local")->check(CLI::IsMember({"machine", "utc", "local"}));
    list->add_option("--prefix", codes.prefix, "Only codes starting with these digits");
    list->add_option("--limit", codes.limit, "At most N codes");
    list->add_flag("--refresh", codes.refresh, "Fetch the machine's unused codes from the vendor first");
    list->callback([&] { action = [&] { return cli::runCodes(g, codes); }; });

    static std::string delMachine;
    static std::optional<std::int64_t> delId;
    static bool delAll = false;
    auto* del = app.add_subcommand("delete", "Delete pickup codes at the vendor");
    del->add_option("machine_no", delMachine)->required();
    auto* id = del->add_option("--code-id", delId, "Code id");
    auto* allCodes = del->add_flag("--all", delAll, "Every code of the machine");
    id->excludes(allCodes);
    del->callback([&] {
        if (!delId && !delAll) throw CLI::ValidationError("delete", "give --code-id ID or --all");
        action = [&] { return cli::runDelete(g, delMachine, delId, delAll); };
    });

    static std::string recMachine;
    auto* rec = app.add_subcommand("reconcile", "Resolve creates whose outcome is unknown by listing the vendor's codes");
    rec->add_option("machine_no", recMachine)->required();
    rec->callback([&] { action = [&] { return cli::runReconcile(g, recMachine); }; });

    static cli::SignCliOptions sign;
    auto* signCmd = app.add_subcommand("sign", "Compute the vendor signature of key=value pairs");
    signCmd->add_option("--key", sign.key, "Signing key (default: PICKUPDESK_SIGN_KEY or the profile's)");
    signCmd->add_option("--encoding", sign.encoding, "raw | form")->check(CLI::IsMember({"raw", "form"}));
    signCmd->add_flag("--show-string", sign.showString, "Also print the signed string (key masked)");
    signCmd->add_option("pairs", sign.pairs, "key=value ...");
    signCmd->callback([&] { action = [&] { return cli::runSign(g, sign); }; });
}

void addPushCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    static cli::DecodeCliOptions decode;
    auto* cmd = app.add_subcommand("decode", "Decode and verify one MQTT push (Base64 payload as argument or on stdin)");
    cmd->add_option("--key", decode.key, "Push-verification key (default: PICKUPDESK_PUSH_KEY or the profile's)");
    cmd->add_option("--encoding", decode.encoding, "raw | form (default: the profile's)")->check(CLI::IsMember({"raw", "form"}));
    cmd->add_option("--topic", decode.topic, "Topic it came on, e.g. /clients/16327138");
    cmd->add_option("payload", decode.payload, "The payload (default: read standard input)");
    cmd->callback([&] { action = [&] { return cli::runDecode(g, decode); }; });
}

void addWatchCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    static cli::WatchCliOptions watch;
    auto* w = app.add_subcommand("watch", "Watch live MQTT pushes: decoded, verified and stored (Ctrl-C stops)");
    w->add_option("machine_no", watch.machines, "Machines to watch (default: every stored machine)");
    w->add_option("--topic", watch.topic, "A custom topic filter, e.g. /clients/# or /server/app");
    w->add_option("--url", watch.url, "Broker URL (default PICKUPDESK_MQTT_URL), e.g. tcp://host:1883, ssl://host:8883");
    w->add_option("--client-id", watch.clientId, "MQTT client id (default: Pickup Desk's own; never a machine number)");
    w->add_option("--qos", watch.qos, "Subscription QoS 0, 1 or 2 (default)")->check(CLI::Range(0, 2));
    w->add_flag("--mqtt5", watch.mqtt5, "Use MQTT 5 (default 3.1.1)");
    w->add_option("--count", watch.count, "Stop after N messages")->check(CLI::NonNegativeNumber);
    w->add_option("--duration", watch.durationSeconds, "Stop after S seconds")->check(CLI::NonNegativeNumber);
    w->add_flag("--json", g.json, "One JSON object per line");
    w->callback([&] { action = [&] { return cli::runWatch(g, watch); }; });

    static cli::EventsCliOptions events;
    auto* e = app.add_subcommand("events", "List stored MQTT pushes (newest 200 by default)");
    e->add_option("machine_no", events.machineNo, "Only this machine");
    e->add_option("--method", events.method, "Only this method, e.g. client.pickup_codes.create");
    e->add_option("--since", events.since, "Received since: 30m, 2h, 7d, epoch seconds or \"YYYY-MM-DD HH:MM\" (UTC)");
    e->add_flag("--invalid", events.invalid, "Only invalid, unsigned or undecodable pushes");
    e->add_option("--limit", events.limit, "At most N (0 = all)")->check(CLI::NonNegativeNumber);
    e->add_flag("--json", g.json, "JSON output");
    e->callback([&] { action = [&] { return cli::runEvents(g, events); }; });
}

void addExportCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    static cli::ExportCliOptions ex;
    auto addOptions = [&](CLI::App* cmd) {
        cmd->add_option("machine_no", ex.machineNo, "Only this machine");
        cmd->add_option("--product", ex.productId, "Only this product");
        cmd->add_option("--status", ex.status, "unused | used | expired | deleted")
            ->check(CLI::IsMember({"unused", "used", "expired", "deleted"}));
        cmd->add_option("--prefix", ex.prefix, "Only codes starting with these digits");
        cmd->add_option("--limit", ex.limit, "At most N codes")->check(CLI::NonNegativeNumber);
        auto* tpl = cmd->add_option("--template", ex.templateName, "Label template (default a4-3x8; see `templates`) or a .json file");
        cmd->add_option("--grid", ex.grid, "Custom grid instead: page=WxH,margin=LxT,label=WxH,pitch=XxY,grid=CxR (mm)")->excludes(tpl);
        cmd->add_option("--ec", ex.ecLevel, "QR error correction L | M (default) | Q | H");
        cmd->add_option("--qr-text", ex.qrText, "What the QR holds, e.g. \"https://x/p?c={code}\" (default: the code)");
        cmd->add_option("--header", ex.header, "A header line on every label");
        cmd->add_option("--logo", ex.logo, "A PNG logo in the header row");
        cmd->add_option("--hide", ex.hide, "Fields to leave out: code, product, machine, expiry")->delimiter(',');
        cmd->add_option("--start-at", ex.startAt, "First label to use on the first sheet (1 = top left)")->check(CLI::PositiveNumber);
        cmd->add_flag("--crop-marks", ex.cropMarks, "Crop marks in the page margins");
        cmd->add_flag("--outlines", ex.outlines, "Thin label outlines (for plain paper)");
        cmd->add_flag("--vector-qr", ex.vectorQr, "PDF: draw each QR as vector rectangles (default: one exact 1-bit image per page, smaller and faster)");
        cmd->add_option("--offset-x", ex.offsetX, "Calibration: move labels right by MM (default: the saved value)");
        cmd->add_option("--offset-y", ex.offsetY, "Calibration: move labels down by MM (default: the saved value)");
        cmd->add_flag("--calibration-page", ex.calibrationPage, "Only the calibration test page (outlines and a ruler)");
        cmd->add_option("--printer", ex.printer, "Printer (print: default printer; export: whose calibration to use)");
    };
    auto* exp = app.add_subcommand("export", "Write codes as QR label sheets (PDF, PNG, SVG) or CSV");
    addOptions(exp);
    exp->add_option("--format", ex.format, "pdf (default) | png | svg | csv")->check(CLI::IsMember({"pdf", "png", "svg", "csv"}));
    exp->add_option("--out", ex.out, "Output file (PNG/SVG: one file per page, NAME-1.png, ...)");
    exp->add_option("--dpi", ex.dpi, "PNG resolution (default 300)")->check(CLI::Range(72, 1200));
    exp->callback([&] { action = [&] { return cli::runExport(g, ex); }; });

    auto* print = app.add_subcommand("print", "Print codes as QR label sheets (CUPS; Windows: the PDF print verb)");
    addOptions(print);
    print->add_option("--copies", ex.copies, "Copies (default 1)")->check(CLI::Range(1, 999));
    print->callback([&] {
        ex.print = true;
        action = [&] { return cli::runExport(g, ex); };
    });

    app.add_subcommand("printers", "List printers")->callback([&] { action = [&] { return cli::runPrinters(g); }; });
    app.add_subcommand("templates", "List label templates")->callback([&] { action = [&] { return cli::runTemplates(g); }; });

    static cli::CalibrateCliOptions cal;
    auto* calibrate = app.add_subcommand("calibrate", "Save a printer's label offsets for a template (measure the calibration page)");
    calibrate->add_option("--template", cal.templateName, "Template name")->required();
    calibrate->add_option("--printer", cal.printer, "Printer (default: exports to files)");
    calibrate->add_option("--x", cal.x, "Move labels right by MM (negative: left)");
    calibrate->add_option("--y", cal.y, "Move labels down by MM (negative: up)");
    calibrate->callback([&] { action = [&] { return cli::runCalibrate(g, cal); }; });
}

void addStoreCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    static std::string backupFile;
    static bool force = false;
    auto* backup = app.add_subcommand("backup", "Copy the database to FILE (online: works while the app or watch runs)");
    backup->add_option("file", backupFile, "Where the copy goes")->required();
    backup->add_flag("--force", force, "Replace FILE if it exists");
    backup->callback([&] { action = [&] { return cli::runBackup(g, backupFile, force); }; });

    static std::string restoreFile;
    auto* restore = app.add_subcommand("restore", "Replace the database with a checked copy of FILE (keeps the old one aside)");
    restore->add_option("file", restoreFile, "A backup made by `pickupctl backup` or found in the backups folder")->required();
    restore->callback([&] { action = [&] { return cli::runRestore(g, restoreFile); }; });

    app.add_subcommand("recover", "Set a damaged database aside (name.corrupt-TIME) so the next command starts empty")
        ->callback([&] { action = [&] { return cli::runRecover(g); }; });
}

// "profile add", "watch", ...: the parsed subcommand path (names this process in the lock file).
std::string commandPath(const CLI::App& app) {
    std::string path;
    for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
        sub = sub->get_subcommands().front();
        path += (path.empty() ? "" : " ") + sub->get_name();
    }
    return path;
}

void addBoardCommands(CLI::App& app, cli::GlobalOptions& g, std::function<int()>& action) {
    auto* board = app.add_subcommand("board", "Vending boards over USB/serial: list, info, config, dispense, sweep, log");
    board->require_subcommand(1);
    static cli::BoardTargetOptions t;
    const char* targetHelp = "Board: /dev/ttyUSB0 | COM3 | usb:VID:PID[:SERIAL] | sim[:W50x|eLock24P|M2301]";
    auto addTarget = [&](CLI::App* cmd) {
        cmd->add_option("target", t.target, targetHelp)->required();
        cmd->add_option("--baud", t.baud, "Serial baud rate (default 9600)");
        cmd->add_option("--response-ms", t.responseMs, "Per-try answer timeout (default 500 serial, 200 USB)");
        cmd->add_flag("--frames", t.frames, "Print every frame to stderr");
    };

    static bool listAll = false;
    auto* list = board->add_subcommand("list", "USB devices that can be boards, and how to connect to each");
    list->add_flag("--all", listAll, "Every USB device, not only board candidates");
    list->callback([&] { action = [&] { return cli::runBoardList(g, listAll); }; });

    auto* info = board->add_subcommand("info", "Identify the board: model, channels, firmware, serial");
    addTarget(info);
    info->callback([&] { action = [&] { return cli::runBoardInfo(g, t); }; });

    auto* config = board->add_subcommand("config", "Board settings (machine number, server, MQTT)");
    config->require_subcommand(1);
    auto* get = config->add_subcommand("get", "Show the board's settings (the MQTT password is masked)");
    addTarget(get);
    get->callback([&] { action = [&] { return cli::runBoardConfigGet(g, t); }; });
    static std::vector<std::string> setPairs;
    static bool passwordStdin = false;
    auto* set = config->add_subcommand("set", "Write settings key=value, commit, re-read and verify");
    addTarget(set);
    set->add_option("pairs", setPairs, "machine_no=.. server_host=.. server_port=.. mqtt_host=.. mqtt_port=.. mqtt_user=.. mqtt_topic=.. tls=true|false");
    set->add_flag("--mqtt-password-stdin", passwordStdin, "Read the MQTT password from standard input (one line)");
    set->callback([&] { action = [&] { return cli::runBoardConfigSet(g, t, setPairs, passwordStdin); }; });
    static std::string applyFile;
    static std::vector<std::string> applyMore;
    auto* apply = config->add_subcommand("apply", "Apply a provisioning file (JSON) to one or more boards, with a report per board");
    apply->add_option("file", applyFile, "Provisioning file (docs/board-protocol.md)")->required();
    addTarget(apply);
    apply->add_option("more", applyMore, "More boards, one after another");
    apply->callback([&] { action = [&] { return cli::runBoardConfigApply(g, t, applyMore, applyFile); }; });

    static cli::BoardSlotOptions slot;
    auto addSlot = [&](CLI::App* cmd, cli::BoardSlotOptions& s) {
        cmd->add_option("--addr", s.addr, "Cabinet address 1-8 (default 1)")->check(CLI::Range(1, 8));
        cmd->add_option("--type", s.type, "spring | elock | belt (default spring)")->check(CLI::IsMember({"spring", "elock", "belt"}));
        cmd->add_flag("--drop-check", s.dropCheck, "Require the drop sensor to see the item");
        cmd->add_flag("--lift", s.lift, "The slot delivers through the lift");
    };
    auto* dispense = board->add_subcommand("dispense", "Test-dispense one slot and wait for the result");
    addTarget(dispense);
    addSlot(dispense, slot);
    dispense->add_option("--slot", slot.slot, "Slot number 0-99 (row*10 + col)")->required()->check(CLI::Range(0, 99));
    dispense->callback([&] { action = [&] { return cli::runBoardDispense(g, t, slot); }; });

    static cli::BoardSweepOptions sweep;
    auto* sweepCmd = board->add_subcommand("sweep", "Test-dispense slots one by one and report each (Ctrl-C stops)");
    addTarget(sweepCmd);
    addSlot(sweepCmd, sweep.slots);
    sweepCmd->add_option("--from", sweep.slots.slot, "First slot (default 0)")->check(CLI::Range(0, 99));
    sweepCmd->add_option("--count", sweep.count, "How many slots (default: to the last channel)")->check(CLI::PositiveNumber);
    sweepCmd->add_option("--csv", sweep.csv, "Also write the report as CSV to this file");
    sweepCmd->callback([&] { action = [&] { return cli::runBoardSweep(g, t, sweep); }; });

    static std::uint32_t statusTxn = 0;
    auto* status = board->add_subcommand("status", "Ask the board what became of a dispense (the txn printed with an unknown outcome)");
    addTarget(status);
    status->add_option("--txn", statusTxn, "Transaction id")->required();
    status->callback([&] { action = [&] { return cli::runBoardStatus(g, t, statusTxn); }; });

    static int clearAddr = 1, clearSlot = -1;
    auto* clear = board->add_subcommand("clear", "Clear latched faults of one slot or of every slot of a cabinet");
    addTarget(clear);
    clear->add_option("--addr", clearAddr, "Cabinet address 1-8 (default 1)")->check(CLI::Range(1, 8));
    clear->add_option("--slot", clearSlot, "Slot 0-99 (default: every slot)")->check(CLI::Range(0, 99));
    clear->callback([&] { action = [&] { return cli::runBoardClearFault(g, t, clearAddr, clearSlot); }; });

    static int pings = 3;
    auto* log = board->add_subcommand("log", "Show the frames of an identify and a few pings (link check)");
    addTarget(log);
    log->add_option("--pings", pings, "Pings after identify (default 3)")->check(CLI::Range(0, 1000));
    log->callback([&] { action = [&] { return cli::runBoardLog(g, t, pings); }; });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"pickupctl: pickup codes for vending machines (Pickup Desk)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "pickupctl 0.1.0");
    cli::GlobalOptions g;
    app.add_flag("--json", g.json, "Machine-readable JSON output");
    app.add_option("--profile", g.profile, "Vendor profile to use (default: the active one)");
    app.add_option("--db", g.db, "Database file (default: PICKUPDESK_DB or the user data directory)");
    app.add_option("--timeout", g.timeoutSeconds, "Network timeout in seconds (default 20)")->check(CLI::PositiveNumber);

    std::function<int()> action;
    addProfileCommands(app, g, action);
    addCatalogCommands(app, g, action);
    addCodeCommands(app, g, action);
    addWatchCommands(app, g, action);
    addPushCommands(app, g, action);
    addExportCommands(app, g, action);
    addBoardCommands(app, g, action);
    addStoreCommands(app, g, action);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return cli::kExitUsage;
    }
    g.command = commandPath(app);
    return action ? action() : cli::kExitUsage;
}
