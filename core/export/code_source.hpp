#pragma once
// Where exported codes come from: random access by index so an export can stream them page by
// page and a preview can jump to any page. StoreCodeSource reads through a Store::readCodes reader.
#include "core/export/label.hpp"
#include "core/store/store.hpp"

#include <map>
#include <memory>
#include <vector>

namespace core::exporter {

class CodeSource {
public:
    virtual ~CodeSource() = default;
    virtual Result<std::int64_t> count() = 0;
    // Codes [offset, offset + limit), fewer at the end.
    virtual Result<std::vector<LabelData>> fetch(std::int64_t offset, int limit) = 0;
};

// A fixed list (tests, the "current selection" of a view).
class VectorCodeSource : public CodeSource {
public:
    explicit VectorCodeSource(std::vector<LabelData> labels) : m_labels(std::move(labels)) {}
    Result<std::int64_t> count() override { return static_cast<std::int64_t>(m_labels.size()); }
    Result<std::vector<LabelData>> fetch(std::int64_t offset, int limit) override;

private:
    std::vector<LabelData> m_labels;
};

// The codes matching a filter, with product names, machine names and zones from the store.
// `now` is pinned at construction so derived statuses (and so paging) stay stable during an export.
// Sequential fetches continue one store::CodeReader (one snapshot, taken at count() or the first
// fetch); a fetch elsewhere starts a new reader at that offset.
class StoreCodeSource : public CodeSource {
public:
    StoreCodeSource(store::Store& store, store::CodeFilter filter, std::string defaultZone);
    Result<std::int64_t> count() override;
    Result<std::vector<LabelData>> fetch(std::int64_t offset, int limit) override;

private:
    struct MachineInfo {
        std::string name;
        std::string zone;
    };
    const MachineInfo& machineInfo(const std::string& machineNo);
    const std::string& productName(const std::string& machineNo, std::int64_t productId);
    LabelData label(const PickupCode& code);
    Status startReader(std::int64_t offset);

    store::Store& m_store;
    store::CodeFilter m_filter;
    std::unique_ptr<store::CodeReader> m_reader;
    std::int64_t m_readerAt = 0;  // the offset (within the filter's window) of the reader's next row
    std::string m_defaultZone;
    std::map<std::string, MachineInfo> m_machines;
    std::map<std::pair<std::string, std::int64_t>, std::string> m_products;
};

}  // namespace core::exporter
