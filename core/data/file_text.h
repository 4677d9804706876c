// Reading a data file's bytes through zlib's gz* functions, which read plain and gzip files alike:
// a CSV may come compressed (the named tables are served as .csv.gz) or not.
#pragma once
#include <cstddef>
#include <string>

#include <zlib.h>

namespace liandan {

// gzopen for reading with a 1 MB buffer (zlib's is 8 KB): in the page a worker thread's file
// reads are served by the main thread between frames, so each buffer fill waits up to a frame;
// large fills make a 26 MB file a few dozen reads instead of thousands. Null when it cannot open.
gzFile open_for_reading(const std::string &path);

// Up to max_bytes of the file's (decompressed) contents. Throws Error naming the file when it
// cannot be opened or does not inflate.
std::string read_file_text(const std::string &path, size_t max_bytes = size_t(-1));

} // namespace liandan
