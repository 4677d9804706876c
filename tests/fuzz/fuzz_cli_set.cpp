// Fuzzes the CLI's --set: each input line is one KEY=VALUE applied to a valid spec's JSON as
// liandan-train applies it, then the spec is validated. Any text must give a spec or an Error.
#include <sstream>

#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "spec.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const nlohmann::json base = liandan::spec_to_json(liandan::default_spec());
    nlohmann::json j = base;
    std::istringstream lines(liandan::fuzz::text_of(data, size));
    std::string line;
    try {
        while (std::getline(lines, line)) {
            const size_t eq = line.find('=');
            if (eq == std::string::npos || eq == 0) continue; // the CLI refuses these before set_by_path
            liandan::set_by_path(j, line.substr(0, eq), line.substr(eq + 1));
        }
        liandan::parse_spec(j);
    } catch (const liandan::Error &) {
    }
    return 0;
}
