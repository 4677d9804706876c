// Weights as safetensors (docs/design.md, contract 3): tensors layers.<i>.weight / layers.<i>.bias in
// PyTorch layouts, float32 little-endian, so the file loads into the equivalent torch model.
// The same format carries a whole experiment (train/experiment_file.h): more tensors, and text in
// the header's __metadata__, which torch's and safetensors' loaders pass over.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nn/model.h"
#include "util/error.h"

namespace liandan {

// A tensor to write: dtype "F32", "F64" or "I64", and its little-endian bytes.
struct TensorBytes {
    std::string name, dtype;
    std::vector<int64_t> shape;
    std::string bytes;
};
using TensorMetadata = std::map<std::string, std::string>;

// The file's bytes: the header (tensors in the order given, metadata under __metadata__), padded
// so the data start 8-byte aligned, then the data.
std::string safetensors_bytes(const std::vector<TensorBytes> &tensors, const TensorMetadata &metadata = {});

// A file read and checked as far as its framing: the header is a JSON object and every entry's
// data lie inside the file. Tensors are looked up by name; their bytes are views into `bytes`.
class SafetensorsFile {
public:
    // Throws Error naming `name` when the bytes are not a safetensors file.
    SafetensorsFile(std::string bytes, std::string name);
    const std::string &name() const { return name_; }
    const TensorMetadata &metadata() const { return metadata_; }
    std::vector<std::string> tensor_names() const; // in the header's order, __metadata__ left out
    bool has(const std::string &tensor) const;
    // The tensor's bytes after checking its dtype and shape (null: any shape); Error names it.
    std::string_view tensor(const std::string &tensor, const std::string &dtype, const std::vector<int64_t> *shape) const;
    std::vector<int64_t> shape_of(const std::string &tensor) const;

private:
    std::string bytes_, name_;
    size_t data_start_ = 0;
    std::vector<std::string> order_;
    std::map<std::string, std::string> entries_; // name -> its header entry (JSON text), checked when used
    TensorMetadata metadata_;
};

// The model's tensors, as PyTorch's state_dict names them.
std::vector<TensorBytes> model_tensors(const Model &model);
void save_safetensors(const Model &model, const std::string &path);
// A file whose tensors are not the model's, by name or shape: another network's weights.
class NetworkMismatch : public Error {
public:
    using Error::Error;
};

// Refuses a file that is malformed or does not match the model (NetworkMismatch), naming the
// tensor and both shapes; all or nothing. Tensors named liandan.* (an experiment file's own) are
// passed over.
void load_safetensors(Model &model, const std::string &path);
void load_model_tensors(Model &model, const SafetensorsFile &file);

std::string read_file_bytes(const std::string &path, size_t max_bytes); // Error naming the path
void write_file_bytes(const std::string &path, std::string_view bytes);  // whole, or Error

} // namespace liandan
