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
    if (!m_reader) {  // counted in the reader's snapshot, so the count matches what the fetches return
        if (auto started = startReader(0); !started) return started.error();
    }
    const std::int64_t afterOffset = std::max<std::int64_t>(0, m_reader->total() - m_filter.offset);
    return m_filter.limit > 0 ? std::min<std::int64_t>(afterOffset, m_filter.limit) : afterOffset;
}

// A reader over the filter's window from `offset` on.
Status StoreCodeSource::startReader(std::int64_t offset) {
    m_reader.reset();
    store::CodeFilter window = m_filter;
    window.offset = static_cast<int>(m_filter.offset + offset);
    window.limit = m_filter.limit > 0 ? static_cast<int>(std::max<std::int64_t>(m_filter.limit - offset, 0)) : 0;
    auto reader = m_store.readCodes(window);
    if (!reader) return reader.error();
    m_reader = std::move(*reader);
    m_readerAt = offset;
    return {};
}

Result<std::vector<LabelData>> StoreCodeSource::fetch(std::int64_t offset, int limit) {
    if (m_filter.limit > 0) limit = static_cast<int>(std::clamp<std::int64_t>(m_filter.limit - offset, 0, limit));
    if (limit <= 0) return std::vector<LabelData>{};
    if (!m_reader || offset != m_readerAt) {
        if (auto started = startReader(offset); !started) return started.error();
    }
    auto codes = m_reader->next(limit);
    if (!codes) return codes.error();
    m_readerAt += static_cast<std::int64_t>(codes->size());
    std::vector<LabelData> out;
    out.reserve(codes->size());
    for (const auto& c : *codes) out.push_back(label(c));
    return out;
}

LabelData StoreCodeSource::label(const PickupCode& c) {
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
    return l;
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
