// safetensors: 8-byte little-endian header length, a JSON header (name -> dtype, shape,
// data_offsets), then the raw tensor bytes. Spec: github.com/huggingface/safetensors.
#include "io/safetensors.h"

#include <bit>
#include <algorithm>
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

} // namespace

void save_safetensors(const Model &model, const std::string &path) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    size_t offset = 0;
    for (const ParamView &v : model.param_views()) {
        header[v.name] = {{"dtype", "F32"}, {"shape", v.shape}, {"data_offsets", {offset, offset + 4 * v.size}}};
        offset += 4 * v.size;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // pad so the data starts 8-byte aligned
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path, "cannot be opened for writing");
    uint64_t length = text.size();
    out.write(reinterpret_cast<const char *>(&length), 8);
    out.write(text.data(), std::streamsize(text.size()));
    for (const ParamView &v : model.param_views())
        out.write(reinterpret_cast<const char *>(model.params().data() + v.offset), std::streamsize(4 * v.size));
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
    nlohmann::json header = nlohmann::json::parse(text, nullptr, false);
    if (header.is_discarded() || !header.is_object()) throw Error(path, "is not a safetensors file (header is not JSON)");
    const uint64_t data_size = file_size - 8 - length;

    std::vector<float> values(model.params().size());
    for (const ParamView &v : model.param_views()) {
        if (!header.contains(v.name)) throw Error(path, "has no tensor " + v.name + " that the model needs");
        const auto &t = header[v.name];
        std::vector<int64_t> shape, expected(v.shape.begin(), v.shape.end());
        try {
            if (t.at("dtype") != "F32") throw Error(path, v.name + " has dtype " + t.at("dtype").dump() + "; only F32 is read");
            shape = t.at("shape").get<std::vector<int64_t>>();
            auto offsets = t.at("data_offsets").get<std::vector<uint64_t>>();
            if (shape != expected)
                throw Error(path, v.name + " has shape " + shape_text(shape) + " but the model needs " + shape_text(expected));
            if (offsets.size() != 2 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != 4 * v.size || offsets[1] > data_size)
                throw Error(path, v.name + " has data_offsets outside the file or of the wrong size");
            in.seekg(std::streamoff(8 + length + offsets[0]));
            in.read(reinterpret_cast<char *>(values.data() + v.offset), std::streamsize(4 * v.size));
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
    std::copy(values.begin(), values.end(), model.params().begin()); // all or nothing
}

} // namespace liandan
