#include "core/api/vendor_errors.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>

namespace core::api {
namespace {

// Sorted by code (checked below) so lookups can binary-search. 6013–6015 each carry two meanings
// in the vendor's table, so their messages cover both.
constexpr std::array kVendorErrors = {
    // Generic HTTP-style codes seen in Open API pages.
    VendorErrorInfo{400, "The vendor rejected the request as malformed. Check the values entered (times, codes, IDs) and try again; if it keeps happening, send the log to support.",
                    "厂商认为请求格式不正确。请检查填写的内容（时间、取货码、编号等）后重试；如仍失败，请将日志发给技术支持。"},
    VendorErrorInfo{404, "The vendor could not find the requested address or record. Check the profile's base URL and that the machine or product still exists.",
                    "厂商找不到请求的地址或记录。请检查配置中的服务地址，并确认机器或商品仍然存在。"},
    // 1000–5003.
    VendorErrorInfo{1000, "The vendor says this account is not authorized. Check the profile's Appid and AppSecret, and that the app is enabled for your merchant account in the vendor web panel.",
                    "厂商提示未授权。请检查配置中的 Appid 和 AppSecret，并在厂商后台确认已为您的商户账号开通该应用。"},
    VendorErrorInfo{4000, "The request reached the vendor without an Appid. Fill in the profile's Appid and AppSecret, then try again.",
                    "请求中缺少 Appid。请在配置中填写 Appid 和 AppSecret 后重试。"},
    VendorErrorInfo{4001, "The vendor does not recognise the Appid. Check the profile's Appid and AppSecret against the vendor web panel.",
                    "厂商无法识别该 Appid。请对照厂商后台检查配置中的 Appid 和 AppSecret。"},
    VendorErrorInfo{4002, "This app is not allowed to use this vendor function. Ask the vendor to enable it for your app, or use the vendor web panel instead.",
                    "该应用无权使用此厂商功能。请联系厂商为您的应用开通，或改用厂商后台操作。"},
    VendorErrorInfo{4003, "The vendor rejected the request parameters. Check the values entered (machine number, product, quantity, expiry time) and try again.",
                    "厂商认为请求参数无效。请检查填写的机器编号、商品、数量、过期时间等后重试。"},
    VendorErrorInfo{4004, "The vendor has no such record. Refresh the list; the machine, product or code may have been deleted.",
                    "厂商找不到该记录。请刷新列表；机器、商品或取货码可能已被删除。"},
    VendorErrorInfo{4005, "This machine is already installed on an account. Keep the existing binding, or unbind it in the vendor web panel first.",
                    "该机器已安装并绑定了账号。请沿用现有绑定，或先在厂商后台解除绑定。"},
    VendorErrorInfo{4006, "The vendor rejected the request signature. Check the profile's signing key (the vendor may call it AppKey, AppId or merchant id) and the sign encoding (raw or form).",
                    "厂商拒绝了请求签名。请检查配置中的签名密钥（厂商可能称之为 AppKey、AppId 或商户号）以及签名编码方式（raw 或 form）。"},
    VendorErrorInfo{4007, "The machine's install password is wrong. Check the password shown on the machine or in the vendor web panel.",
                    "机器安装密码错误。请核对机器上或厂商后台显示的安装密码。"},
    VendorErrorInfo{4008, "The machine is offline, so the vendor could not reach it. Check its power and network, then try again.",
                    "机器离线，厂商无法与其通信。请检查机器的电源和网络后重试。"},
    VendorErrorInfo{4009, "The vendor rejected the AppSecret. Check the profile's Appid and AppSecret; copy the AppSecret again from the vendor web panel.",
                    "厂商认为 AppSecret 无效。请检查配置中的 Appid 和 AppSecret，可从厂商后台重新复制 AppSecret。"},
    VendorErrorInfo{5001, "The machine is being transferred to another merchant. Wait for the transfer to finish, or cancel it in the vendor web panel.",
                    "该机器正在转移给其他商户。请等待转移完成，或在厂商后台取消转移。"},
    VendorErrorInfo{5002, "The machine is not being transferred, so there is nothing to accept or cancel. Refresh the machine list.",
                    "该机器当前没有转移操作，无需接受或取消。请刷新机器列表。"},
    VendorErrorInfo{5003, "You cannot transfer a machine to your own account. Enter the other merchant's account.",
                    "不能把机器转移给自己。请填写对方商户的账号。"},
    // 6001–6028.
    VendorErrorInfo{6001, "This 4G IMEI is already used by another machine. Check the IMEI, or unbind it from the other machine first.",
                    "该 4G IMEI 已被其他机器使用。请核对 IMEI，或先从另一台机器上解除绑定。"},
    VendorErrorInfo{6002, "Your account has no permission to create this. Ask the merchant owner or the vendor to grant it.",
                    "您的账号没有创建权限。请联系商户主账号或厂商开通。"},
    VendorErrorInfo{6003, "Your account has no permission to delete this. Ask the merchant owner or the vendor to grant it.",
                    "您的账号没有删除权限。请联系商户主账号或厂商开通。"},
    VendorErrorInfo{6004, "Your account has no permission to change this. Ask the merchant owner or the vendor to grant it.",
                    "您的账号没有修改权限。请联系商户主账号或厂商开通。"},
    VendorErrorInfo{6005, "Your account has no permission to view this. Ask the merchant owner or the vendor to grant it.",
                    "您的账号没有查看权限。请联系商户主账号或厂商开通。"},
    VendorErrorInfo{6006, "The machine is being transferred and cannot be changed now. Wait for the transfer to finish or cancel it.",
                    "机器正在转移中，暂时无法修改。请等待转移完成或取消转移。"},
    VendorErrorInfo{6007, "Only the merchant owner can do this. Sign in with the owner account or ask the owner.",
                    "只有商户主账号可以执行此操作。请使用主账号操作或联系主账号持有人。"},
    VendorErrorInfo{6008, "The target merchant does not have enough machine quota. Ask them to raise their quota with the vendor.",
                    "目标商户的机器数量额度不足。请对方联系厂商提高额度。"},
    VendorErrorInfo{6009, "This username is already taken. Choose another username.",
                    "该用户名已被占用。请换一个用户名。"},
    VendorErrorInfo{6010, "The password does not match. Enter the password again.",
                    "密码不匹配。请重新输入密码。"},
    VendorErrorInfo{6011, "The password is empty. Enter a password.",
                    "密码为空。请输入密码。"},
    VendorErrorInfo{6012, "The username is empty. Enter a username.",
                    "用户名为空。请输入用户名。"},
    VendorErrorInfo{6013, "The phone number or the role name is already in use (the vendor uses this code for both). Use a different phone number or role name.",
                    "手机号或角色名称已被使用（厂商对这两种情况使用同一错误码）。请换一个手机号或角色名称。"},
    VendorErrorInfo{6014, "Either the email address is already in use, or the vendor failed to create a login token (the vendor uses this code for both). Use another email address, or wait a moment and try again.",
                    "邮箱已被使用，或厂商生成登录令牌失败（厂商对这两种情况使用同一错误码）。请换一个邮箱，或稍后重试。"},
    VendorErrorInfo{6015, "Either the QR code has expired or the action timed out (the vendor uses this code for both). Create a new QR code, or try the action again.",
                    "二维码已过期，或操作超时（厂商对这两种情况使用同一错误码）。请重新生成二维码，或重新操作。"},
    VendorErrorInfo{6016, "The vendor does not know this API address. Check the profile's base URL; if it is right, the vendor may have changed its API, so update Pickup Desk.",
                    "厂商不支持该接口地址。请检查配置中的服务地址；如地址无误，可能是厂商更改了接口，请更新 Pickup Desk。"},
    VendorErrorInfo{6017, "Your merchant account has expired. Renew it with the vendor, then try again.",
                    "您的商户账号已过期。请联系厂商续期后重试。"},
    VendorErrorInfo{6018, "Your merchant account is not verified yet. Complete the verification in the vendor web panel.",
                    "您的商户账号尚未认证。请在厂商后台完成认证。"},
    VendorErrorInfo{6020, "The vendor rejected the app id. Check the profile's Appid and AppSecret against the vendor web panel.",
                    "厂商认为应用 ID 无效。请对照厂商后台检查配置中的 Appid 和 AppSecret。"},
    VendorErrorInfo{6021, "The vendor does not allow this request method. The vendor may have changed its API; update Pickup Desk.",
                    "厂商不允许该请求方式。可能是厂商更改了接口，请更新 Pickup Desk。"},
    VendorErrorInfo{6022, "This merchant already exists. Sign in with the existing merchant, or use different details.",
                    "该商户已存在。请使用已有商户登录，或填写其他信息。"},
    VendorErrorInfo{6023, "The vendor cannot find this merchant. Check the merchant account and the profile's Appid.",
                    "厂商找不到该商户。请检查商户账号和配置中的 Appid。"},
    VendorErrorInfo{6024, "This merchant is not allowed to create this. Ask the vendor to enable it for your account.",
                    "该商户不允许创建此项。请联系厂商为您的账号开通。"},
    VendorErrorInfo{6025, "The machine is offline, so the vendor could not reach it. Check its power and network, then try again.",
                    "机器离线，厂商无法与其通信。请检查机器的电源和网络后重试。"},
    VendorErrorInfo{6026, "The vendor cannot find this machine. Check the machine number and that the machine is bound to this account.",
                    "厂商找不到该机器。请检查机器编号，并确认机器已绑定到此账号。"},
    VendorErrorInfo{6027, "This IMEI is already used by another machine. Check the IMEI, or unbind it from the other machine first.",
                    "该 IMEI 已被其他机器使用。请核对 IMEI，或先从另一台机器上解除绑定。"},
    VendorErrorInfo{6028, "The machine still has products on it. Remove its products first, then try again.",
                    "该机器上仍有商品。请先移除商品后重试。"},
    // 6029–6056.
    VendorErrorInfo{6029, "The expiry time is invalid. Choose a time in the future; it is sent to the vendor as GMT+8, so also check the machine's timezone setting.",
                    "过期时间无效。请选择一个未来的时间；该时间按 GMT+8（北京时间）发送给厂商，请同时检查机器的时区设置。"},
    VendorErrorInfo{6030, "This pickup code already exists. Use a different code, or let the vendor generate one.",
                    "该取货码已存在。请换一个取货码，或由厂商自动生成。"},
    VendorErrorInfo{6031, "Pickup codes are not enabled for this machine. Enable the pickup-code feature for it in the vendor web panel.",
                    "该机器未开启取货码功能。请在厂商后台为该机器开启取货码功能。"},
    VendorErrorInfo{6032, "The pickup code has expired. Create a new code for the customer.",
                    "取货码已过期。请为顾客重新生成取货码。"},
    VendorErrorInfo{6033, "The pickup code has already been used. Create a new code if the customer still needs one.",
                    "取货码已被使用。如顾客仍需取货，请重新生成取货码。"},
    VendorErrorInfo{6034, "This order has already been delivered. Nothing more to do; check the order history if in doubt.",
                    "该订单已出货，无需再次操作；如有疑问请查看订单记录。"},
    VendorErrorInfo{6035, "Not enough pickup codes are available (the limit is reached). Delete unused codes or ask the vendor to raise the limit.",
                    "可用取货码数量不足（已达上限）。请删除未使用的取货码，或联系厂商提高上限。"},
    VendorErrorInfo{6036, "The banner limit is reached. Remove an existing banner or ask the vendor to raise the limit.",
                    "广告图数量已达上限。请删除已有广告图，或联系厂商提高上限。"},
    VendorErrorInfo{6037, "The model limit is reached. Remove an unused model or ask the vendor to raise the limit.",
                    "机型数量已达上限。请删除未使用的机型，或联系厂商提高上限。"},
    VendorErrorInfo{6038, "This cabinet does not exist on the machine. Check the cabinet letter against the machine's layout.",
                    "该机器上不存在此货柜。请对照机器布局检查货柜编号。"},
    VendorErrorInfo{6039, "The vendor says the merchant is invalid. Check the profile's Appid and that your merchant account is active.",
                    "厂商提示商户无效。请检查配置中的 Appid，并确认您的商户账号状态正常。"},
    VendorErrorInfo{6040, "This trade ID was already used. Each order needs a new, unique trade ID; try again with a new one.",
                    "该交易号已被使用。每个订单需要唯一的交易号，请换一个新的交易号重试。"},
    VendorErrorInfo{6041, "The trade ID is empty. Provide a trade ID and try again.",
                    "交易号为空。请填写交易号后重试。"},
    VendorErrorInfo{6042, "The order has expired. Create a new order.",
                    "订单已过期。请重新下单。"},
    VendorErrorInfo{6043, "The order's status does not allow this action. Refresh the order and check its status.",
                    "订单当前状态不允许此操作。请刷新订单并查看其状态。"},
    VendorErrorInfo{6044, "Permission denied: your account may not do this. Ask the merchant owner or the vendor to grant it.",
                    "权限不足，您的账号无法执行此操作。请联系商户主账号或厂商开通。"},
    VendorErrorInfo{6045, "The vendor cannot find this product. Refresh the product list; it may have been removed.",
                    "厂商找不到该商品。请刷新商品列表；该商品可能已被删除。"},
    VendorErrorInfo{6046, "The product is off sale. Put it back on sale in the vendor web panel, or choose another product.",
                    "该商品已下架。请在厂商后台重新上架，或选择其他商品。"},
    VendorErrorInfo{6047, "There is not enough stock. Restock the machine or lower the quantity.",
                    "库存不足。请为机器补货或减少数量。"},
    VendorErrorInfo{6048, "The vendor failed to create the order. Wait a moment and try again.",
                    "厂商创建订单失败。请稍后重试。"},
    VendorErrorInfo{6049, "This order is already paid. Do not pay again; check the order history.",
                    "该订单已支付，请勿重复支付；可查看订单记录。"},
    VendorErrorInfo{6050, "The vendor failed to add the item to the cart. Wait a moment and try again.",
                    "加入购物车失败。请稍后重试。"},
    VendorErrorInfo{6051, "The vendor failed to remove the item from the cart. Refresh the cart and try again.",
                    "从购物车删除商品失败。请刷新购物车后重试。"},
    VendorErrorInfo{6052, "The cart is empty. Add products before placing the order.",
                    "购物车为空。请先添加商品再下单。"},
    VendorErrorInfo{6053, "The payment failed. Check the payment method and try again.",
                    "支付失败。请检查支付方式后重试。"},
    VendorErrorInfo{6054, "The order has not been paid yet. Complete the payment first.",
                    "订单尚未支付。请先完成支付。"},
    VendorErrorInfo{6055, "This model is already in use. Choose another model, or free this one first.",
                    "该机型已被使用。请选择其他机型，或先解除该机型的使用。"},
    VendorErrorInfo{6056, "This product is not for sale. Choose another product, or enable sales for it in the vendor web panel.",
                    "该商品不可销售。请选择其他商品，或在厂商后台开启该商品的销售。"},
    // Legacy table (before 2024-06) and codes only seen in Open API pages.
    VendorErrorInfo{10001, "The vendor rejected the submitted form data. Check the values entered and try again.",
                    "厂商认为提交的表单数据无效。请检查填写的内容后重试。"},
    VendorErrorInfo{10008, "The Appid or AppSecret is empty. Fill in the profile's Appid and AppSecret, then try again.",
                    "Appid 或 AppSecret 为空。请在配置中填写 Appid 和 AppSecret 后重试。"},
    VendorErrorInfo{10009, "Your merchant account has expired. Renew it with the vendor, then try again.",
                    "您的商户账号已过期。请联系厂商续期后重试。"},
    VendorErrorInfo{10010, "Your merchant account is not verified yet. Complete the verification in the vendor web panel.",
                    "您的商户账号尚未认证。请在厂商后台完成认证。"},
    VendorErrorInfo{10013, "The vendor rejected the AppSecret. Check the profile's Appid and AppSecret; copy the AppSecret again from the vendor web panel.",
                    "厂商认为 AppSecret 无效。请检查配置中的 Appid 和 AppSecret，可从厂商后台重新复制 AppSecret。"},
    VendorErrorInfo{10014, "The vendor does not recognise the Appid. Check the profile's Appid and AppSecret against the vendor web panel.",
                    "厂商无法识别该 Appid。请对照厂商后台检查配置中的 Appid 和 AppSecret。"},
    VendorErrorInfo{10023, "The pickup-code feature is turned off for this machine. Enable it in the vendor web panel, then try again.",
                    "该机器未开启取货码功能。请在厂商后台开启后重试。"},
    VendorErrorInfo{10025, "This pickup code has already been used (the vendor returned the order it was used for). Create a new code if the customer still needs one.",
                    "该取货码已被使用（厂商返回了对应的订单）。如顾客仍需取货，请重新生成取货码。"},
    VendorErrorInfo{30001, "No machine is linked to this account. Bind a machine in the vendor web panel first.",
                    "此账号下没有绑定机器。请先在厂商后台绑定机器。"},
    VendorErrorInfo{30002, "The machine is offline, so the vendor could not reach it. Check its power and network, then try again.",
                    "机器离线，厂商无法与其通信。请检查机器的电源和网络后重试。"},
    VendorErrorInfo{30003, "The vendor cannot find this machine. Check the machine number and that the machine is bound to this account.",
                    "厂商找不到该机器。请检查机器编号，并确认机器已绑定到此账号。"},
    VendorErrorInfo{30004, "The machine is not in operation (switched off or in maintenance). Put it back into service and try again.",
                    "机器未在运营（已停用或维护中）。请恢复运营后重试。"},
    VendorErrorInfo{40005, "The order has expired. Create a new order.",
                    "订单已过期。请重新下单。"},
    VendorErrorInfo{40006, "The order's status does not allow this action. Refresh the order and check its status.",
                    "订单当前状态不允许此操作。请刷新订单并查看其状态。"},
    VendorErrorInfo{60002, "The product is off the shelf. Put it back on sale in the vendor web panel, or choose another product.",
                    "该商品已下架。请在厂商后台重新上架，或选择其他商品。"},
    VendorErrorInfo{60003, "There is not enough stock. Restock the machine or lower the quantity.",
                    "库存不足。请为机器补货或减少数量。"},
    VendorErrorInfo{80002, "The vendor has no such record. Refresh the list; it may have been deleted.",
                    "厂商找不到该记录。请刷新列表；该记录可能已被删除。"},
};

static_assert(std::is_sorted(kVendorErrors.begin(), kVendorErrors.end(),
                             [](const VendorErrorInfo& a, const VendorErrorInfo& b) { return a.code < b.code; }),
              "kVendorErrors must stay sorted by code");

std::string_view trim(std::string_view text) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

std::string asciiLower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

const VendorErrorInfo* findVendorError(int code) {
    const auto it = std::lower_bound(kVendorErrors.begin(), kVendorErrors.end(), code,
                                     [](const VendorErrorInfo& info, int c) { return info.code < c; });
    if (it == kVendorErrors.end() || it->code != code) return nullptr;
    return &*it;
}

std::string describeVendorError(int code, std::string_view vendorMessage, Lang lang) {
    const bool zh = lang == Lang::Zh;
    const std::string_view said = trim(vendorMessage);
    std::string text = zh ? "厂商错误 " : "Vendor error ";
    text += std::to_string(code);
    text += zh ? "：" : ": ";

    const VendorErrorInfo* info = findVendorError(code);
    if (info == nullptr) {
        if (said.empty()) text += zh ? "厂商未提供说明" : "no message";
        else text += said;
        return text;
    }
    text += zh ? info->zh : info->en;
    // The vendor's own words help support even when ours explain more; skip them when identical.
    if (!said.empty() && said != info->en && said != info->zh) {
        text += zh ? "（厂商原文：\"" : " (vendor said: \"";
        text += said;
        text += zh ? "\"）" : "\")";
    }
    return text;
}

bool looksLikeErrorMessage(std::string_view message) {
    const std::string lower = asciiLower(trim(message));
    if (lower.rfind("sorry", 0) == 0) return true;
    static constexpr std::array<std::string_view, 16> kMarkers = {
        "error", "invalid", "fail", "denied", "not found", "not allowed", "expired",
        "失败", "错误", "无效", "不存在", "未开启", "尚未", "过期", "拒绝", "不足"};
    return std::any_of(kMarkers.begin(), kMarkers.end(),
                       [&](std::string_view marker) { return lower.find(marker) != std::string::npos; });
}

}  // namespace core::api
