// IDX reading and writing through zlib's gz* functions, which read plain and gzip files alike.
#include "data/idx.h"

#include <algorithm>
#include <climits>
#include <cstdio>

#include <zlib.h>

#include "data/file_text.h"
#include "util/error.h"

namespace liandan {
namespace {

struct GzFile {
    gzFile f = nullptr;
    ~GzFile() {
        if (f) gzclose(f);
    }
};

void read_exact(GzFile &g, void *dst, size_t n, const std::string &path, const char *what) {
    auto *p = static_cast<unsigned char *>(dst);
    while (n > 0) {
        unsigned chunk = n > (1u << 30) ? (1u << 30) : unsigned(n);
        int got = gzread(g.f, p, chunk);
        if (got <= 0) {
            int err = 0;
            const char *msg = gzerror(g.f, &err);
            // Z_BUF_ERROR: a gzip stream cut short; other errors: bytes that do not inflate.
            if (err != Z_OK && err != Z_BUF_ERROR) throw Error(path, std::string("is corrupt (zlib: ") + msg + ")");
            throw Error(path, std::string("ends early in its ") + what);
        }
        p += got;
        n -= size_t(got);
    }
}

IdxHeader read_header(GzFile &g, const std::string &path) {
    unsigned char magic[4];
    read_exact(g, magic, 4, path, "header");
    if (magic[0] != 0 || magic[1] != 0)
        throw Error(path, "is not an IDX file (its first two bytes are not zero)");
    if (magic[2] != 0x08) {
        char type[8];
        std::snprintf(type, sizeof type, "0x%02x", magic[2]);
        throw Error(path, std::string("holds IDX data of type ") + type + "; only unsigned bytes (0x08) are read");
    }
    if (magic[3] < 1 || magic[3] > 4) throw Error(path, "has " + std::to_string(magic[3]) + " dimensions; 1 to 4 are read");
    IdxHeader h;
    for (int d = 0; d < magic[3]; ++d) {
        unsigned char b[4];
        read_exact(g, b, 4, path, "header");
        uint32_t size = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
        if (size == 0 || size > 100000000u) throw Error(path, "has an implausible size " + std::to_string(size) + " in dimension " + std::to_string(d));
        h.dims.push_back(int(size));
    }
    // Multiplied step by step: four sizes of up to 10⁸ would overflow a 64-bit product. The bound
    // keeps count() within wasm32's size_t and a signed int.
    uint64_t count = 1;
    for (int d : h.dims) {
        count *= uint64_t(d);
        if (count > uint64_t(INT32_MAX)) {
            std::string dims;
            for (int e : h.dims) dims += (dims.empty() ? "" : " × ") + std::to_string(e);
            throw Error(path, "claims " + dims + " values in its header, over the 2 GB that are read at most");
        }
    }
    return h;
}

GzFile open(const std::string &path) {
    GzFile g;
    g.f = open_for_reading(path);
    if (!g.f) throw Error(path, "cannot be opened");
    return g;
}

} // namespace

size_t IdxHeader::count() const {
    size_t n = 1;
    for (int d : dims) n *= size_t(d);
    return n;
}

IdxHeader read_idx_header(const std::string &path) {
    GzFile g = open(path);
    return read_header(g, path);
}

std::vector<uint8_t> read_idx(const std::string &path, IdxHeader &header, int max_items) {
    GzFile g = open(path);
    header = read_header(g, path);
    const bool whole = !(max_items > 0 && max_items < header.dims[0]);
    if (!whole) header.dims[0] = max_items;
    // Grown as the bytes arrive, not sized from the header: a few bytes claiming 2 GB (a truncated
    // or crafted file) must not take 2 GB before they are found short.
    const size_t total = header.count();
    constexpr size_t k_chunk = size_t(16) << 20;
    std::vector<uint8_t> data;
    data.reserve(std::min(total, k_chunk));
    while (data.size() < total) {
        const size_t at = data.size(), n = std::min(total - at, std::max(at, k_chunk)); // doubling, from 16 MB
        data.resize(at + n);
        read_exact(g, data.data() + at, n, path, "data");
    }
    if (whole) { // read on to the gzip trailer, whose checksum catches bytes that inflate but are wrong
        unsigned char extra;
        int err = 0;
        if (gzread(g.f, &extra, 1) < 0 && (gzerror(g.f, &err), err != Z_BUF_ERROR))
            throw Error(path, std::string("is corrupt (zlib: ") + gzerror(g.f, &err) + ")");
    }
    return data;
}

void write_idx(const std::string &path, const std::vector<int> &dims, const std::vector<uint8_t> &data) {
    const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    GzFile g;
    g.f = gzopen(path.c_str(), gz ? "wb9" : "wbT"); // T: write without compression
    if (!g.f) throw Error(path, "cannot be opened for writing");
    std::vector<unsigned char> head = {0, 0, 0x08, static_cast<unsigned char>(dims.size())};
    for (int d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) head.push_back(static_cast<unsigned char>((uint32_t(d) >> shift) & 0xFF));
    if (gzwrite(g.f, head.data(), unsigned(head.size())) != int(head.size()) ||
        (data.size() && gzwrite(g.f, data.data(), unsigned(data.size())) != int(data.size())))
        throw Error(path, "could not be written completely");
}

} // namespace liandan
