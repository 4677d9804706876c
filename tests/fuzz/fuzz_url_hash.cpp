// Fuzzes the URL hash reader (TensorFlow Playground's keys and #spec=): any text is a spec or an
// Error naming the key; a spec that reads writes a hash that reads back as the same spec.
#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "url_hash.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    liandan::Spec spec;
    try {
        spec = liandan::spec_from_url_hash(liandan::fuzz::text_of(data, size));
    } catch (const liandan::Error &) {
        return 0;
    }
    const std::string hash = liandan::url_hash_from_spec(spec);
    const liandan::Spec again = liandan::spec_from_url_hash(hash); // an Error here escapes: a finding
    if (liandan::spec_to_json(again) != liandan::spec_to_json(spec)) __builtin_trap();
    return 0;
}
