#include "core/export/code_source.hpp"

#include "core/tz/machine_time.hpp"

#include <algorithm>

namespace core::exporter {

Result<std::vector<LabelData>> VectorCodeSource::fetch(std::int64_t offset, int limit) {
    const auto size = static_cast<std::int64_t>(m_labels.size());
    const std::int64_t begin = std::clamp<std::int64_t>(offset, 0, size);
    const std::int64_t end = std::clamp<std::int64_t>(offset + limit, begin, size);
    return std::vector<LabelData>(m_labels.begin() + begin, m_labels.begin() + end);
}

StoreCodeSource::StoreCodeSource(store::Store& store, store::CodeFilter filter, std::string defaultZone)
    : m_store(store), m_filter(std::move(filter)), m_defaultZone(std::move(defaultZone)) {
    if (m_filter.now == 0) m_filter.now = tz::nowUtc();
}

Result<std::int64_t> StoreCodeSource::count() {
    auto n = m_store.countCodes(m_filter);
    if (!n) return n.error();
    const std::int64_t afterOffset = std::max<std::int64_t>(0, *n - m_filter.offset);
    return m_filter.limit > 0 ? std::min<std::int64_t>(afterOffset, m_filter.limit) : afterOffset;
}

Result<std::vector<LabelData>> StoreCodeSource::fetch(std::int64_t offset, int limit) {
    store::CodeFilter page = m_filter;
    // The caller's own limit/offset select a window; pages are taken inside it.
    page.offset = static_cast<int>(m_filter.offset + offset);
    page.limit = limit;
    if (m_filter.limit > 0) page.limit = static_cast<int>(std::clamp<std::int64_t>(m_filter.limit - offset, 0, limit));
    if (page.limit == 0) return std::vector<LabelData>{};
    auto codes = m_store.queryCodes(page);
    if (!codes) return codes.error();
    std::vector<LabelData> out;
    out.reserve(codes->size());
    for (const auto& c : *codes) {
        const MachineInfo& m = machineInfo(c.machineNo);
        LabelData l;
        l.machineNo = c.machineNo;
        l.machineName = m.name;
        l.codeId = c.id;
        l.code = c.code;
        l.productId = c.productId;
        l.productName = productName(c.machineNo, c.productId);
        l.quantity = c.quantity;
        l.status = codeStatusName(c.status);
        l.expiresUtc = c.expiresUtc;
        l.timezone = m.zone;
        out.push_back(std::move(l));
    }
    return out;
}

const StoreCodeSource::MachineInfo& StoreCodeSource::machineInfo(const std::string& machineNo) {
    auto it = m_machines.find(machineNo);
    if (it != m_machines.end()) return it->second;
    MachineInfo info{"", m_defaultZone};
    if (auto m = m_store.machine(machineNo)) {  // a code may arrive before its machine is synced
        info.name = m->name;
        if (!m->timezone.empty()) info.zone = m->timezone;
    }
    return m_machines.emplace(machineNo, std::move(info)).first->second;
}

const std::string& StoreCodeSource::productName(const std::string& machineNo, std::int64_t productId) {
    const auto key = std::make_pair(machineNo, productId);
    auto it = m_products.find(key);
    if (it != m_products.end()) return it->second;
    auto p = m_store.product(machineNo, productId);
    std::string name = p ? p->name : "Product " + std::to_string(productId);
    return m_products.emplace(key, std::move(name)).first->second;
}

}  // namespace core::exporter
