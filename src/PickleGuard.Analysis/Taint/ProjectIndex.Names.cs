using System.Runtime.InteropServices;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The project's functions by name: which names are functions at all (<see cref="FindInvoked"/>), which are property
/// getters (<see cref="PropertyGetter"/>), and which classes define a method of a name (<see cref="AddOverrides"/>).
/// Each module lists its own names in parallel (<see cref="ModuleFunctionNames"/>); one task merges them while the units
/// are numbered.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>The names of the project's functions: an argument named otherwise is not worth resolving.</summary>
    private readonly HashSet<string> _functionNames = new(StringComparer.Ordinal);

    /// <summary>The names of the project's property getters: most attribute reads are of other names (one set lookup).</summary>
    private readonly HashSet<string> _propertyNames = new(StringComparer.Ordinal);

    /// <summary>
    /// The classes whose body defines a method of each name, in module input order: the first <c>Count</c> of an array
    /// grown from one (most names have one definer; a list per name was 3 MB on the stdlib).
    /// </summary>
    private readonly Dictionary<string, (ClassInfo[]? Classes, int Count)> _methodDefiners = new(StringComparer.Ordinal);

    /// <summary>Whether some project class has a property or a method <paramref name="name"/>: reading it on an object may run code over the object's other attributes.</summary>
    public bool IsMethodOrPropertyName(string name) => _propertyNames.Contains(name) || _methodDefiners.ContainsKey(name);

    /// <summary>Whether the body of <paramref name="cls"/> defines a method or a property <paramref name="name"/>.</summary>
    public bool Defines(ClassInfo cls, string name) => ClassesDefining(name).Contains(cls);

    /// <summary>The project's classes whose body defines a method <paramref name="name"/>, in module input order.</summary>
    private ReadOnlySpan<ClassInfo> ClassesDefining(string name) =>
        _methodDefiners.TryGetValue(name, out var definers) ? definers.Classes.AsSpan(0, definers.Count) : default;

    /// <summary>One module's function names, property getters and methods (name and class), in binding order.</summary>
    private sealed record ModuleFunctionNames(string[] Functions, List<(string Name, ClassInfo Owner)> Properties, List<(string Name, ClassInfo Owner)> Methods)
    {
        public static ModuleFunctionNames Of(ModuleModel module)
        {
            var functions = new string[module.Functions.Count];
            var properties = new List<(string, ClassInfo)>();
            // At its largest size from the start: most functions are methods (the doubling was 2 MB on the stdlib).
            var methods = new List<(string, ClassInfo)>(module.Functions.Count);
            var next = 0;
            foreach (var function in module.Functions.Values)
            {
                functions[next++] = function.Name;
                if (function.IsProperty)
                {
                    properties.Add((function.Name, function.Owner!));
                }
                if (function.Owner is { } owner)
                {
                    methods.Add((function.Name, owner));
                }
            }
            return new ModuleFunctionNames(functions, properties, methods);
        }
    }

    private void IndexNames(ModuleFunctionNames[] modules)
    {
        // Made at a bound of their size (names repeat across modules): growing them by doubling was 2 MB on the stdlib.
        _functionNames.EnsureCapacity(modules.Sum(module => module.Functions.Length));
        _methodDefiners.EnsureCapacity(modules.Sum(module => module.Methods.Count));
        foreach (var module in modules)
        {
            _functionNames.UnionWith(module.Functions);
            foreach (var (name, owner) in module.Properties)
            {
                _propertyNames.Add(name);
                PropertyOwners.Add(owner);
            }
            foreach (var (name, owner) in module.Methods)
            {
                ref var definers = ref CollectionsMarshal.GetValueRefOrAddDefault(_methodDefiners, name, out _);
                if (definers.Count == 0 || definers.Classes![definers.Count - 1] != owner) // a name defined twice in one class body counts once
                {
                    GrowingArrays.Append(ref definers.Classes, ref definers.Count, owner);
                }
            }
        }
    }
}
