#include "app/desktop/products_view_model.hpp"

namespace app::desktop {

void ProductsViewModel::setMachine(const std::string& machineNo) {
    if (machineNo == m_machineNo) return;
    m_machineNo = machineNo;
    m_rows.clear();
    m_loaded = false;
}

void ProductsViewModel::apply(const ProductsLoaded& event) {
    if (event.machineNo != m_machineNo) return;
    m_rows = event.rows;
    m_loaded = true;
}

const ProductRow* ProductsViewModel::find(std::int64_t productId) const {
    for (const auto& row : m_rows) {
        if (row.product.id == productId) return &row;
    }
    return nullptr;
}

}  // namespace app::desktop
