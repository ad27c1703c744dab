#include "core/api/vendor_errors.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using core::Lang;
using core::api::describeVendorError;
using core::api::findVendorError;
using core::api::looksLikeErrorMessage;

namespace {

// Every code of vendor-protocol.md §3, written out so a dropped table entry fails here.
const std::vector<int> kDocumentedCodes = {
    // 1000–5003
    1000, 4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009, 5001, 5002, 5003,
    // 6001–6028 (no 6019)
    6001, 6002, 6003, 6004, 6005, 6006, 6007, 6008, 6009, 6010, 6011, 6012, 6013, 6014,
    6015, 6016, 6017, 6018, 6020, 6021, 6022, 6023, 6024, 6025, 6026, 6027, 6028,
    // 6029–6056
    6029, 6030, 6031, 6032, 6033, 6034, 6035, 6036, 6037, 6038, 6039, 6040, 6041, 6042,
    6043, 6044, 6045, 6046, 6047, 6048, 6049, 6050, 6051, 6052, 6053, 6054, 6055, 6056,
    // legacy table
    400, 10001, 10008, 10009, 10010, 10013, 10014, 30001, 30002, 30003, 30004,
    // used in Open API pages but in no table
    10023, 10025, 40005, 40006, 60002, 60003, 80002, 404,
};

bool hasCjk(const std::string& text) {
    for (unsigned char c : text)
        if (c >= 0xE4) return true;  // lead byte of a UTF-8 CJK ideograph (U+4E00..)
    return false;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("vendor errors: every documented code has English and Chinese text") {
    CHECK(kDocumentedCodes.size() == 88);
    for (int code : kDocumentedCodes) {
        CAPTURE(code);
        const auto* info = findVendorError(code);
        REQUIRE(info != nullptr);
        CHECK(info->code == code);
        const std::string en = info->en;
        const std::string zh = info->zh;
        CHECK(en.size() > 20);
        CHECK_FALSE(hasCjk(en));
        CHECK(zh.size() > 10);
        CHECK(hasCjk(zh));
    }
}

TEST_CASE("vendor errors: unknown codes are not in the catalogue") {
    CHECK(findVendorError(0) == nullptr);
    CHECK(findVendorError(6019) == nullptr);
    CHECK(findVendorError(12345) == nullptr);
    CHECK(findVendorError(-1) == nullptr);
}

TEST_CASE("vendor errors: messages name the settings to check") {
    const std::string sign = findVendorError(4006)->en;
    CHECK(contains(sign, "signing key"));
    CHECK(contains(sign, "encoding"));
    CHECK(contains(sign, "AppKey"));
    CHECK(contains(std::string(findVendorError(4006)->zh), "签名密钥"));
    for (int code : {1000, 4000, 4001, 4009, 10008, 10013, 10014}) {
        CAPTURE(code);
        const std::string en = findVendorError(code)->en;
        CHECK(contains(en, "Appid"));
        CHECK(contains(en, "AppSecret"));
    }
    CHECK(contains(findVendorError(10023)->en, "vendor web panel"));
    CHECK(contains(findVendorError(6029)->en, "GMT+8"));
    CHECK(contains(findVendorError(6029)->en, "future"));
    // Duplicated codes explain both meanings.
    CHECK(contains(findVendorError(6013)->en, "phone"));
    CHECK(contains(findVendorError(6013)->en, "role"));
    CHECK(contains(findVendorError(6014)->en, "email"));
    CHECK(contains(findVendorError(6014)->en, "token"));
    CHECK(contains(findVendorError(6015)->en, "QR code"));
    CHECK(contains(findVendorError(6015)->en, "timed out"));
}

TEST_CASE("vendor errors: describeVendorError formats known codes") {
    const std::string en4006 = findVendorError(4006)->en;
    CHECK(describeVendorError(4006, "", Lang::En) == "Vendor error 4006: " + en4006);
    CHECK(describeVendorError(4006, "sorry, payload sign invalid", Lang::En) ==
          "Vendor error 4006: " + en4006 + " (vendor said: \"sorry, payload sign invalid\")");
    // The vendor's text is not repeated when it says exactly what we say.
    CHECK(describeVendorError(4006, en4006, Lang::En) == "Vendor error 4006: " + en4006);

    const std::string zh4006 = findVendorError(4006)->zh;
    CHECK(describeVendorError(4006, "", Lang::Zh) == "厂商错误 4006：" + zh4006);
    CHECK(describeVendorError(4006, "签名错误", Lang::Zh) == "厂商错误 4006：" + zh4006 + "（厂商原文：\"签名错误\"）");
    CHECK(describeVendorError(4006, "sorry, x") == describeVendorError(4006, "sorry, x", Lang::En));
}

TEST_CASE("vendor errors: describeVendorError shows unknown codes raw") {
    CHECK(describeVendorError(12345, "sorry, something new", Lang::En) == "Vendor error 12345: sorry, something new");
    CHECK(describeVendorError(12345, "", Lang::En) == "Vendor error 12345: no message");
    CHECK(describeVendorError(12345, "  ", Lang::En) == "Vendor error 12345: no message");
    CHECK(describeVendorError(12345, "新的错误", Lang::Zh) == "厂商错误 12345：新的错误");
    CHECK(describeVendorError(12345, "", Lang::Zh) == "厂商错误 12345：厂商未提供说明");
}

TEST_CASE("vendor errors: looksLikeErrorMessage") {
    for (const char* text : {"sorry, payload sign invalid", "Sorry, the machine is offline", "  SORRY",
                             "internal error", "Invalid params", "create failed", "Permission denied",
                             "route not found", "method not allowed", "qrcode expired", "操作失败", "签名错误",
                             "参数无效", "记录不存在", "取货码功能未开启", "商户尚未认证", "取货码已过期",
                             "拒绝访问", "库存不足"}) {
        CAPTURE(text);
        CHECK(looksLikeErrorMessage(text));
    }
    for (const char* text : {"", "ok", "OK", "success", "成功", "pong", "操作成功"}) {
        CAPTURE(text);
        CHECK_FALSE(looksLikeErrorMessage(text));
    }
}
