using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg104TorchLoad
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG104",
        "torch-load",
        "PyTorch checkpoint loaded with full pickle",
        Severity.Medium,
        502,
        "Reports `torch.load`/`torch.serialization.load` unless `weights_only=True` is passed literally, "
        + "`torch.jit.load`, `torch.package.PackageImporter(...).load_pickle`, and PyTorch Lightning's "
        + "`load_from_checkpoint` (on a `LightningModule`/`LightningDataModule` subclass too, and `super().load_from_checkpoint` in its override) and "
        + "`torch.hub.load_state_dict_from_url`/`torch.utils.model_zoo.load_url` (which download the checkpoint and "
        + "load it: always a network-data path) unless they pass `weights_only=True`, Lightning's checkpoint readers "
        + "`lightning.fabric.utilities.cloud_io._load` (`pytorch_lightning.utilities.cloud_io.load`; it downloads an "
        + "`http(s)` path itself and then defaults to `weights_only=False`) unless it passes `weights_only=True` and "
        + "`lightning.fabric.utilities.load._lazy_load` (an unrestricted unpickler, always), and "
        + "`torch.fx._graph_pickler.GraphPickler.loads` (compiled-graph caches). A `torch.load` that leaves "
        + "`weights_only` out is low when the file's project requires torch 2.6 or later (`pyproject.toml`, "
        + "`setup.py`'s `install_requires`, `requirements*.txt`; not an extra), whose default is `weights_only=True`. "
        + "A `**` dict that leaves it out only where `is_torch_version(...)` says torch is older than 1.13, which has "
        + "no such option, gives it.",
        "A `.pt`/`.pth` checkpoint is a zip archive whose `data.pkl` is a pickle. Without `weights_only=True` (the "
        + "default before PyTorch 2.6) loading a downloaded model runs whatever the pickle names. TorchScript and "
        + "torch.package archives also carry pickles and code.",
        "```python\nstate = torch.load(path)  # PG104: pass weights_only=True\n```",
        "`torch.load(path, weights_only=True)` (add allow-listed classes with `torch.serialization.add_safe_globals`), "
        + "or store tensors as safetensors. Only load TorchScript/torch.package archives you produced. "
        + "`pickleguard scan --fix` adds `weights_only=True` (or turns `False` into `True`) unless the call passes a "
        + "custom `pickle_module` or unpacked arguments; see docs/fixes.md.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://pytorch.org/docs/stable/generated/torch.load.html",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-32434",
        ]);
}
