using System.Reflection;

namespace PickleGuard.Models;

/// <summary>
/// The library models in force: sinks, serializers and propagators, indexed by API path, plus the modules whose mere
/// import is worth reporting. Built from versioned TOML data files (see docs/models.md); immutable once built.
/// </summary>
public sealed class ModelSet
{
    private const string ResourcePrefix = "models/";
    private static readonly Lazy<ModelLoadResult> BuiltInResult = new(LoadBuiltIn);

    /// <summary>The models by the exact API paths they name, the taint models' too (<see cref="PathModels"/>).</summary>
    private readonly PathModelTable _byPath = new();
    private readonly Dictionary<string, PropagatorModel> _propagatorsByMethod;
    private readonly Dictionary<string, string> _importInfoModules;

    internal ModelSet(ModelSetBuilder builder)
    {
        Sinks = builder.Sinks.ToArray();
        Serializers = builder.Serializers.ToArray();
        Propagators = builder.Propagators.ToArray();
        Settings = builder.Settings.ToArray();
        Files = builder.Files.ToArray();
        foreach (var sink in Sinks)
        {
            foreach (var name in sink.Names)
            {
                _byPath.At(name).AddSink(sink);
            }
        }
        foreach (var serializer in Serializers)
        {
            foreach (var name in serializer.Names)
            {
                _byPath.At(name).Serializer = serializer;
            }
        }
        _propagatorsByMethod = new(StringComparer.Ordinal);
        foreach (var propagator in Propagators)
        {
            foreach (var name in propagator.Names)
            {
                _byPath.At(name).Propagator = propagator;
            }
            foreach (var method in propagator.Methods)
            {
                _propagatorsByMethod[method] = propagator;
            }
        }
        _importInfoModules = new(builder.ImportInfoModules, StringComparer.Ordinal);
        Taint = new TaintModels(builder.Taint, _byPath);
    }

    /// <summary>The models shipped with PickleGuard (embedded data files). A unit test guards that they load cleanly.</summary>
    public static ModelSet BuiltIn => BuiltInResult.Value.Models;

    /// <summary>Problems in the embedded data files; empty in any released build.</summary>
    public static IReadOnlyList<ModelError> BuiltInErrors => BuiltInResult.Value.Errors;

    public IReadOnlyList<SinkModel> Sinks { get; }

    public IReadOnlyList<SerializerModel> Serializers { get; }

    public IReadOnlyList<PropagatorModel> Propagators { get; }

    /// <summary>Configuration settings and calls that make a framework unpickle what it receives.</summary>
    public IReadOnlyList<SettingModel> Settings { get; }

    /// <summary>Sources, parameter sources and sanitizers for the taint engine.</summary>
    public TaintModels Taint { get; }

    /// <summary>The files the set was built from, with their declared library and version.</summary>
    public IReadOnlyList<ModelFileInfo> Files { get; }

    /// <summary>Every module (e.g. <c>pickle</c>, <c>yaml</c>) whose import is reported as informational.</summary>
    public IEnumerable<string> ImportInfoModules => _importInfoModules.Keys;

    /// <summary>The built-in models plus the user's files; problems in user files are returned, never thrown.</summary>
    public static ModelLoadResult Load(IEnumerable<string> extraFiles)
    {
        var builder = new ModelSetBuilder();
        var errors = new List<ModelError>();
        AddBuiltInFiles(builder, errors);
        foreach (var path in extraFiles)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add(new ModelError(path, 0, "cannot read model file: " + e.Message));
                continue;
            }
            ModelFileReader.Read(path, text, builder, errors);
        }
        return new ModelLoadResult(new ModelSet(builder), errors);
    }

    /// <summary>Parses one model file's text on its own (no built-in models); for tests and tooling.</summary>
    public static ModelLoadResult Parse(string fileName, string text)
    {
        var builder = new ModelSetBuilder();
        var errors = new List<ModelError>();
        ModelFileReader.Read(fileName, text, builder, errors);
        return new ModelLoadResult(new ModelSet(builder), errors);
    }

    /// <summary>
    /// Every model naming <paramref name="apiPath"/> exactly, the taint models' too, or null when none does: one lookup
    /// for a caller asking about every kind (the <c>…For</c> methods each make that lookup).
    /// </summary>
    public PathModels? ModelsNaming(string apiPath) => _byPath.Of(apiPath);

    public IReadOnlyList<SinkModel> SinksFor(string apiPath) => _byPath.Of(apiPath)?.Sinks ?? Array.Empty<SinkModel>(); // not `[]`: a new List per miss

    public SerializerModel? SerializerFor(string apiPath) => _byPath.Of(apiPath)?.Serializer;

    public PropagatorModel? PropagatorFor(string apiPath) => _byPath.Of(apiPath)?.Propagator;

    public PropagatorModel? MethodPropagatorFor(string methodName) => _propagatorsByMethod.GetValueOrDefault(methodName);

    /// <summary>The library name when importing <paramref name="module"/> is reported, else null.</summary>
    public string? ImportInfoLibrary(string module) => _importInfoModules.GetValueOrDefault(module);

    private static ModelLoadResult LoadBuiltIn()
    {
        var builder = new ModelSetBuilder();
        var errors = new List<ModelError>();
        AddBuiltInFiles(builder, errors);
        return new ModelLoadResult(new ModelSet(builder), errors);
    }

    private static void AddBuiltInFiles(ModelSetBuilder builder, List<ModelError> errors)
    {
        var assembly = typeof(ModelSet).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".toml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            ModelFileReader.Read(name, ReadResource(assembly, name), builder, errors);
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
