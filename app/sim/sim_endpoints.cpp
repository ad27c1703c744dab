#include "app/sim/sim_endpoints.hpp"
#include "app/sim/sim_push.hpp"

#include "app/sim/sim_render.hpp"
#include "core/tz/machine_time.hpp"

#include <charconv>
#include <chrono>
#include <optional>

namespace app::sim {

ApiReply okReply(nlohmann::json data) {
    ApiReply reply;
    reply.data = std::move(data);
    return reply;
}

ApiReply errorReply(int code, std::string message) {
    ApiReply reply;
    reply.code = code;
    reply.message = std::move(message);
    return reply;
}

ApiReply errorReply(const core::Error& error) { return errorReply(error.vendorCode, error.vendorMessage); }

namespace {

using Params = core::sign::Params;

std::string param(const Params& params, const std::string& key) {
    const auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
}

// An integer parameter: the fallback when absent or empty, nullopt when not an integer.
std::optional<std::int64_t> intParam(const Params& params, const std::string& key, std::int64_t fallback) {
    const std::string text = param(params, key);
    if (text.empty()) return fallback;
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

ApiReply invalidParams(const std::string& detail) { return errorReply(4003, "sorry, invalid params: " + detail); }

std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool isMachineNo(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

ApiReply Endpoints::ping(const Params&, const Captures&) { return okReply("pong"); }

ApiReply Endpoints::machines(const Params&, const Captures&) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : m_state.machines()) list.push_back(machineSummaryJson(m));
    return okReply(std::move(list));
}

ApiReply Endpoints::machineDetail(const Params&, const Captures& captures) {
    const std::string& machineNo = captures.at(0);
    auto machine = m_state.machine(machineNo);
    if (!machine) return errorReply(machine.error());
    return okReply(machineDetailJson(*machine, m_state.productsOf(machineNo)));
}

ApiReply Endpoints::products(const Params& params, const Captures&) {
    ProductQuery query;
    query.machineNo = param(params, "machine_no");
    if (!isMachineNo(query.machineNo)) return invalidParams("machine_no is required (8 digits)");
    const auto page = intParam(params, "page", 1);
    const auto perPage = intParam(params, "per_page", 10);
    const auto category = intParam(params, "category_id", 0);
    const auto addr = intParam(params, "addr", 0);
    if (!page || *page < 1 || *page > 100000) return invalidParams("page must be a number from 1");
    if (!perPage || *perPage < 1 || *perPage > 1000) return invalidParams("per_page must be from 1 to 1000");
    if (!category || *category < 0) return invalidParams("category_id must be a number (0 = all)");
    if (!addr || *addr < 0 || *addr > 8) return invalidParams("addr must be from 1 to 8");
    const std::string cabinet = param(params, "cabinet_name");
    if (!cabinet.empty() && *addr != 0) return invalidParams("cabinet_name and addr cannot be used together");
    query.page = static_cast<int>(*page);
    query.perPage = static_cast<int>(*perPage);
    query.categoryId = *category;
    // select_all=1 asks for every cabinet, so it overrides cabinet_name.
    if (!cabinet.empty() && param(params, "select_all") != "1") query.cabinet = cabinet;
    if (*addr != 0) query.addr = static_cast<int>(*addr);
    auto result = m_state.products(query);
    if (!result) return errorReply(result.error());
    return okReply(productPageJson(*result));
}

ApiReply Endpoints::createCodes(const Params& params, const Captures&) {
    const std::string method = param(params, "method");
    const bool byProduct = method == "pickup_code.product.id";
    if (!byProduct && method != "pickup_code.product.all") return errorReply(6021, "sorry, method not allowed");
    CreateRequest request;
    request.machineNo = param(params, "machine_no");
    if (!isMachineNo(request.machineNo)) return invalidParams("machine_no is required (8 digits)");
    if (auto enabled = m_state.checkPickupEnabled(request.machineNo); !enabled) return errorReply(enabled.error());

    const auto codeLength = intParam(params, "code_length", 6);
    if (!codeLength || *codeLength < 6 || *codeLength > 10) return invalidParams("code_length must be from 6 to 10");
    request.codeLength = static_cast<int>(*codeLength);
    if (byProduct) {
        const auto productId = intParam(params, "product_id", 0);
        if (!productId || *productId <= 0) return invalidParams("product_id is required");
        const auto count = intParam(params, "count", 1);
        if (!count || *count < 1 || *count > 100000) return invalidParams("count must be a number from 1");
        request.productId = *productId;
        request.count = static_cast<int>(*count);
    }
    const std::string expiredAt = param(params, "expired_at");
    if (!expiredAt.empty()) {
        auto instant = core::tz::parseGmt8String(expiredAt);
        if (!instant || expiredAt.size() != 19) return errorReply(6029, "sorry, expired_at invalid");
        if (*instant <= core::tz::nowUtc()) return errorReply(6029, "sorry, expired_at invalid");
        request.expiresAt = *instant;
    }
    auto created = m_state.createCodes(request, nowMs());
    if (!created) return errorReply(created.error());
    if (m_config.push != nullptr) pushCreated(request, *created);
    ApiReply reply = okReply(nlohmann::json::object());
    reply.createdCodes = true;
    return reply;
}

ApiReply Endpoints::deleteCodes(const Params& params, const Captures&) {
    const std::string method = param(params, "method");
    const std::string machineNo = param(params, "machine_no");
    if (method != "pickup_code.delete.id" && method != "pickup_code.delete.all") {
        return errorReply(6021, "sorry, method not allowed");
    }
    if (!isMachineNo(machineNo)) return invalidParams("machine_no is required (8 digits)");
    if (method == "pickup_code.delete.all") {
        auto deleted = m_state.deleteAll(machineNo);
        if (!deleted) return errorReply(deleted.error());
        if (auto machine = m_state.machine(machineNo); machine && m_config.push != nullptr) {
            for (std::int64_t id : *deleted) m_config.push->codeDeleted(*machine, id);
        }
        return okReply(nlohmann::json::object());
    }
    const auto id = intParam(params, "id", 0);
    if (!id || *id <= 0) return invalidParams("id is required");
    if (auto status = m_state.deleteCode(machineNo, *id); !status) return errorReply(status.error());
    if (auto machine = m_state.machine(machineNo); machine && m_config.push != nullptr) m_config.push->codeDeleted(*machine, *id);
    return okReply(nlohmann::json::object());
}

ApiReply Endpoints::listCodes(const Params& params, const Captures& captures) {
    const std::string machineNo = param(params, "machine_no");
    if (!isMachineNo(machineNo)) return invalidParams("machine_no is required (8 digits)");
    std::int64_t productId = 0;
    const std::string& idText = captures.at(0);
    std::from_chars(idText.data(), idText.data() + idText.size(), productId);
    auto codes = m_state.unusedCodes(machineNo, productId, core::tz::nowUtc());
    if (!codes) return errorReply(codes.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : *codes) list.push_back(codeListItemJson(c, m_config.listTimeFormat));
    return okReply(std::move(list));
}

// The new codes are the newest ids of each product involved (the state hands out ids in order).
void Endpoints::pushCreated(const CreateRequest& request, int created) {
    auto machine = m_state.machine(request.machineNo);
    if (!machine) return;
    std::vector<std::int64_t> products;
    if (request.productId) {
        products.push_back(*request.productId);
    } else {
        for (const auto& p : m_state.productsOf(request.machineNo)) products.push_back(p.id);
    }
    for (std::int64_t productId : products) {
        auto codes = m_state.unusedCodes(request.machineNo, productId, core::tz::nowUtc());
        if (!codes) continue;
        const int take = request.productId ? created : 1;
        const int n = static_cast<int>(codes->size());
        for (int i = std::max(0, n - take); i < n; ++i) m_config.push->codeCreated(*machine, (*codes)[static_cast<size_t>(i)]);
    }
}

}  // namespace app::sim
