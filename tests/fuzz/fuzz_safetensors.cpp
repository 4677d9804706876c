// Fuzzes loading safetensors into a model with every kind of tensor (dense, conv, batchnorm with
// its int64 count): a file either fits and loads, or is refused with the model untouched.
#include <algorithm>
#include <vector>

#include "fuzz_input.h"
#include "io/safetensors.h"
#include "nn/model.h"
#include "spec.h"
#include "util/error.h"

namespace {

liandan::Model &model() {
    static liandan::Model m = [] {
        liandan::Spec spec = liandan::parse_spec_text(R"({"model": {"input": [1, 6, 6], "layers": [
            {"type": "conv2d", "filters": 2, "kernel": 3, "activation": "relu"}, {"type": "batchnorm"},
            {"type": "flatten"}, {"type": "dense", "units": 3}]}})");
        return liandan::Model(spec.model, liandan::Shape{1, 6, 6}, 1);
    }();
    return m;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    liandan::Model &m = model();
    std::fill(m.params().begin(), m.params().end(), 0.5f);
    const std::vector<float> params(m.params().begin(), m.params().end()), state(m.state().begin(), m.state().end());
    try {
        liandan::load_safetensors(m, liandan::fuzz::file_of(data, size));
    } catch (const liandan::Error &) {
        // refused: nothing of the file may have reached the model
        if (!std::equal(params.begin(), params.end(), m.params().begin()) ||
            !std::equal(state.begin(), state.end(), m.state().begin()))
            __builtin_trap();
    }
    return 0;
}
