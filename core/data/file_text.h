// Reading a data file's bytes through zlib's gz* functions, which read plain and gzip files alike:
// a CSV may come compressed (the named tables are served as .csv.gz) or not.
#pragma once
#include <cstddef>
#include <string>

namespace liandan {

// Up to max_bytes of the file's (decompressed) contents. Throws Error naming the file when it
// cannot be opened or does not inflate.
std::string read_file_text(const std::string &path, size_t max_bytes = size_t(-1));

} // namespace liandan
