// Dense forward and backward through Eigen maps over the model's buffers (no allocation).
#include "nn/dense.h"

#include "kernels/eigen.h"

namespace liandan {

std::vector<ParamView> Dense::param_shapes(int spec_index) const {
    std::string prefix = "layers." + std::to_string(spec_index) + ".";
    return {{prefix + "weight", {out_, in_}, 0, size_t(out_) * in_}, {prefix + "bias", {out_}, 0, size_t(out_)}};
}

void Dense::bind(float *params, float *grads) {
    w_ = params;
    b_ = params + size_t(out_) * in_;
    dw_ = grads;
    db_ = grads + size_t(out_) * in_;
}

void Dense::forward(const float *x, float *y, int n) {
    ConstMatrixMap X(x, n, in_);    // [N, I]
    ConstMatrixMap W(w_, out_, in_); // [O, I]
    ConstRowMap B(b_, out_);         // [O]
    MatrixMap Y(y, n, out_);         // [N, O]
    // Y = X · Wᵀ + b
    Y.noalias() = X * W.transpose();
    Y.rowwise() += B;
}

void Dense::backward(const float *x, const float *, const float *dy, float *dx, int n) {
    ConstMatrixMap X(x, n, in_);     // [N, I]
    ConstMatrixMap dY(dy, n, out_);  // [N, O]
    MatrixMap dW(dw_, out_, in_);    // [O, I]
    RowMap dB(db_, out_);            // [O]
    // dW = dYᵀ · X
    dW.noalias() = dY.transpose() * X;
    // db = Σ_n dY
    dB = dY.colwise().sum();
    if (dx) {
        ConstMatrixMap W(w_, out_, in_);
        MatrixMap dX(dx, n, in_);
        // dX = dY · W
        dX.noalias() = dY * W;
    }
}

} // namespace liandan
