// pickupctl machines | machine tz | products
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/tz/machine_time.hpp"

#include <iostream>

namespace cli {

int runMachines(const GlobalOptions& g, bool offline) {
    auto ctx = Context::open(g, offline ? Access::Read : Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    auto service = (*ctx)->codes();
    if (!service) return fail(service.error(), g);
    auto machines = offline ? (*ctx)->store().listMachines((*ctx)->profile().id) : (*service)->syncMachines();
    if (!machines) return fail(machines.error(), g);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& m : *machines) out.push_back(machineJson(m, (*service)->machineTimezone(m.machineNo)));
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    Table table({"MACHINE", "NAME", "ONLINE", "TIMEZONE", "ADDRESS"});
    for (const auto& m : *machines) {
        const std::string zone = (*service)->machineTimezone(m.machineNo) + (m.timezone.empty() ? " (default)" : "");
        table.addRow({m.machineNo, m.name, m.online ? "yes" : "no", zone, m.address});
    }
    table.print(std::cout);
    return kExitOk;
}

int runMachineTz(const GlobalOptions& g, const std::string& machineNo, const std::string& zone) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    auto service = (*ctx)->codes();
    if (!service) return fail(service.error(), g);
    if (auto ok = (*service)->setMachineTimezone(machineNo, zone); !ok) return fail(ok.error(), g);
    const auto now = core::tz::nowUtc();
    if (g.json) {
        std::cout << nlohmann::json{{"machine_no", machineNo}, {"timezone", zone}, {"local_now", core::tz::formatInZone(now, zone)}}.dump(2) << '\n';
    } else {
        std::cout << "Machine " << machineNo << " now uses " << zone << " (local time there: " << core::tz::formatInZone(now, zone) << ").\n";
    }
    return kExitOk;
}

int runProducts(const GlobalOptions& g, const std::string& machineNo, bool offline) {
    auto ctx = Context::open(g, offline ? Access::Read : Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    core::Result<std::vector<core::Product>> products = std::vector<core::Product>{};
    if (offline) {
        products = (*ctx)->store().listProducts(machineNo);
    } else {
        auto service = (*ctx)->codes();
        if (!service) return fail(service.error(), g);
        products = (*service)->syncProducts(machineNo);
    }
    if (!products) return fail(products.error(), g);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : *products) out.push_back(productJson(p));
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    Table table({"ID", "CHANNEL", "NAME", "PRICE", "STOCK", "CAPACITY"});
    for (const auto& p : *products) {
        table.addRow({std::to_string(p.id), p.channel, p.name, p.price, std::to_string(p.currentInventory), std::to_string(p.capacity)});
    }
    table.print(std::cout);
    return kExitOk;
}

}  // namespace cli
