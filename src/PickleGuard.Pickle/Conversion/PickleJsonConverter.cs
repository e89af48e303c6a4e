using System.Text.Encodings.Web;
using System.Text.Json;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Converts the data of a pickle — a bare pickle of any protocol or the main pickle inside any container the
/// <see cref="ArtifactScanner"/> opens — into tagged JSON (docs/convert.md), without executing anything. The file is
/// first scanned exactly as <c>pickleguard scan</c> would: any finding (a global off the allowlist, a malformed
/// stream, a container problem…) refuses the conversion, and then nothing is written. Classes the user accepts with
/// <see cref="ConversionOptions.AllowedClasses"/> become opaque <c>$object</c> values.
/// </summary>
public sealed class PickleJsonConverter
{
    private readonly PicklePolicy _policy;
    private readonly ConversionOptions _options;
    private readonly ContainerLimits _containerLimits;

    public PickleJsonConverter(PicklePolicy policy, ConversionOptions options, ContainerLimits? containerLimits = null)
    {
        _policy = policy;
        _options = options;
        _containerLimits = containerLimits ?? ContainerLimits.Default;
    }

    /// <summary>
    /// Null when <paramref name="dottedName"/> (<c>module.Class</c>) may be accepted as an opaque object; otherwise why not
    /// (dangerous globals can never be accepted, whatever the user asks).
    /// </summary>
    public static string? CheckAllowable(PicklePolicy policy, string dottedName)
    {
        int dot = dottedName.LastIndexOf('.');
        if (dot <= 0 || dot == dottedName.Length - 1)
        {
            return $"'{dottedName}' is not a dotted name of the form module.Class";
        }

        var decision = policy.Evaluate(dottedName[..dot], dottedName[(dot + 1)..], protocol: 4);
        return decision.Verdict == GlobalVerdict.Dangerous
            ? $"'{dottedName}' is a dangerous global and can never be allowed: {decision.Reason}"
            : null;
    }

    /// <summary>Converts the file at <paramref name="inputPath"/>; <paramref name="openOutput"/> is called only when JSON will be written.</summary>
    public ConversionResult Convert(string inputPath, Func<Stream> openOutput)
    {
        var collector = new PickleStreamCollector(new PickleScanner(_policy, PickleStreamCollector.ConversionLimits));
        var scan = new ArtifactScanner(collector, _containerLimits).Scan(inputPath);
        if (collector.Candidates.Count == 0 && scan.Errors.Count == 0)
        {
            using var input = File.OpenRead(inputPath);
            scan = ReadAsBarePickle(input, inputPath, scan, collector);
        }

        return Finish(inputPath, scan, collector, openOutput);
    }

    /// <summary>
    /// Converts the file at <paramref name="inputPath"/> into <paramref name="outputPath"/> through a temporary file
    /// next to it that is renamed at the end: a refused or failed conversion leaves no output file (an existing one is
    /// left as it was).
    /// </summary>
    public ConversionResult ConvertToFile(string inputPath, string outputPath)
    {
        var temporary = outputPath + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            var result = Convert(inputPath, () => new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));
            if (result.Converted)
            {
                File.Move(temporary, outputPath, overwrite: true);
            }

            return result;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var refusal = new ConversionRefusal(ConversionCodes.OutputFailed, null, new Location(outputPath), "the JSON could not be written: " + ex.Message);
            return new ConversionResult([refusal], 0, 0, null);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Converts <paramref name="input"/> (read from its current position), reported as <paramref name="displayPath"/>.</summary>
    public ConversionResult Convert(Stream input, string displayPath, Func<Stream> openOutput)
    {
        var collector = new PickleStreamCollector(new PickleScanner(_policy, PickleStreamCollector.ConversionLimits));
        long start = input.CanSeek ? input.Position : -1;
        var scan = new ArtifactScanner(collector, _containerLimits).Scan(input, displayPath);
        if (collector.Candidates.Count == 0 && start >= 0)
        {
            input.Position = start;
            scan = ReadAsBarePickle(input, displayPath, scan, collector);
        }

        return Finish(displayPath, scan, collector, openOutput);
    }

    /// <summary>
    /// When the container layer finds no pickle stream at all (some protocol 0 pickles start with bytes its sniffer does
    /// not expect), the file is read as the pickle the user says it is; if it reads completely as one, its own findings
    /// decide, otherwise the container layer's verdict stands.
    /// </summary>
    private ArtifactScanResult ReadAsBarePickle(Stream input, string path, ArtifactScanResult scan, PickleStreamCollector collector)
    {
        var where = new Location(path);
        var (pickleScan, run) = collector.Collect(input, where);
        if (!run.CompletelyRead)
        {
            collector.Candidates.Clear();
            return scan;
        }

        return scan with { Findings = pickleScan.Findings, Errors = [] };
    }

    private ConversionResult Finish(string path, ArtifactScanResult scan, PickleStreamCollector collector, Func<Stream> openOutput)
    {
        var refusals = new List<ConversionRefusal>();
        foreach (var error in scan.Errors)
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.NoMainPickle, null, new Location(error.Path), error.Message));
        }

        foreach (var finding in scan.Findings)
        {
            bool accepted = finding.RuleCode == PickleRules.UnvettedGlobal && finding.Callable is { } name && _options.AllowedClasses.Contains(name);
            if (!accepted && finding.Severity > Severity.Info)
            {
                refusals.Add(new ConversionRefusal(finding.RuleCode, finding.Callable, finding.Location, finding.Message));
            }
        }

        foreach (var joblib in collector.JoblibArrays)
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.NotRepresentable, null, joblib,
                "joblib writes its NumPy arrays as raw bytes next to the pickle opcodes, which convert does not decode; the arrays would be lost"));
        }

        var (where, run) = ChooseMainPickle(path, collector, refusals);
        if (refusals.Count > 0 || run is null)
        {
            return new ConversionResult(refusals, run?.BytesRead ?? 0, 0, where?.Member);
        }

        var writer = new TaggedJsonWriter(new ValueDecoder(), _options, _options.OutputValueLimit(run.BytesRead));
        if (!writer.Analyze(run.Results[0]))
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.NotRepresentable, null, where!, writer.Problem!));
            return new ConversionResult(refusals, run.BytesRead, 0, where!.Member);
        }

        using var output = openOutput();
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = _options.Indented,
            SkipValidation = true,
            MaxDepth = _options.MaxDepth * 3 + 16,
        });
        writer.Write(run.Results[0], json);
        return new ConversionResult(refusals, run.BytesRead, json.BytesCommitted, where!.Member);
    }

    /// <summary>The one pickle to convert: the only one, or torch's <c>data.pkl</c>; otherwise a refusal naming the candidates.</summary>
    private static (Location? Where, PickleMachineResult? Run) ChooseMainPickle(string path, PickleStreamCollector collector, List<ConversionRefusal> refusals)
    {
        var candidates = collector.Candidates;
        if (candidates.Count > 1)
        {
            candidates = candidates.Where(c => c.Where.Member?.EndsWith("data.pkl", StringComparison.Ordinal) == true).ToList();
        }

        if (candidates.Count != 1 || collector.Dropped > 0)
        {
            var names = string.Join(", ", collector.Candidates.Take(6).Select(c => c.Where.Member ?? "(file)").Distinct());
            string message = collector.Candidates.Count == 0
                ? "no pickle stream was found in the file"
                : $"the file holds {collector.Candidates.Count + collector.Dropped} pickle streams (in {names}) and none is the main one (torch's data.pkl); convert does not guess";
            refusals.Add(new ConversionRefusal(ConversionCodes.NoMainPickle, null, new Location(path), message));
            return (null, null);
        }

        var (where, run) = candidates[0];
        if (run.PickleCount != 1 || run.Results.Count != 1)
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.NoMainPickle, null, where,
                $"the stream holds {run.PickleCount} pickles one after the other; convert reads streams with exactly one"));
            return (where, null);
        }

        return (where, run);
    }
}
