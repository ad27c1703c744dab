// Built-in demo data: deterministic, so tests and screenshots can rely on it.
#include "app/sim/sim_state.hpp"

#include <array>

namespace app::sim {
namespace {

struct ProductRow {
    const char* name;
    int categoryId;
    const char* price;
    const char* originalPrice;
    int capacity;
    int current;
};

struct CategoryRow {
    int id;
    const char* title;
};

constexpr std::array<CategoryRow, 6> kCategories = {{
    {1, "饮料"}, {2, "零食"}, {3, "方便食品"}, {11, "Drinks"}, {12, "Snacks"}, {13, "Essentials"},
}};

const char* categoryTitle(int id) {
    for (const auto& c : kCategories) {
        if (c.id == id) return c.title;
    }
    return "";
}

// 23 products: more than two pages at per_page 10.
constexpr std::array<ProductRow, 23> kJingan = {{
    {"可口可乐 330ml", 1, "3.50", "4.00", 10, 8},   {"农夫山泉 550ml", 1, "2.00", "2.50", 10, 10},
    {"乐事薯片 原味 70g", 2, "7.50", "8.00", 8, 5}, {"百事可乐 330ml", 1, "3.50", "4.00", 10, 6},
    {"雪碧 330ml", 1, "3.50", "4.00", 10, 9},       {"芬达 橙味 330ml", 1, "3.50", "4.00", 10, 7},
    {"王老吉 310ml", 1, "4.50", "5.00", 8, 8},      {"红牛 250ml", 1, "6.00", "6.50", 6, 4},
    {"东方树叶 茉莉花茶 500ml", 1, "5.00", "5.50", 8, 8}, {"统一冰红茶 500ml", 1, "3.00", "3.50", 10, 2},
    {"旺仔牛奶 245ml", 1, "5.50", "6.00", 6, 6},    {"奥利奥饼干 97g", 2, "8.50", "9.00", 6, 3},
    {"士力架 51g", 2, "6.50", "7.00", 8, 8},        {"德芙巧克力 43g", 2, "9.90", "10.50", 6, 5},
    {"绿箭口香糖", 2, "2.50", "3.00", 10, 10},      {"益达木糖醇", 2, "10.00", "11.00", 5, 5},
    {"康师傅红烧牛肉面", 3, "5.00", "5.50", 6, 6},  {"脉动 青柠味 600ml", 1, "5.00", "5.50", 8, 7},
    {"元气森林 白桃气泡水", 1, "5.50", "6.00", 8, 8}, {"维他柠檬茶 250ml", 1, "4.00", "4.50", 8, 1},
    {"三得利乌龙茶 500ml", 1, "5.50", "6.00", 8, 8}, {"卫龙辣条 106g", 2, "4.50", "5.00", 10, 10},
    {"统一老坛酸菜牛肉面", 3, "5.00", "5.50", 5, 0},
}};

constexpr std::array<ProductRow, 6> kNyc = {{
    {"Coca-Cola 12oz", 11, "2.25", "2.50", 10, 9},      {"Poland Spring Water 16.9oz", 11, "1.75", "2.00", 10, 10},
    {"Lay's Classic Chips 1oz", 12, "1.50", "1.75", 8, 6}, {"Snickers Bar", 12, "1.95", "2.25", 8, 8},
    {"Red Bull 8.4oz", 11, "3.50", "3.99", 6, 3},       {"Advil 2-pack", 13, "2.99", "3.49", 5, 5},
}};

constexpr std::array<ProductRow, 5> kMumbai = {{
    {"Thums Up 250ml", 11, "40.00", "45.00", 10, 10}, {"Bisleri Water 1L", 11, "20.00", "20.00", 10, 7},
    {"Parle-G 饼干 80g", 12, "10.00", "10.00", 8, 8},  {"Kurkure Masala Munch", 12, "20.00", "20.00", 8, 4},
    {"Maaza Mango 250ml", 11, "35.00", "40.00", 6, 6},
}};

constexpr std::array<ProductRow, 3> kHangzhou = {{
    {"可口可乐 330ml", 1, "3.50", "4.00", 10, 10}, {"农夫山泉 550ml", 1, "2.00", "2.50", 10, 10},
    {"乐事薯片 黄瓜味 70g", 2, "7.50", "8.00", 8, 8},
}};

constexpr std::array<ProductRow, 1> kLordHowe = {{
    {"Lord Howe Island Ginger Beer 330ml", 11, "6.50", "7.00", 3, 3},
}};

constexpr std::array<ProductRow, 2> kChengdu = {{
    {"冰峰橙汁 248ml", 1, "4.00", "4.50", 8, 8}, {"张飞牛肉 100g", 2, "18.00", "20.00", 5, 2},
}};

template <size_t N>
void addProducts(SeedData& seed, const std::string& machineNo, std::int64_t firstId,
                 const std::array<ProductRow, N>& rows) {
    constexpr int kPerRow = 6;  // channels A11..A16, A21..A26, ...
    for (size_t i = 0; i < N; ++i) {
        const ProductRow& row = rows[i];
        SimProduct p;
        p.id = firstId + static_cast<std::int64_t>(i);
        p.machineNo = machineNo;
        p.categoryId = row.categoryId;
        p.categoryTitle = categoryTitle(row.categoryId);
        p.name = row.name;
        p.description = std::string(row.name) + " (sandbox)";
        p.price = row.price;
        p.originalPrice = row.originalPrice;
        p.inventory = row.capacity;
        p.currentInventory = row.current;
        p.channel.x = static_cast<int>(i) / kPerRow;
        p.channel.y = static_cast<int>(i) % kPerRow;
        seed.products.push_back(std::move(p));
    }
}

SimMachine makeMachine(std::int64_t machineId, const char* no, const char* name, const char* zone,
                       const char* address, const char* lngLat, SimCurrency currency) {
    SimMachine m;
    m.machineId = machineId;
    m.machineNo = no;
    m.name = name;
    m.timezone = zone;
    m.address = address;
    m.lngLat = lngLat;
    m.contact = "Sandbox Operator";
    m.tel = "400-000-0000";
    m.createdAt = 1714185061;  // 2024-04-27 10:31:01 GMT+8
    m.currency = std::move(currency);
    return m;
}

void addMachines(SeedData& seed) {
    const SimCurrency cny{1, "人民币", "CNY", "¥"};
    seed.machines.push_back(makeMachine(10009, "16327138", "上海静安寺店", "Asia/Shanghai",
                                        "上海市静安区南京西路1618号", "121.445,31.223", cny));
    seed.machines.back().notifyMessage = "欢迎光临";
    seed.machines.push_back(makeMachine(10010, "20240601", "NYC Lobby Kiosk", "America/New_York",
                                        "350 5th Ave, New York, NY 10118", "-73.9857,40.7484",
                                        {2, "US Dollar", "USD", "$"}));
    seed.machines.push_back(makeMachine(10011, "31415926", "Mumbai Central 孟买中央站", "Asia/Kolkata",
                                        "Mumbai Central Station, Mumbai 400008", "72.8194,18.9690",
                                        {3, "Indian Rupee", "INR", "₹"}));
    seed.machines.push_back(makeMachine(10012, "27182818", "杭州测试机", "Asia/Shanghai",
                                        "杭州市西湖区文三路90号", "120.130,30.280", cny));
    seed.machines.back().pickupEnabled = false;
    seed.machines.push_back(makeMachine(10013, "86683806", "Lord Howe Island 豪勋爵岛", "Australia/Lord_Howe",
                                        "Lagoon Rd, Lord Howe Island NSW 2898", "159.0772,-31.5553",
                                        {4, "Australian Dollar", "AUD", "A$"}));
    seed.machines.push_back(makeMachine(10014, "10293847", "成都春熙路店 (离线)", "Asia/Shanghai",
                                        "成都市锦江区春熙路1号", "104.081,30.657", cny));
    seed.machines.back().isOnline = false;
    seed.machines.back().status = false;
}

SimCode makeCode(std::int64_t id, std::int64_t productId, const char* code, std::optional<Instant> expiresAt) {
    SimCode c;
    c.id = id;
    c.machineNo = "16327138";
    c.productId = productId;
    c.code = code;
    c.createdAtMs = 1761192000000;  // 2025-10-23 12:00:00 GMT+8
    c.expiresAt = expiresAt;
    return c;
}

}  // namespace

SeedData makeSeed() {
    SeedData seed;
    addMachines(seed);
    addProducts(seed, "16327138", 20001, kJingan);
    addProducts(seed, "20240601", 30001, kNyc);
    addProducts(seed, "31415926", 40001, kMumbai);
    addProducts(seed, "27182818", 50001, kHangzhou);
    addProducts(seed, "86683806", 60001, kLordHowe);
    addProducts(seed, "10293847", 70001, kChengdu);

    // On 16327138: two listed codes (one expiring 2030-12-31 23:59:59 GMT+8, one permanent),
    // one already used and one expired, which the list must leave out.
    seed.codes.push_back(makeCode(100001, 20001, "58203716", Instant{1924963199}));
    seed.codes.push_back(makeCode(100002, 20002, "73914052", std::nullopt));
    seed.codes.push_back(makeCode(100003, 20001, "41870293", std::nullopt));
    seed.codes.back().used = true;
    seed.codes.push_back(makeCode(100004, 20001, "62039481", Instant{1735660800}));  // 2025-01-01 00:00:00 +08
    seed.nextCodeId = 100005;
    return seed;
}

}  // namespace app::sim
