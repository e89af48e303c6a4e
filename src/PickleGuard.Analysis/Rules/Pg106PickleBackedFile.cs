using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg106PickleBackedFile
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG106",
        "pickle-backed-file",
        "Pickle-backed file loader",
        Severity.Medium,
        502,
        "Reports `shelve.open`/`shelve.DbfilenameShelf`, `joblib.load`, `pandas.read_pickle` "
        + "(`pandas.io.pickle.read_pickle`) and MLflow's model loaders (`mlflow.pyfunc.load_model`, and the "
        + "`load_model` of the sklearn, pytorch, xgboost, lightgbm, statsmodels and catboost flavors), and statsmodels' "
        + "`load_pickle` (`sm.load`, `OLSResults.load` and the other results classes), PaddlePaddle's `paddle.load`, and "
        + "`nltk.data.load` unless its `format` is a text one (NLTK 3.8.2 and later unpickle its `.pickle` resources with a "
        + "restricted unpickler: low where the project requires such a release). The input is the path, buffer or "
        + "model URI: a literal is low, except a remote URL given to `pandas.read_pickle` (`https://`, `s3://`, ...), "
        + "which it downloads: medium, high with the taint engine (network data).",
        "All of them store Python objects as pickles (MLflow's python_function models with cloudpickle). Whoever can write the file (an upload directory, a shared cache, a "
        + "downloaded model) can run code in the process that opens it.",
        "```python\nmodel = joblib.load(user_supplied_path)  # PG106\n```",
        "Keep these files where only the program writes them and never load one received from elsewhere. For models "
        + "prefer skops or ONNX; for tables Parquet or CSV; for key-value stores `dbm` with JSON values.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/shelve.html",
            "https://joblib.readthedocs.io/en/stable/persistence.html",
            "https://pandas.pydata.org/docs/reference/api/pandas.read_pickle.html",
            "https://mlflow.org/docs/latest/api_reference/python_api/mlflow.pyfunc.html#mlflow.pyfunc.load_model",
            "https://www.statsmodels.org/stable/generated/statsmodels.iolib.smpickle.load_pickle.html",
            "https://github.com/nltk/nltk/issues/3266 (CVE-2024-39705)",
        ]);
}
