// pickupctl: the Pickup Desk command line. Commands and exit codes are documented in docs/CLI.md.
#include "app/cli/commands.hpp"
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
    return action ? action() : cli::kExitUsage;
}
