// safetensors: 8-byte little-endian header length, a JSON header (name -> dtype, shape,
// data_offsets), then the raw tensor bytes. Spec: github.com/huggingface/safetensors.
#include "io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "util/error.h"

static_assert(std::endian::native == std::endian::little, "safetensors bytes are written as in memory");

namespace liandan {
namespace {

std::string shape_text(const std::vector<int64_t> &shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Where a tensor's values live: trainable ones in params(), buffers in state().
const float *values_of(const Model &model, const ParamView &v) {
    return (v.trainable ? model.params().data() : model.state().data()) + v.offset;
}

size_t bytes_of(const ParamView &v) { return (v.int64 ? 8 : 4) * v.size; }

} // namespace

void save_safetensors(const Model &model, const std::string &path) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    size_t offset = 0;
    for (const ParamView &v : model.param_views()) {
        header[v.name] = {{"dtype", v.int64 ? "I64" : "F32"}, {"shape", v.shape}, {"data_offsets", {offset, offset + bytes_of(v)}}};
        offset += bytes_of(v);
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // pad so the data starts 8-byte aligned
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path, "cannot be opened for writing");
    uint64_t length = text.size();
    out.write(reinterpret_cast<const char *>(&length), 8);
    out.write(text.data(), std::streamsize(text.size()));
    for (const ParamView &v : model.param_views()) {
        if (v.int64) { // batchnorm's num_batches_tracked: an integer count held as a float
            for (size_t k = 0; k < v.size; ++k) {
                int64_t count = int64_t(values_of(model, v)[k]);
                out.write(reinterpret_cast<const char *>(&count), 8);
            }
        } else {
            out.write(reinterpret_cast<const char *>(values_of(model, v)), std::streamsize(4 * v.size));
        }
    }
    if (!out) throw Error(path, "could not be written completely");
}

void load_safetensors(Model &model, const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot be opened");
    in.seekg(0, std::ios::end);
    const uint64_t file_size = static_cast<uint64_t>(in.tellg());
    in.seekg(0);
    uint64_t length = 0;
    if (file_size < 8 || !in.read(reinterpret_cast<char *>(&length), 8))
        throw Error(path, "is not a safetensors file (shorter than its 8-byte header length)");
    if (length > file_size - 8 || length > (100u << 20))
        throw Error(path, "is not a safetensors file (header length " + std::to_string(length) + " exceeds the file)");
    std::string text(length, '\0');
    in.read(text.data(), std::streamsize(length));
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        // nlohmann's text after "parse error at line L, column C: " says where and what; other
        // errors (a number too large for a double: out_of_range) lose their "[json.exception.…] ".
        std::string what = e.what();
        auto at = what.find("at line");
        if (at == std::string::npos) at = what.find("] ") == std::string::npos ? 0 : what.find("] ") + 2;
        throw Error(path, "is not a safetensors file (its header is not valid JSON: " + (at == std::string::npos ? what : what.substr(at)) + ")");
    }
    if (!header.is_object())
        throw Error(path, std::string("is not a safetensors file (its header is a JSON ") + header.type_name() + ", not an object)");
    const uint64_t data_size = file_size - 8 - length;

    std::vector<float> params(model.params().size()), state(model.state().size());
    for (const ParamView &v : model.param_views()) {
        if (!header.contains(v.name)) throw Error(path, "has no tensor " + v.name + " that the model needs");
        const auto &t = header[v.name];
        std::vector<int64_t> shape, expected(v.shape.begin(), v.shape.end());
        try {
            const std::string dtype = v.int64 ? "I64" : "F32";
            if (t.at("dtype") != dtype) throw Error(path, v.name + " has dtype " + t.at("dtype").dump() + "; the model needs " + dtype);
            shape = t.at("shape").get<std::vector<int64_t>>();
            auto offsets = t.at("data_offsets").get<std::vector<uint64_t>>();
            if (shape != expected)
                throw Error(path, v.name + " has shape " + shape_text(shape) + " but the model needs " + shape_text(expected));
            if (offsets.size() != 2 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes_of(v) || offsets[1] > data_size)
                throw Error(path, v.name + " has data_offsets " + shape_text(std::vector<int64_t>(offsets.begin(), offsets.end())) +
                                      " outside the " + std::to_string(data_size) + " data bytes or not " + std::to_string(bytes_of(v)) +
                                      " bytes long");
            in.seekg(std::streamoff(8 + length + offsets[0]));
            float *dst = (v.trainable ? params.data() : state.data()) + v.offset;
            if (v.int64) {
                for (size_t k = 0; k < v.size; ++k) {
                    int64_t count = 0;
                    in.read(reinterpret_cast<char *>(&count), 8);
                    dst[k] = float(count);
                }
            } else {
                in.read(reinterpret_cast<char *>(dst), std::streamsize(4 * v.size));
            }
            if (!in) throw Error(path, v.name + " could not be read");
        } catch (const nlohmann::json::exception &) {
            throw Error(path, v.name + " has a malformed entry in the header");
        }
    }
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string &name = it.key();
        if (name != "__metadata__" && std::none_of(model.param_views().begin(), model.param_views().end(),
                                                   [&](const ParamView &v) { return v.name == name; }))
            throw Error(path, "has a tensor " + name + " that the model does not have");
    }
    for (const ParamView &v : model.param_views()) { // a NaN would only come back as a divergence, far from its cause
        const float *p = (v.trainable ? params.data() : state.data()) + v.offset;
        if (!std::all_of(p, p + v.size, [](float x) { return std::isfinite(x); }))
            throw Error(path, v.name + " holds NaN or infinite values");
    }
    std::copy(params.begin(), params.end(), model.params().begin()); // all or nothing
    std::copy(state.begin(), state.end(), model.state().begin());
}

} // namespace liandan
