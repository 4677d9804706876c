#include "data/file_text.h"

#include <algorithm>

#include <zlib.h>

#include "util/error.h"

namespace liandan {

gzFile open_for_reading(const std::string &path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (f) gzbuffer(f, 1u << 20);
    return f;
}

std::string read_file_text(const std::string &path, size_t max_bytes) {
    gzFile f = open_for_reading(path);
    if (!f) throw Error(path, "cannot be opened");
    std::string text;
    int got = 0;
    std::string buffer(1u << 20, '\0');
    while (text.size() < max_bytes && (got = gzread(f, buffer.data(), unsigned(std::min(buffer.size(), max_bytes - text.size())))) > 0)
        text.append(buffer.data(), size_t(got));
    int err = 0;
    // Copied before gzclose, which frees the text gzerror points to.
    const std::string msg = got < 0 ? gzerror(f, &err) : "";
    gzclose(f);
    if (got < 0) throw Error(path, "cannot be read (zlib: " + msg + ")");
    return text;
}

} // namespace liandan
