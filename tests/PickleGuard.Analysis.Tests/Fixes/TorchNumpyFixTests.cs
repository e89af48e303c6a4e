using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Fixes;

public sealed class TorchNumpyFixTests
{
    [Theory]
    [InlineData("import torch\ntorch.load(f)\n", "import torch\ntorch.load(f, weights_only=True)\n")]
    [InlineData("import torch\ntorch.load(f, weights_only=False)\n", "import torch\ntorch.load(f, weights_only=True)\n")]
    [InlineData("from torch import load\nload(f, 'cpu')\n", "from torch import load\nload(f, 'cpu', weights_only=True)\n")]
    [InlineData("import torch\ntorch.load(\n\tf,\r\n\tmap_location='cpu',\r\n)\n", "import torch\ntorch.load(\n\tf,\r\n\tmap_location='cpu',\r\n\tweights_only=True,\r\n)\n")]
    [InlineData("import torch\ntorch.jit.load(f)\n", "import torch\ntorch.jit.load(f)\n")]
    [InlineData("import torch, pickle\ntorch.load(f, pickle_module=pickle)\n", "import torch, pickle\ntorch.load(f, pickle_module=pickle)\n")]
    [InlineData("import torch\ntorch.load(f, weights_only=flag)\n", "import torch\ntorch.load(f, weights_only=flag)\n")]
    [InlineData("import torch\ntorch.hub.load_state_dict_from_url(URL, progress=False)\n", "import torch\ntorch.hub.load_state_dict_from_url(URL, progress=False, weights_only=True)\n")]
    [InlineData("from torch.utils import model_zoo\nmodel_zoo.load_url(URL, None, 'cpu')\n", "from torch.utils import model_zoo\nmodel_zoo.load_url(URL, None, 'cpu', weights_only=True)\n")]
    [InlineData("import torch\ntorch.hub.load_state_dict_from_url(URL, weights_only=False)\n", "import torch\ntorch.hub.load_state_dict_from_url(URL, weights_only=True)\n")]
    public void TorchLoad(string code, string expected) => Assert.Equal(expected, FixScan.Fixed(code));

    [Theory]
    [InlineData("import torch\ntorch.load(( f ))\n", "import torch\ntorch.load(( f ), weights_only=True)\n")]
    [InlineData("import yaml\nyaml.load((s), (yaml.Loader))\n", "import yaml\nyaml.safe_load((s))\n")]
    [InlineData("import yaml\nyaml.load(s, Loader=(yaml.Loader))\n", "import yaml\nyaml.safe_load(s)\n")]
    [InlineData("import yaml\n(yaml.load)((s), Loader=yaml.Loader)\n", "import yaml\n(yaml.safe_load)((s))\n")]
    public void ParenthesesAroundArgumentsAreKeptBalanced(string code, string expected)
    {
        // The tree's argument spans leave out wrapping parentheses; the edits must not split a pair.
        var fixedText = FixScan.Fixed(code);
        Assert.Equal(expected, fixedText);
        Assert.Empty(PythonParser.Parse(fixedText).Diagnostics);
    }

    [Theory]
    [InlineData("import numpy as np\nnp.load(p, allow_pickle=True)\n", "import numpy as np\nnp.load(p, allow_pickle=False)\n")]
    [InlineData("import numpy\nnumpy.load(p, 'r', True)\n", "import numpy\nnumpy.load(p, 'r', False)\n")]
    public void NumpyLoad(string code, string expected) => Assert.Equal(expected, FixScan.Fixed(code));

    [Theory]
    [InlineData("import numpy as np\nd = np.load(p, allow_pickle=True).item()\n", "`.item()`")]
    [InlineData("import numpy as np\nd = np.load(p, allow_pickle=True)[()]\n", "`[()]`")]
    [InlineData("import numpy as np\nnp.save(q, np.array(x, dtype=np.object_))\nd = np.load(p, allow_pickle=True)\n", "`dtype=object`")]
    [InlineData("import numpy as np\nnp.save(q, np.array(x, dtype='O'))\nd = np.load(p, allow_pickle=True)\n", "object dtype")]
    public void PossibleObjectArraysGetANote(string code, string reason)
    {
        var finding = Assert.Single(FixScan.Findings(code), f => f.RuleCode == "PG105");
        Assert.Null(finding.Fix);
        Assert.Contains("could hold object arrays", finding.Message, StringComparison.Ordinal);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    // PEFT's torch_load: the parameter's safe default, not a value computed at run time.
    [InlineData("import torch\ndef load(*args, weights_only=True, **kwargs):\n    return torch.load(*args, weights_only=weights_only, **kwargs)\n",
        "`weights_only` is the parameter 'weights_only' of 'load', `True` unless a caller passes another value")]
    [InlineData("import torch\ndef load(f, trusted=False):\n    return torch.load(f, weights_only=not trusted)\n", "`weights_only` is computed at run time")]
    [InlineData("import torch\ndef load(f, weights_only=True):\n    weights_only = weights_only and f.endswith('.pt')\n    return torch.load(f, weights_only=weights_only)\n", "`weights_only` is computed at run time")]
    [InlineData("import torch\ndef load(f, **kwargs):\n    return torch.load(f, **kwargs)\n", "may already set `weights_only`")]
    [InlineData("import torch\ndef load(f, **kwargs):\n    return torch.load(f, weights_only=False, **kwargs)\n", "may already set `weights_only`")]
    [InlineData("import torch\ndef load(f, **kwargs):\n    kwargs.setdefault(\"weights_only\", True)\n    return torch.load(f, **kwargs)\n", "may already set `weights_only`")]
    // sktime's wrapper replacing torch.load (lagllama.py:110): the callee is torch's loader or the wrapper itself.
    [InlineData("import torch\noriginal_load = torch.load\ndef patched_load(*args, **kwargs):\n    kwargs[\"weights_only\"] = False\n    return original_load(*args, **kwargs)\ntorch.load = patched_load\n",
        "the function sets `weights_only=False` in the `**kwargs` it passes (line 4), whatever its callers give")]
    // diffusers' dict of a version test, with a test that leaves torch 1.13 to 2.0 without it, or another condition
    // (the unpacked arguments were said to "may already set" it).
    [InlineData("import torch\nfrom accelerate.utils import is_torch_version\ndef load(f, **extra):\n    kw = {\"weights_only\": True} if is_torch_version(\">=\", \"2.0\") else {}\n    return torch.load(f, **kw, **extra)\n",
        "`weights_only` comes from `**kw`, which gives it only when `is_torch_version(\">=\", \"2.0\")` is true (line 4)")]
    [InlineData("import torch\ndef load(f, fast):\n    kw = {} if fast else {\"weights_only\": True}\n    return torch.load(f, **kw)\n",
        "`weights_only` comes from `**kw`, which gives it only when `fast` is false (line 3)")]
    [InlineData("import torch\ndef load(f, **options):\n    options.update(weights_only=False)\n    return torch.load(f, **options)\n", "sets `weights_only=False` in the `**options` it passes (line 3)")]
    [InlineData("import os\nimport torch\ndef checked(f):\n    return f\nif os.environ.get(\"CHECKED\"):\n    torch.load = checked\ndef read(f):\n    return torch.load(f)\n", "the callee may also be the project's function `checked` (")]
    public void UnfixableLoadsSayWhy(string code, string reason)
    {
        // A `weights_only` given by name decides the call whatever is unpacked (PEFT's torch_load wrapper was told
        // that the unpacked arguments may set it).
        var finding = Assert.Single(FixScan.Findings(code), f => f.RuleCode == "PG104");
        Assert.Null(finding.Fix);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrapperInstalledByTwoMethodsSaysItForcesTheFlagAtEach()
    {
        // sktime's lagllama.py installs the same wrapper in `_fit` and `_predict`: each `original_load` may be either wrapper.
        const string Method = "    def {0}(self):\n        original_load = torch.load\n        def patched_load(*args, **kwargs):\n"
            + "            kwargs[\"weights_only\"] = False\n            return original_load(*args, **kwargs)\n        torch.load = patched_load\n";
        var code = "import torch\nclass Forecaster:\n" + string.Format(Method, "fit") + string.Format(Method, "predict");
        var findings = FixScan.Findings(code).Where(f => f.RuleCode == "PG104").ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains("sets `weights_only=False` in the `**kwargs` it passes", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void FixesCarryADescription()
    {
        var finding = Assert.Single(FixScan.Findings("import torch\ntorch.load(f)\n"), f => f.RuleCode == "PG104");
        Assert.StartsWith("Pass `weights_only=True`", finding.Fix!.Description, StringComparison.Ordinal);
        Assert.Equal([new TextEdit("app.py", 25, 25, ", weights_only=True")], finding.Fix.Edits);
    }
}
