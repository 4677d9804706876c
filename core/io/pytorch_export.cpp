// The Python file of an export to PyTorch (pytorch_export.h). Only what the experiment uses is
// written: its layers' classes, its raw rows' preparation, its loss and optimizer.
#include "io/pytorch_export.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "nn/conv2d.h"

namespace liandan {
namespace {

// The shortest text that reads back as the same double (float when digits is 9).
std::string number(double v, int digits = 17) {
    char text[40];
    for (int d = digits == 9 ? 6 : 15; d <= digits; ++d) {
        std::snprintf(text, sizeof text, "%.*g", d, v);
        if (digits == 9 ? float(std::strtod(text, nullptr)) == float(v) : std::strtod(text, nullptr) == v) break;
    }
    std::string s = text;
    if (s.find_first_of(".en") == std::string::npos) s += ".0"; // a float in Python too
    return s;
}

// A Python string literal (double quotes) of any text.
std::string py_string(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\\' || c == '"') out += '\\', out += c;
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else out += c;
    }
    return out + "\"";
}

std::string py_list(const std::vector<std::string> &items, bool quote) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + (quote ? py_string(items[i]) : items[i]);
    return out + "]";
}

// Floats as Python numbers, wrapped so lines stay short; one value when they are all the same.
std::string float_array(const std::vector<float> &v) {
    if (std::all_of(v.begin(), v.end(), [&](float x) { return x == v.front(); })) return number(v.front(), 9);
    std::string out = "np.array([";
    for (size_t i = 0; i < v.size(); ++i) out += std::string(i ? (i % 8 ? ", " : ",\n    ") : "") + number(v[i], 9);
    return out + "], dtype=np.float32)";
}

// The layers as Python constructors, walking the shapes as the core's Sequence does.
struct LayerWriter {
    std::set<std::string> classes; // the helper classes the layers use
    std::string write(const std::vector<LayerSpec> &layers, std::vector<int> &shape, int indent) {
        std::string out;
        const std::string pad(size_t(indent), ' ');
        for (const LayerSpec &l : layers) out += pad + layer(l, shape, indent) + ",\n";
        return out;
    }
    std::string layer(const LayerSpec &l, std::vector<int> &shape, int indent) {
        const int size = std::accumulate(shape.begin(), shape.end(), 1, std::multiplies<int>());
        const std::string act =
            l.activation == Activation::linear ? "" : std::string(", activation=") + py_string(activation_name(l.activation));
        switch (l.type) {
        case LayerType::dense:
            classes.insert("Dense");
            shape = {l.units};
            return "Dense(" + std::to_string(size) + ", " + std::to_string(l.units) + act + ")";
        case LayerType::conv2d: {
            classes.insert("Conv");
            const int stride = std::max(1, l.stride);
            const bool same = l.padding == Padding::same;
            const std::string text = "Conv(" + std::to_string(shape[0]) + ", " + std::to_string(l.filters) + ", " + std::to_string(l.kernel) +
                                     ", stride=" + std::to_string(stride) + ", padding=" + (same ? "\"same\"" : "0") + act + ")";
            for (int d : {1, 2}) shape[size_t(d)] = Conv2d::out_side(shape[size_t(d)], l.kernel, stride, same);
            shape[0] = l.filters;
            return text;
        }
        case LayerType::maxpool:
        case LayerType::avgpool: {
            classes.insert("Pool");
            const int stride = l.stride > 0 ? l.stride : l.size;
            for (int d : {1, 2}) shape[size_t(d)] = Conv2d::out_side(shape[size_t(d)], l.size, stride, false); // a valid window's side
            return std::string("Pool(") + (l.type == LayerType::maxpool ? "\"max\"" : "\"avg\"") + ", " + std::to_string(l.size) + ", " +
                   std::to_string(stride) + act + ")";
        }
        case LayerType::flatten:
            classes.insert("Flatten");
            shape = {size};
            return "Flatten(" + (act.empty() ? "" : act.substr(2)) + ")";
        case LayerType::dropout:
            classes.insert("Dropout");
            return "Dropout(" + number(l.rate) + act + ")";
        case LayerType::batchnorm: {
            const bool image = shape.size() == 3;
            classes.insert(image ? "BatchNorm2d" : "BatchNorm1d");
            return std::string(image ? "BatchNorm2d(" : "BatchNorm1d(") + std::to_string(shape[0]) + ", eps=" + number(l.eps) +
                   ", momentum=" + number(l.momentum) + act + ")";
        }
        case LayerType::residual: {
            classes.insert("Residual");
            std::vector<int> inner = shape;
            return "Residual([\n" + write(l.layers, inner, indent + 4) + std::string(size_t(indent), ' ') + "]" + act + ")";
        }
        }
        return "";
    }
};

const char *k_activate = R"(def activate(x, name):
    """The activation after a layer, as Liandan's (leaky slope 0.01, elu alpha 1, exact gelu)."""
    if name == "linear":
        return x
    if name == "softmax":  # over each sample's values
        return torch.softmax(x.flatten(1), 1).view_as(x)
    return {"relu": F.relu, "leaky_relu": lambda v: F.leaky_relu(v, 0.01), "elu": F.elu, "gelu": F.gelu,
            "sigmoid": torch.sigmoid, "tanh": torch.tanh}[name](x)
)";

// Each class keeps torch's parameter names (weight, bias, running_mean, ...) directly on the
// module, so Net's state_dict names are those of Liandan's safetensors file.
const std::pair<const char *, const char *> k_classes[] = {
    {"Dense", R"(class Dense(nn.Linear):
    """dense: a linear layer on the flattened input (C, H, W order), then the activation."""

    def __init__(self, inputs, units, activation="linear"):
        super().__init__(inputs, units)
        self.activation = activation

    def forward(self, x):
        return activate(super().forward(x.flatten(1)), self.activation)
)"},
    {"Conv", R"(class Conv(nn.Conv2d):
    """conv2d, then the activation ("same" padding: one more at the bottom and right for even kernels)."""

    def __init__(self, channels, filters, kernel, stride=1, padding=0, activation="linear"):
        super().__init__(channels, filters, kernel, stride=stride, padding=padding)
        self.activation = activation

    def forward(self, x):
        return activate(super().forward(x), self.activation)
)"},
    {"Pool", R"(class Pool(nn.Module):
    """maxpool / avgpool: no padding, floor mode, then the activation."""

    def __init__(self, kind, size, stride, activation="linear"):
        super().__init__()
        self.kind, self.size, self.stride, self.activation = kind, size, stride, activation

    def forward(self, x):
        pool = F.max_pool2d if self.kind == "max" else F.avg_pool2d
        return activate(pool(x, self.size, self.stride), self.activation)
)"},
    {"Flatten", R"(class Flatten(nn.Module):
    def __init__(self, activation="linear"):
        super().__init__()
        self.activation = activation

    def forward(self, x):
        return activate(x.flatten(1), self.activation)
)"},
    {"Dropout", R"(class Dropout(nn.Dropout):
    """Inverted dropout in training, the identity in eval mode."""

    def __init__(self, rate, activation="linear"):
        super().__init__(rate)
        self.activation = activation

    def forward(self, x):
        return activate(super().forward(x), self.activation)
)"},
    {"BatchNorm1d", R"(class BatchNorm1d(nn.BatchNorm1d):
    def __init__(self, features, eps, momentum, activation="linear"):
        super().__init__(features, eps=eps, momentum=momentum)
        self.activation = activation

    def forward(self, x):
        return activate(super().forward(x), self.activation)
)"},
    {"BatchNorm2d", R"(class BatchNorm2d(nn.BatchNorm2d):
    """Per channel of an image input."""

    def __init__(self, channels, eps, momentum, activation="linear"):
        super().__init__(channels, eps=eps, momentum=momentum)
        self.activation = activation

    def forward(self, x):
        return activate(super().forward(x), self.activation)
)"},
    {"Residual", R"(class Residual(nn.Module):
    """output = activation(input + layers(input))."""

    def __init__(self, layers, activation="linear"):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.activation = activation

    def forward(self, x):
        y = x
        for layer in self.layers:
            y = layer(y)
        return activate(x + y, self.activation)
)"},
};

std::string plane_functions(const std::vector<std::string> &features) {
    static const std::pair<const char *, const char *> k_formulas[] = {
        {"x", "x"}, {"y", "y"}, {"x2", "x * x"}, {"y2", "y * y"}, {"xy", "x * y"},
        {"sinx", "np.sin(x)"}, {"siny", "np.sin(y)"}, {"cosx", "np.cos(x)"}, {"cosy", "np.cos(y)"}};
    std::vector<std::string> terms;
    for (const std::string &f : features)
        for (auto [name, formula] : k_formulas)
            if (f == name) terms.push_back(formula);
    return py_list(terms, false);
}

// The training split's statistics changed the features (OFFSET and SCALE are written).
bool normalized(const Dataset &d) {
    return std::any_of(d.feature_offset.begin(), d.feature_offset.end(), [](float v) { return v != 0; }) ||
           std::any_of(d.feature_scale.begin(), d.feature_scale.end(), [](float v) { return v != 1; });
}

std::string preparation(const Dataset &d, const std::vector<int> &input_shape) {
    std::ostringstream py;
    std::vector<std::string> shape;
    for (int s : input_shape) shape.push_back(std::to_string(s));
    py << "INPUT_SHAPE = (" << (shape.size() == 1 ? shape[0] + "," : [&] {
        std::string t;
        for (size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + shape[i];
        return t;
    }()) << ")  # one sample, as the network takes it\n";
    if (normalized(d)) {
        py << "# Each feature is (raw - OFFSET) * SCALE, the training split's statistics.\n";
        py << "OFFSET = " << float_array(d.feature_offset) << "\n";
        py << "SCALE = " << float_array(d.feature_scale) << "\n";
    }
    if (!d.class_names.empty()) py << "CLASSES = " << py_list(d.class_names, true) << "  # output i is class CLASSES[i]\n";
    py << "\n\ndef prepare(rows):\n";
    switch (d.raw_input) {
    case RawInput::plane_point:
        py << "    \"\"\"Points (x, y) of the plane -> the network's input: the features " << py_list(d.feature_names, false) << ".\"\"\"\n";
        py << "    points = np.asarray(rows, dtype=np.float32).reshape(-1, 2)\n";
        py << "    x, y = points[:, 0], points[:, 1]\n";
        py << "    features = np.stack(" << plane_functions(d.feature_names) << ", axis=1).astype(np.float32)\n";
        break;
    case RawInput::columns: {
        std::vector<std::string> columns;
        for (const InputColumn &c : d.input_columns)
            columns.push_back(std::string("(").append(py_string(c.name)).append(", ").append(c.categories.empty() ? "None" : py_list(c.categories, true)).append(")"));
        py << "    \"\"\"Table rows -> the network's input. Each row holds the input columns in this order (a dict\n"
              "    by column name also does); text columns become one-hot features over their categories.\"\"\"\n";
        py << "    columns = [\n";
        for (const std::string &c : columns) py << "        " << c << ",\n";
        py << "    ]\n";
        py << "    out = []\n";
        py << "    for row in rows:\n";
        py << "        values = [row[name] for name, _ in columns] if isinstance(row, dict) else list(row)\n";
        py << "        if len(values) != len(columns):\n";
        py << "            raise ValueError(f\"a row has {len(values)} values; the model takes {len(columns)} columns\")\n";
        py << "        features = []\n";
        py << "        for (name, categories), value in zip(columns, values):\n";
        py << "            if categories is None:\n";
        py << "                features.append(float(value))\n";
        py << "            else:\n";
        py << "                features += [1.0 if str(value).strip() == c else 0.0 for c in categories]\n";
        py << "        out.append(features)\n";
        py << "    features = np.asarray(out, dtype=np.float32).reshape(len(out), -1)\n";
        break;
    }
    case RawInput::pixels:
        py << "    \"\"\"Images as the IDX file stores them (uint8, 0 to 255) -> the network's input, scaled to 0..1.\"\"\"\n";
        py << "    images = np.asarray(rows, dtype=np.uint8)\n";
        py << "    features = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)\n";
        break;
    }
    if (normalized(d)) py << "    features = (features - OFFSET) * SCALE\n";
    py << "    return features.reshape((-1,) + INPUT_SHAPE)\n";
    return py.str();
}

// train.augment for fit(): prepared images moved and mirrored in raw values, as the trainer does
// (data/augment.h), from torch's generator rather than Liandan's.
std::string augmentation(const AugmentSpec &a, const Dataset &d) {
    std::ostringstream py;
    py << "def augment(x):\n"
          "    \"\"\"train.augment on prepared images [N, C, H, W]: each moved by up to "
       << a.shift << (a.shift == 1 ? " pixel" : " pixels") << " in x and y (the edge\n"
          "    a raw 0)" << (a.flip ? " and mirrored left to right with even odds" : "") << ".\"\"\"\n";
    const bool norm = normalized(d);
    if (norm) py << "    x = (x.reshape(len(x), -1) / torch.from_numpy(SCALE) + torch.from_numpy(OFFSET)).reshape(x.shape)\n";
    py << "    s, (h, w) = " << a.shift << ", x.shape[2:]\n"
          "    padded = F.pad(x, (s, s, s, s))\n"
          "    moves = torch.randint(0, 2 * s + 1, (len(x), 2))\n"
          "    out = torch.stack([padded[i, :, dy:dy + h, dx:dx + w] for i, (dx, dy) in enumerate(moves.tolist())])\n";
    if (a.flip)
        py << "    mirror = torch.rand(len(x)) < 0.5\n"
              "    out[mirror] = out[mirror].flip(-1)\n";
    if (norm) py << "    out = ((out.reshape(len(x), -1) - torch.from_numpy(OFFSET)) * torch.from_numpy(SCALE)).reshape(x.shape)\n";
    py << "    return out\n";
    return py.str();
}

// The example call of the docstring: its argument and a comment on it.
std::pair<std::string, std::string> rows_hint(const Dataset &d) {
    switch (d.raw_input) {
    case RawInput::plane_point: return {"[[0.5, -1.2], [2.0, 0.3]]", "points (x, y)"};
    case RawInput::columns: {
        std::vector<std::string> names;
        for (const InputColumn &c : d.input_columns) names.push_back(c.name);
        std::string list = py_list(names, false);
        if (list.size() > 60) list = list.substr(0, 56) + " ...]";
        return {"rows", "each: " + list};
    }
    case RawInput::pixels: return {"images", "uint8 [N, H, W], as the IDX file stores them"};
    }
    return {"rows", ""};
}

// The spec as Python text: a raw string of indented JSON, or an escaped one-line string when the
// text could end the raw string.
std::string spec_literal(const Spec &spec) {
    const std::string text = spec_to_json(spec).dump(4);
    if (text.find("'''") == std::string::npos && text.back() != '\\') return "json.loads(r'''\n" + text + "\n''')";
    return "json.loads(" + py_string(spec_to_json(spec).dump()) + ")";
}

std::string loss_code(const Spec &spec) {
    std::ostringstream py;
    const auto &w = spec.loss.class_weights;
    std::vector<std::string> weights;
    for (double v : w) weights.push_back(number(v));
    py << "def loss_of(outputs, targets):\n";
    switch (spec.loss.type) {
    case LossType::mse:
        py << "    \"\"\"Mean squared error over the batch and outputs (targets: numbers).\"\"\"\n";
        py << "    return F.mse_loss(outputs, targets.float().view_as(outputs))\n";
        break;
    case LossType::bce:
        py << "    \"\"\"Sigmoid and binary cross-entropy, mean over the batch (targets: class 0 or 1).\"\"\"\n";
        if (w.empty()) {
            py << "    return F.binary_cross_entropy_with_logits(outputs.view(-1), targets.float().view(-1))\n";
        } else {
            py << "    weights = torch.tensor(" << py_list(weights, false) << ")[targets.long().view(-1)]  # each row by its class\n";
            py << "    losses = F.binary_cross_entropy_with_logits(outputs.view(-1), targets.float().view(-1), reduction=\"none\")\n";
            py << "    return (weights * losses).mean()\n";
        }
        break;
    case LossType::cross_entropy:
        py << "    \"\"\"Softmax and cross-entropy (targets: class indices).\"\"\"\n";
        py << "    return F.cross_entropy(outputs, targets.long().view(-1)"
           << (w.empty() ? "" : ", weight=torch.tensor(" + py_list(weights, false) + ")") << ")\n";
        break;
    }
    return py.str();
}

std::string optimizer_code(const Spec &spec) {
    const OptimizerSpec &o = spec.optimizer;
    std::ostringstream py;
    py << "def make_optimizer(model):\n";
    py << "    \"\"\"The experiment's optimizer, torch.optim's formulas as Liandan's.\"\"\"\n";
    switch (o.type) {
    case OptimizerType::sgd:
        py << "    return torch.optim.SGD(model.parameters(), lr=" << number(o.lr) << ", momentum=" << number(o.momentum)
           << ", nesterov=" << (o.nesterov ? "True" : "False") << ", weight_decay=" << number(o.weight_decay) << ")\n";
        break;
    case OptimizerType::adam:
    case OptimizerType::adamw:
        py << "    return torch.optim." << (o.type == OptimizerType::adam ? "Adam" : "AdamW") << "(model.parameters(), lr=" << number(o.lr)
           << ", betas=(" << number(o.beta1) << ", " << number(o.beta2) << "), eps=" << number(o.eps)
           << ", weight_decay=" << number(o.weight_decay) << ")\n";
        break;
    case OptimizerType::rmsprop:
        py << "    return torch.optim.RMSprop(model.parameters(), lr=" << number(o.lr) << ", alpha=" << number(o.alpha)
           << ", eps=" << number(o.eps) << ", weight_decay=" << number(o.weight_decay) << ", momentum=" << number(o.momentum)
           << ", centered=" << (o.centered ? "True" : "False") << ")\n";
        break;
    }
    const ScheduleSpec &s = o.schedule;
    py << "\n\ndef learning_rate(step, epoch):\n";
    py << "    \"\"\"The rate at a step (from 0) of an epoch (from 0): ";
    switch (s.type) {
    case ScheduleType::constant: py << "constant"; break;
    case ScheduleType::step: py << "StepLR's"; break;
    case ScheduleType::exponential: py << "ExponentialLR's"; break;
    case ScheduleType::cosine: py << "CosineAnnealingLR's closed form"; break;
    }
    py << (s.warmup_steps > 0 ? ", after a linear warm-up" : "") << ".\"\"\"\n";
    py << "    lr = " << number(o.lr) << "\n";
    switch (s.type) {
    case ScheduleType::constant: break;
    case ScheduleType::step: py << "    lr *= " << number(s.gamma) << " ** (epoch // " << s.step_size << ")\n"; break;
    case ScheduleType::exponential: py << "    lr *= " << number(s.gamma) << " ** epoch\n"; break;
    case ScheduleType::cosine:
        py << "    lr = " << number(s.min_lr) << " + (lr - " << number(s.min_lr) << ") * (1 + math.cos(math.pi * epoch / "
           << (s.t_max > 0 ? s.t_max : std::max(1, spec.train.epochs)) << ")) / 2\n";
        break;
    }
    if (s.warmup_steps > 0) py << "    if step < " << s.warmup_steps << ":\n        lr *= (step + 1) / " << s.warmup_steps << "\n";
    py << "    return lr\n";
    return py.str();
}

const char *k_safetensors = R"(def read_safetensors(path):
    """The tensors of a safetensors file by name (the format is small enough to read here)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        values = np.frombuffer(data, dtype=dtypes[entry["dtype"]], count=(end - begin) // np.dtype(dtypes[entry["dtype"]]).itemsize,
                               offset=8 + length + begin)
        tensors[name] = torch.from_numpy(values.reshape(entry["shape"]).copy())
    return tensors


def load(path):
    """The network with the weights of a Liandan safetensors file (weights or a whole experiment), in eval mode."""
    model = Net()
    state = {name: t for name, t in read_safetensors(path).items() if not name.startswith("liandan.")}
    model.load_state_dict(state)
    return model.eval()


def predict(model, rows):
    """The network's outputs for raw rows, as a NumPy array [N, outputs]."""
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(prepare(rows))).numpy()
)";

} // namespace

std::string pytorch_module(const Spec &spec, const Dataset &data) {
    std::vector<int> input = spec.model.input.empty() ? data.sample_shape : spec.model.input;
    std::vector<int> shape = input;
    LayerWriter writer;
    const std::string layers = writer.write(spec.model.layers, shape, 12);
    const OptimizerSpec &o = spec.optimizer;

    std::ostringstream py;
    py << "\"\"\"A Liandan experiment as a PyTorch module: " << data_source_name(spec.data.source) << " data, "
       << spec.model.layers.size() << " layers, " << loss_name(spec.loss.type) << " loss, " << optimizer_name(o.type) << ".\n\n";
    py << "Exported by Liandan. The weights it saves (Experiment > Download weights, or liandan-train --save)\n"
          "load into this module unchanged, under PyTorch's names:\n\n"
          "    import exported_model as exported  # this file, under the name you gave it\n"
          "    model = exported.load(\"weights.safetensors\")\n"
       << "    outputs = exported.predict(model, " << rows_hint(data).first << ")  # " << rows_hint(data).second << "\n\n"
       << "predict gives the network's outputs"
       << (spec.loss.type == LossType::bce             ? " (logits: torch.sigmoid gives P(class 1))"
           : spec.loss.type == LossType::cross_entropy ? " (logits: torch.softmax gives class probabilities)"
                                                       : "")
       << ".\nfit(model, rows, targets, epochs) trains on with the experiment's loss, optimizer, schedule and\n"
          "batch size" << (spec.train.augment.on() && input.size() == 3 ? ", its images moved as train.augment says" : "")
       << ". Needs numpy and torch (Debian: python3-torch).\n\"\"\"\n";
    py << "import json\nimport math\nimport struct\n\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n";
    py << "# The experiment, as Liandan ran it.\nSPEC = " << spec_literal(spec) << "\n\n";
    py << preparation(data, input) << "\n\n" << k_activate;
    for (auto [name, code] : k_classes)
        if (writer.classes.count(name)) py << "\n\n" << code;
    py << "\n\nclass Net(nn.Module):\n"
          "    def __init__(self):\n"
          "        super().__init__()\n"
          "        self.layers = nn.ModuleList([\n"
       << layers << "        ])\n\n"
          "    def forward(self, x):\n"
          "        for layer in self.layers:\n"
          "            x = layer(x)\n"
          "        return x\n";
    py << "\n\n" << k_safetensors;
    py << "\n\n" << loss_code(spec) << "\n\n" << optimizer_code(spec);
    const bool augment = spec.train.augment.on() && input.size() == 3;
    if (augment) py << "\n\n" << augmentation(spec.train.augment, data);
    py << "\n\ndef fit(model, rows, targets, epochs=" << spec.train.epochs << ", batch_size=" << spec.train.batch_size
       << ", seed=" << spec.train.seed << "):\n"
          "    \"\"\"Trains on raw rows and their targets (class indices, or numbers); returns each epoch's mean loss.\"\"\"\n"
          "    torch.manual_seed(seed)\n"
          "    x = torch.from_numpy(prepare(rows))\n"
          "    y = torch.as_tensor(np.asarray(targets))\n"
          "    optimizer = make_optimizer(model)\n"
          "    step, losses = 0, []\n"
          "    for epoch in range(epochs):\n"
          "        model.train()\n"
       << "        order = " << (spec.train.shuffle ? "torch.randperm(len(x))" : "torch.arange(len(x))") << "\n"
       << "        total = 0.0\n"
          "        for first in range(0, len(x), batch_size):\n"
          "            batch = order[first:first + batch_size]\n"
          "            for group in optimizer.param_groups:\n"
          "                group[\"lr\"] = learning_rate(step, epoch)\n"
          "            optimizer.zero_grad()\n"
       << "            loss = loss_of(model(" << (augment ? "augment(x[batch])" : "x[batch]") << "), y[batch])\n"
          "            loss.backward()\n";
    if (o.clip_norm > 0) py << "            nn.utils.clip_grad_norm_(model.parameters(), " << number(o.clip_norm) << ")\n";
    if (o.l1 > 0)
        py << "            for p in model.parameters():  # L1: l1 * sign(w) added to the gradient\n"
              "                p.grad += "
           << number(o.l1) << " * torch.sign(p.detach())\n";
    py << "            optimizer.step()\n"
          "            step += 1\n"
          "            total += loss.item() * len(batch)\n"
          "        losses.append(total / len(x))\n"
          "    model.eval()\n"
          "    return losses\n";
    return py.str();
}

} // namespace liandan
