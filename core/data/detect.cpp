// Data file detection: zlib's gz* functions read plain and gzip files alike, so the IDX magic is
// checked on the decompressed bytes; the gzip magic itself is only used to word the messages.
#include "data/detect.h"

#include <algorithm>
#include <cstdio>

#include <zlib.h>

#include "data/csv.h"
#include "data/idx.h"
#include "data/file_text.h"
#include "util/error.h"

namespace liandan {
namespace {

// The first up-to-n decompressed bytes of the file.
std::string head(const std::string &path, size_t n) {
    gzFile f = open_for_reading(path);
    if (!f) throw Error(path, "cannot be opened");
    std::string bytes(n, '\0');
    int got = gzread(f, bytes.data(), unsigned(n));
    int err = 0;
    // Copied before gzclose, which frees the text gzerror points to.
    const std::string msg = got < 0 ? gzerror(f, &err) : "";
    gzclose(f);
    if (got < 0) throw Error(path, "cannot be read (zlib: " + msg + ")");
    bytes.resize(size_t(got));
    return bytes;
}

bool starts_gzip(const std::string &path) {
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    unsigned char magic[2] = {0, 0};
    size_t got = std::fread(magic, 1, 2, f);
    std::fclose(f);
    return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

} // namespace

const char *data_file_kind_name(DataFileKind kind) {
    switch (kind) {
    case DataFileKind::csv: return "CSV";
    case DataFileKind::idx_images: return "IDX images";
    case DataFileKind::idx_labels: return "IDX labels";
    case DataFileKind::weights: return "safetensors weights";
    case DataFileKind::spec: return "spec";
    }
    return "?";
}

DataFileInfo detect_data_file(const std::string &path) {
    DataFileInfo info;
    info.path = path;
    info.gzip = starts_gzip(path);
    const std::string bytes = head(path, 4096);
    if (bytes.empty()) throw Error(path, "is empty");
    // safetensors: a little-endian header length, then the header's JSON object (load_safetensors checks the rest).
    // A file named so is read as one whatever it holds, so that its refusal says what is wrong with it.
    const bool named_safetensors = path.size() > 12 && path.compare(path.size() - 12, 12, ".safetensors") == 0;
    if (!info.gzip && bytes.size() >= 9 && bytes[8] == '{') {
        uint64_t length = 0;
        for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[size_t(i)]);
        if (length >= 2 && length <= (100u << 20)) {
            info.kind = DataFileKind::weights;
            return info;
        }
    }
    if (named_safetensors && !info.gzip) {
        info.kind = DataFileKind::weights;
        return info;
    }
    // IDX: 0x00 0x00, a type byte of the format's (0x08 unsigned bytes ... 0x0e doubles), then the
    // number of dimensions (read_idx_header checks the rest).
    const unsigned char idx_type = bytes.size() >= 4 ? static_cast<unsigned char>(bytes[2]) : 0;
    if (bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0 && idx_type >= 0x08 && idx_type <= 0x0e && idx_type != 0x0a) {
        IdxHeader h = read_idx_header(path);
        info.dims = h.dims;
        info.kind = h.dims.size() == 1 ? DataFileKind::idx_labels : DataFileKind::idx_images;
        return info;
    }
    if (bytes.find('\0') != std::string::npos)
        throw Error(path, info.gzip ? "is gzip-compressed but holds neither IDX data (MNIST format) nor CSV text"
                                    : "is neither an IDX file (MNIST format) nor CSV text");
    // Python (the PyTorch export, say, given back): named by its ending, or importing torch (a CSV
    // header may well start with "import" or "from", so those alone say nothing).
    const bool python = (path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0) || bytes.rfind("#!", 0) == 0 ||
                        bytes.rfind("import torch", 0) == 0 || bytes.find("\nimport torch") != std::string::npos;
    if (python)
        throw Error(path, "is a Python program, not data: run it with python3 (the PyTorch export trains on outside the "
                          "browser); Open takes specs, weights, experiments and CSV or IDX data");
    // A spec: JSON text, an object (a CSV's header never starts with '{').
    const size_t first = bytes.find_first_not_of(" \t\r\n", bytes.rfind("\xef\xbb\xbf", 0) == 0 ? 3 : 0);
    if (!info.gzip && first != std::string::npos && bytes[first] == '{') {
        info.kind = DataFileKind::spec;
        return info;
    }
    info.kind = DataFileKind::csv;
    info.columns = read_csv_header(path);
    if (info.columns.size() < 2)
        throw Error(path, "is not a CSV file with a header row: its first line has " + std::to_string(info.columns.size()) +
                              " column; at least two (inputs and a target) are needed");
    return info;
}

} // namespace liandan
