"""A separable convolution as a depthwise and a pointwise step (docs/reference/separable.md)."""

# --8<-- [start:two_steps]
import keras
import numpy as np

rng = np.random.default_rng(0)
images = rng.normal(size=(2, 16, 16, 8)).astype("float32")

separable = keras.layers.SeparableConv2D(filters=24, kernel_size=3)
depthwise = keras.layers.DepthwiseConv2D(kernel_size=3, use_bias=False)
pointwise = keras.layers.Conv2D(filters=24, kernel_size=1)
separable.build(images.shape)
depthwise.build(images.shape)
pointwise.build((None, 14, 14, 8))

# Random weights, so that the comparison means something; then the same numbers in both.
separable.set_weights([rng.normal(size=w.shape).astype("float32") for w in separable.weights])
depthwise_kernel, pointwise_kernel, bias = separable.get_weights()
depthwise.set_weights([depthwise_kernel])
pointwise.set_weights([pointwise_kernel, bias])

two_steps = pointwise(depthwise(images))
same = np.allclose(keras.ops.convert_to_numpy(separable(images)), keras.ops.convert_to_numpy(two_steps), atol=1e-4)
print("same outputs:", same)
print("params:", separable.count_params(), "=", depthwise.count_params(), "+", pointwise.count_params())
# --8<-- [end:two_steps]
