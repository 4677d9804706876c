// Fuzzes the IDX reader, plain and gzip (zlib reads both through one path; the corpus holds both):
// the kind detection, the header alone, then the data, whole and cut to a few items.
#include "data/detect.h"
#include "data/idx.h"
#include "fuzz_input.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string &path = liandan::fuzz::file_of(data, size);
    try {
        liandan::detect_data_file(path);
    } catch (const liandan::Error &) {
    }
    try {
        const liandan::IdxHeader header = liandan::read_idx_header(path);
        for (int max_items : {3, 0}) {
            liandan::IdxHeader read;
            const std::vector<uint8_t> bytes = liandan::read_idx(path, read, max_items);
            if (bytes.size() != read.count()) __builtin_trap();
            if (read.dims.size() != header.dims.size()) __builtin_trap();
        }
    } catch (const liandan::Error &) {
    }
    return 0;
}
