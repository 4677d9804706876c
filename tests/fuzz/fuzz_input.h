// Helpers shared by the libFuzzer targets: the input as text, and as a file for readers that take
// a path (CSV, IDX, safetensors read files, as the app and the CLI hand them paths).
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace liandan::fuzz {

inline std::string text_of(const uint8_t *data, size_t size) { return std::string(reinterpret_cast<const char *>(data), size); }

// One file per process (in RAM when /dev/shm exists), removed when the process exits.
inline const std::string &file_path() {
    static const std::string path = [] {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        std::atexit([] { std::remove(file_path().c_str()); });
        return std::string(dir) + "/liandan-fuzz-" + std::to_string(getpid());
    }();
    return path;
}

// Writes the input to file_path() and returns it.
inline const std::string &file_of(const uint8_t *data, size_t size) {
    const std::string &path = file_path();
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) __builtin_trap(); // the harness itself is broken, not the code under test
    if (size > 0) std::fwrite(data, 1, size, f);
    std::fclose(f);
    return path;
}

} // namespace liandan::fuzz
