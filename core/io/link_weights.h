// A small trained network's weights in a link (docs/url.md, weights=): the parameters, then the
// buffers (batchnorm's statistics), in the model's tensor order, as float32 little-endian,
// deflated with zlib and base64url-encoded. Bounded so a link stays a link.
#pragma once
#include <string>
#include <vector>

namespace liandan {

// Networks of at most this many values travel in links (about 11 KB of text at most).
inline constexpr size_t k_link_weights_max = 2000;

// The link's text for the values, or "" for more than k_link_weights_max.
std::string link_weights(const std::vector<float> &values);
// The values of a link's text (the trainer checks their count against the network); Error("weights",
// ...) when it is not one, holds more than k_link_weights_max, or NaN or infinite values.
std::vector<float> values_from_link(const std::string &text);

} // namespace liandan
