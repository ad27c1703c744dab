// pickupctl generate | codes | delete | reconcile
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/services/push_confirm.hpp"
#include "core/tz/machine_time.hpp"

#include <iostream>
#include <functional>
#include <map>

namespace cli {
namespace {

std::string zoneFor(TimeView view, const std::string& machineZone) {
    switch (view) {
    case TimeView::Machine: return machineZone;
    case TimeView::Utc: return "UTC";
    case TimeView::Local: return core::tz::localZoneName();
    }
    return machineZone;
}

void printCodesTable(const std::vector<core::PickupCode>& codes, TimeView view,
                     const std::function<std::string(const std::string&)>& machineZone) {
    Table table({"MACHINE", "ID", "PRODUCT", "CODE", "QTY", "STATUS", "EXPIRES", "ZONE"});
    for (const auto& c : codes) {
        const std::string zone = zoneFor(view, machineZone(c.machineNo));
        table.addRow({c.machineNo, std::to_string(c.id), std::to_string(c.productId), c.code, std::to_string(c.quantity),
                      core::codeStatusName(c.status), c.expiresUtc ? core::tz::formatInZone(*c.expiresUtc, zone) : "never", zone});
    }
    table.print(std::cout);
}

}  // namespace

namespace {

// The profile's broker (or PICKUPDESK_MQTT_URL), when there is one: generate then takes the new
// codes from their create pushes. Problems here only mean listing instead, so they are warnings.
std::unique_ptr<core::services::MqttCreatePushSource> pushSource(Context& ctx, const GlobalOptions& g) {
    auto settings = ctx.profiles().pushSettings(ctx.profile());
    if (!settings) {
        std::cerr << "warning: pushes not used: " << settings.error().message << '\n';
        return nullptr;
    }
    if (!settings->has_value()) return nullptr;
    const int connectMs = static_cast<int>(std::min(10.0, g.timeoutSeconds) * 1000);
    return std::make_unique<core::services::MqttCreatePushSource>(std::move(**settings), ctx.store().path(), connectMs);
}

}  // namespace

int runGenerate(const GlobalOptions& g, const GenerateCliOptions& o) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    auto service = (*ctx)->codes();
    if (!service) return fail(service.error(), g);
    auto pushes = o.noPush ? nullptr : pushSource(**ctx, g);
    (*service)->setCreatePushSource(pushes.get());
    core::services::GenerateOptions options;
    options.pushTimeoutMs = static_cast<int>(o.pushTimeoutSeconds * 1000);
    options.machineNo = o.machineNo;
    options.productId = o.allProducts ? std::nullopt : o.productId;
    options.count = o.count;
    options.codeLength = o.length;
    if (!o.never) options.expiresLocal = o.expires;
    options.ambiguity = o.earlier ? core::tz::Ambiguity::Earliest : o.later ? core::tz::Ambiguity::Latest : core::tz::Ambiguity::Reject;
    auto progress = [&](std::string_view step, int done, int total) {
        if (!g.json) std::cerr << "[" << done << "/" << total << "] " << step << '\n';
    };
    auto result = (*service)->generate(options, progress);
    (*service)->setCreatePushSource(nullptr);
    pushes.reset();
    if (!result) return fail(result.error(), g);
    if (!result->note.empty()) std::cerr << "note: " << result->note << '\n';
    if (g.json) {
        nlohmann::json out{{"request_id", result->requestId}, {"machine_no", o.machineNo}, {"timezone", result->timezone},
                           {"source", result->source}, {"pushed", result->pushed}};
        out["note"] = result->note.empty() ? nlohmann::json(nullptr) : nlohmann::json(result->note);
        out["expires_gmt8"] = result->expiresGmt8.empty() ? nlohmann::json(nullptr) : nlohmann::json(result->expiresGmt8);
        out["codes"] = nlohmann::json::array();
        for (const auto& c : result->codes) out["codes"].push_back(codeJson(c, result->timezone));
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    std::cout << result->codes.size() << " new code(s) (" << (result->source == "push" ? "by push" : result->source == "list" ? "listed" : "by push and listed")
              << "), request #" << result->requestId << ", expiry "
              << (result->expiresGmt8.empty() ? "never" : result->expiresGmt8 + " GMT+8") << ":\n";
    printCodesTable(result->codes, TimeView::Machine, [&](const std::string&) { return result->timezone; });
    return kExitOk;
}

int runCodes(const GlobalOptions& g, const CodesCliOptions& o) {
    auto ctx = Context::open(g, o.refresh ? Access::Write : Access::Read);
    if (!ctx) return fail(ctx.error(), g);
    const std::map<std::string, TimeView> views{{"machine", TimeView::Machine}, {"utc", TimeView::Utc}, {"local", TimeView::Local}};
    if (!views.count(o.tz)) return fail(core::makeError(core::ErrorCode::InvalidInput, "--tz must be machine, utc or local."), g);
    core::store::CodeFilter filter;
    filter.machineNo = o.machineNo;
    filter.productId = o.productId;
    filter.codePrefix = o.prefix;
    filter.limit = o.limit;
    if (o.status) {
        filter.status = core::parseCodeStatus(*o.status);
        if (!filter.status) return fail(core::makeError(core::ErrorCode::InvalidInput, "--status must be unused, used, expired or deleted."), g);
    }
    // Zones come from the store; the profile default applies when a machine has none.
    auto active = (*ctx)->store().activeProfile();
    const std::string defaultZone = active && active->has_value() ? (**active).defaultTimezone : std::string(core::tz::kDefaultZone);
    if (o.refresh) {
        if (!o.machineNo) return fail(core::makeError(core::ErrorCode::InvalidInput, "--refresh needs a machine number."), g);
        auto service = (*ctx)->codes();
        if (!service) return fail(service.error(), g);
        if (auto ok = (*service)->refreshCodes(*o.machineNo, o.productId); !ok) return fail(ok.error(), g);
    }
    std::map<std::string, std::string> zones;
    auto machineZone = [&](const std::string& machineNo) {
        auto it = zones.find(machineNo);
        if (it != zones.end()) return it->second;
        auto m = (*ctx)->store().machine(machineNo);
        const std::string zone = m && !m->timezone.empty() ? m->timezone : defaultZone;
        return zones[machineNo] = zone;
    };
    auto codes = (*ctx)->store().queryCodes(filter);
    if (!codes) return fail(codes.error(), g);
    const TimeView view = views.at(o.tz);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& c : *codes) {
            auto j = codeJson(c, machineZone(c.machineNo));
            if (view != TimeView::Machine) {
                const std::string zone = zoneFor(view, machineZone(c.machineNo));
                j["expires_view"] = c.expiresUtc ? nlohmann::json(core::tz::formatInZone(*c.expiresUtc, zone)) : nlohmann::json(nullptr);
                j["view_timezone"] = zone;
            }
            out.push_back(std::move(j));
        }
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    if (codes->empty()) {
        std::cout << "No codes match.\n";
        return kExitOk;
    }
    printCodesTable(*codes, view, machineZone);
    return kExitOk;
}

int runDelete(const GlobalOptions& g, const std::string& machineNo, std::optional<std::int64_t> codeId, bool all) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    auto service = (*ctx)->codes();
    if (!service) return fail(service.error(), g);
    if (all) {
        auto count = (*service)->deleteAllCodes(machineNo);
        if (!count) return fail(count.error(), g);
        if (g.json) std::cout << nlohmann::json{{"machine_no", machineNo}, {"deleted", "all"}, {"local_codes_marked", *count}}.dump(2) << '\n';
        else std::cout << "Deleted all codes of machine " << machineNo << " (" << *count << " local code(s) marked deleted).\n";
        return kExitOk;
    }
    if (auto ok = (*service)->deleteCode(machineNo, *codeId); !ok) return fail(ok.error(), g);
    if (g.json) std::cout << nlohmann::json{{"machine_no", machineNo}, {"deleted", *codeId}}.dump(2) << '\n';
    else std::cout << "Deleted code " << *codeId << " of machine " << machineNo << ".\n";
    return kExitOk;
}

int runReconcile(const GlobalOptions& g, const std::string& machineNo) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    auto service = (*ctx)->codes();
    if (!service) return fail(service.error(), g);
    auto items = (*service)->reconcile(machineNo);
    if (!items) return fail(items.error(), g);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& i : *items) {
            out.push_back({{"request_id", i.requestId}, {"outcome", core::outcomeName(i.outcome)}, {"codes_found", i.codesFound},
                           {"applied", i.outcome == core::Outcome::Ok}});
        }
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    if (items->empty()) std::cout << "Nothing to reconcile on machine " << machineNo << ".\n";
    for (const auto& i : *items) {
        std::cout << "Request #" << i.requestId << ": "
                  << (i.outcome == core::Outcome::Ok ? "was applied, " + std::to_string(i.codesFound) + " code(s) found and stored"
                                                     : std::string("was not applied (no new codes); generate again if you still need them"))
                  << ".\n";
    }
    return kExitOk;
}

}  // namespace cli
