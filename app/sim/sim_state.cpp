#include "app/sim/sim_state.hpp"

#include "core/tz/machine_time.hpp"

#include <algorithm>
#include <unordered_set>

namespace app::sim {

core::Error vendorError(int code, std::string message) {
    core::Error error = core::makeError(core::ErrorCode::Vendor, message);
    error.vendorCode = code;
    error.vendorMessage = std::move(message);
    return error;
}

namespace {

core::Error machineNotFound() { return vendorError(6026, "sorry, machine not found"); }
core::Error productNotFound() { return vendorError(6045, "sorry, product not found"); }

}  // namespace

SimState::SimState(SeedData seed) : m_data(std::move(seed)), m_rng(std::random_device{}()) {}

void SimState::reset(SeedData seed) {
    std::lock_guard lock(m_mutex);
    m_data = std::move(seed);
    m_requestsServed = 0;
    m_createsApplied = 0;
    m_codesCreated = 0;
}

const SimMachine* SimState::findMachine(const std::string& machineNo) const {
    for (const auto& m : m_data.machines) {
        if (m.machineNo == machineNo) return &m;
    }
    return nullptr;
}

const SimProduct* SimState::findProduct(const std::string& machineNo, std::int64_t productId) const {
    for (const auto& p : m_data.products) {
        if (p.machineNo == machineNo && p.id == productId) return &p;
    }
    return nullptr;
}

std::vector<SimMachine> SimState::machines() const {
    std::lock_guard lock(m_mutex);
    return m_data.machines;
}

core::Result<SimMachine> SimState::machine(const std::string& machineNo) const {
    std::lock_guard lock(m_mutex);
    if (const SimMachine* m = findMachine(machineNo)) return *m;
    return machineNotFound();
}

std::vector<SimProduct> SimState::productsOf(const std::string& machineNo) const {
    std::lock_guard lock(m_mutex);
    std::vector<SimProduct> out;
    for (const auto& p : m_data.products) {
        if (p.machineNo == machineNo) out.push_back(p);
    }
    return out;
}

core::Result<ProductPage> SimState::products(const ProductQuery& query) const {
    std::lock_guard lock(m_mutex);
    if (findMachine(query.machineNo) == nullptr) return machineNotFound();
    std::vector<SimProduct> matching;
    for (const auto& p : m_data.products) {
        if (p.machineNo != query.machineNo) continue;
        if (query.categoryId != 0 && p.categoryId != query.categoryId) continue;
        if (query.cabinet && p.channel.cabinet != *query.cabinet) continue;
        if (query.addr && p.channel.addr != *query.addr) continue;
        matching.push_back(p);
    }
    ProductPage page;
    page.total = static_cast<int>(matching.size());
    page.perPage = query.perPage;
    page.currentPage = query.page;
    page.lastPage = std::max(1, (page.total + query.perPage - 1) / query.perPage);
    const size_t first = static_cast<size_t>(query.page - 1) * static_cast<size_t>(query.perPage);
    for (size_t i = first; i < matching.size() && i < first + static_cast<size_t>(query.perPage); ++i) {
        page.items.push_back(matching[i]);
    }
    return page;
}

core::Status SimState::checkPickupEnabled(const std::string& machineNo) const {
    std::lock_guard lock(m_mutex);
    const SimMachine* m = findMachine(machineNo);
    if (m == nullptr) return machineNotFound();
    if (!m->pickupEnabled) return vendorError(10023, "取货码功能尚未开启");
    return {};
}

std::string SimState::uniqueCode(const std::string& machineNo, int length) {
    std::unordered_set<std::string> taken;
    for (const auto& c : m_data.codes) {
        if (c.machineNo == machineNo) taken.insert(c.code);
    }
    std::uniform_int_distribution<int> first(1, 9);  // no leading zero: some clients read codes as numbers
    std::uniform_int_distribution<int> digit(0, 9);
    for (;;) {
        std::string code(1, static_cast<char>('0' + first(m_rng)));
        while (static_cast<int>(code.size()) < length) code.push_back(static_cast<char>('0' + digit(m_rng)));
        if (taken.insert(code).second) return code;
    }
}

core::Result<int> SimState::createCodes(const CreateRequest& request, std::int64_t nowMs) {
    std::lock_guard lock(m_mutex);
    const SimMachine* m = findMachine(request.machineNo);
    if (m == nullptr) return machineNotFound();
    if (!m->pickupEnabled) return vendorError(10023, "取货码功能尚未开启");

    std::vector<std::int64_t> productIds;  // one entry per code to make
    if (request.productId) {
        const SimProduct* p = findProduct(request.machineNo, *request.productId);
        if (p == nullptr) return productNotFound();
        if (request.count < 1) return vendorError(4003, "sorry, invalid params: count must be at least 1");
        if (request.count > p->inventory) {
            return vendorError(4003, "sorry, invalid params: count " + std::to_string(request.count) +
                                         " exceeds the product capacity " + std::to_string(p->inventory) +
                                         " (allowed 1.." + std::to_string(p->inventory) + ")");
        }
        productIds.assign(static_cast<size_t>(request.count), p->id);
    } else {
        for (const auto& p : m_data.products) {
            if (p.machineNo == request.machineNo) productIds.push_back(p.id);
        }
    }
    for (std::int64_t productId : productIds) {
        SimCode code;
        code.id = m_data.nextCodeId++;
        code.machineNo = request.machineNo;
        code.productId = productId;
        code.code = uniqueCode(request.machineNo, request.codeLength);
        code.createdAtMs = nowMs;
        code.expiresAt = request.expiresAt;
        m_data.codes.push_back(std::move(code));
    }
    ++m_createsApplied;
    m_codesCreated += static_cast<std::int64_t>(productIds.size());
    return static_cast<int>(productIds.size());
}

core::Status SimState::deleteCode(const std::string& machineNo, std::int64_t id) {
    std::lock_guard lock(m_mutex);
    if (findMachine(machineNo) == nullptr) return machineNotFound();
    for (auto& c : m_data.codes) {
        if (c.machineNo == machineNo && c.id == id && !c.deleted) {
            c.deleted = true;
            return {};
        }
    }
    return vendorError(4004, "sorry, record not found");
}

core::Result<std::vector<std::int64_t>> SimState::deleteAll(const std::string& machineNo) {
    std::lock_guard lock(m_mutex);
    if (findMachine(machineNo) == nullptr) return machineNotFound();
    std::vector<std::int64_t> deleted;
    for (auto& c : m_data.codes) {
        if (c.machineNo == machineNo && !c.deleted) {
            c.deleted = true;
            deleted.push_back(c.id);
        }
    }
    return deleted;
}

core::Result<std::vector<SimCode>> SimState::unusedCodes(const std::string& machineNo, std::int64_t productId,
                                                         Instant now) const {
    std::lock_guard lock(m_mutex);
    if (findMachine(machineNo) == nullptr) return machineNotFound();
    if (findProduct(machineNo, productId) == nullptr) return productNotFound();
    std::vector<SimCode> out;
    for (const auto& c : m_data.codes) {
        if (c.machineNo != machineNo || c.productId != productId || c.used || c.deleted) continue;
        if (c.expiresAt && *c.expiresAt <= now) continue;
        out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const SimCode& a, const SimCode& b) { return a.id < b.id; });
    return out;
}

core::Result<SimCode> SimState::markUsed(const std::string& machineNo, std::int64_t id) {
    std::lock_guard lock(m_mutex);
    for (auto& c : m_data.codes) {
        if (c.machineNo != machineNo || c.id != id || c.deleted) continue;
        if (c.used) return vendorError(6033, "sorry, pickup code used");
        c.used = true;
        return c;
    }
    return vendorError(4004, "sorry, record not found");
}

void SimState::countRequest() {
    std::lock_guard lock(m_mutex);
    ++m_requestsServed;
}

namespace {

nlohmann::json dumpMachine(const SimMachine& m) {
    return {{"machine_id", m.machineId},     {"machine_no", m.machineNo},
            {"machine_name", m.name},        {"timezone", m.timezone},
            {"is_online", m.isOnline},       {"status", m.status},
            {"pickup_enabled", m.pickupEnabled}, {"currency", m.currency.code}};
}

nlohmann::json dumpProduct(const SimProduct& p) {
    return {{"id", p.id},
            {"machine_no", p.machineNo},
            {"name", p.name},
            {"price", p.price},
            {"inventory", p.inventory},
            {"current_inventory", p.currentInventory},
            {"category_id", p.categoryId},
            {"channel", p.channel.cabinet + std::to_string(p.channel.x + 1) + std::to_string(p.channel.y + 1)}};
}

nlohmann::json dumpCode(const SimCode& c) {
    nlohmann::json out = {{"id", c.id},
                          {"machine_no", c.machineNo},
                          {"product_id", c.productId},
                          {"code", c.code},
                          {"quantity", c.quantity},
                          {"created_at_ms", c.createdAtMs},
                          {"created_at", core::tz::toGmt8String(c.createdAtMs / 1000)},
                          {"expired_at", nullptr},
                          {"expired_at_gmt8", nullptr},
                          {"used", c.used},
                          {"deleted", c.deleted}};
    if (c.expiresAt) {
        out["expired_at"] = *c.expiresAt;
        out["expired_at_gmt8"] = core::tz::toGmt8String(*c.expiresAt);
    }
    return out;
}

}  // namespace

nlohmann::json SimState::dump() const {
    std::lock_guard lock(m_mutex);
    nlohmann::json machines = nlohmann::json::array();
    for (const auto& m : m_data.machines) machines.push_back(dumpMachine(m));
    nlohmann::json products = nlohmann::json::array();
    for (const auto& p : m_data.products) products.push_back(dumpProduct(p));
    nlohmann::json codes = nlohmann::json::array();
    for (const auto& c : m_data.codes) codes.push_back(dumpCode(c));
    return {{"machines", machines},
            {"products", products},
            {"codes", codes},
            {"next_code_id", m_data.nextCodeId},
            {"counters",
             {{"requests_served", m_requestsServed},
              {"creates_applied", m_createsApplied},
              {"codes_created", m_codesCreated}}}};
}

}  // namespace app::sim
