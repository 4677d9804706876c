// safetensors: 8-byte little-endian header length, a JSON header (name -> dtype, shape,
// data_offsets; __metadata__ -> text), then the raw tensor bytes. Spec: github.com/huggingface/safetensors.
#include "io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>

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

size_t dtype_size(const std::string &dtype) { return dtype == "F32" ? 4 : 8; }

// Where a tensor's values live: trainable ones in params(), buffers in state().
const float *values_of(const Model &model, const ParamView &v) {
    return (v.trainable ? model.params().data() : model.state().data()) + v.offset;
}

// A header that is not JSON: nlohmann's text after "parse error at line L, column C: " says where
// and what; other errors (a number too large for a double: out_of_range) lose their "[json.exception.…] ".
std::string json_error_text(const nlohmann::json::exception &e) {
    std::string what = e.what();
    auto at = what.find("at line");
    if (at == std::string::npos) at = what.find("] ") == std::string::npos ? 0 : what.find("] ") + 2;
    return what.substr(at);
}

} // namespace

std::string safetensors_bytes(const std::vector<TensorBytes> &tensors, const TensorMetadata &metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    size_t offset = 0;
    for (const TensorBytes &t : tensors) {
        header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // pad so the data start 8-byte aligned
    std::string out(8, '\0');
    const uint64_t length = text.size();
    std::memcpy(out.data(), &length, 8);
    out.reserve(8 + text.size() + offset);
    out += text;
    for (const TensorBytes &t : tensors) out += t.bytes;
    return out;
}

SafetensorsFile::SafetensorsFile(std::string bytes, std::string name) : bytes_(std::move(bytes)), name_(std::move(name)) {
    uint64_t length = 0;
    if (bytes_.size() < 8) throw Error(name_, "is not a safetensors file (shorter than its 8-byte header length)");
    std::memcpy(&length, bytes_.data(), 8);
    if (length > bytes_.size() - 8 || length > (100u << 20))
        throw Error(name_, "is not a safetensors file (header length " + std::to_string(length) + " exceeds the file)");
    // A header is an object of flat entries: deeper nesting is refused before the parser, which
    // would recurse once per level (a crafted file of a million '[' overflowed the stack).
    int depth = 0;
    bool in_string = false;
    for (uint64_t i = 8; i < 8 + length; ++i) {
        const char c = bytes_[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if ((c == '{' || c == '[') && ++depth > 8) {
            throw Error(name_, "is not a safetensors file (its header nests deeper than a header does)");
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes_.begin() + 8, bytes_.begin() + 8 + std::ptrdiff_t(length));
    } catch (const nlohmann::json::exception &e) {
        throw Error(name_, "is not a safetensors file (its header is not valid JSON: " + json_error_text(e) + ")");
    }
    if (!header.is_object())
        throw Error(name_, std::string("is not a safetensors file (its header is a JSON ") + header.type_name() + ", not an object)");
    data_start_ = 8 + length;
    // nlohmann's json keeps keys sorted; the file's order comes from an ordered parse of the names.
    nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(bytes_.begin() + 8, bytes_.begin() + 8 + std::ptrdiff_t(length));
    for (auto it = ordered.begin(); it != ordered.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it.value().is_object()) throw Error(name_, "has a __metadata__ that is not an object of texts");
            for (auto m = it.value().begin(); m != it.value().end(); ++m) {
                if (!m.value().is_string()) throw Error(name_, "has __metadata__ " + m.key() + " that is not a text");
                metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        order_.push_back(it.key());
        entries_[it.key()] = it.value().dump();
    }
}

std::vector<std::string> SafetensorsFile::tensor_names() const { return order_; }

bool SafetensorsFile::has(const std::string &tensor) const { return entries_.count(tensor) > 0; }

std::vector<int64_t> SafetensorsFile::shape_of(const std::string &tensor) const {
    try {
        return nlohmann::json::parse(entries_.at(tensor)).at("shape").get<std::vector<int64_t>>();
    } catch (const std::exception &) {
        throw Error(name_, tensor + " has a malformed entry in the header");
    }
}

std::string_view SafetensorsFile::tensor(const std::string &tensor, const std::string &dtype, const std::vector<int64_t> *expected) const {
    auto found = entries_.find(tensor);
    if (found == entries_.end()) throw Error(name_, "has no tensor " + tensor + " that the model needs");
    try {
        const nlohmann::json t = nlohmann::json::parse(found->second);
        if (t.at("dtype") != dtype) throw Error(name_, tensor + " has dtype " + t.at("dtype").dump() + "; the model needs " + dtype);
        const auto shape = t.at("shape").get<std::vector<int64_t>>();
        const auto offsets = t.at("data_offsets").get<std::vector<uint64_t>>();
        if (expected && shape != *expected)
            throw Error(name_, tensor + " has shape " + shape_text(shape) + " but the model needs " + shape_text(*expected));
        uint64_t count = 1;
        for (int64_t d : shape) {
            if (d < 0 || (d > 0 && count > (uint64_t(1) << 40) / uint64_t(d))) throw Error(name_, tensor + " has shape " + shape_text(shape) + ", too large");
            count *= uint64_t(d);
        }
        const uint64_t size = count * dtype_size(dtype), data_size = bytes_.size() - data_start_;
        if (offsets.size() != 2 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != size || offsets[1] > data_size)
            throw Error(name_, tensor + " has data_offsets " + shape_text(std::vector<int64_t>(offsets.begin(), offsets.end())) +
                                   " outside the " + std::to_string(data_size) + " data bytes or not " + std::to_string(size) +
                                   " bytes long");
        return std::string_view(bytes_).substr(data_start_ + offsets[0], size);
    } catch (const nlohmann::json::exception &) {
        throw Error(name_, tensor + " has a malformed entry in the header");
    }
}

std::vector<TensorBytes> model_tensors(const Model &model) {
    std::vector<TensorBytes> out;
    for (const ParamView &v : model.param_views()) {
        TensorBytes t{v.name, v.int64 ? "I64" : "F32", std::vector<int64_t>(v.shape.begin(), v.shape.end()), {}};
        const float *p = values_of(model, v);
        if (v.int64) { // batchnorm's num_batches_tracked: an integer count held as a float
            t.bytes.resize(8 * v.size);
            for (size_t k = 0; k < v.size; ++k) {
                const auto count = int64_t(p[k]);
                std::memcpy(t.bytes.data() + 8 * k, &count, 8);
            }
        } else {
            t.bytes.assign(reinterpret_cast<const char *>(p), 4 * v.size);
        }
        out.push_back(std::move(t));
    }
    return out;
}

void save_safetensors(const Model &model, const std::string &path) { write_file_bytes(path, safetensors_bytes(model_tensors(model))); }

void load_safetensors(Model &model, const std::string &path) {
    load_model_tensors(model, SafetensorsFile(read_file_bytes(path, size_t(2) << 30), path));
}

void load_model_tensors(Model &model, const SafetensorsFile &file) {
    for (const ParamView &v : model.param_views()) { // the network's names and shapes, before any value
        if (!file.has(v.name)) throw NetworkMismatch(file.name(), "has no tensor " + v.name + " that the model needs");
        const std::vector<int64_t> shape(v.shape.begin(), v.shape.end()), found = file.shape_of(v.name);
        if (found != shape) throw NetworkMismatch(file.name(), v.name + " has shape " + shape_text(found) + " but the model needs " + shape_text(shape));
    }
    for (const std::string &name : file.tensor_names())
        if (name.rfind("liandan.", 0) != 0 && std::none_of(model.param_views().begin(), model.param_views().end(),
                                                            [&](const ParamView &v) { return v.name == name; }))
            throw NetworkMismatch(file.name(), "has a tensor " + name + " that the model does not have");
    std::vector<float> params(model.params().size()), state(model.state().size());
    for (const ParamView &v : model.param_views()) {
        const std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
        const std::string_view bytes = file.tensor(v.name, v.int64 ? "I64" : "F32", &shape);
        float *dst = (v.trainable ? params.data() : state.data()) + v.offset;
        if (v.int64) {
            for (size_t k = 0; k < v.size; ++k) {
                int64_t count = 0;
                std::memcpy(&count, bytes.data() + 8 * k, 8);
                dst[k] = float(count);
            }
        } else {
            std::memcpy(dst, bytes.data(), 4 * v.size);
        }
    }
    for (const ParamView &v : model.param_views()) { // a NaN would only come back as a divergence, far from its cause
        const float *p = (v.trainable ? params.data() : state.data()) + v.offset;
        if (!std::all_of(p, p + v.size, [](float x) { return std::isfinite(x); }))
            throw Error(file.name(), v.name + " holds NaN or infinite values");
    }
    std::copy(params.begin(), params.end(), model.params().begin()); // all or nothing
    std::copy(state.begin(), state.end(), model.state().begin());
}

std::string read_file_bytes(const std::string &path, size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot be opened");
    in.seekg(0, std::ios::end);
    const auto size = static_cast<uint64_t>(in.tellg());
    if (size > max_bytes) throw Error(path, "is " + std::to_string(size >> 20) + " MB, more than the " + std::to_string(max_bytes >> 20) + " MB such a file may be");
    in.seekg(0);
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), std::streamsize(size))) throw Error(path, "could not be read");
    return bytes;
}

void write_file_bytes(const std::string &path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path, "cannot be opened for writing");
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw Error(path, "could not be written completely");
}

} // namespace liandan
