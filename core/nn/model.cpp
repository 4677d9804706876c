// Model: buffer layout, initialization, and the forward/backward entry points.
#include "nn/model.h"

#include <algorithm>
#include <cmath>

#include "kernels/gemm.h"
#include "util/thread_pool.h"

namespace liandan {

Model::Model(const ModelSpec &spec, Shape input) : body_(spec.layers, input, "model.layers", "layers.") {
    views_ = body_.param_shapes();
}

Model::Model(const ModelSpec &spec, Shape input, int max_batch) : Model(spec, input) {
    allocate({max_batch, max_batch, 1}, nullptr, 1);
}

double Model::memory_bytes(const Capacity &cap, int moments) const {
    // Counted from the shapes, not the views' sizes: in wasm a size_t holds 2^32, which 65536
    // units on 65536 inputs reach, and a count wrapped to 0 would pass the check and then crash.
    double params = 0, state = 0;
    for (const ParamView &v : views_) {
        double values = 1;
        for (int d : v.shape) values *= d;
        (v.trainable ? params : state) += values;
    }
    return 4.0 * (params * (2 + moments) + state + double(body_.floats(cap)));
}

void Model::allocate(const Capacity &cap, ThreadPool *pool, uint64_t seed) {
    size_t params = 0, state = 0;
    for (const ParamView &v : views_) (v.trainable ? params : state) += v.size;
    params_.assign(params, 0.0f);
    grads_.assign(params, 0.0f);
    state_.assign(state, 0.0f);
    body_.bind(params_.data(), grads_.data(), state_.data());
    body_.allocate(cap);
    // Fixed starting values (batchnorm scale and running variance 1) hold from allocation on, as
    // in a freshly built torch module; init() adds the scheme's weights.
    for (const ParamView &v : views_)
        if (v.init == ParamInit::ones) std::fill_n((v.trainable ? params_.data() : state_.data()) + v.offset, v.size, 1.0f);
    max_batch_ = cap.max_batch;
    rng_ = Rng(seed, 0xd50u);
    ctx_.pool = pool;
    ctx_.rng = &rng_;
}

double Model::macs_per_row() const {
    double macs = 0;
    for (size_t i = 0; i < body_.size(); ++i) {
        const Layer &layer = body_.layer(i);
        double weights = 0;
        for (const ParamView &v : layer.param_shapes("")) { // from the shapes, as memory_bytes counts
            double values = 1;
            for (int d : v.shape) values *= d;
            if (v.trainable) weights += values;
        }
        const Shape out = layer.out_shape();
        macs += weights * out.h * out.w + out.size(); // plus a step per output value (activations, pooling)
    }
    return std::max(macs, 1.0);
}

std::vector<std::vector<std::pair<size_t, size_t>>> Model::param_shares(int threads) const {
    std::vector<std::vector<std::pair<size_t, size_t>>> shares(size_t(std::max(1, threads)));
    for (const ParamView &v : views_) {
        if (!v.trainable || v.size == 0) continue;
        const int units = v.shape.empty() ? 1 : v.shape[0];
        const size_t per_unit = v.size / size_t(units);
        for (int t = 0; t < int(shares.size()); ++t) {
            const UnitShare u = unit_share(units, int(shares.size()), t, gemm_tile_width());
            if (u.begin == u.end) continue;
            const size_t begin = v.offset + size_t(u.begin) * per_unit, end = v.offset + size_t(u.end) * per_unit;
            auto &mine = shares[size_t(t)];
            if (!mine.empty() && mine.back().second == begin) mine.back().second = end; // one range for adjacent tensors
            else mine.emplace_back(begin, end);
        }
    }
    return shares;
}

void Model::init(const InitSpec &init) {
    Rng rng(init.seed, 0x1417u);
    for (const ParamView &v : views_) {
        float *p = (v.trainable ? params_.data() : state_.data()) + v.offset;
        if (v.init != ParamInit::scheme) {
            std::fill(p, p + v.size, v.init == ParamInit::ones ? 1.0f : 0.0f);
            continue;
        }
        // fan_in = I (dense) or C·K·K (conv); fan_out = O or O·K·K, as torch.nn.init computes them.
        const double receptive = v.shape.size() > 2 ? double(v.shape[2]) * v.shape[3] : 1.0;
        const double fan_in = double(v.shape[1]) * receptive, fan_out = double(v.shape[0]) * receptive;
        for (size_t k = 0; k < v.size; ++k) {
            double w = 0;
            switch (init.scheme) {
            case InitScheme::he: w = rng.normal() * std::sqrt(2.0 / fan_in); break;
            case InitScheme::xavier: {
                double a = std::sqrt(6.0 / (fan_in + fan_out));
                w = rng.uniform(-a, a);
                break;
            }
            case InitScheme::lecun: w = rng.normal() * std::sqrt(1.0 / fan_in); break;
            case InitScheme::normal: w = rng.normal() * 0.01; break;
            case InitScheme::zeros: w = 0; break;
            }
            p[k] = static_cast<float>(w);
        }
    }
}

const float *Model::forward(const float *x, int n, bool training) {
    ctx_.training = training;
    return body_.forward(x, n, ctx_);
}

void Model::backward(const float *x, const float *dout, int n) {
    ctx_.training = true;
    body_.backward(x, dout, nullptr, n, ctx_);
}

} // namespace liandan
