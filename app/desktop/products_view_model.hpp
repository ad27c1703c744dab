#pragma once
// Products of the selected machine with their code counts. No ImGui.
#include "app/desktop/ui_events.hpp"

#include <string>
#include <vector>

namespace app::desktop {

class ProductsViewModel {
public:
    // A new machine: forget the old rows until its products arrive.
    void setMachine(const std::string& machineNo);
    void apply(const ProductsLoaded& event);  // ignored when it is for another machine

    const std::string& machineNo() const { return m_machineNo; }
    const std::vector<ProductRow>& rows() const { return m_rows; }
    bool loaded() const { return m_loaded; }
    const ProductRow* find(std::int64_t productId) const;

private:
    std::string m_machineNo;
    std::vector<ProductRow> m_rows;
    bool m_loaded = false;
};

}  // namespace app::desktop
