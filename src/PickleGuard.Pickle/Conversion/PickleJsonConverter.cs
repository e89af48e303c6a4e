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
        if (IsPipe(inputPath))
        {
            // A pipe (/dev/stdin…) can be read only once: convert from a copy in memory instead of reading it twice.
            using var pipe = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            return Convert(pipe, inputPath, openOutput);
        }

        using var speculation = new SpeculativeArenaBuild(inputPath);
        var survey = new PickleStreamCollector(_policy);
        var scan = new ArtifactScanner(survey, _containerLimits).Scan(inputPath);
        bool bare = false;
        if (survey.Streams.Count == 0 && scan.Errors.Count == 0)
        {
            using var input = File.OpenRead(inputPath);
            (scan, bare) = ReadAsBarePickle(input, inputPath, scan, survey);
        }

        // The speculative build read the file itself: usable only when the file itself is the pickle to convert.
        bool fileIsThePickle = bare || scan.Layout.Format == ContainerFormat.Pickle;
        return Finish(inputPath, scan, survey, openOutput, (index, main) => fileIsThePickle && index == 0 && main.Plain ? speculation.Result() : null, extract =>
        {
            if (bare)
            {
                using var input = File.OpenRead(inputPath);
                extract.Scan(input, new Location(inputPath));
            }
            else
            {
                new ArtifactScanner(extract, _containerLimits).Scan(inputPath);
            }
        });
    }

    /// <summary>True for a path that opens as something other than a seekable file (a FIFO, a terminal, /dev/stdin of a pipe).</summary>
    private static bool IsPipe(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            return !probe.CanSeek;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Unreadable: the container layer reports it.
            return false;
        }
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

    /// <summary>
    /// Converts <paramref name="input"/> (read from its current position), reported as <paramref name="displayPath"/>.
    /// The input is read twice (scan, then rebuild); a stream that cannot seek is first copied into memory.
    /// </summary>
    public ConversionResult Convert(Stream input, string displayPath, Func<Stream> openOutput)
    {
        if (!input.CanSeek)
        {
            var copy = new MemoryStream();
            input.CopyTo(copy);
            copy.Position = 0;
            input = copy;
        }

        var survey = new PickleStreamCollector(_policy);
        long start = input.Position;
        var scan = new ArtifactScanner(survey, _containerLimits).Scan(input, displayPath);
        bool bare = false;
        if (survey.Streams.Count == 0)
        {
            input.Position = start;
            (scan, bare) = ReadAsBarePickle(input, displayPath, scan, survey);
        }

        return Finish(displayPath, scan, survey, openOutput, (_, _) => null, extract =>
        {
            input.Position = start;
            if (bare)
            {
                extract.Scan(input, new Location(displayPath));
            }
            else
            {
                new ArtifactScanner(extract, _containerLimits).Scan(input, displayPath);
            }
        });
    }

    /// <summary>
    /// When the container layer finds no pickle stream at all (some protocol 0 pickles start with bytes its sniffer does
    /// not expect), the file is read as the pickle the user says it is; if it reads completely as one, its own findings
    /// decide (and Bare is true), otherwise the container layer's verdict stands.
    /// </summary>
    private static (ArtifactScanResult Scan, bool Bare) ReadAsBarePickle(Stream input, string path, ArtifactScanResult scan, PickleStreamCollector survey)
    {
        var pickleScan = survey.Scan(input, new Location(path));
        if (!survey.Streams[^1].CompletelyRead)
        {
            survey.Streams.Clear();
            return (scan, false);
        }

        return (scan with { Findings = pickleScan.Findings, Errors = [] }, true);
    }

    /// <param name="prebuilt">The main stream already rebuilt as plain data, if it was (see <see cref="SpeculativeArenaBuild"/>).</param>
    /// <param name="rescan">Runs the extraction pass: the input read again with the given collector.</param>
    private ConversionResult Finish(string path, ArtifactScanResult scan, PickleStreamCollector survey, Func<Stream> openOutput,
        Func<int, SurveyedStream, ArenaBuilder?> prebuilt, Action<PickleStreamCollector> rescan)
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

        var (index, main) = ChooseMainPickle(path, scan.Layout, survey.Streams, refusals);
        if (refusals.Count > 0 || main is null)
        {
            return new ConversionResult(refusals, main?.BytesRead ?? 0, 0, main?.Where.Member);
        }

        // Every refusal that scanning can find has been decided: now the value is rebuilt (plain data compactly, anything
        // else as the machine's value tree) and checked for what JSON cannot hold, still before any output is opened.
        var extract = new PickleStreamCollector(_policy, index, main, prebuilt(index, main), arrayMemory: _options.MaxArrayBytesInMemory);
        if (extract.Arena is null)
        {
            rescan(extract);
        }

        if (extract.NotPlain)
        {
            extract = new PickleStreamCollector(_policy, index, main, useTree: true, arrayMemory: _options.MaxArrayBytesInMemory);
            rescan(extract);
        }

        using var owned = extract; // deletes the temporary file of spilled joblib array data
        if (extract.JoblibArrays.Problem is { } spill)
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.OutputFailed, null, main.Where, spill));
            return new ConversionResult(refusals, main.BytesRead, 0, main.Where.Member);
        }

        long limit = _options.OutputValueLimit(main.BytesRead);
        long textLimit = _options.OutputTextLimit(main.BytesRead);
        string? problem;
        Action<Utf8JsonWriter> write;
        if (extract.Arena is { } built)
        {
            var writer = new ArenaJsonWriter(built.Arena, _options, limit, textLimit);
            problem = writer.Analyze(built.Root) ? null : writer.Problem;
            write = json => writer.Write(built.Root, json);
        }
        else if (extract.Tree is { Results.Count: 1 } tree)
        {
            var writer = new TaggedJsonWriter(new ValueDecoder(extract.JoblibArrays), _options, limit, textLimit);
            problem = writer.Analyze(tree.Results[0]) ? null : writer.Problem;
            write = json => writer.Write(tree.Results[0], json);
        }
        else
        {
            problem = "the pickle could not be read again to rebuild its value";
            write = _ => { };
        }

        if (problem is not null)
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.NotRepresentable, null, main.Where, problem));
            return new ConversionResult(refusals, main.BytesRead, 0, main.Where.Member);
        }

        using var output = openOutput();
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = _options.Indented,
            SkipValidation = true,
            MaxDepth = _options.MaxDepth * 3 + 16,
        });
        write(json);
        return new ConversionResult(refusals, main.BytesRead, json.BytesCommitted, main.Where.Member) { Compact = extract.Arena is not null, SpilledArrayBytes = extract.JoblibArrays.SpilledBytes };
    }

    /// <summary>
    /// The one pickle to convert: the only one, torch's <c>data.pkl</c>, or the object pickle of a legacy torch file;
    /// otherwise a refusal naming the candidates.
    /// </summary>
    private static (int Index, SurveyedStream? Main) ChooseMainPickle(string path, ContainerNode layout, List<SurveyedStream> streams, List<ConversionRefusal> refusals)
    {
        var candidates = streams.Select((s, i) => (Index: i, Stream: s)).ToList();
        if (LegacyTorchObjectIndex(layout, streams.Count) is { } objectIndex)
        {
            candidates = [candidates[objectIndex]];
        }
        else if (candidates.Count > 1)
        {
            candidates = candidates.Where(c => c.Stream.Where.Member?.EndsWith("data.pkl", StringComparison.Ordinal) == true).ToList();
        }

        if (candidates.Count != 1)
        {
            var names = string.Join(", ", streams.Take(6).Select(c => c.Where.Member ?? "(file)").Distinct());
            string message = streams.Count == 0
                ? "no pickle stream was found in the file"
                : $"the file holds {streams.Count} pickle streams (in {names}) and none is the main one (torch's data.pkl); convert does not guess";
            refusals.Add(new ConversionRefusal(ConversionCodes.NoMainPickle, null, new Location(path), message));
            return (-1, null);
        }

        var (index, main) = candidates[0];
        if (main.PickleCount != 1 || main.ResultCount != 1)
        {
            refusals.Add(new ConversionRefusal(ConversionCodes.NoMainPickle, null, main.Where,
                $"the stream holds {main.PickleCount} pickles one after the other; convert reads streams with exactly one"));
        }

        return (index, main);
    }

    /// <summary>
    /// Legacy <c>torch.save</c> files are five pickles back to back (magic number, protocol version, sys_info, the object,
    /// the storage keys) followed by raw storages: the object pickle is the data, converted like torch zip's
    /// <c>data.pkl</c> (tensors as <c>$persistent</c> storage references, without their bytes). Only for a file that is
    /// itself a legacy torch file, whose pickles the container layer lists in stream order.
    /// </summary>
    private static int? LegacyTorchObjectIndex(ContainerNode layout, int streamCount)
    {
        if (layout.Format != ContainerFormat.TorchLegacy)
        {
            return null;
        }

        var pickles = layout.Children.Where(c => c.Format == ContainerFormat.Pickle).ToList();
        int index = pickles.FindIndex(c => c.Name == "(object pickle)");
        return pickles.Count == streamCount && index >= 0 ? index : null;
    }
}
