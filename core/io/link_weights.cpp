// Weights in links: zlib's compress/uncompress around the float bytes (link_weights.h).
#include "io/link_weights.h"

#include <cmath>
#include <cstring>

#include <zlib.h>

#include "url_hash.h"
#include "util/error.h"

namespace liandan {

std::string link_weights(const std::vector<float> &values) {
    if (values.empty() || values.size() > k_link_weights_max) return "";
    const auto raw_size = uLong(values.size() * sizeof(float));
    std::string packed(compressBound(raw_size), '\0');
    auto packed_size = uLongf(packed.size());
    if (compress2(reinterpret_cast<Bytef *>(packed.data()), &packed_size, reinterpret_cast<const Bytef *>(values.data()), raw_size,
                  Z_BEST_COMPRESSION) != Z_OK)
        return "";
    packed.resize(packed_size);
    return base64url_encode(packed);
}

std::vector<float> values_from_link(const std::string &text) {
    const std::string key = "weights"; // load_url says "URL " before it
    std::string packed;
    try {
        packed = base64url_decode(text);
    } catch (const Error &) {
        throw Error(key, "is not base64url text");
    }
    // One value more than a link may hold tells a longer list apart.
    std::string raw((k_link_weights_max + 1) * sizeof(float), '\0');
    auto got = uLongf(raw.size());
    const int status = uncompress(reinterpret_cast<Bytef *>(raw.data()), &got, reinterpret_cast<const Bytef *>(packed.data()), uLong(packed.size()));
    if (status == Z_BUF_ERROR && got == raw.size())
        throw Error(key, "holds more than the " + std::to_string(k_link_weights_max) + " values a link may carry");
    if (status != Z_OK || got % sizeof(float) != 0 || got == 0) throw Error(key, "is not a list of weights (damaged or cut short)");
    std::vector<float> values(got / sizeof(float));
    std::memcpy(values.data(), raw.data(), got);
    for (float v : values)
        if (!std::isfinite(v)) throw Error(key, "holds NaN or infinite values");
    return values;
}

} // namespace liandan
