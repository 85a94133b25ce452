#!/usr/bin/env python3
"""Writes the Keras H5 fixtures of dl4j-spectral-keras and Keras's predictions beside them.

Usage:
    python3 make-fixtures.py PATH/TO/SpectralLayer.py [OUTPUT_DIR]

PATH/TO/SpectralLayer.py is the reference code's layer (Buffoni et al., spectral_learning); it is read, never
copied. OUTPUT_DIR defaults to src/test/resources/keras of this module. Made with TensorFlow 2.21 and Keras 3.15
(see the module's README for the environment).

Keras 3 files: the reference layer is run with its TensorFlow-internal Keras 2 imports replaced, in memory, by the
Keras 3 ones (keras.layers.Layer, keras.activations/initializers/regularizers/constraints); registered with a package,
its class name is saved as "spectral>Spectral". Keras 2 files: the unchanged reference layer under TensorFlow's bundled
Keras 2 code (tensorflow.python.keras), which lacks the __version__ its H5 writer reads; it is set to "2.6.0", the
version that code was released as.

Each NAME.h5 gets NAME.json: {"input": [[...]], "output": [[...]], ...}, Keras's float32 predictions on fixed inputs.
All weights (also biases and eigenvalues) are set to seeded random values, so every parameter shows in the outputs.
"""
import json
import os
import sys
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

KERAS2_IMPORTS = {
    "from tensorflow.python.keras.engine.base_layer import Layer": "from keras.layers import Layer",
    "from tensorflow.python.keras import activations, initializers, regularizers, constraints":
        "from keras import activations, initializers, regularizers, constraints",
}
N_IN = 20
N_EXAMPLES = 5


def load_reference_layer(path, keras3):
    """The reference Spectral class, with the import patch for Keras 3 applied in memory."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    if keras3:
        for old, new in KERAS2_IMPORTS.items():
            if old not in source:
                sys.exit(f"{path}: import line not found: {old!r}; expected the reference SpectralLayer.py")
            source = source.replace(old, new)
    module = types.ModuleType("spectral_reference_keras3" if keras3 else "spectral_reference_keras2")
    exec(compile(source, path, "exec"), module.__dict__)
    return module.Spectral


def randomize(model, seed):
    """Seeded random values for every weight, so that biases and eigenvalues are not at their initial zeros."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        weights = layer.get_weights()
        if weights:
            layer.set_weights([rng.uniform(-0.8, 0.8, w.shape).astype(np.float32) for w in weights])


def inputs(seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, (N_EXAMPLES, N_IN)).astype(np.float32)


def save(model, out_dir, name, description, seed, predict, save_h5, saved_by=None):
    randomize(model, seed)
    x = inputs(seed + 1000)
    y = np.asarray(predict(model, x), dtype=np.float32)
    path = os.path.join(out_dir, name + ".h5")
    if os.path.exists(path):
        os.remove(path)
    save_h5(model, path)
    with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
        json.dump({"description": description, "saved_by": saved_by or f"Keras {keras.__version__}",
                   "tensorflow_version": tf.__version__, "input": x.tolist(), "output": y.tolist()}, f)
        f.write("\n")
    print(f"{path}: {os.path.getsize(path)} bytes")


def keras3_save(model, path):
    model.save(path)


def keras3_predict(model, x):
    return model(x, training=False).numpy()


def keras3_fixtures(spectral_path, out_dir):
    spectral = load_reference_layer(spectral_path, keras3=True)
    # Registered with a package: saved as "spectral>Spectral". Unregistered: saved as "Spectral".
    packaged = keras.saving.register_keras_serializable(package="spectral")(
        type("Spectral", (spectral,), {}))
    layers = keras.layers

    m = keras.Sequential([keras.Input((N_IN,)), layers.Dense(16, activation="relu"),
                          layers.Dense(8, activation="tanh"), layers.Dense(4, activation="softmax")])
    m.compile(optimizer="adam", loss="categorical_crossentropy")
    save(m, out_dir, "dense_sequential_k3", "Keras 3 Sequential 20-16-8-4 relu/tanh/softmax, compiled with adam",
         11, keras3_predict, keras3_save)

    inp = keras.Input((N_IN,))
    h = layers.Dense(16, activation="relu", use_bias=False)(inp)
    h = layers.Dropout(0.3)(h)
    h = layers.Dense(8, activation="tanh")(h)
    h = layers.Dense(4)(h)
    out = layers.Activation("softmax")(h)
    m = keras.Model(inp, out)
    m.compile(optimizer=keras.optimizers.SGD(0.01), loss=keras.losses.CategoricalCrossentropy())
    save(m, out_dir, "dense_functional_k3",
         "Keras 3 functional 20-16(relu, no bias)-Dropout-8(tanh)-4-Activation(softmax), compiled with SGD",
         12, keras3_predict, keras3_save)

    m = keras.Sequential([
        keras.Input((N_IN,)),
        spectral(16, activation="relu", use_bias=True, is_base_trainable=False),
        spectral(4, activation="softmax", use_bias=False)])
    save(m, out_dir, "spectral_sequential_k3",
         "Keras 3 Sequential 20-16-4: Spectral(relu, bias, base frozen), Spectral(softmax, no bias, all trained)",
         13, keras3_predict, keras3_save)

    inp = keras.Input((N_IN,))
    h = packaged(16, activation="tanh", use_bias=True, is_base_trainable=True, is_diag_start_trainable=False,
                 is_diag_end_trainable=False)(inp)
    h = packaged(8, activation="relu", use_bias=False, is_base_trainable=False, is_diag_start_trainable=False,
                 is_diag_end_trainable=True)(h)
    out = layers.Dense(4, activation="softmax")(h)
    m = keras.Model(inp, out)
    save(m, out_dir, "spectral_functional_k3",
         "Keras 3 functional 20-16-8-4, class spectral>Spectral: Spectral(tanh, bias, only base trained), "
         "Spectral(relu, no bias, only diag_end trained), Dense(softmax)",
         14, keras3_predict, keras3_save)

    m = keras.Sequential([
        keras.Input((N_IN,)),
        spectral(8, activation="tanh", use_bias=True, base_regularizer=keras.regularizers.L2(0.01),
                 diag_regularizer="l1", diag_constraint=keras.constraints.MaxNorm(3.0))])
    save(m, out_dir, "spectral_regularized_k3",
         "Keras 3 Sequential 20-8: Spectral(tanh, bias) with base/diag regularizers and a diag constraint",
         16, keras3_predict, keras3_save)

    m = keras.Sequential([keras.Input((N_IN,)), layers.Dense(4), layers.Identity()])
    save(m, out_dir, "unsupported_identity_k3", "Keras 3 Sequential with an Identity layer (DL4J has no import for it)",
         15, keras3_predict, keras3_save)

    # Broken copies of the Spectral fixture, for the import's error messages.
    source = os.path.join(out_dir, "spectral_sequential_k3.h5")
    broken = os.path.join(out_dir, "spectral_noweights_k3.h5")
    write_broken(source, broken, lambda f: delete_spectral_weights(f, "spectral"))
    broken = os.path.join(out_dir, "spectral_badshape_k3.h5")
    write_broken(source, broken, lambda f: replace_dataset(f, "spectral", "diag_end", np.zeros((1, 17), np.float32)))


def write_broken(source, target, change):
    with open(source, "rb") as f:
        data = f.read()
    with open(target, "wb") as f:
        f.write(data)
    with h5py.File(target, "r+") as f:
        change(f)
    print(f"{target}: {os.path.getsize(target)} bytes")


def delete_spectral_weights(f, layer):
    group = f["model_weights/" + layer]
    for key in list(group.keys()):
        del group[key]
    group.attrs["weight_names"] = np.array([], dtype=h5py.string_dtype())


def replace_dataset(f, layer, weight, value):
    """Replaces the weight of that name in the layer's group, wherever Keras nested it."""
    found = []
    f["model_weights/" + layer].visit(lambda name: found.append(name) if name.split("/")[-1] == weight else None)
    path = f"model_weights/{layer}/{found[0]}"
    del f[path]
    f[path] = value


def keras2_fixtures(spectral_path, out_dir):
    from tensorflow.python import keras as keras2
    from tensorflow.python.keras import layers as layers2, models as models2
    keras2.__version__ = "2.6.0"
    spectral = load_reference_layer(spectral_path, keras3=False)
    m = models2.Sequential([
        layers2.InputLayer(input_shape=(N_IN,)),
        spectral(16, activation="relu", use_bias=True, is_base_trainable=False),
        layers2.Dense(8, activation="tanh"),
        spectral(4, activation="softmax", use_bias=False, is_diag_start_trainable=False)])
    save(m, out_dir, "spectral_sequential_k2",
         "TF-bundled Keras 2 Sequential 20-16-8-4: Spectral(relu, bias, base frozen), Dense(tanh), "
         "Spectral(softmax, no bias, diag_start frozen)",
         21, lambda model, x: model(x).numpy(), lambda model, path: models2.save_model(model, path, save_format="h5"),
         saved_by="tensorflow.python.keras (Keras 2 code bundled with TensorFlow)")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.join(here, "..", "src", "test", "resources", "keras")
    os.makedirs(out_dir, exist_ok=True)
    keras3_fixtures(sys.argv[1], out_dir)
    keras2_fixtures(sys.argv[1], out_dir)


if __name__ == "__main__":
    main()
