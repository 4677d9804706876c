// Fuzzes the spec's JSON parser and validator: any text is a spec or an Error naming the key; a
// spec that parses writes JSON that parses again to the same spec.
#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "spec.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    liandan::Spec spec;
    try {
        spec = liandan::parse_spec_text(liandan::fuzz::text_of(data, size));
    } catch (const liandan::Error &) {
        return 0;
    }
    const nlohmann::json written = liandan::spec_to_json(spec);
    const liandan::Spec again = liandan::parse_spec(written); // an Error here escapes: a finding
    if (liandan::spec_to_json(again) != written) __builtin_trap();
    return 0;
}
