// Losses on logits (the model's raw outputs), as PyTorch's defaults: mean over the batch (and over
// outputs for mse). bce applies the sigmoid and cross_entropy the softmax themselves, both in
// log-sum-exp form. Class weights follow torch: cross_entropy divides by the summed weights of the
// batch's targets; bce weighs each sample by its class and divides by N.
#pragma once
#include <span>
#include <vector>

#include "spec.h"

namespace liandan {

// Returns the mean loss of out [N, O] against target [N] (class index, or value for mse). If dout is
// not null, writes d loss / d out [N, O]. weights: one per class, or empty.
double loss_forward(LossType type, const float *out, const float *target, int n, int o, float *dout,
                    std::span<const float> weights = {});

// The predicted class of one output row (bce: logit > 0; mse on class labels: value > 0.5).
int predicted_class(LossType type, const float *out_row, int o);

// What a view shows for an output row: the probability of class 1 (bce), the predicted class
// (cross_entropy), or the value (mse).
float output_value(LossType type, const float *out_row, int o);
// The k class probabilities p [k] of one output row: softmax (cross_entropy), 1 − σ and σ (bce),
// or the clamped value and its complement (mse on two classes).
void class_probabilities(LossType type, const float *out_row, int o, int k, float *p);

} // namespace liandan
