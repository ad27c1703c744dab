#pragma once
// The simulator's in-memory vendor cloud: machines, products and pickup codes.
// Every public member locks one mutex, because httplib serves requests on a thread pool.
#include "core/util/result.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace app::sim {

using Instant = std::int64_t;  // UTC epoch seconds

struct SimCurrency {
    int id = 1;
    std::string name;
    std::string code;
    std::string symbol;
};

struct SimMachine {
    std::int64_t machineId = 0;  // the vendor's DB key, carried by pushes
    std::string machineNo;       // 8 digits
    std::string name;
    std::string timezone;        // IANA
    std::string address;
    std::string lngLat;          // "lng,lat"
    std::string notifyMessage;
    std::string contact;
    std::string tel;
    Instant createdAt = 0;
    bool isOnline = true;
    bool status = true;
    bool pickupEnabled = true;
    int machineType = 1;  // 1 = vending machine
    SimCurrency currency;
};

struct SimChannel {
    std::string cabinet = "A";
    int x = 0;     // row from 0
    int y = 0;     // column from 0
    int addr = 1;  // cabinet address 1..8
};

struct SimProduct {
    std::int64_t id = 0;
    std::string machineNo;
    std::int64_t categoryId = 0;
    std::string categoryTitle;
    std::string name;
    std::string description;
    std::string price;          // "3.50"
    std::string originalPrice;
    int inventory = 0;          // capacity (max stock): bounds `count`
    int currentInventory = 0;
    SimChannel channel;
};

struct SimCode {
    std::int64_t id = 0;
    std::string machineNo;
    std::int64_t productId = 0;
    std::string code;
    int quantity = 1;
    std::int64_t createdAtMs = 0;
    std::optional<Instant> expiresAt;  // nullopt = permanent
    bool used = false;
    bool deleted = false;
};

struct SeedData {
    std::vector<SimMachine> machines;
    std::vector<SimProduct> products;
    std::vector<SimCode> codes;
    std::int64_t nextCodeId = 100001;
};

SeedData makeSeed();  // sim_seed.cpp: the built-in deterministic demo data

struct ProductQuery {
    std::string machineNo;
    int page = 1;
    int perPage = 10;
    std::int64_t categoryId = 0;  // 0 = all
    std::optional<std::string> cabinet;
    std::optional<int> addr;
};

struct ProductPage {
    std::vector<SimProduct> items;
    int total = 0;
    int currentPage = 1;
    int lastPage = 1;
    int perPage = 10;
};

struct CreateRequest {
    std::string machineNo;
    std::optional<std::int64_t> productId;  // nullopt = one code per product of the machine
    std::optional<Instant> expiresAt;
    int codeLength = 6;
    int count = 1;
};

// A vendor error reply (code + message) in core's Error shape.
core::Error vendorError(int code, std::string message);

class SimState {
public:
    explicit SimState(SeedData seed);

    void reset(SeedData seed);

    std::vector<SimMachine> machines() const;
    core::Result<SimMachine> machine(const std::string& machineNo) const;
    std::vector<SimProduct> productsOf(const std::string& machineNo) const;
    core::Result<ProductPage> products(const ProductQuery& query) const;

    // 6026 unknown machine, 10023 pickup codes off.
    core::Status checkPickupEnabled(const std::string& machineNo) const;
    // Returns how many codes were made; all-or-nothing.
    core::Result<int> createCodes(const CreateRequest& request, std::int64_t nowMs);
    core::Status deleteCode(const std::string& machineNo, std::int64_t id);
    // Returns the ids it deleted (one delete push each).
    core::Result<std::vector<std::int64_t>> deleteAll(const std::string& machineNo);
    // The product's codes that are neither used, deleted nor expired at `now`, by id.
    core::Result<std::vector<SimCode>> unusedCodes(const std::string& machineNo, std::int64_t productId,
                                                   Instant now) const;
    // Admin: a customer redeemed the code. 4004 unknown/deleted, 6033 already used.
    core::Result<SimCode> markUsed(const std::string& machineNo, std::int64_t id);

    void countRequest();
    nlohmann::json dump() const;

private:
    const SimMachine* findMachine(const std::string& machineNo) const;
    const SimProduct* findProduct(const std::string& machineNo, std::int64_t productId) const;
    std::string uniqueCode(const std::string& machineNo, int length);

    mutable std::mutex m_mutex;
    SeedData m_data;
    std::int64_t m_requestsServed = 0;
    std::int64_t m_createsApplied = 0;
    std::int64_t m_codesCreated = 0;
    std::mt19937_64 m_rng;
};

}  // namespace app::sim
