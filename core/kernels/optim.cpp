// Optimizer updates. Each loop has a plain form for the common case (no regularization terms)
// that compilers vectorize natively and for SIMD128 (sqrt and division included, given
// -fno-math-errno); the regularized form only adds the gradient terms. Operation order follows
// torch.optim so float results match it closely.
#include "kernels/optim.h"

#include <cmath>

namespace liandan {
namespace {

inline float with_terms(float g, float p, GradTerms t) {
    if (t.weight_decay != 0.0f) g += t.weight_decay * p;
    if (t.l1 != 0.0f) g += t.l1 * float((p > 0) - (p < 0));
    return g;
}

// One template for both forms, so the arithmetic is written once.
template <bool Terms>
void adam_loop(size_t n, float *__restrict p, const float *__restrict g, float *__restrict m, float *__restrict v, const AdamStep &s,
               GradTerms t) {
    const float b1 = s.beta1, b2 = s.beta2, eps = s.eps, step_size = s.step_size, inv_sqrt_bc2 = s.inv_sqrt_bc2, decay = s.decay;
    const float c1 = s.one_minus_beta1, c2 = s.one_minus_beta2;
    for (size_t i = 0; i < n; ++i) {
        const float gi = Terms ? with_terms(g[i], p[i], t) : g[i];
        const float pi = Terms ? p[i] * decay : p[i];
        // m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  p -= step · m / (√v / √(1-β2ᵗ) + eps)
        const float mi = b1 * m[i] + c1 * gi;
        const float vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - step_size * mi / (std::sqrt(vi) * inv_sqrt_bc2 + eps);
    }
}

template <bool Terms>
void sgd_loop(size_t n, float *__restrict p, const float *__restrict g, float *__restrict buf, float lr, float mu, bool nesterov,
              GradTerms t) {
    if (mu == 0.0f) {
        for (size_t i = 0; i < n; ++i) p[i] -= lr * (Terms ? with_terms(g[i], p[i], t) : g[i]); // p -= lr·g
        return;
    }
    for (size_t i = 0; i < n; ++i) {
        const float gi = Terms ? with_terms(g[i], p[i], t) : g[i];
        // b = μ·b + g;  p -= lr · (nesterov ? g + μ·b : b)
        const float bi = mu * buf[i] + gi;
        buf[i] = bi;
        p[i] -= lr * (nesterov ? gi + mu * bi : bi);
    }
}

} // namespace

void adam_update(size_t n, float *p, const float *g, float *m, float *v, const AdamStep &s, GradTerms terms) {
    if (terms.weight_decay == 0.0f && terms.l1 == 0.0f && s.decay == 1.0f) adam_loop<false>(n, p, g, m, v, s, terms);
    else adam_loop<true>(n, p, g, m, v, s, terms);
}

void sgd_update(size_t n, float *p, const float *g, float *buf, float lr, float momentum, bool nesterov, GradTerms terms) {
    if (terms.weight_decay == 0.0f && terms.l1 == 0.0f) sgd_loop<false>(n, p, g, buf, lr, momentum, nesterov, terms);
    else sgd_loop<true>(n, p, g, buf, lr, momentum, nesterov, terms);
}

void rmsprop_update(size_t n, float *p, const float *g, float *v, float *a, float *buf, float lr, float alpha, float one_minus_alpha, float eps, float mu,
                    GradTerms t) {
    for (size_t i = 0; i < n; ++i) {
        const float gi = with_terms(g[i], p[i], t);
        // v = α·v + (1-α)·g²;  centered: a = α·a + (1-α)·g, v' = v - a²;  avg = √v' + eps
        v[i] = alpha * v[i] + one_minus_alpha * gi * gi;
        float var = v[i];
        if (a) {
            a[i] = alpha * a[i] + one_minus_alpha * gi;
            var -= a[i] * a[i];
        }
        const float avg = std::sqrt(var) + eps;
        if (mu != 0.0f) { // b = μ·b + g/avg;  p -= lr·b
            buf[i] = mu * buf[i] + gi / avg;
            p[i] -= lr * buf[i];
        } else { // p -= lr·g/avg
            p[i] -= lr * gi / avg;
        }
    }
}

} // namespace liandan
