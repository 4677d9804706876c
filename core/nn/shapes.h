// Shape letters used in every comment of nn/, loss/ and kernels/ (STYLE.md 8):
//   N  samples in a batch          I  inputs of a layer (features in)
//   O  outputs of a layer (units)  T  targets per sample
// All buffers are row-major and batch-major: x [N, I] holds sample n's inputs at x[n*I .. n*I+I).
// Dense weights are [O, I] and biases [O], PyTorch's layout, so safetensors bytes map one to one.
#pragma once
