// Losses on logits, mean over the batch (and over outputs for mse), as PyTorch's defaults.
// bce applies the sigmoid and cross_entropy the softmax themselves, in log-sum-exp form.
#pragma once
#include "spec.h"

namespace liandan {

// Returns the mean loss of out [N, O] against target [N, T] (T = 1 class index for
// cross_entropy, T = O otherwise). If dout is not null, writes d loss / d out [N, O].
double loss_forward(LossType type, const float *out, const float *target, int n, int o, float *dout);

// Samples whose predicted class equals the target (classification only).
int count_correct(LossType type, const float *out, const float *target, int n, int o);

// What a view shows for an output row: the probability of class 1 (bce), of the target class
// argmax (cross_entropy), or the value (mse).
float output_value(LossType type, const float *out_row, int o);

} // namespace liandan
