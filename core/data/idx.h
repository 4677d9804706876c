// IDX files (the MNIST format: big-endian magic 0x00 0x00 type ndim, ndim big-endian sizes, data),
// plain or gzip-compressed (zlib reads both through one path). Only unsigned-byte data (type 0x08),
// which is what MNIST and Fashion-MNIST use.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace liandan {

struct IdxHeader {
    std::vector<int> dims; // e.g. {60000, 28, 28} for images, {60000} for labels
    size_t count() const;  // product of dims
};

// Reads only the header (for memory estimates before loading). Throws Error naming the file.
IdxHeader read_idx_header(const std::string &path);
// Reads header and data; max_items > 0 keeps only the first max_items entries of dimension 0.
std::vector<uint8_t> read_idx(const std::string &path, IdxHeader &header, int max_items = 0);
// Writes an uncompressed or (name ends in .gz) gzip-compressed IDX file of unsigned bytes.
void write_idx(const std::string &path, const std::vector<int> &dims, const std::vector<uint8_t> &data);

} // namespace liandan
